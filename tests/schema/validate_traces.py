#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""validate_traces.py - check ipclab traces against docs/trace.schema.json.

usage: validate_traces.py SCHEMA TRACE...

Each TRACE is validated with the JSON Schema (draft 2020-12), then checked for what a
schema cannot express:
  - events are sorted by t
  - meta.events is the number of events
  - every claims[].evidence index is < the number of events
  - object ids are unique and equal to their index in objects
  - references name an object of the right kind: obj of pipe_read/pipe_write a pipe or
    FIFO; obj and waker.obj of block and obj of a syscall other than mmap/munmap a pipe,
    FIFO, Unix socket or message queue (and mq_send/mq_recv's obj a message queue), and the syscall has the pipe fields (occ, ...) exactly when its obj
    is a pipe or FIFO; obj, peer and queue of sock_send/sock_recv and a socket object's
    peer a Unix socket, queue being the peer for a send and obj for a receive; obj of
    mmap/munmap and mapping of fault/page_cache/dirty/fault_around a mapping
  - every event pid and every object creator appears in processes
  - the pipe probes report the tier in meta.tier
  - mappings: start, length and offset are whole pages, pages = length / page_size;
    exactly one mmap event created each (its t, pid, ret and path are the mapping's
    created, creator, start and file); unmapped is the t of a successful munmap by the
    creator or a descendant that covers the whole mapping
  - a munmap's obj is a live mapping of the caller (or an ancestor) holding args[0]
  - events that name a mapping fall in its lifetime; a fault's address lies in it, page
    is the address's page, the mapping is the faulting process's or an ancestor's, and a
    write to a present page is "write" in a MAP_SHARED mapping, "cow" otherwise;
    page_cache/dirty/fault_around carry the mapping's inode/dev, and page/first_page/
    last_page are the file pages translated by the mapping's offset
  - tracepoint tier: a fault's major is never false; it is true only when one of the
    page_cache events that directly follow on the faulting thread holds the faulting file
    page, and not null when one of them starts at that page
  - data_hex/data_tail_hex are the bytes of data/data_tail, and there only when the text
    had a byte replaced by '.'
  - the fault counters min_flt/maj_flt of a thread never go down from one exec/exit
    event to the next

Prints "ok FILE (N events)" per good file, or every error with its JSON path.
Exit status: 0 all good, 1 some trace failed, 2 usage error or unusable schema.

Needs the jsonschema module (Debian: python3-jsonschema).
"""
import json
import sys

try:
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import SchemaError
except ImportError:
    print("validate_traces.py: the jsonschema module is missing "
          "(apt-get install python3-jsonschema)", file=sys.stderr)
    sys.exit(2)


def json_path(parts):
    """'$.events[3].bytes' from a deque of keys and indices."""
    out = "$"
    for p in parts:
        if isinstance(p, int):
            out += "[%d]" % p
        elif p.isidentifier():
            out += "." + p
        else:
            out += "[%s]" % json.dumps(p)
    return out


def identity_error(schema, trace):
    """One line for a trace of another format, or of a version the schema does not
    describe (readers must reject a newer version with a clear message), else None."""
    want_format = schema.get("properties", {}).get("format", {}).get("const")
    want_version = schema.get("properties", {}).get("version", {}).get("const")
    if isinstance(trace, dict):
        fmt, ver = trace.get("format"), trace.get("version")
        if want_format is not None and fmt != want_format:
            return ("$.format", "not an ipclab trace: format is %s, expected %s" %
                    (json.dumps(fmt), json.dumps(want_format)))
        if want_version is not None and isinstance(ver, int) and not isinstance(ver, bool) \
                and ver != want_version:
            return ("$.version", "trace version %d is %s than this schema (version %d)%s" %
                    (ver, "newer" if ver > want_version else "older", want_version,
                     ": use a newer ipclab" if ver > want_version else ""))
    return None


def schema_errors(validator, trace):
    """Every schema error once, sorted by path."""
    errs = set()
    for e in validator.iter_errors(trace):
        errs.add((json_path(e.absolute_path), e.message))
    return sorted(errs)


def is_int(x):
    return isinstance(x, int) and not isinstance(x, bool)


def u64(x):
    """A raw register written as signed 64-bit, read back as unsigned."""
    return x & 0xffffffffffffffff


PIPE_KINDS = ("pipe", "fifo")
SOCK_KINDS = ("unix_stream", "unix_dgram", "unix_seqpacket")
MQ_KINDS = ("mqueue",)     # mech/mqueue
PIPE_FIELDS = ("occ", "slots", "slots_max", "readers", "writers")
MAPPING_CALLS = ("mmap", "munmap", "shmat", "shmdt")     # shmat, shmdt: mech/shm


def sock_event_errors(w, e, ref):
    """obj, peer and queue are sockets; the queue sampled is the receiver's."""
    for k in ("obj", "peer", "queue"):
        ref(w, e, k, SOCK_KINDS)
    q = e.get("queue")
    want = e.get("peer") if e.get("type") == "sock_send" else e.get("obj")
    if is_int(q) and q != want:
        return [(w + ".queue", "%d, but a %s's queue is its %s (%r)" %
                 (q, e.get("type"), "peer" if e.get("type") == "sock_send" else "obj", want))]
    return []


def sample_text(bs):
    """What ipclab writes as the text of the bytes bs: dots for what it cannot keep."""
    return "".join(chr(c) if 0x20 <= c <= 0x7e or c in (9, 10) else "." for c in bs)


def sample_hex_errors(w, e):
    """data_hex / data_tail_hex: the bytes of their text, there only when a byte was dotted."""
    errs = []
    for k in ("data", "data_tail"):
        text, hx = e.get(k), e.get(k + "_hex")
        if not isinstance(text, str) or not isinstance(hx, str):
            continue
        try:
            bs = bytes.fromhex(hx)
        except ValueError:
            continue        # the schema's pattern reports it
        if sample_text(bs) != text:
            errs.append((w + "." + k + "_hex", "%s is not the bytes of %s %r" % (hx, k, text)))
        elif sample_text(bs) == bs.decode("latin-1"):
            errs.append((w + "." + k + "_hex", "written, but no byte of %s was replaced" % k))
    return errs


def semantic_errors(trace):
    """Cross-references the schema cannot check. Tolerates a malformed trace."""
    errs = []
    if not isinstance(trace, dict):
        return errs
    events = trace.get("events")
    events = events if isinstance(events, list) else []
    n = len(events)

    meta = trace.get("meta")
    meta = meta if isinstance(meta, dict) else {}
    if is_int(meta.get("events")) and meta["events"] != n:
        errs.append(("$.meta.events", "says %d events, the trace has %d" % (meta["events"], n)))
    probes = meta.get("probes")
    if isinstance(probes, dict):
        for k in ("pipe_read", "pipe_write", "fifo_read", "fifo_write", "sock_send", "sock_recv"):
            p = probes.get(k)
            if isinstance(p, dict) and p.get("tier") != meta.get("tier"):
                errs.append(("$.meta.probes.%s.tier" % k,
                             "%r is not meta.tier %r" % (p.get("tier"), meta.get("tier"))))
    page_size = meta.get("page_size") if is_int(meta.get("page_size")) and \
        meta["page_size"] > 0 else None

    ppid = {}
    processes = trace.get("processes")
    for p in processes if isinstance(processes, list) else []:
        if isinstance(p, dict) and is_int(p.get("pid")):
            ppid[p["pid"]] = p.get("ppid")

    def is_ancestor(anc, pid):
        """anc is pid or one of its ancestors (processes[].ppid)."""
        for _ in range(64):
            if pid == anc:
                return True
            pid = ppid.get(pid)
            if not is_int(pid) or pid == 0:
                return False
        return False

    objs = {}
    objects = trace.get("objects")
    for i, o in enumerate(objects if isinstance(objects, list) else []):
        if not (isinstance(o, dict) and is_int(o.get("id"))):
            continue
        w = "$.objects[%d]" % i
        if o["id"] in objs:
            errs.append((w + ".id", "duplicate object id %d" % o["id"]))
        elif o["id"] != i:
            errs.append((w + ".id", "id %d is not the object's index %d" % (o["id"], i)))
        objs.setdefault(o["id"], o)
        if is_int(o.get("creator")) and o["creator"] not in ppid:
            errs.append((w + ".creator", "pid %d is not in processes" % o["creator"]))
        if o.get("kind") == "mapping":
            errs += mapping_object_errors(w, o, page_size)

    def mapping(e, key="mapping"):
        o = objs.get(e.get(key))
        return o if isinstance(o, dict) and o.get("kind") == "mapping" else None

    def live(m, t, upto_unmap=False):
        """m existed at t: created <= t < unmapped (<= when t is the munmap itself)."""
        u = m.get("unmapped")
        if not (is_int(m.get("created")) and is_int(t)):
            return True
        return m["created"] <= t and (not is_int(u) or t < u or (upto_unmap and t == u))

    def ref(w, e, key, kinds):
        """e[key], if an integer, names an object of one of kinds."""
        x = e.get(key)
        if not is_int(x):
            return
        if x not in objs:
            errs.append((w + "." + key, "no object with id %d" % x))
        elif objs[x].get("kind") not in kinds:
            errs.append((w + "." + key, "object %d is a %s, not a %s" %
                         (x, objs[x].get("kind"), " or ".join(kinds))))

    for i, o in enumerate(objects if isinstance(objects, list) else []):
        if isinstance(o, dict) and o.get("kind") in SOCK_KINDS:
            ref("$.objects[%d]" % i, o, "peer", SOCK_KINDS)

    claims = trace.get("claims")
    for ci, c in enumerate(claims if isinstance(claims, list) else []):
        ev = c.get("evidence") if isinstance(c, dict) else None
        for k, x in enumerate(ev if isinstance(ev, list) else []):
            if is_int(x) and not 0 <= x < n:
                errs.append(("$.claims[%d].evidence[%d]" % (ci, k),
                             "index %d is not an event (the trace has %d)" % (x, n)))

    mmap_of = {}        # mapping id -> the mmap event that created it
    munmap_at = []      # (t, pid, first, end) of every successful munmap
    counters = {}       # tid -> (min_flt, maj_flt, where) at its last exec/exit
    tracepoint_tier = meta.get("tier") == "tracepoint"
    prev_t = None
    for i, e in enumerate(events):
        if not isinstance(e, dict):
            continue
        w = "$.events[%d]" % i
        t, ty = e.get("t"), e.get("type")
        if is_int(t):
            if prev_t is not None and t < prev_t:
                errs.append((w + ".t",
                             "%d is before the previous event's t %d: events not sorted" %
                             (t, prev_t)))
            prev_t = t
        pid = e.get("pid")
        if is_int(pid) and pid not in ppid:
            errs.append((w + ".pid", "pid %d is not in processes" % pid))

        if ty in ("pipe_read", "pipe_write"):
            ref(w, e, "obj", PIPE_KINDS)
        errs += sample_hex_errors(w, e)
        if ty == "block":
            ref(w, e, "obj", PIPE_KINDS + SOCK_KINDS + MQ_KINDS)
        if ty == "block" and isinstance(e.get("waker"), dict):
            ref(w + ".waker", e["waker"], "obj", PIPE_KINDS + SOCK_KINDS + MQ_KINDS)
        if ty in ("mq_send", "mq_recv"):
            ref(w, e, "obj", MQ_KINDS)
        if ty in ("sock_send", "sock_recv"):
            errs += sock_event_errors(w, e, ref)
        if ty == "syscall":
            name = e.get("name")
            ref(w, e, "obj", ("mapping",) if name in MAPPING_CALLS else
                PIPE_KINDS + SOCK_KINDS + MQ_KINDS)
            o = objs.get(e.get("obj")) if is_int(e.get("obj")) else None
            if isinstance(o, dict) and name not in MAPPING_CALLS:
                pipe = o.get("kind") in PIPE_KINDS
                for k in PIPE_FIELDS:
                    if (k in e) != pipe:
                        errs.append((w + "." + k, "%s on a syscall whose obj is a %s" %
                                     ("missing" if pipe else "present", o.get("kind"))))
            m = mapping(e, "obj")
            if name in ("mmap", "shmat") and m is not None:    # shmat: mech/shm
                errs += mmap_event_errors(w, e, m, mmap_of)
            args = e.get("args") if isinstance(e.get("args"), list) else []
            if name == "munmap" and m is not None and args and is_int(args[0]) \
                    and is_int(m.get("start")) and is_int(m.get("length")):
                a = u64(args[0])
                if not m["start"] <= a < m["start"] + m["length"] or not live(m, t, True) \
                        or not is_ancestor(m.get("creator"), pid):
                    errs.append((w + ".obj", "mapping %d is not the live mapping of pid %s "
                                 "holding the munmap address %#x" % (e["obj"], pid, a)))
            if name == "munmap" and e.get("ret") == 0 and len(args) == 6 and \
                    all(is_int(a) for a in args[:2]):
                munmap_at.append((t, pid, u64(args[0]), u64(args[0]) + u64(args[1])))
            # System V shared memory (mech/shm): shmdt(addr) unmaps the attach at addr
            if name == "shmdt" and e.get("ret") == 0 and m is not None and args and \
                    is_int(args[0]) and is_int(m.get("length")):
                munmap_at.append((t, pid, u64(args[0]), u64(args[0]) + m["length"]))

        if ty in ("fault", "page_cache", "dirty", "fault_around"):
            ref(w, e, "mapping", ("mapping",))
            m = mapping(e)
            if m is not None:
                errs += memory_event_errors(w, e, m, page_size, live(m, t))
                if ty == "fault" and not is_ancestor(m.get("creator"), pid):
                    errs.append((w + ".mapping", "mapping %d was created by pid %s, neither "
                                 "pid %s nor an ancestor" % (e["mapping"], m.get("creator"), pid)))
        if ty == "fault" and tracepoint_tier:
            errs += tracepoint_major_errors(w, i, e, mapping(e), events, page_size)
        if ty == "fault_around" and is_int(e.get("start_index")) and \
                is_int(e.get("end_index")) and e["end_index"] < e["start_index"]:
            errs.append((w + ".end_index", "%d is before start_index %d" %
                         (e["end_index"], e["start_index"])))

        if ty == "fork" and is_int(e.get("child_tid")):
            counters.pop(e["child_tid"], None)      # a new task starts at 0
        if ty in ("exec", "exit") and is_int(e.get("tid")) and \
                is_int(e.get("min_flt")) and is_int(e.get("maj_flt")):
            last = counters.get(e["tid"])
            if last and (e["min_flt"] < last[0] or e["maj_flt"] < last[1]):
                errs.append((w, "fault counters went down for tid %d: min_flt %d -> %d, "
                             "maj_flt %d -> %d since %s" % (e["tid"], last[0], e["min_flt"],
                                                            last[1], e["maj_flt"], last[2])))
            counters[e["tid"]] = (e["min_flt"], e["maj_flt"], w)

    for mid, m in objs.items():
        if m.get("kind") != "mapping":
            continue
        w = "$.objects[%d]" % mid
        if mid not in mmap_of:
            errs.append((w, "no mmap event created mapping %d" % mid))
        u = m.get("unmapped")
        if is_int(u) and is_int(m.get("start")) and is_int(m.get("length")) and not any(
                mt == u and is_ancestor(m.get("creator"), mp) and a <= m["start"] and
                m["start"] + m["length"] <= b for mt, mp, a, b in munmap_at):
            errs.append((w + ".unmapped", "no successful munmap covering the mapping at t %d" % u))
    return errs


def mapping_object_errors(w, m, page_size):
    errs = []
    if page_size:
        for k in ("start", "length", "offset"):
            if is_int(m.get(k)) and m[k] % page_size:
                errs.append((w + "." + k, "%d is not a multiple of meta.page_size %d" %
                             (m[k], page_size)))
        if is_int(m.get("length")) and is_int(m.get("pages")) and \
                m["pages"] != m["length"] // page_size:
            errs.append((w + ".pages", "%d pages, but length %d is %d pages" %
                         (m["pages"], m["length"], m["length"] // page_size)))
    if is_int(m.get("created")) and is_int(m.get("unmapped")) and m["unmapped"] < m["created"]:
        errs.append((w + ".unmapped", "%d is before created %d" % (m["unmapped"], m["created"])))
    return errs


def mmap_event_errors(w, e, m, mmap_of):
    """The mmap call that created mapping m (= e.obj)."""
    errs = []
    mid = e["obj"]
    if mid in mmap_of:
        errs.append((w + ".obj", "mapping %d was already created by %s" % (mid, mmap_of[mid])))
        return errs
    mmap_of[mid] = w
    ret = u64(e["ret"]) if is_int(e.get("ret")) else None
    for k, v, field in (("t", e.get("t"), "created"), ("pid", e.get("pid"), "creator"),
                        ("ret", ret, "start")):
        if v != m.get(field):
            errs.append((w + "." + k, "%s is not mapping %d's %s %s" %
                         (v, mid, field, m.get(field))))
    if e.get("name") == "mmap" and e.get("path") != m.get("file"):
        errs.append((w + ".path", "%r is not mapping %d's file %r" %
                     (e.get("path"), mid, m.get("file"))))
    return errs


def memory_event_errors(w, e, m, page_size, is_live):
    """fault, page_cache, dirty, fault_around e against its mapping m."""
    errs = []
    ty, mid = e.get("type"), e["mapping"]
    if not is_live:
        errs.append((w + ".mapping", "mapping %d did not exist at t %s (created %s, unmapped %s)"
                     % (mid, e.get("t"), m.get("created"), m.get("unmapped"))))
    pages = m.get("pages")
    if ty == "fault":
        addr, start, length = e.get("addr"), m.get("start"), m.get("length")
        if is_int(addr) and is_int(start) and is_int(length):
            if not start <= addr < start + length:
                errs.append((w + ".addr", "%#x is outside mapping %d [%#x, %#x)" %
                             (addr, mid, start, start + length)))
            elif page_size and e.get("page") != (addr - start) // page_size:
                errs.append((w + ".page", "%s, but addr %#x is page %d of mapping %d" %
                             (e.get("page"), addr, (addr - start) // page_size, mid)))
        if e.get("write") is True and e.get("present") is True and isinstance(m.get("flags"), str):
            want = "write" if "MAP_SHARED" in m["flags"].split("|") else "cow"
            if e.get("kind") != want:
                errs.append((w + ".kind", "%r, but a write to a present page of a %s mapping "
                             "is %r" % (e.get("kind"), m["flags"], want)))
        return errs
    for k in ("inode", "dev"):
        if e.get(k) != m.get(k):
            errs.append((w + "." + k, "%s is not mapping %d's %s %s" % (e.get(k), mid, k, m.get(k))))
    if not page_size or not is_int(m.get("offset")):
        return errs
    first = m["offset"] // page_size
    idx, pk = ("start_index", "first_page") if ty == "fault_around" else ("index", "page")
    if is_int(e.get(idx)):
        if e.get(pk) != e[idx] - first:
            errs.append((w + "." + pk, "%s, but file page %d is page %d of mapping %d" %
                         (e.get(pk), e[idx], e[idx] - first, mid)))
        elif is_int(pages) and not 0 <= e[pk] < pages:
            errs.append((w + "." + pk, "%d is not a page of mapping %d (%d pages)" %
                         (e[pk], mid, pages)))
    if ty == "fault_around" and all(is_int(e.get(k)) for k in
                                    ("start_index", "end_index", "first_page", "last_page")):
        if e["last_page"] - e["first_page"] != e["end_index"] - e["start_index"]:
            errs.append((w + ".last_page", "pages %d..%d are not file pages %d..%d" %
                         (e["first_page"], e["last_page"], e["start_index"], e["end_index"])))
    return errs


def tracepoint_major_errors(w, i, e, m, events, page_size):
    """Tracepoint tier: major is never false; true only when a page_cache event that directly
    follows on the faulting thread holds the faulting file page, and not null when one of
    them starts at that page (the writer compares the folio's first page)."""
    if e.get("major") is False:
        return [(w + ".major", "false, but the tracepoint tier cannot know a fault is minor")]
    target = None
    if m is not None and is_int(m.get("inode")) and is_int(m.get("offset")) and \
            is_int(e.get("page")) and page_size:
        target = m["offset"] // page_size + e["page"]
    starts = covered = False
    for j in range(i + 1, len(events)):
        x = events[j]
        if not isinstance(x, dict) or x.get("tid") != e.get("tid"):
            continue
        if x.get("type") != "page_cache":
            break
        if target is None or x.get("inode") != m.get("inode") or not is_int(x.get("index")):
            continue
        starts = starts or x["index"] == target
        covered = covered or x["index"] <= target < x["index"] + \
            (x["pages"] if is_int(x.get("pages")) else 1)
    if e.get("major") is True and not covered:
        return [(w + ".major", "true, but the thread read no page_cache of that file page "
                 "right after the fault")]
    if e.get("major") is None and starts:
        return [(w + ".major", "null, but the thread read that file page into the page cache "
                 "right after the fault")]
    return []


def check_file(validator, path):
    """Returns (errors, number of events)."""
    try:
        with open(path, "rb") as f:
            trace = json.loads(f.read().decode("utf-8"))
    except OSError as e:
        return [("$", "cannot read: %s" % e.strerror)], 0
    except (UnicodeDecodeError, ValueError) as e:
        return [("$", "not valid JSON: %s" % e)], 0
    ident = identity_error(validator.schema, trace)
    if ident:
        return [ident], 0
    errs = schema_errors(validator, trace) + semantic_errors(trace)
    n = len(trace["events"]) if isinstance(trace, dict) and \
        isinstance(trace.get("events"), list) else 0
    return errs, n


def main(argv):
    if len(argv) < 3 or argv[1] in ("-h", "--help"):
        print("usage: %s SCHEMA TRACE..." % argv[0], file=sys.stderr)
        return 2
    try:
        with open(argv[1], encoding="utf-8") as f:
            schema = json.load(f)
        Draft202012Validator.check_schema(schema)
    except (OSError, ValueError) as e:
        print("%s: cannot use schema: %s" % (argv[1], e), file=sys.stderr)
        return 2
    except SchemaError as e:
        print("%s: not a valid draft 2020-12 schema: %s" % (argv[1], e.message),
              file=sys.stderr)
        return 2
    validator = Draft202012Validator(schema)

    failed = 0
    for path in argv[2:]:
        errs, n = check_file(validator, path)
        if not errs:
            print("ok %s (%d events)" % (path, n))
            continue
        failed += 1
        for where, msg in errs:
            print("FAIL %s: %s: %s" % (path, where, msg))
    if failed:
        print("%d of %d traces failed" % (failed, len(argv) - 2), file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
