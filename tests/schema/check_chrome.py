#!/usr/bin/python3
"""check_chrome.py CHROME.json... -- is this Chrome Trace Event Format JSON as the Perfetto UI
and speedscope expect it?  Exits 1 on the first problem in a file (and says which), 0 if all
are fine, 2 on usage errors."""
import json
import sys

PHASES = {"X", "C", "i", "s", "f", "M"}


def check(path):
    doc = json.load(open(path))
    if not isinstance(doc, dict) or not isinstance(doc.get("traceEvents"), list):
        return "no traceEvents array"
    events = doc["traceEvents"]
    named, used, flows = set(), set(), {}
    for n, e in enumerate(events):
        where = "traceEvents[%d]" % n
        if e.get("ph") not in PHASES:
            return "%s: phase %r" % (where, e.get("ph"))
        for k in ("pid", "tid"):
            if not isinstance(e.get(k), int) or e[k] < 1:
                return "%s: %s must be an integer >= 1" % (where, k)
        if not isinstance(e.get("ts"), (int, float)) or e["ts"] < 0:
            return "%s: ts" % where
        if not isinstance(e.get("name"), str) or not e["name"]:
            return "%s: name" % where
        if e["ph"] == "M":
            if e["name"] == "process_name":
                named.add(e["pid"])
            continue
        used.add(e["pid"])
        if e["ph"] == "X" and (not isinstance(e.get("dur"), (int, float)) or e["dur"] < 0):
            return "%s: complete event without dur" % where
        if e["ph"] == "C" and not all(isinstance(v, (int, float)) for v in e.get("args", {}).values()):
            return "%s: counter args must be numbers" % where
        if e["ph"] in "sf":
            flows.setdefault(e["id"], []).append(e["ph"])
            if e["ph"] == "f" and e.get("bp") != "e":
                return "%s: flow end must bind to the enclosing slice (bp e)" % where
    if used - named:
        return "processes without a name: %s" % sorted(used - named)[:5]
    for fid, phases in flows.items():
        if phases != ["s", "f"]:
            return "flow %s is %s, not start then finish" % (fid, phases)
    return None


def main(argv):
    if len(argv) < 2:
        print("usage: check_chrome.py CHROME.json...", file=sys.stderr)
        return 2
    bad = 0
    for path in argv[1:]:
        try:
            why = check(path)
        except (OSError, ValueError, KeyError, TypeError) as err:
            why = str(err)
        print(("ok %s" % path) if not why else ("FAIL %s: %s" % (path, why)))
        bad += why is not None
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
