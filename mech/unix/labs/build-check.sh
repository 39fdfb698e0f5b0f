#!/bin/sh
# build-check.sh -- compile every Unix socket lab program alone and run it once
# (mech/labs-check.sh says how).  unix_server and unix_client are one scenario: they run
# together, on a socket path in a fresh private directory, like
# `./unix_server P & ./unix_client P; wait`.
set -eu

LABS_DIR=$(cd "$(dirname "$0")" && pwd)
LABS_NAME=unix
. "$LABS_DIR/../../labs-check.sh"

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

labs_check_all unix_server unix_client
if [ -x "$out/unix_server" ] && [ -x "$out/unix_client" ]; then
	run_server_client
fi
labs_check_done
