#!/bin/sh
# Post-processing scale (issue #10 item 4): `ipclab trace` of bench/workloads/mmap_churn
# (map, touch, unmap one page N times) and fork_churn (N children), at N and 4N; then
# `ipclab replay` of each saved spool (post-processing alone, same input).  Wall time, CPU
# time (user + sys) and peak RSS from /usr/bin/time -v; results in bench/results/scale.txt.
#
#   sudo bench/scale.sh [MMAP_N [FORK_N]]      (default 50000 and 20000)
#
# Target: 4x the input takes at most 5x the time, memory stays at or below 64 MiB.
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(dirname "$HERE")
BUILD=${BUILD:-$REPO/build}
MMAP_N=${1:-50000}
FORK_N=${2:-20000}
OUT=$HERE/results/scale.txt

if [ "$(id -u)" -ne 0 ]; then
	echo "scale: run as root: ipclab trace needs it" >&2
	exit 3
fi
[ -x /usr/bin/time ] || { echo "scale: needs GNU time (apt-get install time)" >&2; exit 2; }
mkdir -p "$BUILD/bench" "$HERE/results"
for name in mmap_churn fork_churn; do
	gcc -O2 -Wall -Wextra -o "$BUILD/bench/$name" "$HERE/workloads/$name.c"
done
scratch=$(mktemp -d /var/tmp/ipclab-scale.XXXXXX)
trap 'rm -rf "$scratch"' EXIT INT TERM

# one line: what, N, wall s, user CPU s, system CPU s, peak RSS MiB (CPU: ipclab and the
# traced program; user time is the post-processing, system time mostly the file writes;
# RSS: the largest of ipclab and the programs it waited for)
measure() {
	what=$1 n=$2
	shift 2
	/usr/bin/time -v "$@" > "$scratch/out" 2> "$scratch/time" || {
		cat "$scratch/time" >&2
		exit 1
	}
	awk -v what="$what" -v n="$n" -F': ' '
		/User time/ { user = $2 }
		/System time/ { sys = $2 }
		/Elapsed/ { k = split($2, p, ":"); wall = p[k]; if (k > 1) wall += 60 * p[k-1]; if (k > 2) wall += 3600 * p[k-2] }
		/Maximum resident/ { rss = $2 / 1024 }
		END { printf "%-22s %8d %9.2f %9.2f %9.2f %9.1f\n", what, n, wall, user, sys, rss }' "$scratch/time"
}

{
	echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ) $(uname -r), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
	printf "%-22s %8s %9s %9s %9s %9s\n" "run" "N" "wall_s" "user_s" "sys_s" "rss_MiB"
	for spec in "mmap_churn $MMAP_N" "mmap_churn $((4 * MMAP_N))" \
		    "fork_churn $FORK_N" "fork_churn $((4 * FORK_N))"; do
		set -- $spec
		spool=$scratch/$1-$2.spool
		measure "trace $1" "$2" "$BUILD/ipclab" trace -q -o "$scratch/t.json" \
			--save-spool "$spool" -- "$BUILD/bench/$1" "$2"
		measure "replay $1" "$2" "$BUILD/ipclab" replay "$spool" -o "$scratch/r.json"
		rm -f "$spool" "$scratch/t.json" "$scratch/r.json"
	done
} | tee "$OUT"
