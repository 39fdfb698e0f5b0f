#!/bin/sh
# gen-vmlinux.sh BPFTOOL FALLBACK.xz OUT [native|fallback] [KERNEL_BTF]: vmlinux.h for the
# kernel to build for.
#   KERNEL_BTF given: that kernel's BTF (raw BTF, an ELF vmlinux, a raw Image or a compressed
#                     vmlinuz: scripts/kernel-btf.sh finds the BTF in it)
#   else native:      the running kernel's /sys/kernel/btf/vmlinux, or the checked-in copy for
#                     the target architecture where the kernel has none (image builders,
#                     containers)
#   else fallback:    the checked-in copy (the running kernel is another architecture's: a
#                     cross build, cmake/arch.cmake)
set -eu
bpftool=$1 fallback=$2 out=$3 mode=${4:-native} kernel_btf=${5:-}
if [ -n "$kernel_btf" ]; then
	BPFTOOL=$bpftool "$(dirname "$0")/kernel-btf.sh" "$kernel_btf" "$out.btf"
	"$bpftool" btf dump file "$out.btf" format c > "$out.tmp"
	rm -f "$out.btf"
elif [ "$mode" = native ] && [ -r /sys/kernel/btf/vmlinux ]; then
	"$bpftool" btf dump file /sys/kernel/btf/vmlinux format c > "$out.tmp"
else
	[ "$mode" = native ] && echo "gen-vmlinux: no /sys/kernel/btf/vmlinux, using $fallback" >&2
	xz -dc "$fallback" > "$out.tmp"
fi
mv "$out.tmp" "$out"
