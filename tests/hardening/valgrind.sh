#!/bin/sh
# valgrind.sh IPCLAB WORKDIR - ipclab under valgrind memcheck: a scenario run (with its
# --html report), then `check` and `export --chrome` of the trace it wrote, and `check` of
# a bad file.  Fails on any memcheck error or definite leak, in ipclab or in a process it
# forks before exec (the watchdog): every process logs to its own file, all are read.
# valgrind.supp lists the bpf() parameter checks valgrind gets wrong (see there).
# ctest: hardening_valgrind (label valgrind).  Exit 77 (skipped) without valgrind.
set -eu

ipclab=${1:?usage: valgrind.sh IPCLAB WORKDIR}
work=${2:?usage: valgrind.sh IPCLAB WORKDIR}
here=$(cd "$(dirname "$0")" && pwd)
command -v valgrind >/dev/null 2>&1 || { echo "valgrind not installed: skipped"; exit 77; }
[ "$(id -u)" -eq 0 ] || { echo "valgrind.sh: ipclab run needs root: skipped"; exit 77; }

rm -rf "$work"
mkdir -p "$work/logs"
rc=0

vg() {	# vg NAME EXPECTED_STATUS ipclab ARGS...
	name=$1 want=$2
	shift 2
	set +e
	valgrind --quiet --leak-check=full --show-leak-kinds=definite \
		--errors-for-leak-kinds=definite --error-exitcode=1 --track-fds=no \
		--suppressions="$here/valgrind.supp" --log-file="$work/logs/$name.%p.log" \
		"$@" >"$work/$name.out" 2>&1
	st=$?
	set -e
	if [ "$st" -ne "$want" ]; then
		echo "valgrind.sh: $name: exit $st (want $want)"
		cat "$work/$name.out"
		rc=1
	fi
	echo "valgrind.sh: $name: exit $st"
}

vg run 0 "$ipclab" run pipe_transfer --html -o "$work/traces"
vg check 0 "$ipclab" check "$work/traces/pipe_transfer.json"
vg export 0 "$ipclab" export --chrome "$work/traces/pipe_transfer.json" -o "$work/t.chrome.json"
printf '{"format":"ipclab-trace","version":1,"meta":{},"events":[1' >"$work/bad.json"
vg check_bad 7 "$ipclab" check "$work/bad.json"

# every process's log: no error, no definite leak (--quiet logs only what is wrong)
for f in "$work"/logs/*.log; do
	if grep -q -E 'ERROR SUMMARY: [1-9]|definitely lost|== (Invalid|Conditional|Use of|Syscall param|Mismatched|Source and destination)' "$f"; then
		echo "valgrind.sh: errors in $f:"
		cat "$f"
		rc=1
	fi
done
[ $rc -eq 0 ] && echo "valgrind.sh: no memcheck errors, no definite leaks ($(ls "$work"/logs | wc -l) process logs)"
exit $rc
