#!/bin/sh
# bench/readers.sh - the trace readers at scale (issue 10, item 5): time and peak RSS of
# `ipclab check`, `ipclab export --chrome` and `ipclab view` (start-up, then one full
# download of the trace) on synthetic traces (tests/scale/gen_trace.c) of 1x and 4x a
# 653 MB trace and one over 4 GiB, plain and gzip.  No root needed.
#
#   bench/readers.sh [BUILD [OLD_IPCLAB]]
#
# BUILD (default build) holds the ipclab to measure and tests/scale/gen_trace; OLD_IPCLAB,
# if given, is measured too (the same commands; it gets at most OLD_TIMEOUT s per command,
# default 600, and OLD_MEM KiB of address space, default 16 GiB, so that it cannot take the
# machine down).  Traces go to READERS_DIR (default BUILD/bench-readers, ~30 GB at peak,
# removed as it goes); results to bench/results/readers.md (and .tsv).
# Sizes: EVENTS_1X (default 2600000, ~653 MB), 4x that, and EVENTS_BIG (default 18000000,
# ~4.5 GB).
set -u
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "${1:-$here/../build}" && pwd)
old=${2:-}
new=$build/ipclab
gen=$build/tests/scale/gen_trace
dir=${READERS_DIR:-$build/bench-readers}
e1=${EVENTS_1X:-2600000}
ebig=${EVENTS_BIG:-18000000}
old_timeout=${OLD_TIMEOUT:-600}
old_mem=${OLD_MEM:-16777216}
out=$here/results/readers.tsv
md=$here/results/readers.md
mkdir -p "$dir" "$here/results"
[ -x "$gen" ] || { echo "readers.sh: $gen missing: make build first" >&2; exit 1; }
printf 'who\ttrace\tevents\tMB\tcommand\tstatus\twall_s\tuser_s\tpeak_rss_MB\n' >"$out"

# measure WHO TRACE EVENTS LIMITS COMMAND... : one line of the table
measure() {
	who=$1 trace=$2 events=$3 limits=$4
	shift 4
	mb=$(( $(stat -c %s "$trace") / 1048576 ))
	# shellcheck disable=SC2086
	( [ -z "$limits" ] || ulimit $limits; exec /usr/bin/time -f '%e %U %M' -o "$dir/.time" "$@" \
		>"$dir/.out" 2>"$dir/.err" )
	st=$?
	set -- $(tail -1 "$dir/.time")
	case "${1:-}" in [0-9]*) ;; *) set -- - - 0 ;; esac
	[ $st -eq 0 ] || st="$st: $(grep -v 'Command exited' "$dir/.err" | head -1 | cut -c1-90)"
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$who" "$(basename "$trace")" "$events" "$mb" \
		"$cmd" "$st" "$1" "$2" "$(( $3 / 1024 ))" | tee -a "$out"
}

# view: start, wait for the URL, download trace/0.json with curl (gzip accepted), stop;
# wall = start to end of the download, peak RSS from /proc (VmHWM) before the stop
measure_view() {
	who=$1 trace=$2 events=$3 bin=$4 limit=$5
	mb=$(( $(stat -c %s "$trace") / 1048576 ))
	t0=$(date +%s.%N)
	# shellcheck disable=SC2086
	( [ -z "$limit" ] || ulimit $limit; exec "$bin" view "$trace" ) >"$dir/.url" 2>"$dir/.err" &
	pid=$!
	while kill -0 $pid 2>/dev/null && ! grep -q http "$dir/.url"; do sleep 0.05; done
	t1=$(date +%s.%N)
	if grep -q http "$dir/.url"; then
		url=$(head -1 "$dir/.url")
		curl -s --compressed -o /dev/null "${url%%\?*}trace/0.json"
		t2=$(date +%s.%N)
		rss=$(awk '/VmHWM/ {print int($2 / 1024)}' /proc/$pid/status)
		kill $pid; wait $pid 2>/dev/null
		st="0 (URL after $(echo "$t1 - $t0" | bc | cut -c1-6) s)"
	else
		wait $pid; st="$?: $(head -1 "$dir/.err" | cut -c1-90)"; t2=$t1; rss=0
	fi
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$who" "$(basename "$trace")" "$events" "$mb" \
		view "$st" "$(echo "$t2 - $t0" | bc | cut -c1-7)" - "$rss" | tee -a "$out"
}

# all WHO BIN LIMITS TRACE EVENTS [TIMEOUT]
all() {
	who=$1 bin=$2 limits=$3 trace=$4 events=$5 tmo=${6:+timeout -s KILL $6}
	cmd=check; measure "$who" "$trace" "$events" "$limits" $tmo $bin check -q "$trace"
	cmd="export --chrome"
	measure "$who" "$trace" "$events" "$limits" $tmo $bin export -q --chrome "$trace" \
		-o "$dir/x.chrome.json"
	rm -f "$dir/x.chrome.json" "$dir"/.x.chrome.json.*
	measure_view "$who" "$trace" "$events" "$bin" "$limits"
}

oldlim="-v $old_mem"
for n in "$e1" "$((4 * e1))" "$ebig"; do
	t=$dir/t$n.json
	"$gen" "$n" "$t" || exit 1
	all new "$new" "" "$t" "$n"
	if [ -n "$old" ] && [ "$n" = "$e1" ]; then
		# the old export goes quadratic on a pipe that keeps unread bytes: time it on a
		# trace without one too
		all old "$old" "$oldlim" "$t" "$n" "$old_timeout"
		GEN_TRACE_ALL_READ=1 "$gen" "$n" "$dir/allread.json"
		cmd="export --chrome (all read)"
		measure old "$dir/allread.json" "$n" "$oldlim" timeout -s KILL "$old_timeout" "$old" \
			export -q --chrome "$dir/allread.json" -o "$dir/x.chrome.json"
		cmd="export --chrome (all read)"
		measure new "$dir/allread.json" "$n" "" "$new" export -q --chrome "$dir/allread.json" \
			-o "$dir/x.chrome.json"
		rm -f "$dir/allread.json" "$dir/x.chrome.json" "$dir"/.x.chrome.json.*
	elif [ -n "$old" ]; then
		cmd=check; measure old "$t" "$n" "$oldlim" timeout -s KILL "$old_timeout" "$old" check -q "$t"
	fi
	if [ "$n" = "$ebig" ] || [ "$n" = "$e1" ]; then
		gzip -1 -c "$t" >"$t.gz"
		cmd=check; measure new "$t.gz" "$n" "" "$new" check -q "$t.gz"
		measure_view new "$t.gz" "$n" "$new" ""
		rm -f "$t.gz"
	fi
	rm -f "$t"
done

{
	echo "# Trace readers at scale ($(date -u +%Y-%m-%d), $(uname -r), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg))"
	echo
	echo "bench/readers.sh: synthetic traces (tests/scale/gen_trace.c), wall and user CPU seconds, peak RSS."
	echo "\"old\" is the ipclab before the streaming reader (limited to ${old_timeout} s and $((old_mem / 1048576)) GiB of address space)."
	echo
	echo "| who | trace | events | MB | command | status | wall s | user s | peak RSS MB |"
	echo "|---|---|---|---|---|---|---|---|---|"
	tail -n +2 "$out" | sed 's/\t/ | /g; s/^/| /; s/$/ |/'
} >"$md"
echo "readers.sh: $md"
