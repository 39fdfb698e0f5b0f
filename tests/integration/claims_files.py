#!/usr/bin/env python3
"""claims_files.py - the built-in scenarios' claims files against their C claims.

Usage: claims_files.py IPCLAB SOURCE_DIR TRACE_DIR [--run] [NAME...]

For each mech/MECH/labs/NAME.claims (or only the NAMEs given), with TRACE_DIR/NAME.json made
by `ipclab run NAME` (made here first with --run, as root): every claim of the file must be
a claim of the C checker with the same id, the same English and Chinese statements, and the
same status as the C gave it in the trace (`ipclab check TRACE --claims FILE --summary csv`).
Exit 0 when all agree, 1 when any differs, 2 for a usage or setup problem, 77 (skipped)
for --run when not root.
"""
import csv
import glob
import io
import json
import os
import re
import subprocess
import sys

STRING = r'"((?:[^"\\]|\\.)*)"'


def unescape(s):
    return re.sub(r'\\(.)', r'\1', s)


def file_claims(path):
    """[(id, text, text_zh)] of a claims file, in order"""
    claims = []
    with open(path, encoding='utf-8') as f:
        for line in f:
            m = re.match(r'\s*claim\s+([a-z0-9][a-z0-9-]*)', line)
            if m:
                claims.append({'id': m.group(1)})
                continue
            m = re.match(r'\s*(text|text_zh)\s+' + STRING, line)
            if m and claims:
                claims[-1][m.group(1)] = unescape(m.group(2))
    return claims


def failed_ids(ipclab, trace, claims):
    """the ids the claims file FAILs on trace, or None when check could not judge"""
    p = subprocess.run([ipclab, 'check', trace, '--claims', claims, '--summary', 'csv'],
                       capture_output=True, text=True)
    if p.returncode not in (0, 1):
        print(f'  check exited {p.returncode}: {p.stderr.strip()}')
        return None
    rows = list(csv.DictReader(io.StringIO(p.stdout)))
    if len(rows) != 1:
        print(f'  check printed {len(rows)} rows')
        return None
    return set(rows[0]['failed'].split())


def compare(ipclab, trace, claims):
    """the differences between a claims file's verdicts and the C's stored in trace"""
    with open(trace, encoding='utf-8') as f:
        stored = {c['id']: c for c in json.load(f)['claims']}
    failed = failed_ids(ipclab, trace, claims)
    if failed is None:
        return ['ipclab check could not judge the trace']
    bad = []
    for c in file_claims(claims):
        ref = stored.get(c['id'])
        if not ref:
            bad.append(f"{c['id']}: no such claim in the C checker")
            continue
        for key in ('text', 'text_zh'):
            if c.get(key) != ref[key]:
                bad.append(f"{c['id']}: {key} {c.get(key)!r} is not the C's {ref[key]!r}")
        status = 'FAIL' if c['id'] in failed else 'PASS'
        if status != ref['status']:
            bad.append(f"{c['id']}: the file says {status}, the C {ref['status']}")
    return bad


def main(argv):
    if len(argv) < 4:
        print(__doc__, file=sys.stderr)
        return 2
    ipclab, src, traces = argv[1:4]
    rest = argv[4:]
    run = '--run' in rest
    names = [a for a in rest if a != '--run']
    files = {os.path.basename(p)[:-len('.claims')]: p
             for p in glob.glob(os.path.join(src, 'mech', '*', 'labs', '*.claims'))}
    if names:
        missing = [n for n in names if n not in files]
        if missing:
            print('no claims file for: ' + ' '.join(missing), file=sys.stderr)
            return 2
        files = {n: files[n] for n in names}
    if not files:
        print('no claims files', file=sys.stderr)
        return 2
    if run:
        if os.geteuid() != 0:
            print('not root: skipped (ipclab run needs BPF)')
            return 77
        os.makedirs(traces, exist_ok=True)
        p = subprocess.run([ipclab, 'run', '-q', '-o', traces] + sorted(files),
                           stdout=subprocess.DEVNULL)
        if p.returncode not in (0, 1):	# 1: a C claim FAILed, which is compared below
            print(f'ipclab run exited {p.returncode}', file=sys.stderr)
            return 2
    differ = 0
    for name in sorted(files):
        bad = compare(ipclab, os.path.join(traces, name + '.json'), files[name])
        print(f"{'ok  ' if not bad else 'DIFF'} {name}")
        for b in bad:
            print('     ' + b)
        differ += bool(bad)
    print(f'{len(files) - differ} of {len(files)} claims files agree with the C claims')
    return 1 if differ else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
