#!/bin/sh
# tests/setup/test_install_deps.sh: what scripts/install-deps.sh would install on Debian 12,
# Ubuntu 22.04 and 24.04 (os-release files in tests/setup/os-release/, through
# IPCLAB_OS_RELEASE; nothing is installed), the messages for what those systems cannot give,
# and scripts/step.sh, the one-line steps of `make run` (a failing step shows its error and
# points to the log). No root needed. ctest: setup_install_deps.
set -u
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
deps=$src/scripts/install-deps.sh
step=$src/scripts/step.sh
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0 failed=0

ok() { passed=$((passed + 1)); echo "ok: $1"; }
bad() { failed=$((failed + 1)); echo "FAIL: $1"; }

# plan OS SET: the package list, on one line
plan() {
	IPCLAB_OS_RELEASE=$here/os-release/$1 IPCLAB_KERNEL_RELEASE=6.8.0-45-generic \
		sh "$deps" "$2" --list | tr '\n' ' ' | sed 's/ $//'
}

expect_plan() {	# OS SET EXPECTED
	got=$(plan "$1" "$2")
	if [ "$got" = "$3" ]; then
		ok "$1 $2: $got"
	else
		bad "$1 $2: got '$got', expected '$3'"
	fi
}

# dry_run OS SET: the plan's messages (stderr), for a machine without Chromium
dry_run() {
	IPCLAB_OS_RELEASE=$here/os-release/$1 IPCLAB_KERNEL_RELEASE=6.8.0-45-generic \
		IPCLAB_CHROMIUM=$work/no-chromium sh "$deps" "$2" --dry-run 2>&1
}

expect_in() {	# WHAT TEXT PATTERN
	if printf '%s\n' "$2" | grep -q -- "$3"; then
		ok "$1"
	else
		bad "$1: no '$3' in: $2"
	fi
}

# ---------------------------------------------------------------- the plans
# What `make run` needs: the BPF toolchain, the loader's libraries, the build tools, node (the
# viewer bundle for --html reports is built at build time).
run_debian="clang bpftool libbpf-dev libelf-dev zlib1g-dev libjson-c-dev libmicrohttpd-dev cmake make gcc pkg-config xz-utils nodejs"
# ... and what the tests add
test_debian="libcmocka-dev llvm python3 python3-jsonschema stress-ng valgrind libclang-rt-dev procps util-linux iproute2 curl npm chromium fonts-noto-cjk"
expect_plan debian-12 run "$run_debian"
expect_plan debian-12 test "$run_debian $test_debian"

# Ubuntu 24.04: bpftool per kernel (linux-tools-REL), no chromium package (a snap shim)
run_noble="clang linux-tools-common linux-tools-6.8.0-45-generic libbpf-dev libelf-dev zlib1g-dev libjson-c-dev libmicrohttpd-dev cmake make gcc pkg-config xz-utils nodejs"
expect_plan ubuntu-24.04 run "$run_noble"
expect_plan ubuntu-24.04 test "$run_noble libcmocka-dev llvm python3 python3-jsonschema stress-ng valgrind libclang-rt-dev procps util-linux iproute2 curl npm fonts-noto-cjk"

# Ubuntu 22.04: also no libbpf-dev (0.5), nodejs (12) or npm (pulls nodejs 12 in); libFuzzer
# comes with clang 14 there
run_jammy="clang linux-tools-common linux-tools-6.8.0-45-generic libelf-dev zlib1g-dev libjson-c-dev libmicrohttpd-dev cmake make gcc pkg-config xz-utils"
expect_plan ubuntu-22.04 run "$run_jammy"
expect_plan ubuntu-22.04 test "$run_jammy libcmocka-dev llvm python3 python3-jsonschema stress-ng valgrind procps util-linux iproute2 curl fonts-noto-cjk"

# whatever the distribution, `make run` installs nothing only the tests use
for os in debian-12 ubuntu-22.04 ubuntu-24.04; do
	leaked=""
	for p in $(plan $os run); do
		case " $test_debian " in *" $p "*) leaked="$leaked $p" ;; esac
	done
	if [ -z "$leaked" ]; then ok "$os run: no test-only package"; else bad "$os run: test-only packages:$leaked"; fi
done

# ---------------------------------------------------------------- the messages
out=$(dry_run ubuntu-24.04 test)
expect_in "ubuntu-24.04: the missing Chromium is explained" "$out" "Ubuntu ships Chromium only as a snap"
expect_in "ubuntu-24.04: ... and what fails without one" "$out" "viz_browser FAILS"
expect_in "ubuntu-24.04: ... and how to give one" "$out" "IPCLAB_CHROMIUM=/path/to/chrome"
out=$(dry_run ubuntu-24.04 run)
if printf '%s\n' "$out" | grep -q Chromium; then bad "ubuntu-24.04 run: talks about Chromium: $out"; else ok "ubuntu-24.04 run: no word of Chromium"; fi
out=$(dry_run ubuntu-22.04 run)
expect_in "ubuntu-22.04: libbpf and node too old" "$out" "libbpf-dev (0.5) and nodejs (12) are too old"
out=$(dry_run debian-12 test)
expect_in "debian-12: the plan names the distribution" "$out" "plan for debian 12"
expect_in "debian-12: without Chromium the browser tests fail" "$out" "viz_browser FAILS"
out=$(dry_run fedora-43 run)
expect_in "fedora: says what to install" "$out" "knows Debian and Ubuntu (apt) only"
# a bpftool given with BPFTOOL= replaces Ubuntu's per-kernel packages
out=$(BPFTOOL=/bin/true dry_run ubuntu-24.04 run)
if printf '%s\n' "$out" | grep 'missing here' | grep -q linux-tools; then
	bad "BPFTOOL=/bin/true: linux-tools still missing: $out"
else
	ok "BPFTOOL=/bin/true: no linux-tools needed"
fi

# ---------------------------------------------------------------- the install path
# with a fake apt on PATH: as root, nothing installed, apt knows every package but those in
# FAKE_APT_NONE; apt-get only writes down what it is asked
fake=$work/bin
mkdir -p "$fake"
printf '#!/bin/sh\n[ "$1" = -u ] && echo 0\n' > "$fake/id"
printf '#!/bin/sh\nexit 1\n' > "$fake/dpkg-query"
printf '#!/bin/sh\ncase " $FAKE_APT_NONE " in *" $2 "*) echo "  Candidate: (none)";; *) echo "  Candidate: 1.0";; esac\n' > "$fake/apt-cache"
printf '#!/bin/sh\necho "$*" >> "$FAKE_APT_LOG"\n' > "$fake/apt-get"
chmod +x "$fake"/*

install() {	# OS SET: the script's messages; its status in $rc, apt-get's calls in $work/apt.log
	: > "$work/apt.log"
	out=$(PATH=$fake:$PATH FAKE_APT_LOG=$work/apt.log IPCLAB_OS_RELEASE=$here/os-release/$1 \
		IPCLAB_KERNEL_RELEASE=6.8.0-45-generic IPCLAB_CHROMIUM=/bin/true sh "$deps" "$2" 2>&1)
	rc=$?
}
installed_list() { grep '^install' "$work/apt.log" | tr ' ' '\n' | grep -v -e '^-' -e '^install$' | tr '\n' ' '; }

FAKE_APT_NONE="" install debian-12 run
got=$(installed_list)
want=$(echo "$run_debian" | sed 's/ nodejs//')	# node is on PATH here
[ $rc = 0 ] && ok "debian-12 run: installs, exit 0" || bad "debian-12 run: exit $rc: $out"
[ "$got" = "$want " ] && ok "debian-12 run: apt-get install $got" || bad "debian-12 run: installed '$got', expected '$want'"

FAKE_APT_NONE="linux-tools-6.8.0-45-generic stress-ng" install ubuntu-24.04 test
[ $rc = 1 ] && ok "ubuntu-24.04, no linux-tools for the kernel: exit 1" || bad "ubuntu-24.04 no linux-tools: exit $rc: $out"
expect_in "ubuntu-24.04: says which bpftool to give" "$out" "BPFTOOL=/usr/lib/linux-tools/VERSION/bpftool"
expect_in "ubuntu-24.04: a missing test package is named" "$out" "apt sources: stress-ng (test-only"
got=$(installed_list)
expect_in "ubuntu-24.04: installs the rest" "$got" "linux-tools-common .*libcmocka-dev"
case " $got " in
*" stress-ng "* | *" linux-tools-6.8.0-45-generic "*) bad "ubuntu-24.04: asked apt for a package it does not have: $got" ;;
*) ok "ubuntu-24.04: asks apt only for what it has" ;;
esac

# Ubuntu 22.04 with its own node (12) and libbpf (0.5), as if someone installed them: the
# version check after the install refuses both
old=$work/old
mkdir -p "$old"
printf '#!/bin/sh\n[ "$1" = --version ] && echo v12.22.9\nexit 1\n' > "$old/node"
printf '#!/bin/sh\ncase "$1" in --exists) exit 0;; --modversion) echo 0.5.0;; *) exit 1;; esac\n' > "$old/pkg-config"
chmod +x "$old"/*
saved_path=$PATH
PATH=$old:$PATH
FAKE_APT_NONE="" install ubuntu-22.04 run
PATH=$saved_path
[ $rc = 1 ] && ok "ubuntu-22.04, node 12 and libbpf 0.5: exit 1" || bad "ubuntu-22.04 old versions: exit $rc: $out"
expect_in "ubuntu-22.04: node 12 refused" "$out" "node v12.22.9 is too old"
expect_in "ubuntu-22.04: libbpf 0.5 refused" "$out" "libbpf 0.5.0 is too old"

# ---------------------------------------------------------------- scripts/step.sh
unset CI  # the first cases are the quiet, local kind; CI sets it for the whole test run
log=$work/step.log
out=$("$step" --new "$log" "good step" sh -c 'echo chatter; echo "ipclab: installing x"' 2>&1)
rc=$?
[ $rc = 0 ] && ok "step: a good step succeeds" || bad "step: a good step exited $rc"
expect_in "step: a good step is done in a line" "$out" "^ipclab: good step ... done"
expect_in "step: install-deps' lines are shown" "$out" "^ipclab: installing x"
if printf '%s\n' "$out" | grep -q chatter; then bad "step: chatter shown: $out"; else ok "step: chatter only in the log"; fi
grep -q chatter "$log" && ok "step: the log has the chatter" || bad "step: no chatter in $log"

out=$("$step" "$log" "bad step" sh -c 'echo one; echo "x.c:3:12: error: expected expression"; i=0; while [ $i -lt 40 ]; do echo "noise $i"; i=$((i + 1)); done; echo last words; exit 3' 2>&1)
rc=$?
[ $rc = 3 ] && ok "step: a failing step keeps its exit status" || bad "step: exit $rc, not 3"
expect_in "step: says it failed" "$out" "bad step ... FAILED (exit status 3"
expect_in "step: shows the first error" "$out" "x.c:3:12: error: expected expression"
expect_in "step: shows the last lines" "$out" "last words"
expect_in "step: points to the log" "$out" "full log: $log"
if printf '%s\n' "$out" | grep -q "noise 5$"; then bad "step: the whole output shown: $out"; else ok "step: not the whole output"; fi
grep -q "good step" "$log" && ok "step: the log keeps the earlier step" || bad "step: --new missing, earlier step lost"
out=$(CI=true "$step" "$log" "bad step" sh -c 'echo "noise 5"; exit 1' 2>&1)
expect_in "step: under CI, the step's whole output" "$out" "noise 5"

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
