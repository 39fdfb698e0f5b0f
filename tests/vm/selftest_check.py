#!/usr/bin/python3
"""selftest_check.py VM_DIR -- check_matrix.py is not a rubber stamp.

Copies one kernel's real results from VM_DIR into a scratch directory, breaks them one way
at a time, and requires check_matrix.check_kernel to report each break (and to stay quiet
about a change in a value the integration tests mark as a race). The breaks are made in the
host build's results, and, where the guest ran another build (own, on-7.2), in that build's:
its traces differ from the host build's in every tier alike, a claim of it FAILs, a tier
does not attach for it, it did not run at all. Exits 1 if any mutation goes unnoticed.
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
    for r in releases:	# prefer a kernel whose guest ran another build besides the host's
        res = os.path.join(vm, "results", r, "results", "host")
        tiers = [t for t in check_matrix.TIERS
                 if os.path.exists(os.path.join(res, t, "pipe_transfer.json"))]
        builds = [line.split()[0] for line in
                  open(os.path.join(vm, "results", r, "results", "builds.txt")).read().splitlines()
                  if line.strip()] if os.path.exists(
                      os.path.join(vm, "results", r, "results", "builds.txt")) else ["host"]
        if len(tiers) >= 2 and (rel is None or len(builds) > 1):
            rel, rtiers, rbuilds = r, tiers, builds
            if len(builds) > 1:
                break
    if rel is not None:
        tiers, builds = rtiers, rbuilds
    if rel is None:	# check_matrix.py has already failed the run if tiers were missing
        print("selftest_check: skipped: no kernel has results from two tiers")
        return 0
    a, b = tiers[0], tiers[1]
    extra = [x for x in builds if x != "host"]
    other = extra[0] if extra else None
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

    def mutation_bpf_build(res):	# the loader fell back from the build doctor calls for
        t = load(os.path.join(res, a, "fifo_hello.json"))
        t["meta"]["bpf_build"] = "main" if t["meta"].get("bpf_build") != "main" else "direct"
        save(os.path.join(res, a, "fifo_hello.json"), t)

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

    def mutation_fault_hook(res):	# the other architecture's fault probe
        t = load(os.path.join(res, a, "mmap_anon_shared.json"))
        p = t["meta"]["probes"]["faults"]
        p["symbol"] = p["symbol"].replace("tp_btf/page_fault_user+page_fault_kernel",
                                          "perf_event:page-faults") \
            if p["symbol"].startswith("tp_btf/") else \
            p["symbol"].replace("perf_event:page-faults", "tp_btf/page_fault_user+page_fault_kernel")
        save(os.path.join(res, a, "mmap_anon_shared.json"), t)

    def mutation_movers(res):	# pipe_movers: one event's slots (what 5.10 differs in)
        path = os.path.join(res, b, "pipe_movers-movers.json")
        t = load(path)
        e = [e for e in t["events"] if e.get("syscall") == "pwritev2"][0]
        e["slots_after"] += 1 if e["slots_after"] == 4 else -1
        save(path, t)

    def mutation_missing(res):
        os.unlink(os.path.join(res, b, "fifo_hello.json"))

    def mutation_tier(res):
        with open(os.path.join(res, b + ".rc"), "w") as f:
            f.write("4\n")

    def other_differs(top):	# the other build, every tier alike: only the builds disagree
        for t in (a, b):
            path = os.path.join(top, other, t, "pipe_transfer.json")
            tr = load(path)
            nth_event(tr, "writer", "pipe_write", 1)["occ_after"] += 1
            save(path, tr)

    def other_claim(top):
        path = os.path.join(top, other, b, "fifo_hello.json")
        tr = load(path)
        tr["claims"][0]["status"] = "FAIL"
        save(path, tr)

    def other_tier(top):
        with open(os.path.join(top, other, b + ".rc"), "w") as f:
            f.write("4\n")

    def other_not_run(top):
        path = os.path.join(top, "builds.txt")
        lines = [x for x in open(path).read().splitlines() if x.split()[:1] != [other]]
        with open(path, "w") as f:
            f.write("\n".join(lines) + "\n")

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
        ("another build of the BPF object in meta", mutation_bpf_build, "meta.bpf_build"),
        ("a claim FAILs", mutation_claim, "claim "),
        ("fault set differs between tiers", mutation_fault, "faults in"),
        ("a pipe_movers event differs", mutation_movers, "pipe_movers movers"),
        ("a trace is missing", mutation_missing, "no trace"),
        ("an expected tier does not attach", mutation_tier, "cannot attach"),
        ("another architecture's fault probe in meta", mutation_fault_hook,
         "meta.probes.faults"),
        ("a race value differs (must pass)", race_only, None),
    ]
    # (what, mutation of the host build's results or None, of the top results dir, wanted)
    cases = [(w, m, None, x) for w, m, x in cases]
    if other:
        cases += [
            ("build %s: traces differ from the host build's" % other, None, other_differs,
             "differs from the host build"),
            ("build %s: a claim FAILs" % other, None, other_claim, "[%s] " % other),
            ("build %s: an expected tier does not attach" % other, None, other_tier,
             "cannot attach"),
            ("build %s: not run" % other, None, other_not_run, "not run by the guest"),
        ]
    else:
        print("selftest_check: no build besides the host's on %s: its checks not exercised" % rel)

    tmp = tempfile.mkdtemp(prefix="ipclab-vm-selftest-")
    bad = 0
    try:
        src = os.path.join(vm, "results", rel, "results")
        for name in ("kernels.list", "builds.list"):
            if os.path.exists(os.path.join(vm, name)):
                shutil.copy(os.path.join(vm, name), tmp)
        os.makedirs(os.path.join(tmp, "kernels", rel))
        for name in ("expect", "arch", "pipe_funcs"):
            if os.path.exists(os.path.join(vm, "kernels", rel, name)):
                shutil.copy(os.path.join(vm, "kernels", rel, name),
                            os.path.join(tmp, "kernels", rel))
        shutil.copy(os.path.join(vm, rel + ".log"), tmp)
        base = set()
        for i, (what, mutate, mutate_top, want) in \
                enumerate([("baseline", None, None, None)] + cases):
            top = os.path.join(tmp, "results", rel, "results")
            shutil.rmtree(os.path.join(tmp, "results"), ignore_errors=True)
            os.makedirs(top)
            for f in os.listdir(src):
                if os.path.isfile(os.path.join(src, f)):
                    shutil.copy(os.path.join(src, f), top)
            for bu in builds:
                os.makedirs(os.path.join(top, bu))
                for f in os.listdir(os.path.join(src, bu)):
                    if os.path.isfile(os.path.join(src, bu, f)):
                        shutil.copy(os.path.join(src, bu, f), os.path.join(top, bu))
                for t in (a, b):
                    os.makedirs(os.path.join(top, bu, t))
                    for s in used:
                        if os.path.exists(os.path.join(src, bu, t, s + ".json")):
                            shutil.copy(os.path.join(src, bu, t, s + ".json"),
                                        os.path.join(top, bu, t))
                    for m in ("movers", "stall"):
                        f = os.path.join(src, bu, t, "pipe_movers-%s.json" % m)
                        if os.path.exists(f):
                            shutil.copy(f, os.path.join(top, bu, t))
            res = os.path.join(top, "host")
            if mutate:
                mutate(res)
            if mutate_top:
                mutate_top(top)
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
