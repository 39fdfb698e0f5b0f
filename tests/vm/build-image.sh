#!/bin/sh
# tests/vm/build-image.sh BUILD_DIR -- everything the kernel matrix boots.
#
#   BUILD_DIR/vm/cache/*.deb             Debian's newest 6.1 and 6.12 cloud kernels (apt-get
#                                        download; reused, so a second run needs no network)
#   BUILD_DIR/vm/kernels/REL/vmlinuz     one directory per kernel release (REL = uname -r):
#                        /config         its config, from the .deb
#                        /expect         tiers the kernel config says must attach
#                        /package        the .deb it came from
#   BUILD_DIR/vm/initramfs.cpio.gz       busybox, tests/vm/init, ipclab + workloads + every
#                                        shared library they load, and for each kernel the few
#                                        modules needed to see a virtio disk
#   BUILD_DIR/vm/kernels.list            the kernel releases, one a line
#
# Needs a built ipclab (make build). Installs only what is missing: qemu-system-x86,
# busybox-static, cpio, xz-utils, e2fsprogs.
set -eu

[ $# -eq 1 ] || { echo "usage: $0 BUILD_DIR" >&2; exit 2; }
BUILD=$(cd "$1" && pwd)
HERE=$(cd "$(dirname "$0")" && pwd)
VM=$BUILD/vm
CACHE=$VM/cache
SERIES="6.1 6.12"		# Debian's kernel series under test (bookworm, bookworm-backports)
# Modules the guest needs to see its two virtio disks (whatever is not built in).
WANT_MODULES="virtio_pci virtio_blk"

say() { printf 'build-image: %s\n' "$*"; }
die() { printf 'build-image: %s\n' "$*" >&2; exit 1; }

[ -x "$BUILD/ipclab" ] || die "$BUILD/ipclab not found: run 'make build' first"
[ -d "$BUILD/workloads" ] || die "$BUILD/workloads not found: run 'make build' first"

# ------------------------------------------------------------------ host packages
missing=
for p in qemu-system-x86 busybox-static cpio xz-utils e2fsprogs; do
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
updated=no

# newest linux-image-SERIES.*-cloud-amd64-unsigned that apt knows about (empty if none)
newest_pkg() {
	re=$(printf '%s' "$1" | sed 's/\./\\./g')
	apt-cache pkgnames linux-image- 2>/dev/null |
		grep -E "^linux-image-$re\.[0-9][^ ]*-cloud-amd64-unsigned\$" | sort -V | tail -n 1
}

# newest cached .deb of a series (offline fallback)
newest_cached() {
	re=$(printf '%s' "$1" | sed 's/\./\\./g')
	ls "$CACHE" 2>/dev/null | grep -E "^linux-image-$re\.[0-9][^_]*-cloud-amd64-unsigned_.*\.deb\$" |
		sort -V | tail -n 1
}

: > "$VM/kernels.list.new"
for s in $SERIES; do
	pkg=$(newest_pkg "$s")
	if [ -z "$pkg" ] && [ -z "$(newest_cached "$s")" ] && [ $updated = no ]; then
		say "apt knows no $s cloud kernel: apt-get update"
		apt-get update >/dev/null || true
		updated=yes
		pkg=$(newest_pkg "$s")
	fi
	deb=
	if [ -n "$pkg" ]; then
		deb=$(ls "$CACHE" | grep -E "^$(printf '%s' "$pkg" | sed 's/[.+]/\\&/g')_.*_amd64\.deb\$" |
			sort -V | tail -n 1 || true)
		if [ -z "$deb" ]; then
			say "downloading $pkg"
			(cd "$CACHE" && apt-get -q download "$pkg" > "$VM/apt-download.log" 2>&1) ||
				{ cat "$VM/apt-download.log" >&2; die "apt-get download $pkg failed"; }
			deb=$(ls "$CACHE" | grep -E "^$(printf '%s' "$pkg" | sed 's/[.+]/\\&/g')_.*_amd64\.deb\$" |
				sort -V | tail -n 1 || true)
		fi
	fi
	[ -n "$deb" ] || deb=$(newest_cached "$s")
	[ -n "$deb" ] || die "no linux-image-$s.*-cloud-amd64-unsigned package (apt-cache) and none cached in $CACHE"

	x=$VM/extract/${deb%.deb}
	if [ ! -e "$x/.done" ]; then
		rm -rf "$x"
		mkdir -p "$x"
		dpkg-deb -x "$CACHE/$deb" "$x"
		touch "$x/.done"
	fi
	rel=$(ls "$x/lib/modules" | head -n 1)
	[ -n "$rel" ] && [ -f "$x/boot/vmlinuz-$rel" ] || die "$deb: no /boot/vmlinuz-RELEASE inside"
	k=$VM/kernels/$rel
	mkdir -p "$k"
	cp "$x/boot/vmlinuz-$rel" "$k/vmlinuz"
	cp "$x/boot/config-$rel" "$k/config"
	echo "$deb" > "$k/package"

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
	echo "$rel" >> "$VM/kernels.list.new"
	say "$rel ($deb): tiers expected to attach: $expect"
done
mv "$VM/kernels.list.new" "$VM/kernels.list"

# ------------------------------------------------------------------ initramfs tree
R=$VM/rootfs
rm -rf "$R"
mkdir -p "$R"
for d in bin sbin usr/bin usr/sbin etc proc sys dev tmp run var/tmp results \
	 lib64 lib/modules opt/ipclab/workloads sys/kernel/tracing; do
	mkdir -p "$R/$d"
done
chmod 1777 "$R/tmp" "$R/var/tmp"

BB=/bin/busybox
[ -x "$BB" ] || die "busybox-static: /bin/busybox missing"
ldd "$BB" 2>&1 | grep -q 'not a dynamic' || die "$BB is not static (install busybox-static)"
cp "$BB" "$R/bin/busybox"
for a in $("$BB" --list); do
	[ "$a" = busybox ] || ln -sf busybox "$R/bin/$a"
done
install -m 0755 "$HERE/init" "$R/init"

cp "$BUILD/ipclab" "$R/opt/ipclab/ipclab"
cp "$BUILD"/workloads/* "$R/opt/ipclab/workloads/"
cp "$BUILD/tests/pipe_movers" "$R/opt/ipclab/pipe_movers"

# every shared library (and the dynamic loader), at the path the host's loader resolved
libs=$(for f in "$R/opt/ipclab/ipclab" "$R/opt/ipclab/pipe_movers" "$R"/opt/ipclab/workloads/*; do ldd "$f"; done |
	awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }' | sort -u)
for l in $libs; do
	mkdir -p "$R$(dirname "$l")"
	cp -L "$l" "$R$l"
done
[ -e "$R/lib64/ld-linux-x86-64.so.2" ] || die "the dynamic loader was not found by ldd"
: > "$R/etc/ld.so.conf"
ldconfig -r "$R" 2>/dev/null || true
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' > "$R/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' > "$R/etc/group"

# per kernel: the modules in WANT_MODULES that are not built in, with their dependencies,
# decompressed, and the order to insmod them (dependencies first)
modinfo_depends() {	# .ko file -> its depends= list, space separated
	tr '\0' '\n' < "$1" | sed -n 's/^depends=//p' | tr ',' ' '
}
for rel in $(cat "$VM/kernels.list"); do
	x=$VM/extract/$(sed 's/\.deb$//' "$VM/kernels/$rel/package")
	kmod=$x/lib/modules/$rel/kernel
	dst=$R/lib/modules/$rel
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
			grep -q "/$n.ko\$\|/$(printf '%s' "$1" | tr _ -).ko\$" "$x/lib/modules/$rel/modules.builtin" 2>/dev/null ||
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
done

# ------------------------------------------------------------------ the archive
(cd "$R" && find . -print | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0) | gzip -1 > "$VM/initramfs.cpio.gz.new"
mv "$VM/initramfs.cpio.gz.new" "$VM/initramfs.cpio.gz"
say "initramfs $VM/initramfs.cpio.gz ($(du -h "$VM/initramfs.cpio.gz" | cut -f1)), kernels: $(tr '\n' ' ' < "$VM/kernels.list")"
