#!/bin/sh
# compile_arch.sh ARCH FALLBACK.xz OUTDIR CLANG BPFTOOL SOURCE_DIR REFERENCE.bpf.o
#
# The BPF object compiled for ARCH (x86, arm64) against that architecture's checked-in
# vmlinux.h, as a cross build does (cmake/arch.cmake): it must compile, libbpf must make a
# skeleton of it, it must hold the same programs as the object this build made (so the
# loader, built from one source for every architecture, finds each of them), and it must have
# no loop Linux 6.1's verifier refuses (tests/bpf/loops_61.py); its direct-load build too.  Catches an architecture that
# stops compiling, or loading on 6.1, without a machine of that architecture.
set -eu
arch=$1 fallback=$2 out=$3 clang=$4 bpftool=$5 src=$6 ref=$7
mkdir -p "$out"
xz -dc "$fallback" > "$out/vmlinux.h"
sh "$src/scripts/bpf-object.sh" "$out/ipclab.bpf.o" "$src" "$clang" "$bpftool" \
	-g -O2 -target bpf -D__TARGET_ARCH_"$arch" -I"$out"
"$bpftool" gen skeleton "$out/ipclab.bpf.o" name ipclab_bpf > "$out/ipclab.skel.h"
progs() {	# OBJECT -> its programs' section names, sorted
	"${LLVM_OBJDUMP:-llvm-objdump}" -h "$1" | awk '$2 ~ /^(tp_btf|fentry|fexit|kprobe|kretprobe|perf_event)/ {print $2}' | sort
}
progs "$out/ipclab.bpf.o" > "$out/progs.txt"
progs "$ref" > "$out/progs.ref"
if ! cmp -s "$out/progs.txt" "$out/progs.ref"; then
	echo "compile_arch: $arch object's programs differ from this build's:" >&2
	diff "$out/progs.ref" "$out/progs.txt" >&2 || true
	exit 1
fi
grep -q "^perf_event" "$out/progs.txt" || { echo "compile_arch: no perf_event program" >&2; exit 1; }
python3 "$src/tests/bpf/loops_61.py" "$out/ipclab.bpf.o"
# the direct-load build (CMakeLists.txt) of the same sources: the same programs
sh "$src/scripts/bpf-object.sh" "$out/ipclab_direct.bpf.o" "$src" "$clang" "$bpftool" \
	-g -O2 -target bpf -D__TARGET_ARCH_"$arch" -I"$out" -DIPCLAB_DIRECT
progs "$out/ipclab_direct.bpf.o" > "$out/progs_direct.txt"
if ! cmp -s "$out/progs.txt" "$out/progs_direct.txt"; then
	echo "compile_arch: $arch direct-load object's programs differ:" >&2
	diff "$out/progs.txt" "$out/progs_direct.txt" >&2 || true
	exit 1
fi
echo "compile_arch: $arch: $(wc -l < "$out/progs.txt") programs, $(wc -c < "$out/ipclab.bpf.o") bytes"
