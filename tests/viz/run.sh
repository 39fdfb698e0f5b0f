#!/bin/sh
# Run the viewer tests (tests/viz/*.test.mjs) with node's test runner, in headless Chromium.
#
# Needs the Debian packages nodejs, npm and chromium (and fonts-noto-cjk, so that the
# Chinese text in the screenshots is not drawn as boxes). The npm devDependencies
# (playwright-core, ajv; see package-lock.json) are installed with `npm ci` when
# node_modules is missing or older than package-lock.json. No browser is downloaded:
# the tests drive /usr/bin/chromium (IPCLAB_CHROMIUM overrides it).
#
# Traces: IPCLAB_TRACE_DIR (default /tmp/tt), made with `build/ipclab run -o DIR` as root.
# Screenshots: build/viz-artifacts/. The exit status is the tests'.
set -eu
cd "$(dirname "$0")/../.."

chromium=${IPCLAB_CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$chromium" ]; then
	echo "viz tests: FAILED, no Chromium at $chromium: give a Chromium or Chrome binary (not a snap)" >&2
	echo "  as IPCLAB_CHROMIUM=/path (Debian: apt-get install chromium; see scripts/install-deps.sh)" >&2
	exit 1
fi

stale=0
for m in playwright-core ajv; do
	[ -d "node_modules/$m" ] || stale=1
done
[ -f node_modules/.package-lock.json ] || stale=1
if [ "$stale" = 0 ] && [ package-lock.json -nt node_modules/.package-lock.json ]; then
	stale=1
fi
if [ "$stale" = 1 ]; then
	npm ci --no-audit --no-fund
fi

mkdir -p build/viz-artifacts
exec node --test tests/viz/*.test.mjs
