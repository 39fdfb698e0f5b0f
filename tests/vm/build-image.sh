#!/bin/sh
# tests/vm/build-image.sh BUILD_DIR -- everything the kernel matrix boots.
#
#   BUILD_DIR/vm/cache/*.deb             the kernels of tests/vm/kernels.conf (downloaded by
#                                        tests/vm/apt-private.sh; reused, so a second run
#                                        needs no network)
#   BUILD_DIR/vm/apt/SUITE-ARCH/         apt's private lists per Debian suite and architecture
#   BUILD_DIR/vm/kernels/REL/vmlinuz     one directory per kernel release (REL = uname -r):
#                        /config         its config, from the .deb
#                        /expect         tiers the kernel config says must attach
#                        /package        the .debs it came from
#                        /arch /name     its architecture (amd64, arm64) and kernels.conf name
#                        /modules        where its modules were extracted
#                        /btf            its BTF, taken out of vmlinuz (scripts/kernel-btf.sh)
#                        /pipe_funcs     which pipe functions that BTF has (FUNC names)
#   BUILD_DIR/vm/builds/REL/             ipclab compiled against REL's BTF (KERNEL_BTF, target
#                                        ipclab only: the "own" build of REL's guest, and the
#                                        build every guest runs for a kernel named in
#                                        IPCLAB_VM_SHARED_BUILDS, default 7.2,7.2-arm64)
#   BUILD_DIR/vm/initramfs.cpio.gz       busybox, tests/vm/init, ipclab + workloads + every
#                                        shared library they load, the per-kernel builds
#                                        (/opt/ipclab/builds/REL/ipclab, builds.list), and for
#                                        each kernel the few modules needed to see a virtio disk
#   BUILD_DIR/vm/initramfs-arm64.cpio.gz the same for the arm64 kernels: Debian's arm64
#                                        busybox-static, ipclab cross-built by
#                                        tests/vm/cross-build.sh (BUILD_DIR/cross/arm64/), the
#                                        arm64 libraries from its sysroot (only when an arm64
#                                        kernel is selected); an arm64 kernel's own build is
#                                        cross-built too (BUILD_DIR/vm/builds/REL), unless its
#                                        vmlinux.h is the host build's (no own build then)
#   BUILD_DIR/vm/kernels.list            the kernel releases to boot, one a line
#   BUILD_DIR/vm/builds.list             the builds: LABEL REL ARCH (own builds: LABEL own-REL)
#
# IPCLAB_VM_SHARED_BUILDS (kernels.conf names, comma-separated, default 7.2,7.2-arm64; empty:
# none): the builds made against those kernels' BTF run on every guest of the same
# architecture too, as build "on-NAME" (the kernel is downloaded for its BTF even when it is
# not booted; not at all when no guest of its architecture boots).
#
# Needs a built ipclab (make build). Installs only what is missing: qemu-system-x86,
# busybox-static, cpio, xz-utils, e2fsprogs, and with an arm64 kernel selected qemu-system-arm
# and gcc-aarch64-linux-gnu (the cross compiler; its arm64 libc comes along).
set -eu

[ $# -eq 1 ] || { echo "usage: $0 BUILD_DIR" >&2; exit 2; }
BUILD=$(cd "$1" && pwd)
HERE=$(cd "$(dirname "$0")" && pwd)
SRC=$(cd "$HERE/../.." && pwd)
VM=$BUILD/vm
CACHE=$VM/cache
# Modules the guest needs to see its two virtio disks (whatever is not built in).
WANT_MODULES="virtio_pci virtio_blk"

say() { printf 'build-image: %s\n' "$*" >&2; }
die() { printf 'build-image: %s\n' "$*" >&2; exit 1; }

[ -x "$BUILD/ipclab" ] || die "$BUILD/ipclab not found: run 'make build' first"
[ -d "$BUILD/workloads" ] || die "$BUILD/workloads not found: run 'make build' first"

conf=$HERE/kernels.conf
only=$(printf '%s' "${IPCLAB_VM_KERNELS:-}" | tr ',' ' ')
# the lines of kernels.conf that IPCLAB_VM_KERNELS selects (all without it)
selected_kernels() {
	grep -vE '^[[:space:]]*(#|$)' "$conf" | while read -r name suite arch regex; do
		if [ -z "$only" ] || printf ' %s ' "$only" | grep -q " $name "; then
			printf '%s %s %s %s\n' "$name" "$suite" "$arch" "$regex"
		fi
	done
}

# ------------------------------------------------------------------ host packages
host_packages="qemu-system-x86 busybox-static cpio xz-utils e2fsprogs"
if selected_kernels | awk '{ print $3 }' | grep -qx arm64; then
	host_packages="$host_packages qemu-system-arm gcc-aarch64-linux-gnu"
fi
missing=
for p in $host_packages; do
	st=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
	[ "$st" = installed ] || missing="$missing $p"
done
if [ -n "$missing" ]; then
	say "installing$missing"
	export DEBIAN_FRONTEND=noninteractive
	apt-get install -y --no-install-recommends $missing >/dev/null ||
		{ apt-get update >/dev/null && apt-get install -y --no-install-recommends $missing >/dev/null; } ||
		die "apt-get install$missing failed"
fi

# ------------------------------------------------------------------ kernels
mkdir -p "$CACHE" "$VM/kernels"
APT="$HERE/apt-private.sh $VM/apt"

# cached_deb PKG -> the newest cached .deb of exactly that package (empty if none)
cached_deb() {
	ls "$CACHE" 2>/dev/null | grep -E "^$(printf '%s' "$1" | sed 's/[.+]/\\&/g')_.*\.deb\$" |
		sort -V | tail -n 1 || true
}

# newest_cached REGEX ARCH -> the newest cached .deb whose package matches (offline fallback)
newest_cached() {
	ls "$CACHE" 2>/dev/null | grep -E "^$1_[^_]*_$2\.deb\$" | sort -V | tail -n 1 || true
}

# fetch SUITE ARCH PKG -> the cached .deb of PKG, downloaded when missing
fetch() {
	deb=$(cached_deb "$3")
	if [ -z "$deb" ]; then
		say "downloading $3 ($1/$2)"
		$APT "$1" "$2" download "$CACHE" "$3" || { say "cannot download $3 from $1/$2"; return 1; }
		deb=$(cached_deb "$3")
	fi
	[ -n "$deb" ] || die "$3: no .deb in $CACHE after the download"
	echo "$deb"
}

# Extract one kernel: the image package and, where it is only a shell (sid: linux-image-REL
# depends on linux-binary-REL with the image, linux-modules-REL, linux-base-REL with the
# config), those packages too, all into one tree.
extract_kernel() {	# SUITE ARCH PKG -> extract dir on stdout
	debs=$(fetch "$1" "$2" "$3") || return 1
	for dep in $($APT "$1" "$2" depends "$3" 2>/dev/null | grep -E '^linux-(binary|modules|base)-[0-9]' || true); do
		d=$(fetch "$1" "$2" "$dep") || return 1
		debs="$debs $d"
	done
	first=${debs%% *}
	x=$VM/extract/${first%.deb}
	if [ ! -e "$x/.done" ] || [ "$(cat "$x/.debs" 2>/dev/null)" != "$debs" ]; then
		rm -rf "$x"
		mkdir -p "$x"
		for deb in $debs; do
			dpkg-deb -x "$CACHE/$deb" "$x"
		done
		echo "$debs" > "$x/.debs"
		touch "$x/.done"
	fi
	echo "$x"
}

# first existing file among the arguments
first_of() {
	for f; do [ -e "$f" ] && { echo "$f"; return 0; }; done
	return 1
}

shared=$(printf '%s' "${IPCLAB_VM_SHARED_BUILDS-7.2,7.2-arm64}" | tr ',' ' ')
: > "$VM/kernels.list.new"
: > "$VM/shared.list.new"
grep -vE '^[[:space:]]*(#|$)' "$conf" | while read -r name suite arch regex; do
	boot=yes
	if [ -n "$only" ] && ! printf ' %s ' "$only" | grep -q " $name "; then
		boot=no
	fi
	is_shared=no
	if [ -n "$shared" ] && printf ' %s ' "$shared" | grep -q " $name " &&
	   selected_kernels | awk '{ print $3 }' | grep -qx "$arch"; then
		is_shared=yes
	fi
	[ $boot = yes ] || [ $is_shared = yes ] || continue
	# the newest package that downloads (a mirror can list a version it no longer carries:
	# bullseye-security's newest 5.10 answered 404 in December 2026), else the newest cached
	# (a package that did not download is remembered for a day in cache/unavailable, so
	# later runs neither retry it nor print apt's errors again)
	x=
	touch "$CACHE/unavailable"
	find "$CACHE/unavailable" -mtime +0 -exec sh -c ': > "$1"' _ {} \;
	for pkg in $($APT "$suite" "$arch" newest "$regex" 2>/dev/null | head -n 20); do
		grep -qx "$pkg" "$CACHE/unavailable" && continue
		x=$(extract_kernel "$suite" "$arch" "$pkg" 2>> "$VM/apt-errors.log") && break
		x=
		echo "$pkg" >> "$CACHE/unavailable"
		say "$name: $pkg did not download (apt's errors: $VM/apt-errors.log): trying an older one"
	done
	if [ -z "$x" ]; then
		deb=$(newest_cached "$regex" "$arch")
		[ -n "$deb" ] || die "$name: no package matching $regex in $suite/$arch could be downloaded, and none is cached in $CACHE"
		say "$name: using the cached $deb"
		x=$(extract_kernel "$suite" "$arch" "${deb%%_*}")
	fi
	rel=$(ls "$x/lib/modules" "$x/usr/lib/modules" 2>/dev/null | grep -v ':$' | grep . | head -n 1)
	[ -n "$rel" ] || die "$pkg: no lib/modules/RELEASE inside"
	vmlinuz=$(first_of "$x/boot/vmlinuz-$rel" "$x/usr/lib/modules/$rel/vmlinuz" "$x/lib/modules/$rel/vmlinuz") ||
		die "$pkg: no vmlinuz (boot/vmlinuz-$rel or usr/lib/modules/$rel/vmlinuz)"
	config=$(first_of "$x/boot/config-$rel" "$x/usr/lib/modules/$rel/config" "$x/lib/modules/$rel/config") ||
		die "$pkg: no kernel config (boot/config-$rel or usr/lib/modules/$rel/config)"
	k=$VM/kernels/$rel
	mkdir -p "$k"
	cp "$vmlinuz" "$k/vmlinuz"
	cp "$config" "$k/config"
	cat "$x/.debs" > "$k/package"
	echo "$arch" > "$k/arch"
	echo "$name" > "$k/name"
	echo "$x" > "$k/extract"
	ls -d "$x/lib/modules/$rel" "$x/usr/lib/modules/$rel" 2>/dev/null | head -n 1 > "$k/modules"

	# Tiers this kernel's configuration promises: the matrix fails if one does not attach.
	cfg=$k/config
	expect=tracepoint
	if grep -qx 'CONFIG_KPROBES=y' "$cfg" && grep -qx 'CONFIG_KPROBE_EVENTS=y' "$cfg"; then
		expect="kprobe $expect"
	fi
	if grep -qx 'CONFIG_DYNAMIC_FTRACE_WITH_DIRECT_CALLS=y' "$cfg" &&
	   ! grep -qE '^CONFIG_LOCK_DOWN_KERNEL_FORCE_(INTEGRITY|CONFIDENTIALITY)=y' "$cfg"; then
		expect="fentry $expect"
	fi
	echo "$expect" > "$k/expect"
	grep -qx 'CONFIG_DEBUG_INFO_BTF=y' "$cfg" || die "$rel: no CONFIG_DEBUG_INFO_BTF"
	grep -qx 'CONFIG_EXT4_FS=y' "$cfg" || die "$rel: ext4 is not built in (the scratch disk is ext4)"

	# its BTF (for its own build, and for the checker: which pipe functions it has)
	if [ ! -s "$k/btf" ] || [ "$k/vmlinuz" -nt "$k/btf" ]; then
		"$SRC/scripts/kernel-btf.sh" "$k/vmlinuz" "$k/btf" 2>/dev/null ||
			die "$rel: no BTF found in its vmlinuz (scripts/kernel-btf.sh)"
	fi
	bpftool=$(command -v bpftool || echo /usr/sbin/bpftool)
	"$bpftool" btf dump file "$k/btf" format raw |
		sed -n "s/^\[[0-9]*\] FUNC '\(\(anon_\|fifo_\)\{0,1\}pipe_\(read\|write\)\)'.*/\1/p" |
		sort > "$k/pipe_funcs"
	[ $boot = yes ] && echo "$rel" >> "$VM/kernels.list.new"
	[ $is_shared = yes ] && echo "on-$name $rel $arch" >> "$VM/shared.list.new"
	say "$name: $rel ($(cat "$k/package")): $([ $boot = yes ] && echo "tiers expected to attach: $expect" || echo "not booted, its build runs on the others")"
done
[ -s "$VM/kernels.list.new" ] || die "no kernel selected (tests/vm/kernels.conf, IPCLAB_VM_KERNELS='${IPCLAB_VM_KERNELS:-}')"
mv "$VM/kernels.list.new" "$VM/kernels.list"

# ------------------------------------------------------------------ per-kernel builds
# ipclab compiled against each kernel's own BTF (vmlinux.h from it), in a build directory of
# its own; only the ipclab target (the BPF object and the loader; a rebuild with nothing
# changed is a no-op).  The guests run these besides the host's build.
# An own build whose vmlinux.h is the host build's is the host build: it is neither made nor
# run twice. So it is on arm64: the checked-in arm64 vmlinux.h that the cross build uses was
# made from this very 6.1 arm64 kernel (a second run of the same build cost the arm64 guest
# as much again).
mkdir -p "$VM/builds"
: > "$VM/builds.list.new"
# the host builds first: each kernel's vmlinux.h is compared with its architecture's
if selected_kernels | awk '{ print $3 }' | grep -qx arm64; then
	"$HERE/cross-build.sh" "$BUILD" arm64
fi
host_vmlinux() {	# ARCH -> the vmlinux.h the host build of that architecture compiled with
	case $1 in
	arm64)	echo "$BUILD/cross/arm64/build/vmlinux/vmlinux.h" ;;
	*)	echo "$BUILD/vmlinux/vmlinux.h" ;;
	esac
}
for rel in $(cat "$VM/kernels.list"; cut -d' ' -f2 "$VM/shared.list.new"); do
	grep -q " $rel " "$VM/builds.list.new" 2>/dev/null && continue
	b=$VM/builds/$rel
	t0=$(date +%s)
	arch=$(cat "$VM/kernels/$rel/arch")
	"$SRC/scripts/gen-vmlinux.sh" "$(command -v bpftool || echo /usr/sbin/bpftool)" /dev/null \
		"$b.vmlinux.h" native "$VM/kernels/$rel/btf" 2>/dev/null ||
		die "$rel: no vmlinux.h from its BTF"
	if cmp -s "$b.vmlinux.h" "$(host_vmlinux "$arch")" && ! grep -q "^on-[^ ]* $rel " "$VM/shared.list.new"; then
		say "$rel: its vmlinux.h is the host build's: no own build"
		continue
	fi
	case $arch in
	arm64)	# cross-built like the guest's host build, against this kernel's BTF
		"$HERE/cross-build.sh" "$BUILD" arm64 "$b" "$VM/kernels/$rel/btf" > "$b.log" 2>&1 ||
			die "$rel: the arm64 build against its BTF failed (see $b.log)" ;;
	*)	{ cmake -S "$SRC" -B "$b" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DKERNEL_BTF="$VM/kernels/$rel/btf" &&
		  cmake --build "$b" --target ipclab -j "${JOBS:-2}"; } > "$b.log" 2>&1 ||
			die "$rel: the build against its BTF failed (see $b.log)" ;;
	esac
	say "$rel: ipclab built against its BTF in $(( $(date +%s) - t0 )) s"
	echo "own-$rel $rel $(cat "$VM/kernels/$rel/arch") " >> "$VM/builds.list.new"
done
cat "$VM/shared.list.new" | sed 's/$/ /' >> "$VM/builds.list.new"
mv "$VM/builds.list.new" "$VM/builds.list"
rm -f "$VM/shared.list.new"


# ------------------------------------------------------------------ initramfs, per architecture
# rootfs_common R BUSYBOX APPLETS BIN: busybox with its applets, tests/vm/init, ipclab, its
# workloads and pipe_movers from the build directory BIN
rootfs_common() {
	R=$1 bb=$2 applets=$3 bin=$4
	rm -rf "$R"
	mkdir -p "$R"
	for d in bin sbin usr/bin usr/sbin etc proc sys dev tmp run var/tmp results \
		 lib64 lib/modules opt/ipclab/workloads sys/kernel/tracing; do
		mkdir -p "$R/$d"
	done
	chmod 1777 "$R/tmp" "$R/var/tmp"
	cp "$bb" "$R/bin/busybox"
	for a in $applets; do
		[ "$a" = busybox ] || ln -sf busybox "$R/bin/$a"
	done
	install -m 0755 "$HERE/init" "$R/init"
	cp "$bin/ipclab" "$R/opt/ipclab/ipclab"
	cp "$bin"/workloads/* "$R/opt/ipclab/workloads/"
	cp "$bin/tests/pipe_movers" "$R/opt/ipclab/pipe_movers"
	printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' > "$R/etc/passwd"
	printf 'root:x:0:\nnogroup:x:65534:\n' > "$R/etc/group"
}

guest_programs() {	# R -> the programs of the rootfs that load shared libraries
	echo "$1/opt/ipclab/ipclab" "$1/opt/ipclab/pipe_movers" "$1"/opt/ipclab/workloads/*
}

# rootfs_builds R ARCH STRIP: the per-kernel builds of that architecture,
# /opt/ipclab/builds/REL/ipclab, with the host build's workloads next to it (ipclab finds
# workloads/ beside itself); builds.list says which guest runs which
rootfs_builds() {
	R=$1
	for rel in $(awk -v a="$2" '$3 == a { print $2 }' "$VM/builds.list" | sort -u); do
		mkdir -p "$R/opt/ipclab/builds/$rel"
		"$3" --strip-debug -o "$R/opt/ipclab/builds/$rel/ipclab" "$VM/builds/$rel/ipclab"
		ln -s ../../workloads "$R/opt/ipclab/builds/$rel/workloads"
	done
	cp "$VM/builds.list" "$R/opt/ipclab/builds.list"
	echo "$2" > "$R/opt/ipclab/arch"	# the architecture these binaries are for
}

rootfs_amd64() {	# R: the host's busybox and build, libraries where the host's ldd finds them
	R=$1
	BB=/bin/busybox
	[ -x "$BB" ] || die "busybox-static: /bin/busybox missing"
	ldd "$BB" 2>&1 | grep -q 'not a dynamic' || die "$BB is not static (install busybox-static)"
	rootfs_common "$R" "$BB" "$("$BB" --list)" "$BUILD"
	rootfs_builds "$R" amd64 strip
	# every shared library (and the dynamic loader), at the path the host's loader resolved
	libs=$(for f in $(guest_programs "$R"); do ldd "$f"; done |
		awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }' | sort -u)
	for l in $libs; do
		mkdir -p "$R$(dirname "$l")"
		cp -L "$l" "$R$l"
	done
	[ -e "$R/lib64/ld-linux-x86-64.so.2" ] || die "the dynamic loader was not found by ldd"
	: > "$R/etc/ld.so.conf"
	ldconfig -r "$R" 2>/dev/null || true
}

# needed_closure SYSROOT FILE...: the libraries FILE... load (DT_NEEDED, transitively), as
# paths inside SYSROOT, where the guest's loader looks for them (its multiarch directories)
needed_closure() {
	sysroot=$1
	shift
	todo="$*" seen=
	while [ -n "$todo" ]; do
		next=
		for n in $(for f in $todo; do readelf -d "$f" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'; done | sort -u); do
			case " $seen " in *" $n "*) continue ;; esac
			seen="$seen $n"
			p=$(first_of "$sysroot/lib/aarch64-linux-gnu/$n" "$sysroot/usr/lib/aarch64-linux-gnu/$n") ||
				die "arm64: $n (needed by the guest's programs) is not in $sysroot: add its package to tests/vm/cross-build.sh"
			echo "${p#$sysroot}"
			next="$next $p"
		done
		todo=$next
	done
}

rootfs_arm64() {	# R: Debian's arm64 busybox-static, the cross build, its sysroot's libraries
	R=$1
	X=$BUILD/cross/arm64	# built above (tests/vm/cross-build.sh), before the per-kernel builds
	bbdeb=$(fetch bookworm arm64 busybox-static) || die "arm64: cannot fetch busybox-static"
	rm -rf "$X/busybox" && mkdir -p "$X/busybox" && dpkg-deb -x "$CACHE/$bbdeb" "$X/busybox"
	# the applet list of the host's busybox-static (an arm64 binary does not run here); both
	# come from Debian's busybox-static, the same version in one suite
	rootfs_common "$R" "$X/busybox/bin/busybox" "$(/bin/busybox --list)" "$X/build"
	rootfs_builds "$R" arm64 aarch64-linux-gnu-strip
	for l in $(needed_closure "$X/sysroot" $(guest_programs "$R")); do
		mkdir -p "$R$(dirname "$l")"
		cp -L "$X/sysroot$l" "$R$l"
	done
	loader=/lib/ld-linux-aarch64.so.1
	readelf -l "$R/opt/ipclab/ipclab" | grep -q "interpreter: $loader" ||
		die "arm64: ipclab does not ask for $loader"
	cp -L "$X/sysroot$loader" "$R$loader" || die "arm64: no $loader in the sysroot"
}

# per kernel: the modules in WANT_MODULES that are not built in, with their dependencies,
# decompressed, and the order to insmod them (dependencies first)
modinfo_depends() {	# .ko file -> its depends= list, space separated
	tr '\0' '\n' < "$1" | sed -n 's/^depends=//p' | tr ',' ' '
}
add_modules() {	# REL R
	rel=$1
	mdir=$(cat "$VM/kernels/$rel/modules")
	kmod=$mdir/kernel
	dst=$2/lib/modules/$rel
	mkdir -p "$dst"
	: > "$dst/load.order"
	# ko NAME -> path of the module file in the package, or nothing when built in
	ko() {
		find "$kmod" \( -name "$1.ko" -o -name "$1.ko.xz" -o -name "$1.ko.zst" \) | head -n 1
	}
	add() {	# depth-first: dependencies before the module
		grep -qx "$1" "$dst/load.order" && return 0
		f=$(ko "$1")
		if [ -z "$f" ]; then
			n=$(printf '%s' "$1" | tr - _)
			grep -q "/$n.ko\$\|/$(printf '%s' "$1" | tr _ -).ko\$" "$mdir/modules.builtin" 2>/dev/null ||
				grep -qx "CONFIG_$(printf '%s' "$1" | tr a-z- A-Z_)=y" "$VM/kernels/$rel/config" ||
				say "$rel: $1: no module file; assuming it is built in"
			return 0
		fi
		case $f in
		*.xz)	xz -dc "$f" > "$dst/$1.ko" ;;
		*.zst)	zstd -qdc "$f" > "$dst/$1.ko" ;;
		*)	cp "$f" "$dst/$1.ko" ;;
		esac
		for d in $(modinfo_depends "$dst/$1.ko"); do
			add "$d"
		done
		echo "$1" >> "$dst/load.order"
	}
	for m in $WANT_MODULES; do
		add "$m"
	done
	say "$rel: modules $(tr '\n' ' ' < "$dst/load.order")"
}

# one initramfs per architecture among the selected kernels, with the modules of its kernels
for arch in $(for rel in $(cat "$VM/kernels.list"); do cat "$VM/kernels/$rel/arch"; done | sort -u); do
	case $arch in
	amd64)	R=$VM/rootfs out=$VM/initramfs.cpio.gz ;;
	arm64)	R=$VM/rootfs-arm64 out=$VM/initramfs-arm64.cpio.gz ;;
	*)	die "no guest for $arch (amd64, arm64)" ;;
	esac
	"rootfs_$arch" "$R"
	rels=
	for rel in $(cat "$VM/kernels.list"); do
		if [ "$(cat "$VM/kernels/$rel/arch")" = "$arch" ]; then
			add_modules "$rel" "$R"
			rels="$rels $rel"
		fi
	done
	(cd "$R" && find . -print | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0) | gzip -1 > "$out.new"
	mv "$out.new" "$out"
	say "initramfs $out ($(du -h "$out" | cut -f1)), kernels:$rels"
done
