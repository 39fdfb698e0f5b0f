#!/bin/sh
# gen-vmlinux.sh BPFTOOL FALLBACK.xz OUT: vmlinux.h from the running kernel's BTF, or the
# checked-in x86_64 copy where the kernel has none (image builders, containers).
set -eu
bpftool=$1 fallback=$2 out=$3
if [ -r /sys/kernel/btf/vmlinux ]; then
	"$bpftool" btf dump file /sys/kernel/btf/vmlinux format c > "$out.tmp"
else
	echo "gen-vmlinux: no /sys/kernel/btf/vmlinux, using $fallback" >&2
	xz -dc "$fallback" > "$out.tmp"
fi
mv "$out.tmp" "$out"
