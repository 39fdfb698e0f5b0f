#!/bin/sh
# tests/bpf/kernel_btf.sh SRC_DIR -- scripts/kernel-btf.sh finds a kernel's BTF in every form a
# kernel ships it in, and a wrong file gets one line.  The inputs are made here from the
# running kernel's BTF: an ELF with a .BTF section, a raw image (the blob between other
# bytes, as in an arm64 Image), and that image compressed by each tool present, behind a
# header (as in a bzImage or an EFI zboot image).  Exit 77 (skipped) without kernel BTF.
set -eu
src=$1
script=$src/scripts/kernel-btf.sh
BTF=/sys/kernel/btf/vmlinux
[ -r $BTF ] || { echo "no $BTF: skipped"; exit 77; }
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
fail=0
cp $BTF "$t/raw.btf"

check() {	# NAME FILE: the BTF extracted from FILE is the kernel's
	if ! "$script" "$2" "$t/out.btf" 2> "$t/err" || ! cmp -s "$t/out.btf" "$t/raw.btf"; then
		echo "FAIL $1: $(cat "$t/err")"
		fail=1
	else
		echo "ok   $1 $(cat "$t/err")"
	fi
	rm -f "$t/out.btf"
}

check "raw BTF" "$t/raw.btf"

printf '.section .BTF,"a"\n.incbin "%s"\n' "$t/raw.btf" > "$t/btf.s"
cc -c "$t/btf.s" -o "$t/vmlinux.elf"
check "ELF with .BTF" "$t/vmlinux.elf"

# a raw image: code before the blob, more sections after it
head -c 70001 /dev/urandom > "$t/image"
cat "$t/raw.btf" >> "$t/image"
head -c 30000 /dev/urandom >> "$t/image"
check "raw image (arm64 Image)" "$t/image"

for z in "gzip -1" "xz -0 -T1" "zstd -1 -q" "lz4 -l -q" "bzip2 -1" "xz --format=lzma -0"; do
	command -v ${z%% *} > /dev/null || { echo "skip $z: not installed"; continue; }
	# a boot header before the payload, the rest of the image after it
	head -c 17000 /dev/urandom > "$t/vmlinuz"
	$z -c < "$t/image" >> "$t/vmlinuz"
	head -c 5000 /dev/zero >> "$t/vmlinuz"
	check "vmlinuz ($z)" "$t/vmlinuz"
done

# not a kernel: exit 1, one line naming the file
printf 'not a kernel\n' > "$t/bad"
if "$script" "$t/bad" "$t/out.btf" 2> "$t/err"; then
	echo "FAIL bad file accepted"; fail=1
elif [ "$(wc -l < "$t/err")" != 1 ] || ! grep -q "^kernel-btf: $t/bad: no kernel BTF" "$t/err"; then
	echo "FAIL bad file: expected one line, got:"; cat "$t/err"; fail=1
else
	echo "ok   bad file: $(cat "$t/err")"
fi
[ ! -e "$t/out.btf" ] || { echo "FAIL bad file left an output"; fail=1; }

# gen-vmlinux.sh with a KERNEL_BTF: the header bpftool makes of that BTF
bpftool=$(command -v bpftool || echo /usr/sbin/bpftool)
"$src/scripts/gen-vmlinux.sh" "$bpftool" /nonexistent "$t/vmlinux.h" native "$t/vmlinux.elf" 2> /dev/null
"$bpftool" btf dump file "$t/raw.btf" format c > "$t/expected.h"
if cmp -s "$t/vmlinux.h" "$t/expected.h"; then
	echo "ok   gen-vmlinux.sh KERNEL_BTF=ELF"
else
	echo "FAIL gen-vmlinux.sh KERNEL_BTF=ELF: vmlinux.h differs"; fail=1
fi
exit $fail
