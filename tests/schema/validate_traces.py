#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""validate_traces.py - check ipclab traces against docs/trace.schema.json.

usage: validate_traces.py SCHEMA TRACE...

Each TRACE is validated with the JSON Schema (draft 2020-12), then checked for what a
schema cannot express:
  - events are sorted by t
  - meta.events is the number of events
  - every claims[].evidence index is < the number of events
  - object ids are unique, and every event obj / waker.obj names one of them
  - every event pid appears in processes
  - the pipe probes report the tier in meta.tier

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


def semantic_errors(trace):
    """Cross-references the schema cannot check. Tolerates a malformed trace."""
    errs = []
    if not isinstance(trace, dict):
        return errs
    events = trace.get("events")
    events = events if isinstance(events, list) else []
    n = len(events)

    meta = trace.get("meta")
    if isinstance(meta, dict):
        if isinstance(meta.get("events"), int) and meta["events"] != n:
            errs.append(("$.meta.events", "says %d events, the trace has %d" % (meta["events"], n)))
        probes = meta.get("probes")
        if isinstance(probes, dict):
            for k in ("pipe_read", "pipe_write", "fifo_read", "fifo_write"):
                p = probes.get(k)
                if isinstance(p, dict) and p.get("tier") != meta.get("tier"):
                    errs.append(("$.meta.probes.%s.tier" % k,
                                 "%r is not meta.tier %r" % (p.get("tier"), meta.get("tier"))))

    obj_ids = set()
    objects = trace.get("objects")
    for i, o in enumerate(objects if isinstance(objects, list) else []):
        if isinstance(o, dict) and isinstance(o.get("id"), int):
            if o["id"] in obj_ids:
                errs.append(("$.objects[%d].id" % i, "duplicate object id %d" % o["id"]))
            obj_ids.add(o["id"])

    pids = set()
    processes = trace.get("processes")
    for p in processes if isinstance(processes, list) else []:
        if isinstance(p, dict) and isinstance(p.get("pid"), int):
            pids.add(p["pid"])

    claims = trace.get("claims")
    for ci, c in enumerate(claims if isinstance(claims, list) else []):
        ev = c.get("evidence") if isinstance(c, dict) else None
        for k, x in enumerate(ev if isinstance(ev, list) else []):
            if isinstance(x, int) and not 0 <= x < n:
                errs.append(("$.claims[%d].evidence[%d]" % (ci, k),
                             "index %d is not an event (the trace has %d)" % (x, n)))

    prev_t = None
    for i, e in enumerate(events):
        if not isinstance(e, dict):
            continue
        t = e.get("t")
        if isinstance(t, int):
            if prev_t is not None and t < prev_t:
                errs.append(("$.events[%d].t" % i,
                             "%d is before the previous event's t %d: events not sorted" %
                             (t, prev_t)))
            prev_t = t
        obj = e.get("obj")
        if isinstance(obj, int) and obj not in obj_ids:
            errs.append(("$.events[%d].obj" % i, "no object with id %d" % obj))
        waker = e.get("waker")
        if isinstance(waker, dict):
            wobj = waker.get("obj")
            if isinstance(wobj, int) and wobj not in obj_ids:
                errs.append(("$.events[%d].waker.obj" % i, "no object with id %d" % wobj))
        pid = e.get("pid")
        if isinstance(pid, int) and pid not in pids:
            errs.append(("$.events[%d].pid" % i, "pid %d is not in processes" % pid))
    return errs


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
