#!/bin/sh
# build-fuzzers.sh CLANG OUTDIR SKELDIR SOURCE_DIR DEFINES -- CORE_SOURCES... -- HARNESSES...
# The libFuzzer harnesses, linked against ipclab's own sources (ipclab_core's list, which
# excludes main.c): each source compiled once, with -fsanitize=fuzzer-no-link,address,
# undefined, into OUTDIR/obj; each harness linked with -fsanitize=fuzzer,address,undefined.
# DEFINES is ipclab_core's compile definitions, '|'-separated.
# Without clang's libFuzzer runtime (Debian: libclang-rt-14-dev) it leaves a NO_LIBFUZZER
# marker and empty outputs, and the fuzz tests skip.
set -eu

clang=$1 out=$2 skel=$3 src=$4 defines=$5
shift 5
[ "$1" = "--" ] && shift
core=""
while [ $# -gt 0 ] && [ "$1" != "--" ]; do core="$core $1"; shift; done
[ $# -gt 0 ] && shift
harnesses="$*"

# UBSan recovers so that known-bugs.ubsan.supp can silence bugs already reported; the runs set
# halt_on_error=1, so any other report stops the fuzzer
san="-fsanitize=address,undefined -fno-omit-frame-pointer"
cflags="-g -O1 -std=gnu11 -DIPCLAB_SOURCE_DIR=\"$src\" -I$src -I$src/bpf -I$src/user -I$skel $(pkg-config --cflags libbpf json-c libmicrohttpd zlib)"
libs="$(pkg-config --libs libbpf json-c libmicrohttpd zlib)"
mkdir -p "$out/obj"

probe="$out/obj/probe"
printf 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n) { return 0; }\n' >"$probe.c"
rm -f "$out/NO_LIBFUZZER"
if ! "$clang" -fsanitize=fuzzer "$probe.c" -o "$probe" 2>/dev/null; then
	# the fuzz tests see the marker and skip (exit 77); the build goes on
	echo "build-fuzzers: $clang has no libFuzzer runtime (install libclang-rt-14-dev):" \
		"fuzz tests will be skipped" >&2
	echo "$clang" >"$out/NO_LIBFUZZER"
	for h in $harnesses; do : >"$out/$(basename "$h" .c)"; done
	exit 0
fi

# the defines as arguments (no word splitting inside a value)
set --
IFS='|'
for d in $defines; do set -- "$@" "-D$d"; done
unset IFS

# objects built with other flags (or another compiler) are stale
stamp="$clang $cflags $san $*"
if [ "$(cat "$out/obj/flags" 2>/dev/null)" != "$stamp" ]; then
	rm -f "$out"/obj/*.o
	printf '%s' "$stamp" >"$out/obj/flags"
fi

jobs=$(nproc 2>/dev/null || echo 2)
objs=""
# the object of a source: its path under the source tree, / as _ (mech/pipe/claims.c and
# user/claims.c must not share one)
obj_of() { printf '%s/obj/%s.o' "$out" "$(printf '%s' "${1#"$src"/}" | sed 's|\.c$||; s|/|_|g')"; }
for f in $core; do
	o=$(obj_of "$f")
	objs="$objs $o"
	if [ ! -e "$o" ] || [ "$f" -nt "$o" ] || [ -n "$(find "$src/user" "$src/bpf" "$src/mech" "$skel" -name '*.h' -newer "$o" 2>/dev/null | head -1)" ]; then
		rm -f "$o"
		[ "$(jobs -p | wc -l)" -ge "$jobs" ] && wait
		# shellcheck disable=SC2086
		"$clang" $cflags $san -fsanitize=fuzzer-no-link "$@" -c "$f" -o "$o" &
	fi
done
wait
for f in $core; do
	[ -e "$(obj_of "$f")" ] || { echo "build-fuzzers: $f did not compile" >&2; exit 1; }
done
for h in $harnesses; do
	name=$(basename "$h" .c)
	# shellcheck disable=SC2086
	"$clang" $cflags $san -fsanitize=fuzzer "$@" "$h" $objs $libs -o "$out/$name.tmp"
	mv "$out/$name.tmp" "$out/$name"
done
