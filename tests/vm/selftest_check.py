#!/usr/bin/python3
"""selftest_check.py VM_DIR -- check_matrix.py is not a rubber stamp.

Copies one kernel's real results from VM_DIR into a scratch directory, breaks them one way
at a time, and requires check_matrix.check_kernel to report each break (and to stay quiet
about a change in a value the integration tests mark as a race). Exits 1 if any mutation
goes unnoticed.
"""
import json
import os
import re
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import check_matrix  # noqa: E402


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def save(path, t):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(t, f)


def nth_event(t, comm, etype, k):
    pid = [p["pid"] for p in t["processes"] if p["comm"] == comm][0]
    return [e for e in t["events"] if e["pid"] == pid and e["type"] == etype][k]


def main():
    vm = sys.argv[1]
    releases = open(os.path.join(vm, "kernels.list")).read().split()
    scenarios = open(os.path.join(vm, "scenarios.list")).read().split()
    rel = None
    for r in releases:
        res = os.path.join(vm, "results", r, "results")
        tiers = [t for t in check_matrix.TIERS
                 if os.path.exists(os.path.join(res, t, "pipe_transfer.json"))]
        if len(tiers) >= 2:
            rel = r
            break
    if rel is None:	# check_matrix.py has already failed the run if tiers were missing
        print("selftest_check: skipped: no kernel has results from two tiers")
        return 0
    a, b = tiers[0], tiers[1]
    # scenarios the mutations touch: keep the copy small
    used = ["pipe_transfer", "pipe_read_blocks", "mmap_anon_shared", "fifo_hello"]

    def mutation_pipe(res):
        t = load(os.path.join(res, b, "pipe_transfer.json"))
        nth_event(t, "writer", "pipe_write", 1)["occ_after"] += 1
        save(os.path.join(res, b, "pipe_transfer.json"), t)

    def mutation_symbol(res):
        t = load(os.path.join(res, a, "pipe_transfer.json"))
        p = t["meta"]["probes"]["pipe_write"]
        p["symbol"] = p["symbol"].replace("pipe_write", "anon_pipe_write") \
            if a != "tracepoint" else "fentry/fexit:pipe_write"
        save(os.path.join(res, a, "pipe_transfer.json"), t)

    def mutation_kernel(res):
        t = load(os.path.join(res, a, "fifo_hello.json"))
        t["meta"]["kernel"] = "6.18.0-other"
        save(os.path.join(res, a, "fifo_hello.json"), t)

    def mutation_machine(res):	# a trace from a build of the other architecture
        t = load(os.path.join(res, b, "pipe_read_blocks.json"))
        t["meta"]["machine"] = "x86_64" if t["meta"].get("machine") == "aarch64" else "aarch64"
        save(os.path.join(res, b, "pipe_read_blocks.json"), t)

    def mutation_build_arch(res):	# doctor of an ipclab built for another architecture
        path = os.path.join(res, "doctor.txt")
        with open(path, encoding="utf-8") as f:
            text = f.read()
        other = "x86_64, x86_64" if "built for aarch64" in text else "aarch64, arm64"
        text = re.sub(r"built for [a-z0-9_]+, [a-z0-9_]+ syscall", "built for %s syscall" % other,
                      text)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)

    def mutation_claim(res):
        t = load(os.path.join(res, b, "fifo_hello.json"))
        t["claims"][0]["status"] = "FAIL"
        save(os.path.join(res, b, "fifo_hello.json"), t)

    def mutation_fault(res):
        t = load(os.path.join(res, b, "mmap_anon_shared.json"))
        shm = [o["id"] for o in t["objects"] if o.get("backing") == "shmem" and not o.get("file")]
        e = [e for e in t["events"] if e["type"] == "fault" and e.get("mapping") in shm and
             e["pid"] == [p["pid"] for p in t["processes"] if p["comm"] == "child"][0]][0]
        e["page"] = 2
        save(os.path.join(res, b, "mmap_anon_shared.json"), t)

    def mutation_missing(res):
        os.unlink(os.path.join(res, b, "fifo_hello.json"))

    def mutation_tier(res):
        with open(os.path.join(res, b + ".rc"), "w") as f:
            f.write("4\n")

    def race_only(res):	# pipe_read_blocks: the writer's occ_after is a documented race
        t = load(os.path.join(res, b, "pipe_read_blocks.json"))
        nth_event(t, "writer", "pipe_write", 0)["occ_after"] += 7
        save(os.path.join(res, b, "pipe_read_blocks.json"), t)

    cases = [
        ("occupancy differs between tiers", mutation_pipe, "sequence differs"),
        ("wrong pipe function in meta", mutation_symbol, "meta.probes.pipe_write"),
        ("wrong kernel in meta", mutation_kernel, "meta.kernel"),
        ("wrong machine in meta", mutation_machine, "meta.machine"),
        ("doctor of a build for another architecture", mutation_build_arch, "architecture"),
        ("a claim FAILs", mutation_claim, "claim "),
        ("fault set differs between tiers", mutation_fault, "faults in"),
        ("a trace is missing", mutation_missing, "no trace"),
        ("an expected tier does not attach", mutation_tier, "cannot attach"),
        ("a race value differs (must pass)", race_only, None),
    ]

    tmp = tempfile.mkdtemp(prefix="ipclab-vm-selftest-")
    bad = 0
    try:
        src = os.path.join(vm, "results", rel, "results")
        for name in ("kernels.list",):
            shutil.copy(os.path.join(vm, name), tmp)
        os.makedirs(os.path.join(tmp, "kernels", rel))
        for name in ("expect", "arch"):
            shutil.copy(os.path.join(vm, "kernels", rel, name), os.path.join(tmp, "kernels", rel))
        shutil.copy(os.path.join(vm, rel + ".log"), tmp)
        base = set()
        for i, (what, mutate, want) in enumerate([("baseline", None, None)] + cases):
            res = os.path.join(tmp, "results", rel, "results")
            shutil.rmtree(os.path.join(tmp, "results"), ignore_errors=True)
            os.makedirs(res)
            for f in os.listdir(src):
                if os.path.isfile(os.path.join(src, f)):
                    shutil.copy(os.path.join(src, f), res)
            for t in (a, b):
                os.makedirs(os.path.join(res, t))
                for s in used:
                    shutil.copy(os.path.join(src, t, s + ".json"), os.path.join(res, t))
            if mutate:
                mutate(res)
            _, _, fails = check_matrix.check_kernel(tmp, rel, [s for s in scenarios if s in used])
            fails = set(fails)
            if i == 0:
                base = fails
                continue
            new = fails - base
            if want is None:
                ok = not new
            else:
                ok = any(want in f for f in new)
            print("  %s  %s%s" % ("ok  " if ok else "MISS", what,
                                  "" if ok else ": new failures %s" % sorted(new)))
            bad += not ok
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print("selftest_check: %s" % ("the checker caught every mutation" if not bad else
                                  "%d mutation(s) went unnoticed" % bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
