#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""loops_61.py BPF_OBJECT -- find loops that Linux 6.1's verifier refuses before it runs.

6.1's check_cfg() accepts a back-edge (a loop) only from a jump instruction; a loop that
clang enters in the middle and closes by falling through into its head ("rotated" loops)
fails to load with "back-edge from insn N to N+1", even as root, although newer kernels
load it.  This walks every function of the object depth-first as check_cfg() does and
prints such back-edges, so the kernel matrix is not the first to find them.
Exit status 1 when there is one.
"""
import re
import subprocess
import sys


def functions(obj):
    out = subprocess.run(["llvm-objdump", "-d", "--no-show-raw-insn", obj],
                         capture_output=True, text=True, check=True).stdout
    funcs, cur = {}, None
    for line in out.splitlines():
        m = re.match(r"^[0-9a-f]+ <([^>]+)>:", line)
        if m:
            if not m.group(1).startswith(("LBB", ".L")):	# local labels are not functions
                cur = m.group(1)
                funcs[cur] = []
            continue
        m = re.match(r"^\s+(\d+):\s+(.*)$", line)
        if m and cur:
            funcs[cur].append((int(m.group(1)), m.group(2).strip()))
    return funcs


def edges(insns, t):
    """(successor, may close a loop) of instruction t, as 6.1's visit_insn() sees them."""
    txt = insns[t]
    if txt.startswith("exit"):
        return []
    m = re.search(r"goto ([+-]\d+)", txt)
    if m:
        target = t + int(m.group(1)) + 1
        return [(target, True)] if txt.startswith("goto") else [(t + 1, True), (target, True)]
    return [(t + (2 if txt.endswith(" ll") else 1), False)]	# ld_imm64 takes two slots


def bad_back_edges(name, listing):
    base = listing[0][0]
    insns = {n - base: txt for n, txt in listing}
    state, stack, found = {0: 1}, [0], []
    todo = {0: iter(edges(insns, 0))}
    while stack:
        t = stack[-1]
        for w, loop_ok in todo[t]:
            if w not in insns or state.get(w) == 2:
                continue
            if state.get(w) == 1:
                if not loop_ok:
                    found.append("%s: back-edge from insn %d (%s) to %d (%s)"
                                 % (name, t, insns[t], w, insns[w]))
                continue
            state[w] = 1
            stack.append(w)
            todo[w] = iter(edges(insns, w))
            break
        else:
            state[t] = 2
            stack.pop()
    return found


def main():
    if len(sys.argv) != 2:
        print("usage: loops_61.py BPF_OBJECT", file=sys.stderr)
        return 2
    funcs = functions(sys.argv[1])
    found = [b for name, listing in funcs.items() if listing
             for b in bad_back_edges(name, listing)]
    for b in found:
        print(b)
    print("%d functions, %d loops 6.1 would refuse" % (len(funcs), len(found)))
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
