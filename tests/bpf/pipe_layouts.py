#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""pipe_layouts.py CLANG VMLINUX_H SRC_DIR CFLAGS... -- the BPF object compiles against
every layout kernels have given pipe_inode_info's head and tail (bpf/core_fixes.bpf.h).

The build's vmlinux.h is rewritten into each layout (only the head/tail member of struct
pipe_inode_info changes) and the BPF object is built against it as the build does
(scripts/bpf-object.sh):
  plain       5.5-6.13: unsigned int head; unsigned int tail;
  union       6.14-6.18: anonymous union { head_tail; struct { pipe_index_t head, tail; }; }
  union16     the same on a 32-bit kernel: 16-bit indices
  named       6.19+: `union pipe_index;` as an anonymous member, which clang drops without
              -fms-extensions: the struct seems to have no head or tail at all
              (before core_fixes.bpf.h: "no member named 'head' in 'struct pipe_inode_info'")
Each object must carry the local flavor whose head/tail CO-RE relocates at load time.
Exit status 1 when a layout does not compile.
"""
import os
import re
import subprocess
import sys
import tempfile

LAYOUTS = {
    "plain": "\tunsigned int head;\n\tunsigned int tail;\n",
    "union": "\tunion {\n\t\tlong unsigned int head_tail;\n\t\tstruct {\n"
             "\t\t\tpipe_index_t head;\n\t\t\tpipe_index_t tail;\n\t\t};\n\t};\n",
    "union16": "\tunion {\n\t\tunsigned int head_tail;\n\t\tstruct {\n"
               "\t\t\tshort unsigned int head;\n\t\t\tshort unsigned int tail;\n\t\t};\n\t};\n",
    "named": "\tunion pipe_index;\n",
}

# the head/tail member in any of the layouts above, as bpftool prints it
MEMBER = re.compile(r"(struct pipe_inode_info \{\n(?:\t[^\n]*\n)*?\twait_queue_head_t wr_wait;\n)"
                    r"((?:\tunsigned int head;\n\tunsigned int tail;\n)"
                    r"|(?:\tunion \{\n(?:\t\t[^\n]*\n)+?\t\};\n)"
                    r"|(?:\tunion pipe_index;\n))")

# types the layouts name, where the header lacks them (a kernel before 6.14)
EXTRA = ("#ifndef IPCLAB_TEST_PIPE_INDEX\n#define IPCLAB_TEST_PIPE_INDEX\n"
         "typedef unsigned int pipe_index_t;\n#endif\n")


def main():
    clang, vmlinux_h, src = sys.argv[1:4]
    cflags = sys.argv[4:]
    text = open(vmlinux_h).read()
    if not MEMBER.search(text):
        print(f"{vmlinux_h}: struct pipe_inode_info has none of the known head/tail layouts")
        return 1
    has_typedef = re.search(r"\btypedef [^;]* pipe_index_t;", text) is not None
    failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        jobs = {}
        for name, member in LAYOUTS.items():	# compiled side by side: ~10 s each
            variant = MEMBER.sub(lambda m: m.group(1) + member, text, count=1)
            if not has_typedef:
                variant = variant.replace("struct pipe_inode_info {",
                                          EXTRA + "struct pipe_inode_info {", 1)
            inc = os.path.join(tmp, name)
            os.mkdir(inc)
            with open(os.path.join(inc, "vmlinux.h"), "w") as f:
                f.write(variant)
            obj = os.path.join(inc, "ipclab.bpf.o")
            cmd = ["sh", os.path.join(src, "scripts", "bpf-object.sh"), obj, src, clang,
                   os.environ.get("BPFTOOL", "bpftool"), *cflags, "-I" + inc]
            jobs[name] = (obj, subprocess.Popen(cmd, stderr=subprocess.PIPE, text=True))
        for name, (obj, proc) in jobs.items():
            _, stderr = proc.communicate()
            if proc.returncode != 0:
                errors = [l for l in stderr.splitlines() if "error:" in l]
                print(f"FAIL {name}: does not compile: " + "; ".join(errors[:3]))
                failed = 1
                continue
            btf = subprocess.run([os.environ.get("BPFTOOL", "bpftool"), "btf", "dump", "file", obj],
                                 capture_output=True, text=True).stdout
            if "STRUCT 'pipe_inode_info___indices'" not in btf:
                print(f"FAIL {name}: no pipe_inode_info___indices in the object's BTF")
                failed = 1
                continue
            print(f"ok   {name}")
    return failed


if __name__ == "__main__":
    sys.exit(main())
