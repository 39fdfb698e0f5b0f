#!/bin/sh
# scripts/bpf-object.sh OUT.bpf.o SOURCE_DIR CLANG BPFTOOL [CFLAGS...]
#
# ipclab's BPF object: the core's programs (bpf/ipclab.bpf.c) and each mechanism's
# (mech/NAME/NAME.bpf.c: the BPF build's list of mechanisms is the folders that have one),
# compiled one by one with CFLAGS and -ISOURCE_DIR/bpf into OUT.parts/, then linked into OUT
# as libbpf-tools do (`bpftool gen object`: the maps and globals the sources share are merged,
# and the object keeps no DWARF nor relocations of .BTF.ext, which libbpf does not need).
# The build (CMakeLists.txt) and the tests that compile the object another way (tests/bpf/)
# all make it here.
set -eu
[ $# -ge 4 ] || { echo "usage: $0 OUT.bpf.o SOURCE_DIR CLANG BPFTOOL [CFLAGS...]" >&2; exit 2; }
out=$1 src=$2 clang=$3 bpftool=$4
shift 4
parts=$out.parts
mkdir -p "$parts"
objs=
sources=
for c in "$src"/bpf/ipclab.bpf.c "$src"/mech/*/*.bpf.c; do
	[ -e "$c" ] && sources="$sources $c"
done
# The direct-load build (-DIPCLAB_DIRECT) calls a kfunc from several sources, and libbpf
# 1.1's linker (Debian 12's bpftool) refuses one kfunc extern in two objects ("failed to
# resolve size of underlying type"): there the sources are one translation unit.
case " $* " in
*" -DIPCLAB_DIRECT "*)
	: > "$parts/all.bpf.c"
	for c in $sources; do
		echo "#include \"$c\"" >> "$parts/all.bpf.c"
	done
	sources=$parts/all.bpf.c
	;;
esac
for c in $sources; do
	o=$parts/$(basename "$c" .c).o
	"$clang" "$@" -I"$src/bpf" -c "$c" -o "$o"
	objs="$objs $o"
done
# shellcheck disable=SC2086
"$bpftool" gen object "$out" $objs
