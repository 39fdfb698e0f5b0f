#!/bin/sh
# build-check.sh -- compile every message queue lab program alone and run it once
# (mech/labs-check.sh says how).  mq_unrelated_writer and mq_unrelated_reader are one
# scenario: they run together, on a queue named after a fresh private directory, like
# `./mq_unrelated_writer D & ./mq_unrelated_reader D; wait`.
set -eu

LABS_DIR=$(cd "$(dirname "$0")" && pwd)
LABS_NAME=mqueue
. "$LABS_DIR/../../labs-check.sh"

run_writer_reader() {
	dir=$(mktemp -d "$out/mq.XXXXXX")
	chmod 777 "$dir"
	wst=0 rst=0 t0=$(now_ms)
	(cd "$out" && as_user timeout "$TIMEOUT" ./mq_unrelated_writer "$dir") \
		> "$out/mq_unrelated_writer.log" 2>&1 &
	wpid=$!
	(cd "$out" && as_user timeout "$TIMEOUT" ./mq_unrelated_reader "$dir") \
		> "$out/mq_unrelated_reader.log" 2>&1 || rst=$?
	wait "$wpid" || wst=$?
	ms=$(($(now_ms) - t0))
	report mq_unrelated_writer "$wst" "$out/mq_unrelated_writer.log" "$ms"
	report mq_unrelated_reader "$rst" "$out/mq_unrelated_reader.log" "$ms"
}

labs_check_all mq_unrelated_writer mq_unrelated_reader
if [ -x "$out/mq_unrelated_writer" ] && [ -x "$out/mq_unrelated_reader" ]; then
	run_writer_reader
fi
labs_check_done
