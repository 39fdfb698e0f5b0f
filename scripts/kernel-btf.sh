#!/bin/sh
# kernel-btf.sh FILE OUT -- a kernel's BTF (raw, as in /sys/kernel/btf/vmlinux) into OUT.
#
# FILE may be
#   - raw BTF (a copy of /sys/kernel/btf/vmlinux),
#   - an ELF vmlinux with a .BTF section,
#   - a raw kernel image that is not ELF (arm64 `Image`): the BTF blob is found by its header,
#   - a compressed kernel (x86 bzImage `vmlinuz`, arm64 `vmlinuz` = gzip'd Image, EFI zboot):
#     every gzip, xz, zstd, lz4, bzip2 or lzma stream in it is decompressed in turn (the
#     kernel's payload starts at one of them) until one holds an ELF with .BTF or a BTF blob.
# The BTF blob is recognised by its header: magic 0xeB9F (little endian: 9f eb), version 1,
# flags 0, hdr_len 24; it is hdr_len + str_off + str_len bytes long.  Only little-endian
# kernels (x86_64, arm64).  A candidate counts only when bpftool reads it and it defines
# struct task_struct, so stray bytes that look like a header are skipped.
#
# Exit status 0 with OUT written, or 1 with one line on stderr saying why not.
set -eu

[ $# -eq 2 ] || { echo "usage: $0 KERNEL_FILE OUT_BTF" >&2; exit 2; }
in=$1 out=$2
BPFTOOL=${BPFTOOL:-$(command -v bpftool || echo /usr/sbin/bpftool)}

die() { echo "kernel-btf: $in: $*" >&2; exit 1; }
[ -f "$in" ] && [ -r "$in" ] || die "no such readable file"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/kernel-btf.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

magic() {	# FILE -> its first 4 bytes in hex
	od -An -tx1 -N4 "$1" | tr -d ' \n'
}

# is_kernel_btf FILE: raw BTF that bpftool reads and that describes a kernel
is_kernel_btf() {
	"$BPFTOOL" btf dump file "$1" format raw 2>/dev/null | grep -q "^\[[0-9]*\] STRUCT 'task_struct'"
}

# offsets FILE PERL_REGEX -> byte offsets of every match, one a line
offsets() {
	LC_ALL=C grep -obUaP "$2" "$1" 2>/dev/null | cut -d: -f1 || true
}

# blob_from FILE: the first BTF blob in FILE that is a kernel's, into OUT
blob_from() {
	for off in $(offsets "$1" '\x9f\xeb\x01\x00\x18\x00\x00\x00'); do
		# type_off type_len str_off str_len follow magic/version/flags/hdr_len
		set -- "$1" $(od -An -tu4 -j $((off + 8)) -N16 "$1")
		[ $# -eq 5 ] || continue
		size=$((24 + $4 + $5))
		[ "$2" -eq 0 ] && [ "$4" -ge "$3" ] || continue
		tail -c +$((off + 1)) "$1" | head -c "$size" > "$tmp/blob"
		if is_kernel_btf "$tmp/blob"; then
			chmod 644 "$tmp/blob"
			mv "$tmp/blob" "$out"
			return 0
		fi
	done
	return 1
}

# from_image FILE: FILE is raw BTF, an ELF with .BTF, or an image with a BTF blob inside
from_image() {
	case $(magic "$1") in
	9feb01*)
		is_kernel_btf "$1" || return 1
		cp "$1" "$tmp/copy" && chmod 644 "$tmp/copy" && mv "$tmp/copy" "$out"
		return 0 ;;
	7f454c46)	# ELF: its .BTF section (objcopy may not know a foreign machine: scan then)
		if objcopy -O binary --only-section=.BTF "$1" "$tmp/elf.btf" 2>/dev/null &&
		   is_kernel_btf "$tmp/elf.btf"; then
			chmod 644 "$tmp/elf.btf"
			mv "$tmp/elf.btf" "$out"
			return 0
		fi ;;
	esac
	blob_from "$1"
}

# stream formats: NAME PERL_REGEX_OF_MAGIC DECOMPRESSOR
decompress_from() {	# FILE OFFSET TOOL...: the stream at OFFSET, decompressed, into $tmp/payload
	# (sh has no locals: names of their own, the callers' loops use theirs)
	src=$1 start=$2
	shift 2
	# a stream is followed by the rest of the image: trailing garbage, so the status lies
	tail -c +$((start + 1)) "$src" | "$@" > "$tmp/payload" 2>/dev/null || true
	[ -s "$tmp/payload" ]
}

try_payloads() {	# FILE
	while read -r name re; do
		case $name in
		gzip)	tool="gzip -dc" ;;
		xz)	tool="xz -dc" ;;
		zstd)	tool="zstd -dc" ;;
		lz4)	tool="lz4 -dc" ;;
		bzip2)	tool="bzip2 -dc" ;;
		lzma)	tool="xz -dc --format=lzma" ;;
		esac
		command -v ${tool%% *} > /dev/null 2>&1 || continue
		for at in $(offsets "$1" "$re"); do
			# shellcheck disable=SC2086
			decompress_from "$1" "$at" $tool || continue
			if from_image "$tmp/payload"; then
				echo "kernel-btf: $in: BTF from the $name payload at byte $at" >&2
				return 0
			fi
		done
	done <<-EOF
	zstd \x28\xb5\x2f\xfd
	gzip \x1f\x8b\x08
	xz \xfd\x37\x7a\x58\x5a\x00
	lz4 \x02\x21\x4c\x18
	bzip2 BZh[1-9]\x31\x41\x59\x26\x53\x59
	lzma \x5d\x00\x00[\x00-\x80]\x00
	EOF
	return 1
}

from_image "$in" && exit 0
try_payloads "$in" && exit 0
die "no kernel BTF in it (not raw BTF, no ELF .BTF section, no BTF blob, and none in any gzip/xz/zstd/lz4/bzip2/lzma payload)"
