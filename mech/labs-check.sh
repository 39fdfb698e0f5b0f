# labs-check.sh -- what every mech/NAME/labs/build-check.sh shares (sourced, not run): build
# each lab program of a folder alone and run it once.
#
# Each $LABS_DIR/*.c is built on its own with
#   $CC -Wall -Wextra -Werror -O2 -o OUT FILE.c      (each includes only ../../lab.h)
# and run once; the check passes when every build succeeds and every run exits 0.
#
# Run as root, the programs run as the user "nobody" (setpriv), because the labs must work
# unprivileged; IPCLAB_LABS_AS_ROOT=1 keeps root.  No traces, no BPF: this only checks that
# the kernel behaves as each program predicts (its exit status).
#
# The caller sets LABS_DIR (its labs/ folder) and LABS_NAME (for the scratch directory's
# name), sources this file, and calls labs_check_all [NAMES RUN BY THE CALLER], then
# labs_check_done.  Built programs are in $out.
#
# Environment:
#   CC             compiler (default cc)
#   TIMEOUT        seconds one program may take (default 20)
#
# Exit status 0 when all pass, 1 when any failed, 2 for a usage or setup problem.
set -eu

CC=${CC:-cc}
TIMEOUT=${TIMEOUT:-20}

out=$(mktemp -d "${TMPDIR:-/tmp}/ipclab-$LABS_NAME-labs.XXXXXX")
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
	if "$CC" -Wall -Wextra -Werror -O2 -o "$out/$1" "$LABS_DIR/$1.c" \
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

# Build every program; run each alone but those named (the caller runs them together).
labs_check_all() {	# [NAME ...]
	for src in "$LABS_DIR"/*.c; do
		name=$(basename "$src" .c)
		build "$name" || continue
		case " $* " in
		*" $name "*) ;;
		*) run_alone "$name" ;;
		esac
	done
}

labs_check_done() {
	echo "build-check: $built built, $failed failed"
	[ "$failed" -eq 0 ]
}
