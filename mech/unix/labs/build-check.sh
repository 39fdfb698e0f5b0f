#!/bin/sh
# build-check.sh -- compile every Unix socket lab program alone and run it once.
#
# Each mech/unix/labs/*.c is built on its own with
#   $CC -Wall -Wextra -Werror -O2 -o OUT FILE.c      (each includes only ../../lab.h)
# and run once; the check passes when every build succeeds and every run exits 0.
# unix_server and unix_client are one scenario: they run together, on a socket path in a
# fresh private directory, like `./unix_server P & ./unix_client P; wait`.
#
# Run as root, the programs run as the user "nobody" (setpriv), because the labs must work
# unprivileged; IPCLAB_LABS_AS_ROOT=1 keeps root.  No traces, no BPF: this only checks that
# the kernel behaves as each program predicts (its exit status).
#
# Environment:
#   CC             compiler (default cc)
#   TIMEOUT        seconds one program may take (default 20)
#
# Exit status 0 when all pass, 1 when any failed, 2 for a usage or setup problem.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
CC=${CC:-cc}
TIMEOUT=${TIMEOUT:-20}

out=$(mktemp -d "${TMPDIR:-/tmp}/ipclab-unix-labs.XXXXXX")
trap 'rm -rf "$out"' EXIT
chmod 755 "$out"

# as_user CMD...: run unprivileged when we are root
as_user() {
	if [ "$(id -u)" -eq 0 ] && [ "${IPCLAB_LABS_AS_ROOT:-0}" != 1 ]; then
		setpriv --reuid=nobody --regid=nogroup --clear-groups -- "$@"
	else
		"$@"
	fi
}

failed=0
built=0

build() {	# NAME -> $out/NAME
	if "$CC" -Wall -Wextra -Werror -O2 -o "$out/$1" "$here/$1.c" \
		> "$out/$1.build.log" 2>&1; then
		built=$((built + 1))
		return 0
	fi
	echo "FAIL $1: does not build"
	sed 's/^/    /' "$out/$1.build.log"
	failed=$((failed + 1))
	return 1
}

now_ms() {
	echo $(($(date +%s%N) / 1000000))
}

report() {	# NAME STATUS LOG MS
	if [ "$2" -eq 0 ]; then
		echo "PASS $1 ($4 ms)"
	else
		echo "FAIL $1: exit status $2 ($4 ms)"
		sed 's/^/    /' "$3"
		failed=$((failed + 1))
	fi
}

run_alone() {	# NAME
	st=0 t0=$(now_ms)
	(cd "$out" && as_user timeout "$TIMEOUT" "./$1") > "$out/$1.log" 2>&1 || st=$?
	report "$1" "$st" "$out/$1.log" $(($(now_ms) - t0))
}

run_server_client() {
	dir="$out/srv"
	mkdir "$dir"
	chmod 777 "$dir"
	sst=0 cst=0 t0=$(now_ms)
	(cd "$out" && as_user timeout "$TIMEOUT" ./unix_server "$dir/sock") \
		> "$out/unix_server.log" 2>&1 &
	spid=$!
	(cd "$out" && as_user timeout "$TIMEOUT" ./unix_client "$dir/sock") \
		> "$out/unix_client.log" 2>&1 || cst=$?
	wait "$spid" || sst=$?
	ms=$(($(now_ms) - t0))
	report unix_server "$sst" "$out/unix_server.log" "$ms"
	report unix_client "$cst" "$out/unix_client.log" "$ms"
}

for src in "$here"/*.c; do
	name=$(basename "$src" .c)
	build "$name" || continue
	case $name in
	unix_server) ;;
	unix_client) ;;
	*) run_alone "$name" ;;
	esac
done
if [ -x "$out/unix_server" ] && [ -x "$out/unix_client" ]; then
	run_server_client
fi

echo "build-check: $built built, $failed failed"
[ "$failed" -eq 0 ]
