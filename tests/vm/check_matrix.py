#!/usr/bin/python3
"""check_matrix.py VM_DIR [--markdown FILE] -- check what the kernel-matrix guests wrote
(stdlib only); --markdown also writes the run as Markdown (for docs/kernels.md).

VM_DIR is BUILD_DIR/vm as left by tests/vm/run-matrix.sh:
  kernels.list            kernel releases, one a line
  kernels/REL/expect      tiers that kernel's configuration promises (build-image.sh)
  kernels/REL/arch        its Debian architecture (amd64, arm64)
  scenarios.list          every scenario `ipclab list` names
  kernels/REL/pipe_funcs  the pipe functions (FUNC names) that kernel's BTF has
  builds.list             the per-kernel builds: LABEL REL ARCH (own-REL, on-NAME)
  REL.log                 serial console of the guest
  results/REL/results/    builds.txt (the ipclab builds the guest ran: "B BTF-RELEASE"), and
                          per build B: B/doctor.txt, B/doctor.rc, B/TIER.rc, B/TIER.out,
                          B/TIER/SCENARIO.json

Per kernel it checks that the guest finished (its last console marker) and ran every build it
should: host (compiled against the host's BTF; on arm64 tests/vm/cross-build.sh's build), own
(against this kernel's BTF) and each on-NAME build of the same architecture (against that
kernel's BTF: a build made on 7.2); then per build:
  * `ipclab doctor` exited 0;
  * the build is for the kernel's architecture (doctor's "architecture" line names the
    machine, the build and its syscall table) and every trace's meta.machine is that
    architecture;
  * every tier the kernel's configuration promises attached (a tier that cannot attach is
    n/a, with doctor's reason; it is a failure only when the configuration promised it);
  * per tier and scenario: a trace exists, `meta` names this kernel's release, the tier, the
    build of the BPF object doctor's features call for (meta.bpf_build), and for
    fentry/kprobe the kernel's own pipe functions (pipe_read/pipe_write before 6.15,
    anon_pipe_* from 6.15), nothing was dropped or lost, and every claim PASSed;
  * across tiers, per scenario: the same processes with the same exit statuses, the same
    pipe_read/pipe_write sequences per process (result, requested, occupancy before/after
    in bytes and slots) and sock_send/sock_recv sequences (result, requested, the receive
    queue before/after in bytes and skbs, the sender's charge) except the values
    tests/integration/test_scenarios.c and mech/unix/tests/test_integration.c mark as races,
    and the same fault sequences (kind, page) per process in each scenario-made mapping;
  * per tier, tests/integration/pipe_movers.c traced (host build): `movers` gives exactly the pipe events
    of splice, tee, vmsplice, sendfile, p*v* and copy_file_range on two pipes, and `stall`
    (a reader sampling while a writer is stuck filling a slot) has no unmarked torn sample
    and, on kernels whose pipe_write counts the slot before filling it (before 6.15), marks
    the reader's;
and across builds: every build's traces agree with the host build's, tier by tier and
scenario by scenario, as the tiers agree with each other (processes, pipe sequences, faults),
and the same tiers attached.
Prints a table kernel x tier x scenario (PASS / FAIL / n/a, every build; a failing build is
named), then every failure; exits 1 on any failure.
"""
import importlib
import importlib.util
import json
import os
import re
import sys

TIERS = ("fentry", "kprobe", "tracepoint")

# Each mechanism's tables (mech/NAME/matrix.py, optional): IO_FIELDS, the I/O event types
# compared across tiers and builds with their state fields; RACES, values that are real races
# on two CPUs: scenario -> list of (comm, event type, index, index range or None for all,
# fields); TOTAL_ONLY, sequences whose very split into calls is a race (only their total
# bytes are compared): scenario -> {(comm, event type)}; RACY_FAULTS, scenarios whose
# shared mappings' faults depend on which process touches a page first (not compared).
MECH_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "mech")
IO_FIELDS, RACES, TOTAL_ONLY, RACY_FAULTS = {}, {}, {}, set()


def load_mechanism_tables():
    sys.dont_write_bytecode = True  # no __pycache__ in the source tree
    sys.path.insert(0, MECH_DIR)
    for name in sorted(os.listdir(MECH_DIR)):
        if not os.path.exists(os.path.join(MECH_DIR, name, "matrix.py")):
            continue
        # by its file, under a name of its own: a folder may share its name with a standard
        # module (mech/signal); `from pipe.matrix import ...` inside one still works
        spec = importlib.util.spec_from_file_location(
            "ipclab_mech_%s_matrix" % name, os.path.join(MECH_DIR, name, "matrix.py"))
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        IO_FIELDS.update(getattr(mod, "IO_FIELDS", {}))
        RACES.update(getattr(mod, "RACES", {}))
        TOTAL_ONLY.update(getattr(mod, "TOTAL_ONLY", {}))
        RACY_FAULTS.update(getattr(mod, "RACY_FAULTS", set()))


load_mechanism_tables()

# Debian architecture (kernels/REL/arch) -> uname -m, what doctor and meta.machine name
MACHINE = {"amd64": "x86_64", "arm64": "aarch64"}
# the syscall table doctor names for a build of that machine (bpf/syscalls_*.h)
SYSCALL_TABLE = {"x86_64": "x86_64", "aarch64": "arm64"}

LIBRARY = re.compile(r"(^ld\.so\.cache$|\.so(\.[0-9]+)*$)")


def kernel_pipe_symbols(vm, release):
    """probe -> the kernel function ipclab must use on this kernel, from the functions its
    BTF has (kernels/REL/pipe_funcs, as user/btf_syms.c decides): anon_pipe_read/write when
    the kernel has them (6.15+), with the fifo_pipe_* wrappers for FIFOs when it has those
    too; else pipe_read/pipe_write for pipes and FIFOs.  Without the list (an older run),
    from the release: 6.15 split them."""
    funcs = (read(os.path.join(vm, "kernels", release, "pipe_funcs"), None) or "").split()
    if not funcs:
        m = re.match(r"(\d+)\.(\d+)", release)
        new = bool(m) and (int(m.group(1)), int(m.group(2))) >= (6, 15)
        funcs = ["anon_pipe_read", "anon_pipe_write", "fifo_pipe_read", "fifo_pipe_write"] \
            if new else ["pipe_read", "pipe_write"]
    if "anon_pipe_read" in funcs and "anon_pipe_write" in funcs:
        out = {"pipe_read": "anon_pipe_read", "pipe_write": "anon_pipe_write"}
        if "fifo_pipe_read" in funcs and "fifo_pipe_write" in funcs:
            out.update({"fifo_read": "fifo_pipe_read", "fifo_write": "fifo_pipe_write"})
        return out
    return {"pipe_read": "pipe_read", "pipe_write": "pipe_write",
            "fifo_read": "pipe_read", "fifo_write": "pipe_write"}


def read(path, default=None):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return f.read()
    except OSError:
        return default


def load_json(path):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f), None
    except OSError as e:
        return None, "no trace (%s)" % e.strerror
    except ValueError as e:
        return None, "trace is not JSON: %s" % e


def doctor_tiers(text):
    """tier -> (ok, description or reason) from `ipclab doctor`'s "probe tiers" lines."""
    out = {}
    for line in (text or "").splitlines():
        m = re.match(r"\s+(fentry|kprobe|tracepoint)\s+(OK|no)\s+(.*)$", line)
        if m:
            out[m.group(1)] = (m.group(2) == "OK", m.group(3).strip())
    return out


# ----------------------------------------------------------------- one trace

def skipped_note(meta):
    """Which probes the kernel skipped (meta.skipped), and the records rebuilt anyway."""
    if not meta.get("skipped"):
        return ""
    return " (skipped: %s; recovered %d)" % (
        ", ".join("%s %d" % kv for kv in sorted(meta["skipped"].items())),
        meta.get("recovered", 0))


def check_trace(t, release, tier, symbols, machine=None):
    """Problems with one trace on its own: meta and claims."""
    bad = []
    if t.get("format") != "ipclab-trace":
        bad.append("format is %r" % t.get("format"))
    meta = t.get("meta") or {}
    if meta.get("kernel") != release:
        bad.append("meta.kernel %r, expected %r" % (meta.get("kernel"), release))
    if machine and meta.get("machine") != machine:
        bad.append("meta.machine %r, expected %r" % (meta.get("machine"), machine))
    if meta.get("tier") != tier:
        bad.append("meta.tier %r, expected %r" % (meta.get("tier"), tier))
    for k in ("dropped", "lost"):
        if meta.get(k) not in (0, None):
            bad.append("meta.%s = %r%s" % (k, meta.get(k),
                                           skipped_note(meta) if k == "dropped" else ""))
    skipped = sum((meta.get("skipped") or {}).values())
    if meta.get("recovered", 0) > skipped:
        # each recovered record stands for one skipped run: more means a copy that should
        # have stood aside made its record too (events twice)
        bad.append("meta.recovered %d > %d skipped runs" % (meta.get("recovered"), skipped))
    if meta.get("interrupted"):
        bad.append("interrupted (%s)" % meta.get("end_reason"))
    probes = meta.get("probes") or {}
    for probe, func in sorted(symbols.items()):
        p = probes.get(probe)
        if not isinstance(p, dict):
            bad.append("meta.probes.%s missing" % probe)
            continue
        sym = p.get("symbol") or ""
        if p.get("tier") != tier:
            bad.append("meta.probes.%s.tier %r, expected %r" % (probe, p.get("tier"), tier))
        if tier == "tracepoint":
            if not sym.startswith("tp_btf/") and not sym.startswith("raw_tp/"):
                bad.append("meta.probes.%s.symbol %r is not a tracepoint" % (probe, sym))
        else:
            # the function itself, not the other kernel generation's name
            name = sym.split(":")[-1]
            if name != func:
                bad.append("meta.probes.%s.symbol %r, expected the function %s"
                           % (probe, sym, func))
    bad += check_fault_hook(meta, t.get("events") or [], tier)
    claims = t.get("claims") or []
    if not claims:
        bad.append("no claims")
    for c in claims:
        if c.get("status") != "PASS":
            bad.append("claim %s %s: %s -- %s" % (c.get("id"), c.get("status"), c.get("text"),
                                                  c.get("detail")))
    return bad


# Where page faults come from, by machine (docs/trace-format.md, faults on arm64): x86 has the
# exception tracepoints, arm64 the page-faults perf event; fentry/kprobe add handle_mm_fault.
FAULT_HOOK = {"x86_64": "tp_btf/page_fault_user+page_fault_kernel",
              "aarch64": "perf_event:page-faults"}
FAULT_VERDICT = {"tracepoint": "", "fentry": ",fexit:handle_mm_fault",
                 "kprobe": ",kretprobe:handle_mm_fault"}


def check_fault_hook(meta, events, tier):
    """The fault probe of the trace's machine and tier; no unhandled fault on arm64 (its
    handler raises the perf event only for faults it handles)."""
    bad = []
    machine = meta.get("machine")
    hook = FAULT_HOOK.get(machine)
    if hook is None:
        return ["meta.machine %r is not x86_64 or aarch64" % machine]
    sym = ((meta.get("probes") or {}).get("faults") or {}).get("symbol")
    if sym != hook + FAULT_VERDICT.get(tier, ""):
        bad.append("meta.probes.faults.symbol %r, expected %r on %s" %
                   (sym, hook + FAULT_VERDICT.get(tier, ""), machine))
    if machine == "aarch64" and any(e.get("type") == "fault" and e.get("handled") is False
                                    for e in events):
        bad.append("an unhandled fault on arm64, whose perf event never reports one")
    return bad


# ----------------------------------------------------------------- cross-tier views

def lanes(t):
    """pid -> lane name: comm, with #2, #3 ... for repeated comms in order of start."""
    seen, out = {}, {}
    for p in sorted(t.get("processes") or [], key=lambda p: (p.get("start") or 0, p["pid"])):
        c = p.get("comm") or "?"
        seen[c] = seen.get(c, 0) + 1
        out[p["pid"]] = c if seen[c] == 1 else "%s#%d" % (c, seen[c])
    return out


def race_fields(scenario, comm, etype, idx):
    masked = set()
    for rc, rt, ri, fields in RACES.get(scenario, []):
        if (rc is None or rc == comm.split("#")[0]) and (rt is None or rt == etype) and \
           (ri is None or ri == idx or (isinstance(ri, range) and idx in ri)):
            masked.update(fields)
    return masked


def pipe_view(t, scenario):
    """lane -> type -> list of comparable tuples (race fields as '*'), for pipe and socket
    I/O (IO_FIELDS)."""
    ln = lanes(t)
    seqs = {}
    for e in t.get("events") or []:
        if e.get("type") not in IO_FIELDS:
            continue
        lane = ln.get(e.get("pid"), "pid?")
        seqs.setdefault(lane, {}).setdefault(e["type"], []).append(e)
    view = {}
    for lane, by_type in seqs.items():
        for etype, evs in by_type.items():
            if (lane.split("#")[0], etype) in TOTAL_ONLY.get(scenario, set()):
                total = sum(e.get("bytes") or 0 for e in evs if (e.get("bytes") or 0) > 0)
                view[(lane, etype)] = [("total bytes", total)]
                continue
            rows = []
            for i, e in enumerate(evs):
                masked = race_fields(scenario, lane, etype, i)
                rows.append(tuple([("bytes", e.get("bytes")), ("requested", e.get("requested"))] +
                                  [(f, "*" if f in masked else e.get(f))
                                   for f in IO_FIELDS[etype]]))
            view[(lane, etype)] = rows
    return view


def mapping_key(o, creator):
    """A mapping the scenario made, named independently of the run (creator's lane, file,
    offset, length, prot, flags); None for the dynamic loader's and for private anonymous
    memory (the heap: its faults depend on address randomisation and transparent huge pages,
    not on the probes)."""
    backing = o.get("backing")
    f = o.get("file")
    what = "%s %s+%s %s %s" % (creator, o.get("offset"), o.get("length"), o.get("prot"),
                               o.get("flags"))
    if backing == "shmem" and not f:
        return "shmem by " + what
    if f and not LIBRARY.search(f):
        return "%s by %s" % (f, what)
    return None


def fault_view(t):
    """(lane, mapping name) -> [(kind, page), ...] for the scenario's own mappings."""
    ln = lanes(t)
    keys, count = {}, {}
    for o in t.get("objects") or []:
        if o.get("kind") != "mapping":
            continue
        k = mapping_key(o, ln.get(o.get("creator"), "pid?"))
        if k is None:
            continue
        count[k] = count.get(k, 0) + 1
        keys[o["id"]] = k if count[k] == 1 else "%s#%d" % (k, count[k])
    view = {}
    for e in t.get("events") or []:
        # a fault taken with page faults disabled is retried by the kernel: the retry counts
        if e.get("type") != "fault" or e.get("mapping") not in keys or \
                e.get("handled") is False:
            continue
        lane = ln.get(e.get("pid"), "pid?")
        view.setdefault((lane, keys[e["mapping"]]), []).append((e.get("kind"), e.get("page")))
    return view


def process_view(t):
    ln = lanes(t)
    return sorted((ln[p["pid"]], p.get("status")) for p in t.get("processes") or [])


def first_difference(a, b):
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y:
            return "#%d: %s vs %s" % (i, fmt(x), fmt(y))
    return "%d vs %d entries" % (len(a), len(b))


def fmt(x):
    if isinstance(x, tuple) and x and isinstance(x[0], tuple):
        return "(" + ", ".join("%s=%s" % kv for kv in x) + ")"
    return repr(x)


def compare(ref_tier, ref, tier, t, scenario):
    """Differences between two tiers' traces of one scenario."""
    bad = []
    pa, pb = process_view(ref), process_view(t)
    if pa != pb:
        bad.append("processes (lane, exit status) differ from %s: %s vs %s" % (ref_tier, pa, pb))
    va, vb = pipe_view(ref, scenario), pipe_view(t, scenario)
    for k in sorted(set(va) | set(vb)):
        a, b = va.get(k, []), vb.get(k, [])
        if a != b:
            bad.append("%s %s sequence differs from %s: %s" % (k[0], k[1], ref_tier,
                                                                first_difference(a, b)))
    fa, fb = ({}, {}) if scenario in RACY_FAULTS else (fault_view(ref), fault_view(t))
    for k in sorted(set(fa) | set(fb)):
        a, b = fa.get(k, []), fb.get(k, [])
        if a != b:
            bad.append("%s faults in %s differ from %s: %s vs %s" % (k[0], k[1], ref_tier,
                                                                      compact(a), compact(b)))
    return bad


def compact(faults):
    s = " ".join("%s%s" % (k[0] if k else "?", p) for k, p in faults)
    return s if len(s) < 200 else s[:200] + " ..."


# ----------------------------------------------------------------- a kernel

# tests/integration/pipe_movers.c `movers` on pipes A (0) and B (1): every pipe event, in
# order (tests/integration/test_movers.c explains each): type, syscall, requested, bytes,
# occupancy before/after in bytes and slots, pipe.
MOVERS = [
    ("pipe_write", "write", 1000, 1000, 0, 1000, 0, 1, 0),
    ("pipe_write", "splice", 3000, 3000, 1000, 4000, 1, 2, 0),
    ("pipe_read", "tee", 8192, 4000, 4000, 4000, 2, 2, 0),
    ("pipe_write", "tee", 8192, 4000, 0, 4000, 0, 2, 1),
    ("pipe_read", "splice", 1500, 1500, 4000, 2500, 2, 1, 0),
    ("pipe_write", "splice", 1500, 1500, 4000, 5500, 2, 4, 1),
    ("pipe_read", "splice", 2000, 2000, 5500, 3500, 4, 3, 1),
    ("pipe_write", "vmsplice", 300, 300, 2500, 2800, 1, 3, 0),
    ("pipe_read", "vmsplice", 500, 500, 3500, 3000, 3, 3, 1),
    ("pipe_write", "sendfile", 700, 700, 2800, 3500, 3, 4, 0),
    ("pipe_read", "sendfile", 100, -22, 3000, 3000, 3, 3, 1),
    ("pipe_write", "pwritev2", 60, 60, 3500, 3560, 4, 5, 0),
    ("pipe_read", "preadv2", 500, 500, 3000, 2500, 3, 3, 1),
    ("pipe_read", "preadv", 500, -29, 2500, 2500, 3, 3, 1),
    ("pipe_write", "pwritev", 60, -29, 3560, 3560, 5, 5, 0),
    ("pipe_read", "copy_file_range", 100, -22, 2500, 2500, 3, 3, 1),
    ("pipe_write", "copy_file_range", 100, -22, 3560, 3560, 5, 5, 0),
]
MOVER_KEYS = ("type", "syscall", "requested", "bytes") + IO_FIELDS["pipe_write"]


def movers_510():
    """5.10 differs in one place: sendfile into a pipe goes through an internal pipe and then
    pipe_write (later kernels splice the page-cache page in), so its 700 bytes sit in an
    ordinary pipe page that pwritev2's 60 bytes join: pipe A keeps 4 slots, not 5, from there
    on (slots before and after of the three writes that follow)."""
    slots = {"pwritev2": (4, 4), "pwritev": (4, 4), "copy_file_range": (4, 4)}
    return [m[:6] + slots[m[1]] + m[8:] if m[0] == "pipe_write" and m[1] in slots else m
            for m in MOVERS]


def expected_movers(release):
    return movers_510() if release.startswith("5.10.") else MOVERS


def check_movers(t, release):
    """pipe_movers movers: the exact pipe events, in every tier."""
    got, objs = [], []
    want = expected_movers(release)
    for e in t.get("events", []):
        if e.get("type") in ("pipe_read", "pipe_write"):
            if e.get("obj") not in objs:
                objs.append(e.get("obj"))
            got.append(tuple(e.get(k) for k in MOVER_KEYS) + (objs.index(e.get("obj")),))
    if got != want:
        i = next((i for i, (x, y) in enumerate(zip(got, want)) if x != y),
                 min(len(got), len(want)))
        return ["pipe event #%d is %s, expected %s" % (i, fmt(got[i] if i < len(got) else None),
                                                      fmt(want[i] if i < len(want) else None))]
    return []


def check_samples(t):
    """pipe_movers stall: no sample that is not marked occ_torn shows a slot without bytes
    (on these kernels pipe_write counts a slot in head before it copies into it, and the
    reader samples while the writer is stuck in that copy).  Returns (problems, torn)."""
    bad, torn = [], 0
    for e in t.get("events", []):
        if e.get("type") not in ("pipe_read", "pipe_write"):
            continue
        if e.get("occ_torn"):
            torn += 1
            continue
        for b, sl in ((e.get("occ_before"), e.get("slots_before")),
                      (e.get("occ_after"), e.get("slots_after"))):
            if b < sl or b > 4096 * sl:
                bad.append("%s at t=%s: %s bytes in %s slots, not marked occ_torn"
                           % (e.get("syscall"), e.get("t"), b, sl))
    return bad, torn


def check_pipe_movers(res, tier, release, symbols, fail, machine=None):
    for m in ("movers", "stall"):
        rc = (read(os.path.join(res, "%s.movers-%s.rc" % (tier, m)), "") or "").strip()
        t, err = load_json(os.path.join(res, tier, "pipe_movers-%s.json" % m))
        if rc != "0" or t is None:
            fail("%s pipe_movers %s" % (tier, m), "exit %s: %s" % (rc or "?", err or (read(
                os.path.join(res, "%s.movers-%s.out" % (tier, m)), "") or "").strip()[-200:]))
            continue
        bad = [b for b in check_trace(t, release, tier, symbols, machine) if "claim" not in b]
        if m == "movers":
            bad += check_movers(t, release)
        else:
            problems, torn = check_samples(t)
            bad += problems
            # up to 6.14 pipe_write counts the slot in head before it copies into it, so the
            # reader sees a slot without bytes; 6.15's anon_pipe_write fills the page first
            # ("pipe: change pipe_write() to never add a zero-sized buffer"): the reader sees
            # an empty pipe, nothing torn (check_samples still refuses an unmarked bad one)
            if not torn and symbols["pipe_write"] == "pipe_write":
                bad.append("the reader's sample during the stalled write is not marked occ_torn")
        for b in bad:
            fail("%s pipe_movers %s" % (tier, m), b)


def check_guest(vm, release, fail):
    """The guest as a whole: no kernel trouble on the console, finished, results written."""
    log = read(os.path.join(vm, release + ".log"), "")
    for line in log.splitlines():
        if re.search(r"Oops:|Kernel panic|\] BUG:|soft lockup|WARNING: CPU:|Call Trace:", line):
            fail("guest", "kernel: %s (see %s.log)" % (line.strip(), release))
            break
    if "@@ipclab-vm end" not in log:
        fail("guest", "did not finish (no '@@ipclab-vm end' on the console; see %s.log)" % release)
    if "@@ipclab-vm tar written" not in log:
        fail("guest", "did not write its results archive")


def expected_builds(vm, release):
    """build label -> BTF release it was compiled against, for this kernel's guest: host,
    own (when the matrix made one), and every on-NAME build of the same architecture that is
    not this kernel's own."""
    arch = (read(os.path.join(vm, "kernels", release, "arch"), "") or "").strip()
    out = {"host": "host"}
    for line in (read(os.path.join(vm, "builds.list"), "") or "").splitlines():
        w = line.split()
        if len(w) < 3:
            continue
        if w[0] == "own-" + release:
            out["own"] = release
        elif w[0].startswith("on-") and w[1] != release and w[2] == arch:
            out[w[0]] = w[1]
    return out


def expected_bpf_build(doctor):
    """The build of the BPF object the loader must take (user/attach.c choose_build), from
    doctor's feature lines: a refused direct build falls back to the main one, which
    would otherwise go unnoticed here."""
    if not doctor:
        return None
    if re.search(r"^\s*BPF atomics\s+no", doctor, re.M):
        return "no_atomics"
    if re.search(r"^\s*direct loads\s+yes", doctor, re.M):
        return "direct"
    return "main"


def check_build(vm, release, build, scenarios, fail):
    """One ipclab build on one kernel: returns (cells {(tier, scenario): status}, notes,
    traces {(tier, scenario): trace})."""
    res = os.path.join(vm, "results", release, "results", build)
    expect = (read(os.path.join(vm, "kernels", release, "expect"), "") or "").split()
    machine = MACHINE.get((read(os.path.join(vm, "kernels", release, "arch"), "") or "").strip())
    symbols = kernel_pipe_symbols(vm, release)
    cells, notes = {}, {}
    doctor = read(os.path.join(res, "doctor.txt"))
    dtiers = doctor_tiers(doctor)
    if doctor is None:
        fail("doctor", "no output")
    else:
        if (read(os.path.join(res, "doctor.rc"), "") or "").strip() != "0":
            fail("doctor", "exit status %s"
                 % (read(os.path.join(res, "doctor.rc"), "?") or "?").strip())
        want = "%s / %s" % (symbols["pipe_read"], symbols["pipe_write"])
        m = re.search(r"^\s*pipe functions\s+(.*?)\s*$", doctor, re.M)
        if not m or m.group(1) != want:
            fail("doctor", "pipe functions %r, expected %r" % (m.group(1) if m else None, want))
        if "fifo_read" in symbols and symbols["fifo_read"] != symbols["pipe_read"]:
            want = "%s / %s" % (symbols["fifo_read"], symbols["fifo_write"])
            m = re.search(r"^\s*FIFO wrappers\s+(.*?)\s*$", doctor, re.M)
            if not m or m.group(1) != want:
                fail("doctor", "FIFO wrappers %r, expected %r" % (m.group(1) if m else None, want))
        if not re.search(r"^\s*kernel\s+%s " % re.escape(release), doctor, re.M):
            fail("doctor", "does not name the kernel %s" % release)
        if machine:
            want = "%s (ipclab built for %s, %s syscall table)" % (machine, machine,
                                                                   SYSCALL_TABLE[machine])
            m = re.search(r"^\s*architecture\s+(.*?)\s*$", doctor, re.M)
            if not m or m.group(1) != want:
                fail("doctor", "architecture %r, expected %r" % (m.group(1) if m else None, want))

    attach = [t for t in TIERS if dtiers.get(t, (False,))[0]]
    want_build = expected_bpf_build(doctor)
    m = re.search(r"^--tier auto would use: (\S+)", doctor or "", re.M)
    if doctor is not None and attach and (not m or m.group(1) != attach[0]):
        fail("doctor", "--tier auto would use %r, expected the first tier that attaches, %s"
             % (m.group(1) if m else None, attach[0]))

    traces = {}
    for tier in TIERS:
        rc = (read(os.path.join(res, tier + ".rc"), "") or "").strip()
        out = read(os.path.join(res, tier + ".out"), "") or ""
        d_ok, d_why = dtiers.get(tier, (None, "not in doctor's output"))
        if rc == "":
            # run-matrix.sh runs only the promised tiers on arm64: doctor's attempt shows why
            # the others cannot attach, and must agree that they cannot
            notes[tier] = "not run" if tier in expect else "not run (doctor: %s)" % d_why
            for s in scenarios:
                cells[(tier, s)] = "FAIL" if tier in expect else "n/a"
            if tier in expect:
                fail(tier, "not run by the guest")
            elif d_ok:
                fail(tier, "doctor attaches it, but the configuration does not promise it and "
                     "the guest did not run it (build-image.sh's `expect`)")
            continue
        if rc == "4":	# the tier cannot attach here
            why = out.strip().splitlines()[-1] if out.strip() else d_why
            notes[tier] = "cannot attach: %s" % why
            for s in scenarios:
                cells[(tier, s)] = "FAIL" if tier in expect else "n/a"
            if tier in expect:
                fail(tier, "cannot attach although CONFIG promises it: %s (doctor: %s)"
                     % (why, d_why))
            if d_ok:
                fail(tier, "doctor says the tier attaches, but `run --tier %s` cannot" % tier)
            continue
        notes[tier] = "attached, ipclab run exit %s" % rc
        if d_ok is False:
            fail(tier, "`run --tier %s` attached, but doctor said: %s" % (tier, d_why))
        if rc not in ("0", "1"):
            fail(tier, "ipclab run exited %s: %s" % (rc, " | ".join(out.strip().splitlines()[-3:])))
        for s in scenarios:
            t, err = load_json(os.path.join(res, tier, s + ".json"))
            if t is None:
                cells[(tier, s)] = "FAIL"
                fail("%s %s" % (tier, s), err)
                continue
            traces[(tier, s)] = t
            bad = check_trace(t, release, tier, symbols, machine)
            got = (t.get("meta") or {}).get("bpf_build")
            if want_build and got != want_build:
                bad.append("meta.bpf_build %r, expected %r (doctor)" % (got, want_build))
            cells[(tier, s)] = "FAIL" if bad else "PASS"
            for b in bad:
                fail("%s %s" % (tier, s), b)
        if build == "host":	# the guest traces pipe_movers with the host build only
            check_pipe_movers(res, tier, release, symbols, fail, machine)
        passed = all(cells[(tier, s)] == "PASS" for s in scenarios)
        if rc == "0" and not passed:
            fail(tier, "ipclab run exited 0 although a check above failed")
        if rc == "1" and passed:
            fail(tier, "ipclab run exited 1 although every claim passed")

    # tiers against each other: the first tier that ran is the reference
    ran = [tier for tier in TIERS if any((tier, s) in traces for s in scenarios)]
    for s in scenarios:
        have = [tier for tier in ran if (tier, s) in traces]
        for tier in have[1:]:
            bad = compare(have[0], traces[(have[0], s)], tier, traces[(tier, s)], s)
            if bad:
                cells[(tier, s)] = "FAIL"
                cells[(have[0], s)] = "FAIL"
            for b in bad:
                fail("%s %s" % (tier, s), b)
    return cells, notes, traces


def check_kernel(vm, release, scenarios):
    """Returns (cells {(tier, scenario): status over every build}, notes {build: {tier:
    note}}, failures).  A cell is PASS only when every build passed it; otherwise it names
    the builds that did not."""
    fails = []

    def failer(where):
        return lambda what, msg: fails.append("%s %s%s: %s" % (release, where, what, msg))

    check_guest(vm, release, failer(""))
    want = expected_builds(vm, release)
    ran = {}
    for line in (read(os.path.join(vm, "results", release, "results", "builds.txt"), "")
                 or "").splitlines():
        w = line.split()
        if len(w) == 2:
            ran[w[0]] = w[1]
    for b in sorted(set(want) - set(ran)):
        failer("")("build %s" % b, "not run by the guest (compiled against %s)" % want[b])
    for b in sorted(set(ran) - set(want)):
        failer("")("build %s" % b, "run by the guest, but not expected")

    per_build, notes = {}, {}
    for b in [b for b in want if b in ran]:
        cells, notes[b], traces = check_build(vm, release, b, scenarios, failer("[%s] " % b))
        per_build[b] = (cells, traces)

    # every build against the host build: the same tiers attached, the same events
    if "host" in per_build:
        hcells, htraces = per_build["host"]
        for b, (cells, traces) in per_build.items():
            if b == "host":
                continue
            for tier in TIERS:
                if notes[b].get(tier, "").split(",")[0] != notes["host"].get(tier, "").split(",")[0]:
                    failer("[%s] " % b)(tier, "%s, but the host build: %s"
                                        % (notes[b].get(tier), notes["host"].get(tier)))
            for key in sorted(set(htraces) & set(traces)):
                bad = compare("the host build", htraces[key], "", traces[key], key[1])
                if bad:
                    cells[key] = "FAIL"
                for x in bad:
                    failer("[%s] " % b)("%s %s" % key, x)
            for key in sorted(set(htraces) ^ set(traces)):
                cells[key] = "FAIL"
                failer("[%s] " % b)("%s %s" % key, "a trace here but not in the other build"
                                    if key in traces else "no trace, but the host build has one")

    merged = {}
    keys = set()
    for cells, _ in per_build.values():
        keys |= set(cells)
    for key in keys:
        st = {b: per_build[b][0].get(key, "?") for b in per_build}
        vals = set(st.values())
        if len(vals) == 1:
            merged[key] = vals.pop()
        else:
            merged[key] = "FAIL(" + ",".join(b for b in sorted(st) if st[b] != "PASS") + ")"
    return merged, notes, fails


def markdown(vm, releases, scenarios, results, fails):
    """The run as Markdown, for docs/kernels.md: kernels, tiers, table, failures, doctor."""
    out = []
    timings = {}
    for line in (read(os.path.join(vm, "timings.txt"), "") or "").splitlines():
        w = line.split()
        if len(w) == 3:
            timings[(w[0], w[1])] = w[2]
    out.append("| kernel | package | build (compiled against) | tiers (doctor / run) | "
               "seconds (kernel: boot to power-off; build: all its tiers; per tier) |")
    out.append("|---|---|---|---|---|")
    for r in releases:
        pkg = (read(os.path.join(vm, "kernels", r, "package"), "") or "").strip()
        want = expected_builds(vm, r)
        out.append("| `%s` | `%s` | | | %s |" % (r, pkg, timings.get((r, "total"), "?")))
        for b, notes in results[r][1].items():
            tiers = "; ".join("%s: %s" % (t, notes.get(t, "?")) for t in TIERS)
            secs = "%s; %s" % (timings.get((r, b), "?"),
                               ", ".join("%s %s" % (t, timings.get((r, "%s/%s" % (b, t)), "?"))
                                         for t in TIERS))
            btf = {"host": "the host's BTF", "own": "its own BTF"}.get(b, want.get(b, "?"))
            out.append("| | | %s (%s) | %s | %s |" % (b, btf, tiers, secs))
    if ("all", "total") in timings:
        out.append("")
        out.append("Whole matrix (image build included): %s s." % timings[("all", "total")])
    out.append("")
    head = "| scenario | " + " | ".join("%s<br>%s" % (r, t) for r in releases for t in TIERS) + " |"
    out.append(head)
    out.append("|---" * (1 + len(releases) * len(TIERS)) + "|")
    for sc in scenarios:
        out.append("| `%s` | " % sc + " | ".join(results[r][0].get((t, sc), "?")
                                                for r in releases for t in TIERS) + " |")
    out.append("")
    if fails:
        out.append("Failures:")
        out.append("")
        for f in fails:
            out.append("- " + f.replace("|", "\\|"))
    else:
        out.append("Every check passed.")
    for r in releases:
        out.append("")
        out.append("`ipclab doctor` on `%s` (host build):" % r)
        out.append("")
        out.append("```")
        out.append((read(os.path.join(vm, "results", r, "results", "host", "doctor.txt"),
                         "(none)") or "(none)").rstrip())
        out.append("```")
    return "\n".join(out) + "\n"


def main():
    args = sys.argv[1:]
    md = None
    if len(args) == 3 and args[1] == "--markdown":
        md = args[2]
        args = args[:1]
    if len(args) != 1:
        print("usage: check_matrix.py VM_DIR [--markdown FILE]", file=sys.stderr)
        return 2
    vm = args[0]
    releases = (read(os.path.join(vm, "kernels.list"), "") or "").split()
    scenarios = (read(os.path.join(vm, "scenarios.list"), "") or "").split()
    if not releases or not scenarios:
        print("check_matrix: %s has no kernels.list or scenarios.list" % vm, file=sys.stderr)
        return 1

    results, fails = {}, []
    for r in releases:
        cells, notes, f = check_kernel(vm, r, scenarios)
        results[r] = (cells, notes)
        fails += f

    # the table: one row per scenario, one column per kernel x tier
    cols = [(r, t) for r in releases for t in TIERS]
    w0 = max(len(s) for s in scenarios + ["scenario"])
    widths = [max(len(t), 10) for _, t in cols]
    print()
    print("kernel matrix (%d kernels x %d tiers x %d scenarios, every ipclab build on each)"
          % (len(releases), len(TIERS), len(scenarios)))
    for r in releases:
        cells, notes = results[r]
        print("  %s" % r)
        for b, bn in notes.items():
            for t in TIERS:
                print("    %-8s %-10s %s" % (b, t, bn.get(t, "")))
    print()
    line = " " * w0
    for r in releases:
        span = sum(widths[i] + 1 for i, c in enumerate(cols) if c[0] == r) - 1
        line += " | " + r[:span].ljust(span)
    print(line)
    line = "scenario".ljust(w0)
    for r in releases:
        line += " | " + " ".join(t.ljust(widths[i]) for i, (rr, t) in enumerate(cols) if rr == r)
    print(line)
    print("-" * len(line))
    for s in scenarios:
        line = s.ljust(w0)
        for r in releases:
            cells = results[r][0]
            line += " | " + " ".join(cells.get((t, s), "?").ljust(widths[i])
                                     for i, (rr, t) in enumerate(cols) if rr == r)
        print(line)
    print()
    if md:
        with open(md, "w", encoding="utf-8") as f:
            f.write(markdown(vm, releases, scenarios, results, fails))
        print("check_matrix: Markdown report in %s" % md)
    if fails:
        print("%d failure(s):" % len(fails))
        for f in fails:
            print("  FAIL " + f)
        return 1
    print("every check passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
