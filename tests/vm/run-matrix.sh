#!/bin/sh
# tests/vm/run-matrix.sh BUILD_DIR -- the kernel matrix: the Debian cloud kernels of
# tests/vm/kernels.conf booted under QEMU (TCG), every scenario under every probe tier the kernel supports,
# checked on the host by tests/vm/check_matrix.py.
#
#   BUILD_DIR/vm/REL.log              the guest's serial console (kernel + tests/vm/init)
#   BUILD_DIR/vm/results/REL/         what the guest wrote (doctor.txt, TIER/*.json, TIER.out ...)
#   BUILD_DIR/vm/timings.txt          seconds per kernel (boot to power-off) and per tier
#   BUILD_DIR/vm/report.md            the run as Markdown: the tables of docs/kernels.md
#
# Environment: IPCLAB_VM_TIMEOUT (seconds per kernel, default 900, arm64 1800),
# IPCLAB_VM_ACCEL (default tcg,thread=single), IPCLAB_VM_ARM64_CPU (the arm64 guest's -cpu,
# default max,pauth-impdef=on), IPCLAB_VM_APPEND (extra kernel command line, e.g.
# "ipclab.tiers=fentry ipclab.scenarios_fentry=pipe_transfer,mmap_lazy").
# Exit status: 0 when every check passed, 1 otherwise.
set -eu

[ $# -eq 1 ] || { echo "usage: $0 BUILD_DIR" >&2; exit 2; }
BUILD=$(cd "$1" && pwd)
HERE=$(cd "$(dirname "$0")" && pwd)
VM=$BUILD/vm
# the arm64 guest is emulated instruction by instruction: 449 s where an x86_64 one takes 80
TIMEOUT=${IPCLAB_VM_TIMEOUT:-900}
TIMEOUT_ARM64=${IPCLAB_VM_TIMEOUT:-1800}
# TCG, one host thread for both vCPUs. KVM hangs at boot on the project's machines; multi-threaded
# TCG (QEMU 7.2's default) breaks the guest kernel's live code patching, which every probe attach
# does (static keys of tracepoints, fentry trampolines, kprobes): 6.12 guests died of
# "Oops: int3" in a patched jump label (handle_softirqs, __schedule) and 6.1 guests hung in
# ipclab's attach (soft lockup on both vCPUs, or silently): 3 of 6 stress boots (20-25
# `ipclab doctor` each, 3 attaches per doctor) and 1 of 5 matrix boots failed so.
# thread=single: 0 of 4 stress boots, for about 1.5x the time.
ACCEL=${IPCLAB_VM_ACCEL:--accel tcg,thread=single}
# The arm64 guest's CPU. "max" emulates pointer authentication with the architected QARMA5
# cipher on every signed return in the kernel, which is very slow in TCG: booting to /init took
# 19 s instead of 4, and `ipclab doctor` did not end within 5 minutes (it takes ~95 s with
# pauth-impdef=on, a cheap implementation-defined cipher). cortex-a72 (no pointer
# authentication, ARMv8.0) was no faster than max,pauth-impdef=on (114 s vs 101 s to the end of
# doctor, machine loaded); max keeps the guest close to current hardware (LSE atomics, BTI).
ARM64_CPU=${IPCLAB_VM_ARM64_CPU:-max,pauth-impdef=on}
PY=/usr/bin/python3

# one matrix at a time per build directory: a second one (say, `make test` and `make test-vm`
# at once) waits here instead of deleting the first one's disk images under its guest
mkdir -p "$VM"
exec 9> "$VM/.lock"
if ! flock -n 9; then
	echo "run-matrix: another matrix is running in $VM: waiting for it"
	flock 9
fi

start_all=$(date +%s)
"$HERE/build-image.sh" "$BUILD"

# the scenarios every tier must have run: what this ipclab lists
"$BUILD/ipclab" list | awk '/^  /{ print $1 }' > "$VM/scenarios.list"
[ -s "$VM/scenarios.list" ] || { echo "run-matrix: '$BUILD/ipclab list' printed no scenario" >&2; exit 1; }

: > "$VM/timings.txt"
rm -rf "$VM/results"
for rel in $(cat "$VM/kernels.list"); do
	k=$VM/kernels/$rel
	arch=$(cat "$k/arch")
	# the machine, its serial console and the initramfs of the kernel's architecture
	# (tests/vm/build-image.sh); two virtio disks either way (vda, vdb in this order)
	case $arch in
	amd64)
		qemu="qemu-system-x86_64 -cpu max" console=ttyS0 initrd=$VM/initramfs.cpio.gz
		limit=$TIMEOUT tiers= ;;
	arm64)
		# ARM's 'virt' board. The CPU model: see ARM64_CPU above.
		qemu="qemu-system-aarch64 -M virt -cpu $ARM64_CPU" console=ttyAMA0
		initrd=$VM/initramfs-arm64.cpio.gz limit=$TIMEOUT_ARM64
		# Only the tiers the configuration promises: on arm64 6.1 fentry cannot attach (no
		# direct calls), and `ipclab doctor` already tries it and says why; running it anyway
		# (the failing load, then again with IPCLAB_DEBUG=1) cost 85-190 s of 449-900.
		# check_matrix.py fails the run if doctor attaches a tier that was left out.
		# (tests/vm/init takes the first ipclab.tiers=: IPCLAB_VM_APPEND's wins.)
		tiers="ipclab.tiers=$(tr ' ' ',' < "$k/expect")" ;;
	*)	echo "run-matrix: $rel: no guest for $arch" >&2; exit 1 ;;
	esac
	log=$VM/$rel.log
	scratch=$VM/scratch-$rel.img
	out=$VM/results-$rel.img
	# a fresh ext4 disk for /var/tmp (the scenarios' files: page cache, writeback) and an
	# empty raw disk the guest writes its results onto as a tar archive
	rm -f "$scratch" "$out"
	truncate -s 1G "$scratch"
	mkfs.ext4 -q -F -E lazy_itable_init=0,lazy_journal_init=0 "$scratch"
	truncate -s 1G "$out"

	echo "run-matrix: booting $rel (log: $log)"
	t0=$(date +%s)
	rc=0
	timeout -k 10 "$limit" $qemu \
		$ACCEL -m 2G -smp 2 -nographic -no-reboot \
		-kernel "$k/vmlinuz" -initrd "$initrd" \
		-drive "file=$scratch,format=raw,if=virtio,cache=unsafe" \
		-drive "file=$out,format=raw,if=virtio" \
		-append "console=$console panic=-1 loglevel=5 ${IPCLAB_VM_APPEND:-} $tiers" \
		< /dev/null > "$log" 2>&1 || rc=$?
	t1=$(date +%s)
	[ $rc = 0 ] || echo "run-matrix: qemu for $rel exited with status $rc$([ $rc = 124 ] && echo " (timeout after $limit s)")"
	echo "$rel total $((t1 - t0))" >> "$VM/timings.txt"

	mkdir -p "$VM/results/$rel"
	tar -xf "$out" -C "$VM/results/$rel" 2>/dev/null ||
		echo "run-matrix: no results archive from $rel"
	rm -f "$scratch" "$out"
	grep '^@@ipclab-vm tier .* rc=' "$log" | sed 's/\r$//' |
		awk -v r="$rel" '{ split($5, s, "="); print r, $3, s[2] }' >> "$VM/timings.txt"
	echo "run-matrix: $rel done in $((t1 - t0)) s"
done
end_all=$(date +%s)
echo "all total $((end_all - start_all))" >> "$VM/timings.txt"

status=0
"$PY" "$HERE/check_matrix.py" "$VM" --markdown "$VM/report.md" || status=1
echo "run-matrix: the checker against deliberately broken copies of these results:"
"$PY" "$HERE/selftest_check.py" "$VM" || status=1
echo "run-matrix: seconds (kernel total boot to power-off, then per tier):"
sed 's/^/  /' "$VM/timings.txt"
exit $status
