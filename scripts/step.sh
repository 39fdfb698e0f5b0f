#!/bin/sh
# scripts/step.sh [--new] LOG TITLE COMMAND [ARG...]
#
# One step of `make run` / `make test` in a line: runs COMMAND with its output (stdout and
# stderr) appended to LOG, and shows only
#   ipclab: TITLE ... done (12 s)
# On a terminal the line counts up with cmake's "[ 45%]" while it builds. Lines of the
# command that start with "ipclab: " (what install-deps.sh has to say) are shown as they come.
# When COMMAND fails: the step's last 25 lines of output (all of them when CI is set, so a
# CI log shows the whole error), where the full log is, and COMMAND's exit status.
# --new empties LOG first (the first step of a make target).
set -eu

if [ "${1:-}" = --new ]; then
	new=1
	shift
else
	new=0
fi
[ $# -ge 3 ] || { echo "usage: $0 [--new] LOG TITLE COMMAND [ARG...]" >&2; exit 2; }
log=$1 title=$2
shift 2

mkdir -p "$(dirname "$log")"
log=$(cd "$(dirname "$log")" && pwd)/$(basename "$log")
[ "$new" = 1 ] && : > "$log"
tty=0
[ -t 1 ] && tty=1
status_file=$(mktemp)
trap 'rm -f "$status_file"' EXIT

echo "==== $title: $*" >> "$log"
first=$(($(wc -l < "$log") + 1))	# this step's first line of output in the log
start=$(date +%s)

# The status is written before the pipe closes, so awk has it when it reaches the end.
{
	rc=0
	"$@" < /dev/null 2>&1 || rc=$?
	echo "$rc" > "$status_file"
} | tee -a "$log" | awk -v head="ipclab: $title ..." -v tty="$tty" '
	BEGIN { printf "%s", head; fflush(); open = 1 }
	/^ipclab: / {
		if (open) printf tty ? "\r\033[K" : "\n"
		print; fflush(); open = 0
		next
	}
	tty && match($0, /^\[ *[0-9]+%\]/) {
		pct = substr($0, RSTART + 1, RLENGTH - 3)
		gsub(/ /, "", pct)
		printf "\r\033[K%s %s%%", head, pct; fflush(); open = 1
	}
	END {
		# leave the cursor after the head, on its own line, for "done" or "failed"
		if (!open) printf "%s", head
		else if (tty) printf "\r\033[K%s", head
	}'

rc=$(cat "$status_file")
secs=$(($(date +%s) - start))
if [ "$rc" = 0 ]; then
	echo " done ($secs s)"
	exit 0
fi
echo " FAILED (exit status $rc, after $secs s)"
if [ -n "${CI:-}" ]; then
	echo "---- $title: its output (from $log)"
	tail -n "+$first" "$log"
elif ! tail -n "+$first" "$log" | grep -q -v '^ipclab: '; then
	:	# it said everything in "ipclab: " lines, shown already
else
	# the first errors (a compiler's, cmake's, apt's) and where it stopped
	errors=$(tail -n "+$first" "$log" | grep -E -A3 -m3 'error:|Error:|CMake Error|^E: |fatal' || true)
	if [ -n "$errors" ]; then
		echo "---- $title: the first errors"
		echo "$errors"
	fi
	echo "---- $title: the last lines of its output"
	tail -n "+$first" "$log" | tail -n 12
fi
echo "---- full log: $log"
exit "$rc"
