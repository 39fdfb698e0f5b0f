#!/bin/sh
# run-fuzzer.sh MODE NAME BINDIR SRCDIR [SECONDS | INPUT]
#   corpus   run fuzz_NAME once on every seed in SRCDIR/corpus/NAME
#   regress  run it on every input in SRCDIR/regress/NAME (inputs that once crashed)
#   fuzz     fuzz for SECONDS from the seeds; new inputs -> BINDIR/work/NAME, a crash ->
#            BINDIR/artifacts/NAME-crash-*: copy it to SRCDIR/regress/NAME (fixed) or
#            SRCDIR/regress/known/NAME-WHAT (not fixed yet) and report the bug
#   one      run it on the single file INPUT
# Exit 77 (skipped) when the fuzzers could not be built (no libFuzzer runtime).
set -eu

mode=$1 name=$2 bin=$3 src=$4 arg=${5:-20}
fuzzer=$bin/fuzz_$name
[ -e "$bin/NO_LIBFUZZER" ] && { echo "no libFuzzer runtime: skipped"; exit 77; }
[ -s "$fuzzer" ] || { echo "$fuzzer missing: build the 'fuzzers' target"; exit 1; }

# libFuzzer's own leak check stays on; UBSan stops at the first report, except for the
# bugs already reported (known-bugs.*.supp) -- but not in mode 'one', which replays the
# inputs of those bugs and must fail
export ASAN_OPTIONS="detect_leaks=1:allocator_may_return_null=1:quarantine_size_mb=16"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
if [ "$mode" != one ]; then
	ASAN_OPTIONS="$ASAN_OPTIONS:suppressions=$src/known-bugs.asan.supp"
	UBSAN_OPTIONS="$UBSAN_OPTIONS:suppressions=$src/known-bugs.ubsan.supp"
fi
# events: 64 records (15 KiB) keep the harness fast; a trace file or a spool may be larger
case $name in
events) maxlen=16384 ;;
spool) maxlen=20000 ;;
*) maxlen=65536 ;;
esac
opts="-max_len=$maxlen -timeout=10 -rss_limit_mb=2048 -malloc_limit_mb=1024"
dict=""
[ -f "$src/$name.dict" ] && dict="-dict=$src/$name.dict"

case $mode in
corpus)
	mkdir -p "$bin/work/$name.replay"
	# shellcheck disable=SC2086
	exec "$fuzzer" $opts -runs=0 "$bin/work/$name.replay" "$src/corpus/$name"
	;;
regress)
	set -- "$src"/regress/"$name"/*
	[ -e "$1" ] || { echo "no regression inputs for $name"; exit 0; }
	# shellcheck disable=SC2086
	exec "$fuzzer" $opts "$@"
	;;
one)
	export IPCLAB_FUZZ_STRICT=1
	# shellcheck disable=SC2086
	exec "$fuzzer" $opts "$arg"
	;;
fuzz)
	# the work corpus carries coverage from run to run; past 300 inputs it costs more time
	# to replay than it saves, so start again from the seeds
	[ "$(ls "$bin/work/$name" 2>/dev/null | wc -l)" -gt 300 ] && rm -rf "$bin/work/$name"
	mkdir -p "$bin/work/$name" "$bin/artifacts"
	rm -f "$bin/artifacts/$name-"*
	set +e
	# shellcheck disable=SC2086
	# a fixed seed by default: a test run that fails, fails again (IPCLAB_FUZZ_SEED=0 draws
	# a new one each run, for exploring)
	"$fuzzer" $opts $dict -max_total_time="$arg" -print_final_stats=1 \
		-seed="${IPCLAB_FUZZ_SEED:-1}" \
		-artifact_prefix="$bin/artifacts/$name-" "$bin/work/$name" "$src/corpus/$name"
	st=$?
	set -e
	for a in "$bin/artifacts/$name-"*; do
		[ -e "$a" ] || continue
		echo "run-fuzzer: $name found $a ($(wc -c <"$a") bytes):"
		od -A d -t x1 "$a" | head -20
		echo "run-fuzzer: reproduce with: $fuzzer $a"
		st=1
	done
	exit $st
	;;
*)
	echo "usage: run-fuzzer.sh corpus|regress|fuzz|one NAME BINDIR SRCDIR [SECONDS|INPUT]" >&2
	exit 2
	;;
esac
