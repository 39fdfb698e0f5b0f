#!/bin/sh
# tests/vm/cross-build.sh BUILD_DIR arm64 [OUT_DIR [KERNEL_BTF]] -- ipclab, its workloads and
# tests/integration/pipe_movers cross-built for the kernel matrix's arm64 guest, with Debian's
# cross compiler (gcc-aarch64-linux-gnu, installed by tests/vm/build-image.sh) and a sysroot of
# Debian bookworm's arm64 packages. The machine's apt and dpkg configuration stay untouched:
# the packages come through tests/vm/apt-private.sh and are only extracted (dpkg-deb -x).
#
#   BUILD_DIR/cross/arm64/debs/      the arm64 .debs (kept: a second run needs no network)
#   BUILD_DIR/cross/arm64/sysroot/   them extracted: headers, libraries, .pc files, and the
#                                    shared libraries and loader the guest's initramfs takes
#   BUILD_DIR/cross/arm64/build/     the CMake build (cmake/aarch64-linux-gnu.cmake,
#                                    IPCLAB_TESTS=OFF): ipclab, workloads/, tests/pipe_movers
#                                    (OUT_DIR instead, when given)
# KERNEL_BTF: build against that kernel's BTF (CMake's KERNEL_BTF, e.g. the booted arm64
# kernel's) instead of the checked-in arm64 vmlinux.h.
set -eu

[ $# -ge 2 ] && [ $# -le 4 ] || { echo "usage: $0 BUILD_DIR arm64 [OUT_DIR [KERNEL_BTF]]" >&2; exit 2; }
BUILD=$(cd "$1" && pwd)
ARCH=$2
HERE=$(cd "$(dirname "$0")" && pwd)
SRC=$(cd "$HERE/../.." && pwd)
SUITE=bookworm

say() { printf 'cross-build: %s\n' "$*" >&2; }
die() { printf 'cross-build: %s\n' "$*" >&2; exit 1; }

case $ARCH in
arm64)	TRIPLET=aarch64-linux-gnu ;;
*)	die "no cross build for '$ARCH' (arm64 only)" ;;
esac
command -v "$TRIPLET-gcc" >/dev/null ||
	die "$TRIPLET-gcc not found: install gcc-$TRIPLET (tests/vm/build-image.sh does when an $ARCH kernel is selected)"

X=$BUILD/cross/$ARCH
DEBS=$X/debs
SYSROOT=$X/sysroot
OUT=${3:-$X/build}
BTF=${4:-}

# What ipclab links (libbpf, libelf, zlib, json-c, libmicrohttpd) with their runtime
# dependencies (libmicrohttpd -> gnutls -> ...), and the C library to build against.
# libmicrohttpd.pc names gnutls in Requires.private, which pkg-config resolves even for a
# dynamic link: gnutls.pc and the .pc files it requires in turn come from their -dev packages
# (only extracted; their own dependencies are not needed for that). A library missing here
# fails the link, or build-image.sh's check of every DT_NEEDED.
PACKAGES="libc6 libc6-dev linux-libc-dev libcrypt1 libcrypt-dev libgcc-s1
libbpf1 libbpf-dev libelf1 libelf-dev zlib1g zlib1g-dev libjson-c5 libjson-c-dev
libmicrohttpd12 libmicrohttpd-dev libgnutls30 libgmp10 libhogweed6 libnettle8 libidn2-0
libunistring2 libp11-kit0 libtasn1-6 libffi8
libgnutls28-dev nettle-dev libgmp-dev libtasn1-6-dev libidn2-dev libp11-kit-dev"

have_deb() { ls "$DEBS" 2>/dev/null | grep -q "^$(printf '%s' "$1" | sed 's/[.+]/\\&/g')_.*_\(all\|$ARCH\)\.deb\$"; }

# ------------------------------------------------------------------ the packages
missing=
for p in $PACKAGES; do
	have_deb "$p" || missing="$missing $p"
done
if [ -n "$missing" ]; then
	say "downloading$missing ($SUITE/$ARCH)"
	"$HERE/apt-private.sh" "$BUILD/vm/apt" "$SUITE" "$ARCH" download "$DEBS" $missing ||
		die "cannot download the $ARCH packages"
fi

# ------------------------------------------------------------------ the sysroot
# extracted again only when the set of .debs changed
want=$(ls "$DEBS" | grep '\.deb$' | LC_ALL=C sort | tr '\n' ' ')
if [ "$(cat "$SYSROOT/.debs" 2>/dev/null)" != "$want" ]; then
	say "extracting $(echo "$want" | wc -w) packages into $SYSROOT"
	rm -rf "$SYSROOT"
	mkdir -p "$SYSROOT"
	for deb in $want; do
		dpkg-deb -x "$DEBS/$deb" "$SYSROOT"
	done
	# Debian's absolute symlinks (libfoo.so -> /lib/...) would point into the host
	find "$SYSROOT" -type l | while read -r l; do
		t=$(readlink "$l")
		case $t in /*) ln -sfn "$SYSROOT$t" "$l" ;; esac
	done
	printf '%s' "$want" > "$SYSROOT/.debs"
fi

# ------------------------------------------------------------------ the build
mkdir -p "$OUT"
if [ ! -f "$OUT/CMakeCache.txt" ] || [ -n "$BTF" ]; then
	cmake -S "$SRC" -B "$OUT" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
		-DCMAKE_TOOLCHAIN_FILE="$SRC/cmake/$TRIPLET.cmake" -DIPCLAB_SYSROOT="$SYSROOT" \
		-DIPCLAB_ARCH="$ARCH" -DIPCLAB_TESTS=OFF ${BTF:+-DKERNEL_BTF="$BTF"} \
		> "$OUT/cmake.log" 2>&1 ||
		{ tail -n 30 "$OUT/cmake.log" >&2; die "cmake failed (whole log: $OUT/cmake.log)"; }
fi
say "building ipclab for $ARCH in $OUT${BTF:+ against $BTF}"
cmake --build "$OUT" -j "${JOBS:-2}" --target ipclab pipe_movers > "$OUT/build.log" 2>&1 ||
	{ grep -E 'error|Error' "$OUT/build.log" | head -n 30 >&2; die "build failed (whole log: $OUT/build.log)"; }
for f in "$OUT/ipclab" "$OUT/tests/pipe_movers"; do
	file -L "$f" 2>/dev/null | grep -q 'ARM aarch64' || readelf -h "$f" | grep -q 'AArch64' ||
		die "$f is not an $ARCH program"
done
say "ipclab for $ARCH: $OUT/ipclab"
