#!/bin/sh
# gen-vmlinux.sh BPFTOOL FALLBACK.xz OUT [native|fallback]: vmlinux.h from the running
# kernel's BTF, or the checked-in copy for the target architecture where the kernel has none
# (image builders, containers) or where it describes another architecture (fallback: a cross
# build, cmake/arch.cmake).
set -eu
bpftool=$1 fallback=$2 out=$3 mode=${4:-native}
if [ "$mode" = native ] && [ -r /sys/kernel/btf/vmlinux ]; then
	"$bpftool" btf dump file /sys/kernel/btf/vmlinux format c > "$out.tmp"
else
	[ "$mode" = native ] && echo "gen-vmlinux: no /sys/kernel/btf/vmlinux, using $fallback" >&2
	xz -dc "$fallback" > "$out.tmp"
fi
mv "$out.tmp" "$out"
