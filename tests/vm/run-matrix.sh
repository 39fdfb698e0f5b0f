#!/bin/sh
# tests/vm/run-matrix.sh BUILD_DIR -- the kernel matrix: the Debian cloud kernels of
# tests/vm/kernels.conf booted under QEMU (TCG), every scenario under every probe tier the kernel supports,
# checked on the host by tests/vm/check_matrix.py.
#
#   BUILD_DIR/vm/REL.log              the guest's serial console (kernel + tests/vm/init)
#   BUILD_DIR/vm/results/REL/results/ what the guest wrote: builds.txt, and per ipclab build B
#                                     (host, own, on-7.2: tests/vm/init) B/doctor.txt,
#                                     B/TIER/*.json, B/TIER.out ...
#   BUILD_DIR/vm/timings.txt          seconds per kernel (boot to power-off), per build, per
#                                     build and tier
#   BUILD_DIR/vm/report.md            the run as Markdown: the tables of docs/kernels.md
#
# Environment: IPCLAB_VM_TIMEOUT (seconds per kernel, default 900 for each ipclab build the guest
# runs, 1500 on arm64), IPCLAB_VM_ACCEL (default tcg,thread=single), IPCLAB_VM_ARM64_CPU (the
# arm64 guest's -cpu, default max,pauth-impdef=on), IPCLAB_VM_APPEND (extra kernel command line, e.g.
# "ipclab.tiers=fentry ipclab.scenarios_fentry=pipe_transfer,mmap_lazy ipclab.builds=host"),
# IPCLAB_VM_PARALLEL (guests booted at once, default the number of CPUs: each takes one host
# thread),
# IPCLAB_VM_KERNELS and IPCLAB_VM_SHARED_BUILDS (tests/vm/build-image.sh).
# Exit status: 0 when every check passed, 1 otherwise.
set -eu

[ $# -eq 1 ] || { echo "usage: $0 BUILD_DIR" >&2; exit 2; }
BUILD=$(cd "$1" && pwd)
HERE=$(cd "$(dirname "$0")" && pwd)
VM=$BUILD/vm
TIMEOUT_PER_BUILD=900
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
boot() {	# REL: one guest, its results into $VM/results/REL, its seconds into timings.txt
	rel=$1
	k=$VM/kernels/$rel
	log=$VM/$rel.log
	scratch=$VM/scratch-$rel.img
	out=$VM/results-$rel.img
	# a fresh ext4 disk for /var/tmp (the scenarios' files: page cache, writeback) and an
	# empty raw disk the guest writes its results onto as a tar archive
	rm -f "$scratch" "$out"
	truncate -s 1G "$scratch"
	mkfs.ext4 -q -F -E lazy_itable_init=0,lazy_journal_init=0 "$scratch"
	truncate -s 1G "$out"

	# host, own, and each shared build of this architecture made against another kernel
	builds=$(awk -v r="$rel" -v a="$(cat "$k/arch")" '$1 == "own-" r || ($1 ~ /^on-/ && $2 != r && $3 == a)' \
		"$VM/builds.list" | wc -l)
	guest_for "$(cat "$k/arch")"
	TIMEOUT=${IPCLAB_VM_TIMEOUT:-$((per_build * (1 + builds)))}
	echo "run-matrix: booting $rel, $((1 + builds)) ipclab builds (log: $log)"
	t0=$(date +%s)
	rc=0
	timeout -k 10 "$TIMEOUT" $qemu \
		$ACCEL -m 2G -smp 2 -nographic -no-reboot \
		-kernel "$k/vmlinuz" -initrd "$initrd" \
		-drive "file=$scratch,format=raw,if=virtio,cache=unsafe" \
		-drive "file=$out,format=raw,if=virtio" \
		-append "console=$console panic=-1 loglevel=5 ${IPCLAB_VM_APPEND:-} $tiers" \
		< /dev/null > "$log" 2>&1 || rc=$?
	t1=$(date +%s)
	[ $rc = 0 ] || echo "run-matrix: qemu for $rel exited with status $rc$([ $rc = 124 ] && echo " (timeout after $TIMEOUT s)")"
	echo "$rel total $((t1 - t0))" >> "$VM/timings.txt"

	mkdir -p "$VM/results/$rel"
	tar -xf "$out" -C "$VM/results/$rel" 2>/dev/null ||
		echo "run-matrix: no results archive from $rel"
	rm -f "$scratch" "$out"
	# "@@ipclab-vm tier T build=B rc=R seconds=S" -> "REL B/T S";
	# "@@ipclab-vm build B seconds=S" -> "REL B S"
	sed 's/\r$//' "$log" | awk -v r="$rel" '
		$2 == "tier" && $5 ~ /^rc=/ { split($4, b, "="); split($6, s, "="); print r, b[2] "/" $3, s[2] }
		$2 == "build" && $4 ~ /^seconds=/ { split($4, s, "="); print r, $3, s[2] }' >> "$VM/timings.txt"
	echo "run-matrix: $rel done in $((t1 - t0)) s"
}

# guest_for ARCH: the machine, its serial console, the initramfs (tests/vm/build-image.sh),
# seconds per ipclab build before qemu is stopped, and the tiers to run, for a Debian
# architecture; two virtio disks either way (vda, vdb in this order)
guest_for() {
	case $1 in
	amd64)
		qemu="qemu-system-x86_64 -cpu max" console=ttyS0 initrd=$VM/initramfs.cpio.gz
		per_build=$TIMEOUT_PER_BUILD tiers= ;;
	arm64)
		# ARM's 'virt' board. The CPU model: see ARM64_CPU above. Emulated instruction by
		# instruction: one build took 449-734 s (load average 8-10) where x86_64 took 80-370.
		qemu="qemu-system-aarch64 -M virt -cpu $ARM64_CPU" console=ttyAMA0
		initrd=$VM/initramfs-arm64.cpio.gz per_build=1500
		# Only the tiers the configuration promises: on arm64 6.1 fentry cannot attach (no
		# direct calls), and `ipclab doctor` already tries it and says why; running it anyway
		# (the failing load, then again with IPCLAB_DEBUG=1) cost 85-190 s of 449-734.
		# check_matrix.py fails the run if doctor attaches a tier that was left out.
		# (tests/vm/init takes the first ipclab.tiers=: IPCLAB_VM_APPEND's wins.)
		tiers="ipclab.tiers=$(tr ' ' ',' < "$k/expect")" ;;
	*)	return 1 ;;
	esac
}
for rel in $(cat "$VM/kernels.list"); do
	arch=$(cat "$VM/kernels/$rel/arch")
	k=$VM/kernels/$rel
	guest_for "$arch" || { echo "run-matrix: $rel: no guest for $arch" >&2; exit 1; }
done

# IPCLAB_VM_PARALLEL lanes, each taking the next kernel from a queue until none is left
PARALLEL=${IPCLAB_VM_PARALLEL:-$(nproc)}
cp "$VM/kernels.list" "$VM/queue"
next_kernel() {	# pops the queue's first line (under a lock: the lanes share it)
	flock 8
	head -n 1 "$VM/queue"
	sed -i 1d "$VM/queue"
	flock -u 8
}
lane=0
while [ $lane -lt "$PARALLEL" ]; do
	(
		exec 8>> "$VM/queue.lock"
		while rel=$(next_kernel) && [ -n "$rel" ]; do
			boot "$rel"
		done
	) &
	lane=$((lane + 1))
done
wait
rm -f "$VM/queue" "$VM/queue.lock"
end_all=$(date +%s)
echo "all total $((end_all - start_all))" >> "$VM/timings.txt"

status=0
"$PY" "$HERE/check_matrix.py" "$VM" --markdown "$VM/report.md" || status=1
echo "run-matrix: the checker against deliberately broken copies of these results:"
"$PY" "$HERE/selftest_check.py" "$VM" || status=1
echo "run-matrix: seconds (kernel total boot to power-off, then per tier):"
sed 's/^/  /' "$VM/timings.txt"
exit $status
