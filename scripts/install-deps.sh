#!/bin/sh
# Install the Debian packages ipclab needs to build, run and test -- only the missing ones.
# Idempotent: a second run installs nothing and makes no network access.
set -eu

PACKAGES="clang llvm bpftool libbpf-dev libelf-dev zlib1g-dev libjson-c-dev libcmocka-dev
libmicrohttpd-dev cmake make gcc pkg-config xz-utils procps util-linux python3 python3-jsonschema
chromium fonts-noto-cjk curl iproute2"
# Only the tests need these (kept apart from what ipclab needs to build and run):
# stress-ng drives tests/integration/test_drops.c.
TEST_PACKAGES="stress-ng"

missing=""
for p in $PACKAGES $TEST_PACKAGES; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing="$missing $p"
done
# the viewer's build and browser tests need node and npm; keep one already installed
command -v node >/dev/null 2>&1 || missing="$missing nodejs"
command -v npm >/dev/null 2>&1 || missing="$missing npm"
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "ipclab: missing packages:$missing -- run with sudo to install them" >&2
	exit 3
fi
echo "ipclab: installing$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
