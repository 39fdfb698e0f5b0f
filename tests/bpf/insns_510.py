#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""insns_510.py BPF_OBJECT -- find instructions that Linux 5.10's verifier refuses on sight.

Before it follows a single path, 5.10 walks every instruction of a program and refuses a
load or store whose mode or immediate it does not know ("BPF_STX uses reserved fields"):
the BPF atomics of 5.12 (compare-and-swap, fetch-and-add that returns the old value, and/or/
xor/xchg) are such stores, so one anywhere in a program, dead code included, fails the whole
object there.  Only the plain atomic add whose result is unused (BPF_XADD, imm 0) is known.
The object built for old kernels (IPCLAB_NO_ATOMICS) must have none; this prints each one,
so the kernel matrix is not the first to find them.  Exit status 1 when there is one.
"""
import re
import subprocess
import sys

BPF_LDX, BPF_STX = 0x01, 0x03
BPF_MEM, BPF_XADD = 0x60, 0xc0


def refused(code, imm):
    cls, mode = code & 0x07, code & 0xe0
    if cls == BPF_LDX:
        return mode != BPF_MEM or imm != 0
    if cls == BPF_STX:
        return mode not in (BPF_MEM, BPF_XADD) or imm != 0
    return False


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    out = subprocess.run(["llvm-objdump", "-d", sys.argv[1]], capture_output=True, text=True,
                         check=True).stdout
    section, bad, seen = "?", 0, 0
    for line in out.splitlines():
        m = re.match(r"^Disassembly of section (\S+):", line)
        if m:
            section = m.group(1)
            continue
        # "    1060:	db 13 08 00 f1 00 00 00	r0 = cmpxchg_64(r3 + 8, r0, r1)"
        m = re.match(r"^\s*(\d+):\s+((?:[0-9a-f]{2} ){7}[0-9a-f]{2})\s*(.*)$", line)
        if not m:
            continue
        b = bytes.fromhex(m.group(2).replace(" ", ""))
        seen += 1
        imm = int.from_bytes(b[4:8], "little", signed=True)
        if refused(b[0], imm):
            bad += 1
            print("%s: insn %s: %s (code 0x%02x, imm 0x%x)" % (section, m.group(1),
                                                               m.group(3), b[0], imm & 0xffffffff))
    if not seen:
        print("insns_510: no instructions found in %s" % sys.argv[1], file=sys.stderr)
        return 2
    print("insns_510: %d instruction(s) 5.10 refuses in %s" % (bad, sys.argv[1]))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
