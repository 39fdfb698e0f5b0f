#!/bin/sh
# ipclab benchmarks: `make bench` (full: all parts, medians over 5 rounds, bench/results/)
# and `make bench-quick` (under a minute: fewer rounds, smaller sizes, no 10M-event memory
# run, no viewer; bench/results/quick/).
#
#   sudo bench/run.sh [--quick] [--parts overhead,throughput,json,memory,viewer,notes,compare,stress]
#
# Installs what it needs only if missing (bpftrace, strace, stress-ng, GNU time; node's playwright-core
# for the viewer part), compiles bench/workloads/*.c and the minimal tracer bench/floor/ into
# $BUILD/bench/, then runs bench/bench.py, which runs every command in its own process group
# and kills what is left of it, so no process or BPF program outlives the run.
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(dirname "$HERE")
BUILD=${BUILD:-$REPO/build}
case $BUILD in /*) ;; *) BUILD=$REPO/$BUILD ;; esac
export BUILD

if [ "$(id -u)" -ne 0 ]; then
	echo "bench: run as root (sudo make bench): ipclab trace, bpftrace and strace of the workloads need it" >&2
	exit 3
fi

# --- what the benchmarks need, installed only if missing ----------------------------------
missing=""
command -v bpftrace >/dev/null 2>&1 || missing="$missing bpftrace"
command -v strace >/dev/null 2>&1 || missing="$missing strace"
command -v stress-ng >/dev/null 2>&1 || missing="$missing stress-ng"
[ -x /usr/bin/time ] || missing="$missing time"
command -v gcc >/dev/null 2>&1 || missing="$missing gcc"
command -v python3 >/dev/null 2>&1 || missing="$missing python3"
if [ -n "$missing" ]; then
	echo "bench: installing$missing"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	# shellcheck disable=SC2086
	apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi
quick=0
for a in "$@"; do [ "$a" = "--quick" ] && quick=1; done
if [ "$quick" = 0 ] && [ ! -d "$REPO/node_modules/playwright-core" ] && command -v npm >/dev/null 2>&1; then
	echo "bench: installing the viewer tests' node modules (npm ci)"
	(cd "$REPO" && npm ci --no-audit --no-fund >/dev/null) || echo "bench: npm ci failed; the viewer part will say why" >&2
fi

if [ ! -x "$BUILD/ipclab" ]; then
	echo "bench: $BUILD/ipclab is missing: run make build (make bench does)" >&2
	exit 2
fi

# --- the workloads ---------------------------------------------------------------------------
mkdir -p "$BUILD/bench"
# the minimal tracer of the overhead part (bench/floor/): a CMake target outside ALL, so that
# `make` and `make test` do not build it; the same clang, bpftool, libbpf and vmlinux.h
if ! cmake --build "$BUILD" --target floor >"$BUILD/bench/floor-build.log" 2>&1; then
	echo "bench: building bench/floor failed ($BUILD/bench/floor-build.log); overhead runs without it" >&2
fi
for src in "$HERE"/workloads/*.c; do
	name=$(basename "$src" .c)
	bin=$BUILD/bench/$name
	if [ ! -x "$bin" ] || [ "$src" -nt "$bin" ] || [ "$HERE/workloads/bench.h" -nt "$bin" ]; then
		gcc -O2 -Wall -Wextra -o "$bin" "$src" -lpthread
	fi
done

PY=python3
[ -x /usr/bin/python3 ] && PY=/usr/bin/python3
status=0
"$PY" "$HERE/bench.py" "$@" || status=$?

# --- nothing may be left behind ------------------------------------------------------------
left=$(ps -eo pid=,args= | grep -E "$BUILD/bench/|$HERE/ipc.bt|ipclab-bench-" | grep -v grep || true)
if [ -n "$left" ]; then
	echo "bench: processes left behind (bug in bench.py):" >&2
	echo "$left" >&2
	status=1
fi
exit $status
