#!/bin/sh
# scripts/install-deps.sh [run|test] [--dry-run|--list]
#
# Installs the packages ipclab needs -- only the missing ones -- with apt, on Debian and
# Ubuntu. Idempotent: a second run installs nothing and makes no network access.
#
#   run     what building and running ipclab needs (sudo make run)
#   test    that, plus what the tests need (sudo make test, make build); the default
#   --dry-run  print the plan (distribution, packages missing here, what cannot be
#              installed and what that means) and change nothing
#   --list     print the set's package names for this distribution, one per line,
#              whatever is installed (tests/setup/test_install_deps.sh checks them)
#
# Environment: IPCLAB_OS_RELEASE (default /etc/os-release) and IPCLAB_KERNEL_RELEASE
# (default: uname -r) say which system to plan for; IPCLAB_CHROMIUM names a Chromium or
# Chrome binary for the browser tests; BPFTOOL names a bpftool binary to use instead of the
# distribution's (the Makefile passes make's BPFTOOL= to both this script and cmake).
#
# Exit status: 0 ready (test set: a test-only package that cannot be installed is reported,
# and the tests that need it fail or are skipped visibly), 1 something the build needs is
# missing and cannot be installed here (the message says what to do), 2 usage, 3 packages
# are missing and we are not root.
set -eu

# ---------------------------------------------------------------- the package lists
# Debian's names; distro_packages() maps them for other distributions. Keep them here only.
#
# run: the BPF object (clang, bpftool), the loader's libraries, the build tools, node (the
#      viewer bundle that `ipclab run --html` inlines is built at build time by
#      viz/build.mjs), xz (the fallback vmlinux.h for kernels without BTF in /sys).
RUN_PACKAGES="clang bpftool libbpf-dev libelf-dev zlib1g-dev libjson-c-dev libmicrohttpd-dev
cmake make gcc pkg-config xz-utils nodejs"
# test: the unit/integration/hardening tests (cmocka, procps' pgrep, iproute2's ss, curl,
#       util-linux's unshare), the trace schema and Chrome export checks (python3,
#       python3-jsonschema), bpf_loops_61 (llvm-objdump), integration_drops (stress-ng),
#       hardening_valgrind (valgrind), the fuzzers (clang's libFuzzer runtime:
#       libclang-rt-dev), and the browser tests (npm for playwright-core, chromium, and
#       fonts-noto-cjk so the Chinese text is not drawn as boxes). The kernel matrix
#       (tests/vm/build-image.sh) installs its own (qemu, busybox, cpio, e2fsprogs).
TEST_PACKAGES="libcmocka-dev llvm python3 python3-jsonschema stress-ng valgrind libclang-rt-dev
procps util-linux iproute2 curl npm chromium fonts-noto-cjk"

# the oldest versions the sources need: libbpf 0.8 (bpf_map__lookup_elem and friends), node 18
# (viz/build.mjs and the viewer tests)
LIBBPF_MIN=0.8
NODE_MIN=18

say() { echo "ipclab: $*" >&2; }

usage() {
	echo "usage: $0 [run|test] [--dry-run|--list]" >&2
	exit 2
}

# ---------------------------------------------------------------- the distribution
# Sets DISTRO (debian, ubuntu, or ID of anything else) and RELEASE (major version number;
# Ubuntu's derivatives give their Ubuntu base).
detect_distro() {
	os_release=${IPCLAB_OS_RELEASE:-/etc/os-release}
	ID="" ID_LIKE="" VERSION_ID="" UBUNTU_CODENAME=""
	# shellcheck disable=SC1090
	[ -r "$os_release" ] && . "$os_release"
	case " $ID $ID_LIKE " in
	*" ubuntu "*) DISTRO=ubuntu ;;
	*" debian "*) DISTRO=debian ;;
	*) DISTRO=${ID:-unknown} ;;
	esac
	RELEASE=${VERSION_ID%%.*}
	if [ "$DISTRO" = ubuntu ] && [ "$ID" != ubuntu ]; then
		case $UBUNTU_CODENAME in	# Linux Mint, Pop!_OS...: their Ubuntu base
		jammy) RELEASE=22 ;;
		noble) RELEASE=24 ;;
		esac
	fi
	PRETTY="$ID ${VERSION_ID:-?}"
	KREL=${IPCLAB_KERNEL_RELEASE:-$(uname -r)}
}

# distro_packages NAME...: the names to give apt here, one per line; nothing for a package
# this distribution does not have (explained by unavailable_notes)
distro_packages() {
	for p in "$@"; do
		case $DISTRO:$p in
		ubuntu:bpftool)
			# up to 24.04, Ubuntu's bpftool is built per kernel: /usr/sbin/bpftool
			# (linux-tools-common) runs /usr/lib/linux-tools/$(uname -r)/bpftool
			if [ "${RELEASE:-0}" -lt 25 ]; then
				echo linux-tools-common
				echo "linux-tools-$KREL"
			else
				echo bpftool
			fi ;;
		ubuntu:libclang-rt-dev)
			# 22.04's clang 14 still carries libFuzzer in libclang-common-14-dev
			[ "${RELEASE:-0}" -le 22 ] || echo libclang-rt-dev ;;
		ubuntu:chromium)
			;;	# a transitional package that installs the snap: see chromium_note
		ubuntu:libbpf-dev | ubuntu:nodejs | ubuntu:npm)
			# 22.04 has libbpf 0.5 and node 12 (npm pulls it in), too old: see release_notes
			[ "${RELEASE:-0}" -le 22 ] || echo "$p" ;;
		*) echo "$p" ;;
		esac
	done
}

# ---------------------------------------------------------------- what is there already
installed() {
	dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"
}

# a package that something already on this machine stands in for: a node or npm from
# elsewhere (NodeSource, nvm), the bpftool or Chromium named in the environment
provided_otherwise() {
	case $1 in
	nodejs) command -v node >/dev/null 2>&1 ;;
	npm) command -v npm >/dev/null 2>&1 ;;
	bpftool | linux-tools-common | linux-tools-*) [ -n "${BPFTOOL:-}" ] && [ -x "$BPFTOOL" ] ;;
	chromium) [ -n "${IPCLAB_CHROMIUM:-}" ] && [ -x "$IPCLAB_CHROMIUM" ] ;;
	*) return 1 ;;
	esac
}

# apt knows a version of it that it could install
has_candidate() {
	apt-cache policy "$1" 2>/dev/null | grep -q 'Candidate: [^(]'
}

# ---------------------------------------------------------------- messages
chromium_binary() {
	echo "${IPCLAB_CHROMIUM:-/usr/bin/chromium}"
}

chromium_note() {
	[ -x "$(chromium_binary)" ] && return 0
	# apt is about to install /usr/bin/chromium
	case " $missing " in *" chromium "*) [ -n "${IPCLAB_CHROMIUM:-}" ] || return 0 ;; esac
	if [ "$DISTRO" = ubuntu ]; then
		say "no Chromium for the browser tests: Ubuntu ships Chromium only as a snap, which"
		say "  headless tests cannot drive (its sandbox hides /tmp), so none is installed;"
	else
		say "no Chromium for the browser tests ($(chromium_binary));"
	fi
	[ -z "${IPCLAB_CHROMIUM:-}" ] || say "  IPCLAB_CHROMIUM=$IPCLAB_CHROMIUM is not an executable file;"
	say "  the ctest viz_browser FAILS until you give one: a Chromium or Chrome binary that is"
	say "  not a snap (e.g. Google Chrome's .deb), as sudo IPCLAB_CHROMIUM=/path/to/chrome make test"
}

# notes for what this distribution cannot give, before anything is installed
release_notes() {
	if [ "$DISTRO" = ubuntu ] && [ "${RELEASE:-0}" -le 22 ]; then
		say "Ubuntu ${VERSION_ID:-$RELEASE}: its libbpf-dev (0.5) and nodejs (12) are too old and are not installed;"
		say "  ipclab needs libbpf >= $LIBBPF_MIN (build the libbpf project's v1.x release where pkg-config"
		say "  finds it) and node >= $NODE_MIN on PATH (NodeSource or nvm) -- or use Ubuntu 24.04"
	fi
	case $DISTRO in
	debian | ubuntu) ;;
	*)
		say "$PRETTY: this script knows Debian and Ubuntu (apt) only; install these packages'"
		say "  equivalents yourself: $(distro_packages $WANT | tr '\n' ' ')"
		return 1 ;;
	esac
}

# the versions apt gave us are new enough (or what to do)
check_versions() {
	ok=0
	if ! command -v node >/dev/null 2>&1; then
		say "no node on PATH: building the viewer bundle needs node >= $NODE_MIN"
		ok=1
	elif ! node -e "process.exit(+process.versions.node.split('.')[0] >= $NODE_MIN ? 0 : 1)" 2>/dev/null; then
		say "node $(node --version 2>/dev/null) is too old: the viewer bundle needs node >= $NODE_MIN"
		say "  (NodeSource or nvm; put it first on PATH, e.g. in /usr/local/bin)"
		ok=1
	fi
	if ! command -v pkg-config >/dev/null 2>&1 || ! pkg-config --exists libbpf; then
		say "pkg-config finds no libbpf: ipclab needs libbpf >= $LIBBPF_MIN"
		ok=1
	elif ! pkg-config --atleast-version=$LIBBPF_MIN libbpf; then
		say "libbpf $(pkg-config --modversion libbpf) is too old: ipclab needs libbpf >= $LIBBPF_MIN"
		say "  (build the libbpf project's v1.x release where pkg-config finds it, then run again)"
		ok=1
	fi
	return $ok
}

# what to do when apt has no linux-tools for this kernel (a custom or cloud kernel)
bpftool_note() {
	say "bpftool: Ubuntu packages it per kernel and apt has no linux-tools-$KREL for this one;"
	say "  install linux-tools-generic and give its binary to make:"
	say "  sudo make run BPFTOOL=/usr/lib/linux-tools/VERSION/bpftool"
}

# ---------------------------------------------------------------- main
SET=test MODE=install
for a in "$@"; do
	case $a in
	run | test) SET=$a ;;
	--dry-run) MODE=dry-run ;;
	--list) MODE=list ;;
	*) usage ;;
	esac
done
WANT=$RUN_PACKAGES
[ "$SET" = test ] && WANT="$RUN_PACKAGES $TEST_PACKAGES"
# test-only packages (by their Debian names), for the severity of a missing one
is_test_only() {
	for t in $TEST_PACKAGES; do
		[ "$t" = "$1" ] && return 0
	done
	return 1
}

detect_distro
if [ "$MODE" = list ]; then
	distro_packages $WANT
	exit 0
fi
[ "$MODE" = dry-run ] && say "plan for $PRETTY (kernel $KREL), set '$SET':"

status=0
release_notes || exit 0	# not apt: cmake names what it misses

# which of the wanted packages are missing, in this distribution's names; the test-only
# ones remember their Debian name for the message
missing="" missing_test=""
for p in $WANT; do
	for q in $(distro_packages "$p"); do
		installed "$q" && continue
		provided_otherwise "$p" && continue
		missing="$missing $q"
		is_test_only "$p" && missing_test="$missing_test $q"
	done
done
if [ "$MODE" = dry-run ]; then
	[ "$SET" = test ] && chromium_note
	say "  packages: $(distro_packages $WANT | tr '\n' ' ')"
	say "  missing here:${missing:- none}"
	exit 0
fi

if [ -n "$missing" ]; then
	if [ "$(id -u)" -ne 0 ]; then
		say "missing packages:$missing -- run with sudo to install them"
		exit 3
	fi
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	# apt installs all or nothing: leave out what it does not have, and say so
	unavailable="" install=""
	for q in $missing; do
		if has_candidate "$q"; then
			install="$install $q"
		else
			unavailable="$unavailable $q"
		fi
	done
	for q in $unavailable; do
		case " $missing_test " in
		*" $q "*)
			say "not in this system's apt sources: $q (test-only: the tests that need it fail or are skipped)"
			continue ;;
		esac
		case $q in
		linux-tools-*) bpftool_note ;;
		*) say "not in this system's apt sources: $q, which the build needs$([ "$DISTRO" = ubuntu ] && echo ' (enable the universe component)')" ;;
		esac
		status=1
	done
	if [ -n "$install" ]; then
		say "installing$install"
		# shellcheck disable=SC2086
		apt-get install -y -qq --no-install-recommends $install >/dev/null
	fi
fi
if [ "$SET" = test ]; then
	missing=""	# installed now
	chromium_note
fi
check_versions || status=1
exit $status
