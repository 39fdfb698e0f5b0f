#!/usr/bin/env python3
"""ipclab benchmark driver (python3 stdlib only). Called by bench/run.sh; run as root.

    bench.py [--quick] [--parts overhead,throughput,json,memory,viewer,notes,compare,stress] [--rounds N]
             [--stress-seconds N]

Parts (each writes RESULTS/<part>.json; then RESULTS/summary.md and RESULTS/overhead.svg):
  overhead    eight self-timing workloads, untraced / floor (bench/floor/, the minimal tracer on
              ipclab's syscall hooks) / ipclab trace / bpftrace / strace -f, interleaved
              round-robin, medians, ratios to untraced and to floor, ipclab's drops
  throughput  highest event rate ipclab records with zero drops (default buffer)
  json        `ipclab replay` events/s from a saved spool to a JSON file
  memory      peak RSS of `ipclab trace` and `ipclab replay` vs number of events
  viewer      headless Chromium: first render and pan/zoom frame times (bench/viewer.mjs)
  notes       the course notes' table (mmap_vs_write) beside the trace's counts
  compare     the probe effect per mechanism and message size (labs/compare.c)
  stress      `ipclab trace` of `stress-ng --pipe 2` for 60 s (5 s with --quick): events/s,
              drops, peak RSS, seconds from the load's end until the trace is written

RESULTS is bench/results (full run) or bench/results/quick (--quick).
Every command runs in its own process group, which is killed if it outlives its timeout
or the driver is interrupted, so no process (and so no BPF program) is left behind.
"""

import argparse
import datetime
import json
import os
import platform
import re
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
BUILD = os.environ.get('BUILD', os.path.join(REPO, 'build'))
IPCLAB = os.path.join(BUILD, 'ipclab')
BENCHBIN = os.path.join(BUILD, 'bench')
BT_SCRIPT = os.path.join(HERE, 'ipc.bt')
# The minimal tracer (bench/floor/): ipclab's syscall hooks, a process-tree filter and a count.
FLOOR = os.path.join(BENCHBIN, 'floor')
TIME = '/usr/bin/time'

# Targets from issue 6.
TARGETS = {
    'overhead_pipe64': 1.25,
    'overhead_pipe64k': 1.05,
    'overhead_floor': 1.3,	# issue 16: ipclab / floor on the symmetric stream and the ping-pong
    'throughput_events_per_s': 1e6,
    'json_events_per_s': 1e6,
    'memory_rss_10m_mib': 64,
    'viewer_first_render_ms': 1500,
    'viewer_frame_ms': 16,
    'stress_rss_mib': 64,	# issue 16 part 3: peak RSS of `ipclab trace` of a 60 s stress-ng --pipe 2
}

LIVE = set()  # Popen objects still running (their process groups are killed on exit)


# ------------------------------------------------------------------ processes

def kill_group(p, sig=signal.SIGKILL):
    try:
        os.killpg(p.pid, sig)
    except (ProcessLookupError, PermissionError):
        pass


def run(cmd, timeout=900, stdin=subprocess.DEVNULL, interrupt_first=False, watch=None):
    """Run cmd (a list) in a new session; returns dict(rc, out, err, wall, timed_out, end_ns).
    watch(p), if given, runs in a thread while the command does (e.g. to sample /proc);
    end_ns is CLOCK_MONOTONIC when the command ended, the clock of the traces' timestamps."""
    t0 = time.monotonic()
    p = subprocess.Popen(cmd, stdin=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         start_new_session=True, text=True, errors='replace')
    LIVE.add(p)
    watcher = threading.Thread(target=watch, args=(p,), daemon=True) if watch else None
    if watcher:
        watcher.start()
    timed_out = False
    try:
        out, err = p.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        timed_out = True
        if interrupt_first:
            kill_group(p, signal.SIGINT)
            try:
                out, err = p.communicate(timeout=30)
            except subprocess.TimeoutExpired:
                kill_group(p)
                out, err = p.communicate()
        else:
            kill_group(p)
            out, err = p.communicate()
    finally:
        LIVE.discard(p)
    end_ns = time.monotonic_ns()
    # Whatever the command left in its process group goes too.
    kill_group(p)
    if watcher:
        watcher.join()
    return {'rc': p.returncode, 'out': out, 'err': err, 'wall': time.monotonic() - t0,
            'timed_out': timed_out, 'end_ns': end_ns}


def cleanup(*_):
    for p in list(LIVE):
        kill_group(p, signal.SIGINT)
    time.sleep(0.5)
    for p in list(LIVE):
        kill_group(p)
    LIVE.clear()


def on_signal(signum, _frame):
    cleanup()
    sys.exit(128 + signum)


# ------------------------------------------------------------------ helpers

def parse_seconds(text):
    m = re.search(r'^seconds=([0-9.]+) ops=(\d+) bytes=(\d+)(.*)$', text or '', re.M)
    if not m:
        return None
    r = {'seconds': float(m.group(1)), 'ops': int(m.group(2)), 'bytes': int(m.group(3))}
    for k, v in re.findall(r'(\w+)=([0-9.]+)', m.group(4)):	# a workload's extras (reads=, ...)
        r[k] = float(v) if '.' in v else int(v)
    return r


def trace_meta(path):
    """The meta object of an ipclab trace, read from its first lines only."""
    with open(path, 'rb') as f:
        head = f.read(1 << 20).decode('utf-8', 'replace')
    i = head.find('"meta":')
    if i < 0:
        return None
    obj, _ = json.JSONDecoder().raw_decode(head[i + len('"meta":'):])
    return obj


def count_lines(path, pred=None):
    n = 0
    with open(path, 'rb') as f:
        while True:
            b = f.read(1 << 22)
            if not b:
                break
            n += b.count(b'\n')
    return n


def max_rss_kib(stderr):
    m = re.search(r'Maximum resident set size \(kbytes\): (\d+)', stderr or '')
    return int(m.group(1)) if m else None


def cpu_seconds(stderr):
    """User and system CPU seconds from /usr/bin/time -v (the command and what it waited for)."""
    u = re.search(r'User time \(seconds\): ([0-9.]+)', stderr or '')
    s = re.search(r'System time \(seconds\): ([0-9.]+)', stderr or '')
    return {'user_s': float(u.group(1)), 'sys_s': float(s.group(1))} if u and s else {}


def median(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


def rm(path):
    try:
        if os.path.isdir(path):
            shutil.rmtree(path)
        else:
            os.unlink(path)
    except FileNotFoundError:
        pass


def first_line(s):
    s = (s or '').strip().splitlines()
    return s[0] if s else ''


def loadavg():
    try:
        return open('/proc/loadavg').read().split()[:3]
    except OSError:
        return None


def cpu_busy(seconds=1.0):
    """Share of the machine's CPU time that was not idle over `seconds` (others' load)."""
    def snap():
        with open('/proc/stat') as f:
            v = [int(x) for x in f.readline().split()[1:]]
        return sum(v), v[3] + v[4]
    a = snap()
    time.sleep(seconds)
    b = snap()
    tot = b[0] - a[0]
    return round(100.0 * (1 - (b[1] - a[1]) / tot), 1) if tot > 0 else None


def tool_version(cmd):
    try:
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=20)
        return first_line(r.stdout or r.stderr)
    except Exception as e:  # noqa: BLE001 - recorded, not fatal
        return 'unavailable: %s' % e


def environment():
    cpu = ''
    try:
        for line in open('/proc/cpuinfo'):
            if line.startswith('model name'):
                cpu = line.split(':', 1)[1].strip()
                break
    except OSError:
        pass
    try:
        lockdown = open('/sys/kernel/security/lockdown').read().strip()
    except OSError:
        lockdown = None
    git = subprocess.run(['git', '-C', REPO, 'rev-parse', '--short', 'HEAD'], capture_output=True, text=True)
    dirty = subprocess.run(['git', '-C', REPO, 'status', '--porcelain', '--', 'user', 'bpf'],
                           capture_output=True, text=True)
    return {
        'date': datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ'),
        'kernel': platform.release(),
        'machine': platform.machine(),
        'cpu_model': cpu,
        'cpus': os.cpu_count(),
        'mem_total_kib': next((int(l.split()[1]) for l in open('/proc/meminfo') if l.startswith('MemTotal')), None),
        'lockdown': lockdown,
        'loadavg_at_start': loadavg(),
        'ipclab': tool_version([IPCLAB, '--version']),
        'git_commit': git.stdout.strip(),
        'user_bpf_uncommitted_changes': bool(dirty.stdout.strip()),
        'bpftrace': tool_version(['bpftrace', '--version']),
        'strace': tool_version(['strace', '-V']),
    }


def save(results_dir, part, data):
    data.setdefault('environment', {})['loadavg_at_end'] = loadavg()
    path = os.path.join(results_dir, part + '.json')
    with open(path, 'w') as f:
        json.dump(data, f, indent=1)
        f.write('\n')
    print('  -> %s' % os.path.relpath(path, REPO), flush=True)


def say(msg):
    print('[bench %s] %s' % (time.strftime('%H:%M:%S'), msg), flush=True)


# ------------------------------------------------------------------ 1. overhead

# issue 16: 64-byte writes *and* 64-byte reads, 2^18 of each, the same in --quick (it is the
# reference workload of the floor comparison, and a quarter of a second untraced)
SYMMETRIC = ('pipe64sym', 'pipe stream, 64-byte writes and 64-byte reads (16 MiB)', ['pipe_stream', '64', '16M', '64'])
# workloads on which ipclab / floor has a target (TARGETS['overhead_floor']); --quick runs them
FLOOR_TARGET_WORKLOADS = ('pipe64sym', 'pingpong')


def msg_streams(count):
    """The symmetric 64-byte streams of the other mechanisms (issue 16): one send and one
    receive per message (bench/workloads/msg_stream.c)."""
    n = count.replace('k', '')
    return [
        ('unix64', 'Unix stream socket, 64-byte writes and reads (%sk)' % n, ['msg_stream', 'unix', '64', count]),
        ('dgram64', 'Unix datagram socket, 64-byte datagrams (%sk)' % n, ['msg_stream', 'dgram', '64', count]),
        ('mq64', 'POSIX message queue, 64-byte messages (%sk)' % n, ['msg_stream', 'mq', '64', count]),
    ]


def workloads(quick, scratch):
    mm = os.path.join(scratch, 'mmap_touch.dat')
    if quick:
        return [
            ('pipe64k', 'pipe stream, 64 KiB writes (256 MiB)', ['pipe_stream', '64K', '256M']),
            ('pipe64', 'pipe stream, 64-byte writes (1 MiB)', ['pipe_stream', '64', '1M']),
            SYMMETRIC,
            ('pingpong', 'ping-pong, 1-byte messages (20k round trips)', ['pingpong', '20k']),
        ] + msg_streams('64k') + [
            ('mmap', 'mmap page touch (16 MiB MAP_SHARED file, 1 pass)', ['mmap_touch', mm, '16M', '1']),
        ]
    return [
        ('pipe64k', 'pipe stream, 64 KiB writes (1 GiB)', ['pipe_stream', '64K', '1G']),
        ('pipe64', 'pipe stream, 64-byte writes (16 MiB)', ['pipe_stream', '64', '16M']),
        SYMMETRIC,
        ('pingpong', 'ping-pong, 1-byte messages (20k round trips)', ['pingpong', '20k']),
    ] + msg_streams('256k') + [
        ('mmap', 'mmap page touch (64 MiB MAP_SHARED file, 2 passes)', ['mmap_touch', mm, '64M', '2']),
    ]


TOOLS = ['untraced', 'floor', 'ipclab', 'bpftrace', 'strace']


def parse_floor(text):
    m = re.search(r'floor: sys_enter=(\d+) sys_exit=(\d+) forks=(\d+)', text or '')
    if not m:
        return {}
    return {'sys_enter': int(m.group(1)), 'sys_exit': int(m.group(2)), 'forks': int(m.group(3))}


def floor_check():
    """Is the minimal tracer built and does it attach here? None or the reason it does not."""
    if not os.access(FLOOR, os.X_OK):
        return '%s is missing (bench/run.sh builds it: cmake --build BUILD --target floor)' % FLOOR
    r = run([FLOOR, '--', '/bin/true'], timeout=60)
    if r['rc'] != 0 or not parse_floor(r['err']).get('sys_enter'):
        return 'floor failed (exit %s): %s' % (r['rc'], (r['err'] or r['out']).strip()[-600:])
    return None


def run_tool(tool, argv, scratch):
    """One sample: the workload's own seconds plus what the tool recorded."""
    prog = [os.path.join(BENCHBIN, argv[0])] + argv[1:]
    s = {'tool': tool}
    if tool == 'untraced':
        r = run(prog, timeout=900)
    elif tool == 'floor':
        r = run([FLOOR, '--'] + prog, timeout=900)
        s.update(parse_floor(r['err']))
    elif tool == 'ipclab':
        out = os.path.join(scratch, 'ov.json')
        r = run([IPCLAB, 'trace', '-q', '-o', out, '--'] + prog, timeout=900, interrupt_first=True)
        if os.path.exists(out):
            m = trace_meta(out)
            s.update({'events': m.get('events'), 'dropped': m.get('dropped'), 'lost': m.get('lost'),
                      'trace_bytes': os.path.getsize(out)})
            rm(out)
    elif tool == 'bpftrace':
        out = os.path.join(scratch, 'ov.bt.txt')
        r = run(['bpftrace', '-o', out, '-c', ' '.join(prog), BT_SCRIPT], timeout=900,
                interrupt_first=True)
        if os.path.exists(out):
            lines = 0
            lost = 0
            with open(out, 'rb') as f:
                for line in f:
                    if line[:1].isdigit():
                        lines += 1
                    elif line.startswith(b'Lost '):
                        m = re.match(rb'Lost (\d+) events', line)
                        if m:
                            lost += int(m.group(1))
            s.update({'lines': lines, 'lost': lost, 'output_bytes': os.path.getsize(out)})
            rm(out)
    elif tool == 'strace':
        out = os.path.join(scratch, 'ov.strace.txt')
        r = run(['strace', '-f', '-o', out] + prog, timeout=1800)
        if os.path.exists(out):
            s.update({'lines': count_lines(out), 'output_bytes': os.path.getsize(out)})
            rm(out)
    else:
        raise ValueError(tool)
    w = parse_seconds(r['out'])
    s.update({'rc': r['rc'], 'wall': round(r['wall'], 3), 'timed_out': r['timed_out']})
    if w:
        s.update(w)
    else:
        s['seconds'] = None
        s['error'] = (r['err'] or r['out'] or '').strip()[-2000:]
    return s


# bpftrace (0.17) finds a tracepoint by its format file in tracefs; ipclab's tp_btf programs
# and the floor's do not need tracefs, so a machine may not have it mounted (debugfs absent):
# bpftrace then says "tracepoint not found: sched:sched_process_fork".
TRACEFS = '/sys/kernel/tracing'
TRACEFS_DIRS = (TRACEFS, '/sys/kernel/debug/tracing')


def tracefs_for_bpftrace():
    """Mount tracefs if no tracefs is mounted. Returns (mounted here, problem or None)."""
    if any(os.path.isdir(os.path.join(d, 'events')) for d in TRACEFS_DIRS):
        return False, None
    r = run(['mount', '-t', 'tracefs', 'tracefs', TRACEFS], timeout=30)
    if r['rc'] != 0:
        return False, 'tracefs is not mounted and mounting it on %s failed: %s' % (TRACEFS, first_line(r['err']))
    say('mounted tracefs on %s for bpftrace (unmounted after the part)' % TRACEFS)
    return True, None


def tracefs_unmount():
    r = run(['umount', TRACEFS], timeout=30)
    if r['rc'] != 0:	# e.g. busy: someone else's tracer opened it meanwhile; leave it
        say('could not unmount %s: %s' % (TRACEFS, first_line(r['err'])))


def memlock_note():
    """bpftrace raises RLIMIT_MEMLOCK itself and prints an ERROR line when it cannot (no
    CAP_SYS_RESOURCE, as in some containers). Since Linux 5.11 BPF memory is charged to the
    memory cgroup instead, so the line is harmless there; older kernels fail to load."""
    soft, hard = resource.getrlimit(resource.RLIMIT_MEMLOCK)
    if hard == resource.RLIM_INFINITY:
        return None
    return ('RLIMIT_MEMLOCK hard limit %d KiB and no CAP_SYS_RESOURCE to raise it: bpftrace says it '
            'could not raise it, harmless on Linux >= 5.11 (BPF memory is charged to the memory cgroup)'
            % (hard // 1024))


def bpftrace_check(scratch):
    """Does bpftrace attach here? Returns None or the reason it does not."""
    if not shutil.which('bpftrace'):
        return 'bpftrace is not installed'
    r = run(['bpftrace', '-o', os.path.join(scratch, 'probe.txt'), '-c', '/bin/true', BT_SCRIPT],
            timeout=120, interrupt_first=True)
    rm(os.path.join(scratch, 'probe.txt'))
    if r['rc'] != 0:
        why = 'bpftrace failed (exit %s): %s' % (r['rc'], (r['err'] or r['out']).strip()[-600:])
        note = memlock_note()
        return why + ('; ' + note if note and 'MEMLOCK' in (r['err'] or '') else '')
    return None


def part_overhead(args, env, scratch):
    """Part 1, with tracefs mounted for bpftrace if it was not (and unmounted after)."""
    mounted, tracefs_problem = tracefs_for_bpftrace()
    try:
        res = overhead_rounds(args, env, scratch, tracefs_problem)
    finally:
        if mounted:
            tracefs_unmount()
    res['tracefs'] = ('tracefs mounted on %s by the bench for it, unmounted after' % TRACEFS) if mounted else (tracefs_problem or 'already mounted')
    res['tracefs_mounted_by_bench'] = mounted
    res['bpftrace_note'] = memlock_note()
    return res


def overhead_rounds(args, env, scratch, tracefs_problem):
    rounds = args.rounds or (2 if args.quick else 5)
    # --quick: bpftrace (LLVM start-up, ~3 s a run) and strace take part in one round only,
    # and only on the 64-byte stream (the reference workload for the comparison).
    tool_rounds = {'untraced': rounds, 'floor': rounds, 'ipclab': rounds,
                   'bpftrace': 1 if args.quick else rounds, 'strace': 1 if args.quick else rounds}
    quick_compare = {'pipe64'}
    wls = workloads(args.quick, scratch)
    bt_problem = tracefs_problem or bpftrace_check(scratch)
    floor_problem = floor_check()
    tools = [t for t in TOOLS if not (t == 'bpftrace' and bt_problem) and not (t == 'floor' and floor_problem)]
    if bt_problem:
        say('bpftrace unusable: ' + bt_problem)
    if floor_problem:
        say('floor unusable: ' + floor_problem)
    samples = {w[0]: {t: [] for t in tools} for w in wls}
    for rnd in range(rounds):
        for key, _desc, argv in wls:
            order = tools if rnd % 2 == 0 else [tools[0]] + tools[:0:-1]
            for tool in order:
                if rnd >= tool_rounds[tool]:
                    continue
                if args.quick and tool in ('bpftrace', 'strace') and key not in quick_compare:
                    continue
                la = loadavg()
                s = run_tool(tool, argv, scratch)
                s['round'] = rnd
                s['loadavg_before'] = la
                samples[key][tool].append(s)
                extra = ''
                if tool == 'ipclab':
                    extra = ' events=%s dropped=%s' % (s.get('events'), s.get('dropped'))
                elif tool == 'floor':
                    extra = ' sys_enter=%s sys_exit=%s' % (s.get('sys_enter'), s.get('sys_exit'))
                elif tool in ('bpftrace', 'strace'):
                    extra = ' lines=%s' % s.get('lines') + (' lost=%s' % s.get('lost') if tool == 'bpftrace' else '')
                say('round %d/%d %-8s %-8s %ss%s' % (rnd + 1, rounds, key, tool, s.get('seconds'), extra))
    result = {'part': 'overhead', 'quick': args.quick, 'rounds': rounds, 'rounds_per_tool': tool_rounds,
              'environment': env,
              'bpftrace_problem': bt_problem,
              'floor_problem': floor_problem,
              'method': 'Each workload times its own hot loop (clock_gettime, CLOCK_MONOTONIC) and '
                        'prints seconds=; commands interleaved round-robin within each round (tool order '
                        'alternates between rounds); ratio = median(tool seconds) / median(untraced seconds). '
                        'ipclab: `ipclab trace -q -o F -- CMD`; bpftrace: `bpftrace -o F -c CMD bench/ipc.bt` '
                        '(raw_syscalls sys_enter/sys_exit, sched_switch, sched_waking, page_fault_user, '
                        'process fork/exit, one printf line per event, filtered to the process tree); '
                        'strace: `strace -f -o F CMD`; floor: `build/bench/floor -- CMD` (bench/floor/: '
                        'tp_btf sys_enter/sys_exit, the process tree in task storage, a per-CPU count, '
                        'nothing else); ratio_to_floor = median(tool seconds) / median(floor seconds).',
              'workloads': []}
    for key, desc, argv in wls:
        w = {'key': key, 'description': desc, 'command': argv, 'tools': {}}
        base = median([s['seconds'] for s in samples[key]['untraced']])
        floor_med = median([s['seconds'] for s in samples[key]['floor']]) if 'floor' in tools else None
        for tool in tools:
            ss = samples[key][tool]
            if not ss:
                w['tools'][tool] = {'samples': [], 'ratio': None, 'skipped': 'not run in --quick'}
                continue
            med = median([s['seconds'] for s in ss])
            t = {'samples': ss, 'median_seconds': med,
                 'ratio': (med / base) if (med and base) else None,
                 'ratio_to_floor': (med / floor_med) if (med and floor_med) else None,
                 'failed_samples': sum(1 for s in ss if s.get('seconds') is None)}
            if tool == 'ipclab':
                t['dropped_max'] = max((s.get('dropped') or 0) for s in ss) if ss else None
                t['runs_with_drops'] = sum(1 for s in ss if s.get('dropped'))
                t['lost_max'] = max((s.get('lost') or 0) for s in ss) if ss else None
                t['events_median'] = median([s.get('events') for s in ss])
            if tool == 'floor':
                t['syscalls_median'] = median([s.get('sys_enter') for s in ss])	# = sys_exit but for the last exit
            if tool in ('bpftrace', 'strace'):
                t['lines_median'] = median([s.get('lines') for s in ss])
            if tool == 'bpftrace':
                t['lost_median'] = median([s.get('lost') for s in ss])
            w['tools'][tool] = t
        if 'bpftrace' not in tools:
            w['tools']['bpftrace'] = {'error': bt_problem, 'ratio': None}
        if 'floor' not in tools:
            w['tools']['floor'] = {'error': floor_problem, 'ratio': None}
        result['workloads'].append(w)
    return result


# ------------------------------------------------------------------ 2. throughput

def evgen_trace(scratch, threads, rate_ops, seconds, ops=None, buffer=None, spool=None,
                timev=False, keep_json=False, prog=None):
    """evgen (or prog, an argv) under `ipclab trace`; returns the sample."""
    out = os.path.join(scratch, 'ev.json')
    cmd = [IPCLAB, 'trace', '-q', '-o', out]
    if buffer:
        cmd += ['--buffer', buffer]
    if spool:
        cmd += ['--save-spool', spool]
    if prog:
        cmd += ['--'] + prog
    else:
        cmd += ['--', os.path.join(BENCHBIN, 'evgen'), str(threads), str(int(rate_ops)), str(seconds)]
        if ops:
            cmd.append(str(int(ops)))
    if timev:
        cmd = [TIME, '-v'] + cmd
    r = run(cmd, timeout=1800, interrupt_first=True)
    s = {'generator': ' '.join(os.path.basename(a) if a.startswith('/') else a for a in prog) if prog
         else 'evgen %d threads' % threads,
         'threads': threads, 'target_ops_per_s': rate_ops, 'target_events_per_s': 2 * rate_ops,
         'rc': r['rc'], 'wall': round(r['wall'], 3), 'buffer': buffer or 'default (16M)'}
    w = parse_seconds(r['out'])
    if w:
        s.update(w)
    if timev:
        s['max_rss_kib'] = max_rss_kib(r['err'])
    if os.path.exists(out):
        m = trace_meta(out)
        s.update({'events': m.get('events'), 'dropped': m.get('dropped'), 'lost': m.get('lost'),
                  'trace_bytes': os.path.getsize(out)})
        if w and w['seconds'] > 0:
            s['events_per_s'] = m.get('events') / w['seconds']
            s['offered_events_per_s'] = (m.get('events') + (m.get('dropped') or 0)) / w['seconds']
        if keep_json:
            s['json_path'] = out
        else:
            rm(out)
    else:
        s['error'] = (r['err'] or '').strip()[-2000:]
    ipclab_msgs = [l for l in (r['err'] or '').splitlines() if l.startswith('ipclab')]
    if ipclab_msgs:
        s['ipclab_messages'] = ipclab_msgs[-5:]
    return s


def part_throughput(args, env, scratch):
    dur = 1 if args.quick else 10
    steps = 1 if args.quick else 4
    threads = 2
    probes = []

    def probe(rate, **kw):
        s = evgen_trace(scratch, threads, rate, dur, **kw)
        probes.append(s)
        say('throughput: %s, target %s ops/s (buffer %s): %.0f events/s, events=%s dropped=%s' % (
            s['generator'], rate or 'max', s['buffer'], s.get('events_per_s') or 0, s.get('events'), s.get('dropped')))
        return s

    # Ceiling of the generator itself, untraced (events it would produce: 2 per op).
    r = run([os.path.join(BENCHBIN, 'evgen'), str(threads), '0', str(min(dur, 3))], timeout=120)
    ceiling = parse_seconds(r['out'])
    untraced_ops = ceiling['ops'] / ceiling['seconds'] if ceiling else None
    say('throughput: evgen untraced: %.0f ops/s (= %.0f pipe events/s if traced)' % (untraced_ops or 0, 2 * (untraced_ops or 0)))

    top = probe(0)
    best = top if top.get('dropped') == 0 and top.get('events_per_s') else None
    beyond = None
    if top.get('dropped'):
        beyond = top
        lo, hi = 0.0, (top.get('offered_events_per_s') or 2e6) / 2
        for _ in range(steps):
            mid = (lo + hi) / 2
            s = probe(mid)
            if s.get('dropped') == 0 and s.get('events_per_s'):
                lo = mid
                if not best or s['events_per_s'] > best['events_per_s']:
                    best = s
            else:
                hi = mid
                if s.get('dropped'):
                    beyond = s
    # The 64-byte pipe stream (one writer, one reader that drains in 64 KiB reads), ~10 s.
    if not args.quick:
        st = probe(0, prog=[os.path.join(BENCHBIN, 'pipe_stream'), '64', '64M'])
        if st.get('dropped') == 0 and st.get('events_per_s') and (not best or st['events_per_s'] > best['events_per_s']):
            best = st
        elif st.get('dropped') and not beyond:
            beyond = st
    # Show that losses are counted and reported: the same generator into a small buffer.
    small = probe(0, buffer='64K')
    result = {
        'part': 'throughput', 'quick': args.quick, 'environment': env,
        'method': 'bench/workloads/evgen: %d threads, each write(1 B) + read(1 B) on its own pipe '
                  '(2 events per op, never blocking), paced in 1 ms ticks to a target op rate (0 = '
                  'as fast as it can), %d s per probe, under `ipclab trace` with the default buffer. '
                  'events/s = meta.events / the generator\'s own seconds. First probe unthrottled; '
                  'if it drops, bisect the target rate. Full run: also the 64-byte pipe stream (pipe_stream '
                  '64 64M) unthrottled. Last probe: evgen unthrottled into --buffer 64K, to show losses '
                  'are counted.' % (threads, dur),
        'probe_seconds': dur,
        'evgen_untraced_ops_per_s': untraced_ops,
        'evgen_untraced_events_equiv_per_s': 2 * untraced_ops if untraced_ops else None,
        'probes': probes,
        'max_zero_drop_events_per_s': best['events_per_s'] if best else None,
        'max_zero_drop_probe': best,
        'generator_limited': bool(best is not None and best.get('target_ops_per_s') == 0),
        'beyond': ({'events_per_s': beyond.get('events_per_s'), 'dropped': beyond.get('dropped'),
                    'offered_events_per_s': beyond.get('offered_events_per_s')} if beyond else None),
        'small_buffer_64K': {'events_per_s': small.get('events_per_s'), 'dropped': small.get('dropped'),
                             'events': small.get('events')},
        'target_events_per_s': TARGETS['throughput_events_per_s'],
    }
    return result


# ------------------------------------------------------------------ 3. JSON

REPLAY_RE = re.compile(r'(\d+) events: timeline ([0-9.]+) s, JSON ([0-9.]+) s, ([0-9.]+) events/s')


def replay(spool, out, timev=True):
    cmd = [IPCLAB, 'replay', spool, '-o', out]
    if timev:
        cmd = [TIME, '-v'] + cmd
    r = run(cmd, timeout=1800)
    s = {'rc': r['rc'], 'wall': round(r['wall'], 3)}
    m = REPLAY_RE.search(r['out'] or '')
    if m:
        s.update({'events': int(m.group(1)), 'timeline_s': float(m.group(2)), 'json_s': float(m.group(3)),
                  'events_per_s': float(m.group(4))})
    else:
        s['error'] = ((r['err'] or '') + (r['out'] or '')).strip()[-2000:]
    if timev:
        s['max_rss_kib'] = max_rss_kib(r['err'])
    if os.path.exists(out):
        s['json_bytes'] = os.path.getsize(out)
    return s


def part_json(args, env, scratch):
    ops = 50000 if args.quick else 1000000
    runs = 2 if args.quick else 5
    spool = os.path.join(scratch, 'json.spool')
    rec = evgen_trace(scratch, 2, 0, 0, ops=ops, spool=spool)
    say('json: recorded %s events (dropped %s) into a spool of %s bytes' % (
        rec.get('events'), rec.get('dropped'), os.path.getsize(spool) if os.path.exists(spool) else '?'))
    samples = []
    for i in range(runs):
        out = os.path.join(scratch, 'replay.json')
        s = replay(spool, out)
        rm(out)
        samples.append(s)
        say('json: replay %d/%d: %s events/s (timeline %ss, JSON %ss)' % (
            i + 1, runs, s.get('events_per_s'), s.get('timeline_s'), s.get('json_s')))
    spool_bytes = os.path.getsize(spool) if os.path.exists(spool) else None
    rm(spool)
    eps = median([s.get('events_per_s') for s in samples])
    return {
        'part': 'json', 'quick': args.quick, 'environment': env,
        'method': 'evgen (2 threads, %d ops) traced with --save-spool; then `ipclab replay SPOOL -o F` '
                  '%d times; events/s as replay prints it (events / (timeline + JSON) seconds), median.' % (ops, runs),
        'recording': rec, 'spool_bytes': spool_bytes, 'samples': samples,
        'median_events_per_s': eps,
        'median_json_only_events_per_s': median([s['events'] / s['json_s'] for s in samples if s.get('json_s')]),
        'median_timeline_s': median([s.get('timeline_s') for s in samples]),
        'median_json_s': median([s.get('json_s') for s in samples]),
        'json_bytes': samples[0].get('json_bytes') if samples else None,
        'target_events_per_s': TARGETS['json_events_per_s'],
    }


# ------------------------------------------------------------------ 4. memory

def linfit(xs, ys):
    n = len(xs)
    if n < 2:
        return None, None
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    if not sxx:
        return None, None
    b = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sxx
    return b, my - b * mx


def part_memory(args, env, scratch):
    sizes = [50000, 150000] if args.quick else [1000000, 2000000, 5000000, 10000000]
    points = []
    skipped = None
    for n in sizes:
        if n >= 10000000 and points and points[-1]['trace'].get('wall'):
            # Project this point's time from the previous one (linear in events); skip it if
            # it would take too long or need too much disk, and say so.
            prev = points[-1]
            projected = (prev['trace']['wall'] + prev.get('replay', {}).get('wall', 0)) * n / prev['target_events']
            need = n * 600  # spool (~240 B/event) + JSON (~300 B/event), with margin
            st = os.statvfs(scratch)
            free = st.f_bavail * st.f_frsize
            if projected > args.memory_budget or need > free * 0.8:
                skipped = ('10M-event point skipped: projected %.0f s (budget %d s), needs ~%.1f GB of %.1f GB free' % (
                    projected, args.memory_budget, need / 1e9, free / 1e9))
                say('memory: ' + skipped)
                continue
        spool = os.path.join(scratch, 'mem.spool')
        s = evgen_trace(scratch, 2, 0, 0, ops=n // 2, spool=spool, timev=True)
        p = {'target_events': n, 'trace': s}
        if os.path.exists(spool):
            p['spool_bytes'] = os.path.getsize(spool)
            out = os.path.join(scratch, 'mem.replay.json')
            p['replay'] = replay(spool, out, timev=True)
            if n == 1000000 and os.path.exists(out):
                # The viewer part also loads this real 1M-event ipclab trace.
                os.replace(out, os.path.join(scratch, 'real_trace.json'))
            rm(out)
            rm(spool)
        points.append(p)
        say('memory: %s events: trace max RSS %s KiB (dropped %s), replay max RSS %s KiB' % (
            s.get('events'), s.get('max_rss_kib'), s.get('dropped'), p.get('replay', {}).get('max_rss_kib')))
    ev = [p['trace'].get('events') for p in points]
    tr = [p['trace'].get('max_rss_kib') for p in points]
    rp = [p.get('replay', {}).get('max_rss_kib') for p in points]
    ok = [i for i in range(len(points)) if ev[i] and tr[i]]
    b, a = linfit([ev[i] for i in ok], [tr[i] for i in ok])
    okr = [i for i in range(len(points)) if ev[i] and rp[i]]
    br, ar = linfit([ev[i] for i in okr], [rp[i] for i in okr])
    at10m = None
    for i in ok:
        if ev[i] >= 9.5e6:
            at10m = tr[i]
    return {
        'part': 'memory', 'quick': args.quick, 'environment': env,
        'method': 'peak RSS (/usr/bin/time -v, "Maximum resident set size") of `ipclab trace '
                  '--save-spool` on evgen (2 threads, events/2 ops, unthrottled) and of `ipclab replay` '
                  'of the same spool; least-squares line RSS = a + b * events.',
        'points': points,
        'skipped': skipped,
        'trace_slope_bytes_per_event': b * 1024 if b is not None else None,
        'trace_intercept_mib': a / 1024 if a is not None else None,
        'trace_rss_10m_measured_mib': at10m / 1024 if at10m else None,
        'trace_rss_10m_extrapolated_mib': (a + b * 10e6) / 1024 if b is not None else None,
        'replay_slope_bytes_per_event': br * 1024 if br is not None else None,
        'replay_rss_10m_extrapolated_mib': (ar + br * 10e6) / 1024 if br is not None else None,
        'target_mib': TARGETS['memory_rss_10m_mib'],
    }


# ------------------------------------------------------------------ 5. viewer

def part_viewer(args, env, scratch, real_trace=None):
    if not (real_trace and os.path.exists(real_trace)):
        # Run alone (--parts viewer): record a real 1M-event ipclab trace first.
        real_trace = os.path.join(scratch, 'real_trace.json')
        s = evgen_trace(scratch, 2, 0, 0, ops=500000, keep_json=True)
        if s.get('json_path'):
            os.replace(s['json_path'], real_trace)
    out = os.path.join(scratch, 'viewer.out.json')
    cmd = ['node', os.path.join(HERE, 'viewer.mjs'), '--out', out, '--scratch', scratch]
    if real_trace and os.path.exists(real_trace):
        cmd += ['--real', real_trace]
    if args.rounds:
        cmd += ['--rounds', str(args.rounds)]
    r = run(cmd, timeout=1800)
    res = {'part': 'viewer', 'quick': args.quick, 'environment': env, 'rc': r['rc'],
           'stderr_tail': (r['err'] or '').strip()[-3000:]}
    if os.path.exists(out):
        res.update(json.load(open(out)))
        rm(out)
    else:
        res['error'] = 'viewer.mjs wrote no result: ' + res['stderr_tail'][-1500:]
    res['targets'] = {'first_render_ms': TARGETS['viewer_first_render_ms'], 'frame_ms': TARGETS['viewer_frame_ms']}
    return res


# ------------------------------------------------------------------ 6. the notes' table

NOTES_MS = {'memory': 17, 'mmap': 18, 'write': 2685}
CLAIM_MS_RE = re.compile(r'memory ([0-9.]+) ms, mmap ([0-9.]+) ms, write\(\) ([0-9.]+) ms')
LOG_RE = {
    'memory': re.compile(r'write to memory \(memset\)\s+([0-9.]+) ms'),
    'mmap': re.compile(r'write to mmap \(memset\)\s+([0-9.]+) ms'),
    'write': re.compile(r'write to file \(64 B write\)\s+([0-9.]+) ms'),
}


def phase_counts(trace_path):
    d = json.load(open(trace_path))
    ev = d['events']
    renames = [(e['t'], e['comm']) for e in ev if e['type'] == 'rename']
    phases = {}
    names = {'phase-memory': 'memory', 'phase-mmap': 'mmap', 'phase-write': 'write'}
    for i, (t, comm) in enumerate(renames):
        if comm not in names:
            continue
        end = renames[i + 1][0] if i + 1 < len(renames) else None
        inside = [e for e in ev if e['t'] >= t and (end is None or e['t'] < end)]
        sc = {}
        for e in inside:
            if e['type'] == 'syscall':
                sc[e.get('name')] = sc.get(e.get('name'), 0) + 1
            elif e['type'] in ('pipe_write', 'pipe_read', 'fifo_write', 'fifo_read'):
                n = e.get('syscall') or e['type']
                sc[n] = sc.get(n, 0) + 1
        faults = [e for e in inside if e['type'] == 'fault']
        per_map = {}
        for e in faults:
            if e.get('mapping') is not None:
                per_map[e['mapping']] = per_map.get(e['mapping'], 0) + 1
        phases[names[comm]] = {
            'buffer_faults': max(per_map.values()) if per_map else 0,
            'rename_interval_ms': (end - t) / 1e6 if end is not None else None,
            'faults': len(faults),
            'write_faults': sum(1 for e in faults if e.get('write')),
            'fault_kinds': dict(sorted({k: sum(1 for e in faults if e.get('kind') == k)
                                        for k in {e.get('kind') for e in faults}}.items(), key=lambda x: str(x[0]))),
            'syscalls': sum(sc.values()),
            'write_syscalls': sc.get('write', 0),
            'syscalls_by_name': dict(sorted(sc.items(), key=lambda x: -x[1])[:8]),
            'dirty': sum(1 for e in inside if e['type'] == 'dirty'),
            'page_cache': sum(1 for e in inside if e['type'] == 'page_cache'),
        }
    return phases, d['meta']


def part_notes(args, env, scratch):
    runs = 1 if args.quick else 3
    traced = []
    untraced = []
    for i in range(runs):
        d = os.path.join(scratch, 'notes%d' % i)
        r = run([IPCLAB, 'run', 'mmap_vs_write', '-o', d], timeout=600)
        s = {'rc': r['rc'], 'claims': []}
        tp = os.path.join(d, 'mmap_vs_write.json')
        if os.path.exists(tp):
            tj = json.load(open(tp))
            s['claims'] = [{'id': c['id'], 'status': c['status'], 'detail': c['detail']} for c in tj['claims']]
            for c in tj['claims']:
                m = CLAIM_MS_RE.search(c.get('detail') or '')
                if m:
                    s['claim_ms'] = {'memory': float(m.group(1)), 'mmap': float(m.group(2)), 'write': float(m.group(3))}
            s['phases'], meta = phase_counts(tp)
            s['events'] = meta.get('events')
            s['dropped'] = meta.get('dropped')
        else:
            s['error'] = (r['err'] or r['out'] or '').strip()[-1500:]
        rm(d)
        traced.append(s)
        # The same program untraced: its own printed timings.
        wd = tempfile.mkdtemp(prefix='notes-untraced-', dir=scratch)
        ru = run([os.path.join(BUILD, 'workloads', 'mmap_vs_write'), wd], timeout=300)
        u = {'rc': ru['rc']}
        for k, rx in LOG_RE.items():
            m = rx.search(ru['out'] or '')
            u[k] = float(m.group(1)) if m else None
        rm(wd)
        untraced.append(u)
        say('notes: run %d/%d traced %s, untraced %s' % (i + 1, runs, s.get('claim_ms'), u))
    table = []
    for k, label in (('memory', 'write to memory (memset 4 MiB)'), ('mmap', 'write to mmap (memset 4 MiB, MAP_SHARED file)'),
                     ('write', 'write to file (65536 x 64 B write())')):
        ph = [t['phases'].get(k, {}) for t in traced if t.get('phases')]
        table.append({
            'phase': k, 'label': label, 'notes_ms': NOTES_MS[k],
            'untraced_ms': median([u.get(k) for u in untraced]),
            'traced_claim_ms': median([t.get('claim_ms', {}).get(k) for t in traced]),
            'traced_rename_interval_ms': median([p.get('rename_interval_ms') for p in ph]),
            'faults': median([p.get('faults') for p in ph]),
            'buffer_faults': median([p.get('buffer_faults') for p in ph]),
            'syscalls': median([p.get('syscalls') for p in ph]),
            'write_syscalls': median([p.get('write_syscalls') for p in ph]),
            'dirty_pages': median([p.get('dirty') for p in ph]),
        })
    return {'part': 'notes', 'quick': args.quick, 'environment': env,
            'method': '`ipclab run mmap_vs_write -o DIR` (%d runs): phase times from the claims\' '
                      'details and from the intervals between the process\'s rename events; faults and '
                      'syscalls counted per phase from the trace. Untraced: build/workloads/mmap_vs_write '
                      'DIR, its own printed table. Medians.' % runs,
            'table': table, 'traced_runs': traced, 'untraced_runs': untraced}


COMPARE_RE = re.compile(r'\] (\w+) (\d+) B x \d+: all bytes arrived intact in (\d+) us')


def compare_times(out):
    """(mechanism, size) -> microseconds, from labs/compare.c's own lines."""
    return {(m.group(1), int(m.group(2))): int(m.group(3)) for m in COMPARE_RE.finditer(out or '')}


def part_compare(args, env, scratch):
    """The probe effect per mechanism and message size: mech/compare/labs/compare.c's own
    clock per pair, untraced and under `ipclab trace`, rounds interleaved, medians."""
    rounds = args.rounds or (3 if args.quick else 5)
    prog = os.path.join(BUILD, 'workloads', 'compare')
    untraced, traced, events = [], [], []
    for i in range(rounds):
        d = tempfile.mkdtemp(prefix='compare-', dir=scratch)
        os.chmod(d, 0o755)
        ru = run([prog, d], timeout=300)
        tp = os.path.join(scratch, 'compare.json')
        rt = run([IPCLAB, 'trace', '-q', '-o', tp, '--', prog, d], timeout=600)
        untraced.append(compare_times(ru['out']))
        traced.append(compare_times(rt['out']))
        m = trace_meta(tp) if os.path.exists(tp) else {}
        events.append({'events': m.get('events'), 'dropped': m.get('dropped')})
        rm(tp)
        shutil.rmtree(d, ignore_errors=True)
        say('compare: round %d/%d: %d pairs untraced, %d traced (%s events)' % (
            i + 1, rounds, len(untraced[-1]), len(traced[-1]), events[-1].get('events')))
    rows = []
    for key in sorted(set().union(*untraced) if untraced else [], key=lambda k: (k[1], k[0])):
        u = median([r.get(key) for r in untraced])
        t = median([r.get(key) for r in traced])
        rows.append({'mechanism': key[0], 'size': key[1], 'untraced_us': u, 'traced_us': t,
                     'ratio': (t / u) if u and t else None})
    return {'part': 'compare', 'quick': args.quick, 'environment': env, 'rounds': rounds,
            'method': 'build/workloads/compare DIR untraced and under `ipclab trace` (%d interleaved '
                      'rounds): each pair\'s time by the program\'s own clock (channel made to both '
                      'processes reaped), medians; ratio = traced / untraced.' % rounds,
            'rows': rows, 'traces': events,
            'untraced_runs': [{'%s %d' % k: v for k, v in r.items()} for r in untraced],
            'traced_runs': [{'%s %d' % k: v for k, v in r.items()} for r in traced]}


# ------------------------------------------------------------------ 8. stress (issue 16, part 3)

# Disk a stress trace may need at its peak, per event: the sorted runs (~240 B) and the plain
# JSON (~380 B for this load), as if both existed whole at once (the runs are punched out as
# they are read, so this is an upper bound), at the traced rate's ceiling (part 2: ~0.93M/s).
STRESS_DISK_PER_EVENT = 620
STRESS_EVENTS_PER_S_GUESS = 1.0e6
# stress-ng --metrics-brief: "... ] pipe  1105191  3.00  0.35  4.85  368301.81  212545.23"
STRESS_METRICS_RE = re.compile(r'\] pipe\s+(\d+)\s+([0-9.]+)\s+[0-9.]+\s+[0-9.]+\s+([0-9.]+)')
# ipclab's progress lines (IPCLAB_PROGRESS_AFTER=0: a line as soon as each phase begins),
# seconds since the recording stopped: "ipclab: sorting F: 61%, 1.0 s", "ipclab: writing
# F: 0/2430206 events (0%), 0.0 MB written, 2.2 s, ...", "ipclab: wrote F: 923.7 MB in 8.6 s"
PHASE_RE = re.compile(r'^ipclab: (sorting|resolving|writing) .*?, ([0-9.]+) s(?:,|$)', re.M)
WROTE_RE = re.compile(r'^ipclab: wrote .*: ([0-9.]+) MB in ([0-9.]+) s', re.M)


def stress_cmd(seconds):
    return ['stress-ng', '--pipe', '2', '--timeout', '%ds' % seconds, '--metrics-brief']


def stress_metrics(text):
    """stress-ng's own count for its pipe stressors: bogo ops, its seconds, ops/s."""
    m = STRESS_METRICS_RE.search(text or '')
    if not m:
        return {}
    return {'bogo_ops': int(m.group(1)), 'stress_seconds': float(m.group(2)),
            'bogo_ops_per_s': float(m.group(3))}


def trace_processes(path):
    """The processes array of an ipclab trace: it comes before the objects and events."""
    with open(path, 'rb') as f:
        head = f.read(8 << 20).decode('utf-8', 'replace')
    i = head.find('\n"processes":')
    if i < 0:
        return []
    procs, _ = json.JSONDecoder().raw_decode(head[i + len('\n"processes":'):])
    return procs


def vm_hwm_kib(pid):
    """A process's peak resident set so far (VmHWM), or None once it is gone."""
    try:
        with open('/proc/%d/status' % pid) as f:
            for line in f:
                if line.startswith('VmHWM:'):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def cpu_ticks(pid):
    """A process's own user + system CPU so far, in clock ticks (/proc/PID/stat), or None."""
    try:
        with open('/proc/%d/stat' % pid) as f:
            fields = f.read().rsplit(')', 1)[1].split()
        return int(fields[11]) + int(fields[12])	# utime, stime (fields 14, 15)
    except (OSError, IndexError, ValueError):
        return None


def hwm_sampler(into, cpu):
    """A run() watcher: ipclab's own VmHWM, and (CLOCK_MONOTONIC ns, its CPU ticks) into cpu,
    every 0.2 s until it exits. ipclab is the child of /usr/bin/time (env execs it), so its
    pid is time's child; the last sample can miss what ipclab reached in its final 0.2 s,
    which time -v's maximum (below) does not."""
    def watch(p):
        pid = None
        while p.poll() is None:
            if pid is None:
                try:
                    kids = open('/proc/%d/task/%d/children' % (p.pid, p.pid)).read().split()
                    pid = int(kids[0]) if kids else None
                except OSError:
                    pass
            hwm = vm_hwm_kib(pid) if pid else None
            if hwm:
                into['ipclab_vm_hwm_kib'] = max(hwm, into.get('ipclab_vm_hwm_kib') or 0)
            ticks = cpu_ticks(pid) if pid else None
            if ticks is not None:
                cpu.append((time.monotonic_ns(), ticks))
            time.sleep(0.2)
    return watch


def cpu_share_after(cpu, end_ns):
    """ipclab's CPU seconds per wall second from end_ns (the load's end) to its last sample:
    near 1 when writing the trace is bound by ipclab's own CPU, lower when it waits (disk)."""
    after = [x for x in cpu if x[0] >= end_ns]
    if len(after) < 2 or after[-1][0] == after[0][0]:
        return None
    hz = os.sysconf('SC_CLK_TCK')
    return round((after[-1][1] - after[0][1]) / hz / ((after[-1][0] - after[0][0]) / 1e9), 2)


def ipclab_phases(err):
    """Seconds from the recording's end to the start of each write phase, and the total."""
    ph = {}
    for name, sec in PHASE_RE.findall(err or ''):
        ph.setdefault(name + '_start_s', float(sec))
    m = WROTE_RE.search(err or '')
    if m:
        ph['written_mb'] = float(m.group(1))
        ph['write_s'] = float(m.group(2))
    return ph


def load_span(procs, start_ns):
    """The load's seconds (first process start to last exit, trace clock) and its end on
    CLOCK_MONOTONIC."""
    starts = [p['start'] for p in procs if p.get('start') is not None]
    exits = [p['exit'] for p in procs if p.get('exit') is not None]
    if not starts or not exits or start_ns is None:
        return None, None
    return (max(exits) - min(starts)) / 1e9, start_ns + max(exits)


def stress_trace(scratch, seconds, buffer=None):
    """One round: stress-ng under `ipclab trace` (GNU time around it, ipclab's VmHWM sampled)."""
    out = os.path.join(scratch, 'stress.json')
    cmd = [TIME, '-v', 'env', 'IPCLAB_PROGRESS_AFTER=0', IPCLAB, 'trace', '-o', out]
    if buffer:
        cmd += ['--buffer', buffer]
    s = {'buffer': buffer or 'default (16M)'}
    cpu = []
    r = run(cmd + ['--'] + stress_cmd(seconds), timeout=seconds * 20 + 600, interrupt_first=True,
            watch=hwm_sampler(s, cpu))
    s.update({'rc': r['rc'], 'wall': round(r['wall'], 3), 'max_rss_kib': max_rss_kib(r['err'])})
    s.update(cpu_seconds(r['err']))	# ipclab's and the load's together
    s.update(stress_metrics(r['out'] + r['err']))
    s.update(ipclab_phases(r['err']))
    s['ipclab_warnings'] = [l for l in r['err'].splitlines() if l.startswith('ipclab: WARNING')]
    if not os.path.exists(out):
        s['error'] = r['err'].strip()[-2000:]
        return s
    m = trace_meta(out) or {}
    s.update({'events': m.get('events'), 'dropped': m.get('dropped'), 'lost': m.get('lost'),
              'trace_bytes': os.path.getsize(out), 'end_reason': m.get('end_reason')})
    load_s, end_ns = load_span(trace_processes(out), m.get('start_ns'))
    rm(out)
    if load_s:
        s['load_seconds'] = round(load_s, 3)
        s['events_per_s'] = s['events'] / load_s
        s['after_end_s'] = round((r['end_ns'] - end_ns) / 1e9, 3)
        s['ipclab_cpu_share_after_end'] = cpu_share_after(cpu, end_ns)
    return s


def stress_disk_problem(scratch, seconds):
    need = seconds * STRESS_EVENTS_PER_S_GUESS * STRESS_DISK_PER_EVENT
    st = os.statvfs(scratch)
    free = st.f_bavail * st.f_frsize
    if need > free * 0.9:
        return 'needs ~%.0f GB of disk in %s, %.0f GB free' % (need / 1e9, scratch, free / 1e9)
    return None


def say_stress(label, s):
    say('stress %s: %s events in %s s = %s events/s, dropped %s, lost %s; peak RSS %s KiB (ipclab '
        'VmHWM %s KiB); trace written %s s after the load ended (ipclab: wrote %s MB in %s s; its CPU '
        'meanwhile %s s per s)' % (
            label, s.get('events'), s.get('load_seconds'), fmt_rate(s.get('events_per_s')), s.get('dropped'),
            s.get('lost'), s.get('max_rss_kib'), s.get('ipclab_vm_hwm_kib'), s.get('after_end_s'),
            s.get('written_mb'), s.get('write_s'), s.get('ipclab_cpu_share_after_end')))


def part_stress(args, env, scratch):
    seconds = args.stress_seconds or (5 if args.quick else 60)
    rounds = 1 if args.quick else (args.rounds or 3)
    res = {'part': 'stress', 'quick': args.quick, 'environment': env, 'seconds': seconds,
           'command': ' '.join(stress_cmd(seconds)), 'rounds': [], 'method': STRESS_METHOD,
           'target_rss_mib': TARGETS['stress_rss_mib']}
    problem = None if shutil.which('stress-ng') else 'stress-ng is not installed (bench/run.sh installs it)'
    problem = problem or stress_disk_problem(scratch, seconds)
    if problem:
        say('stress skipped: ' + problem)
        res['skipped'] = problem
        return res
    # The load's own rate untraced, once: what tracing costs it.
    u = run(stress_cmd(seconds), timeout=seconds + 120)
    res['untraced'] = stress_metrics(u['out'] + u['err'])
    say('stress untraced: %s' % res['untraced'])
    for i in range(rounds):
        s = stress_trace(scratch, seconds)
        res['rounds'].append(s)
        say_stress('round %d/%d' % (i + 1, rounds), s)
    if any(s.get('dropped') or s.get('lost') for s in res['rounds']):
        # Does a larger ring buffer help? One more round with 4x the default.
        s = stress_trace(scratch, seconds, buffer='64M')
        res['bigger_buffer'] = s
        say_stress('--buffer 64M', s)
    rs = res['rounds']
    for k in ('events_per_s', 'load_seconds', 'events', 'max_rss_kib', 'ipclab_vm_hwm_kib', 'after_end_s',
              'ipclab_cpu_share_after_end', 'user_s', 'sys_s',
              'write_s', 'trace_bytes', 'bogo_ops_per_s', 'sorting_start_s', 'resolving_start_s', 'writing_start_s'):
        res['median_' + k] = median([s.get(k) for s in rs])
    res['dropped_max'] = max((s.get('dropped') or 0) for s in rs) if rs else None
    res['lost_max'] = max((s.get('lost') or 0) for s in rs) if rs else None
    return res


STRESS_METHOD = (
    '`ipclab trace -o F -- stress-ng --pipe 2 --timeout Ns --metrics-brief` (two stressors, each a '
    'parent writing 512-byte messages through a pipe to its child), under /usr/bin/time -v. '
    'events/s = meta.events / the load\'s seconds (the trace\'s processes: first start to last exit). '
    'Peak RSS: time -v\'s maximum (ipclab and the load\'s processes it waited for, whichever is '
    'largest) and ipclab\'s own VmHWM sampled every 0.2 s. Trace written after the load ended: '
    'CLOCK_MONOTONIC when ipclab exited (the driver\'s clock) minus meta.start_ns + the last '
    'process exit in the trace (the same clock); ipclab\'s own "wrote F in S s" (from the '
    'recording\'s end) and phase starts (IPCLAB_PROGRESS_AFTER=0) beside it. stress-ng untraced '
    'once for its own bogo ops/s. If a round drops, one more with --buffer 64M.')


# ------------------------------------------------------------------ summary

def fmt(x, nd=2, unit=''):
    if x is None:
        return 'n/a'
    if isinstance(x, float):
        return ('%.' + str(nd) + 'f%s') % (x, unit)
    return '%s%s' % (x, unit)


def fmt_rate(x):
    if x is None:
        return 'n/a'
    if x >= 1e6:
        return '%.2fM' % (x / 1e6)
    return '%.0fk' % (x / 1e3)


def verdict(ok):
    if ok is None:
        return 'n/a'
    return 'met' if ok else '**missed**'


def load(results_dir, part):
    p = os.path.join(results_dir, part + '.json')
    return json.load(open(p)) if os.path.exists(p) else None


def floor_syscalls(floor):
    """Syscalls the floor tracer counted in the tree (its sys_enter count), median of the runs."""
    n = median([x.get('sys_enter') for x in floor.get('samples') or []])
    return int(n) if n is not None else None


def tracefs_mounted(o):
    """Did the overhead part mount tracefs for bpftrace? (results from before the flag: its text)"""
    return o.get('tracefs_mounted_by_bench', str(o.get('tracefs', '')).startswith('tracefs mounted'))


def summary_stress(st):
    """Part 8's section of summary.md."""
    L = ['## 8. Scale: `%s` under `ipclab trace`%s' % (
        st['command'], ', median of %d rounds' % len(st['rounds']) if len(st['rounds']) > 1 else ', one round'), '']
    if st.get('skipped'):
        return L + ['Skipped: %s.' % st['skipped'], '']
    rss = st.get('median_max_rss_kib')
    drops_ok = st.get('dropped_max') == 0 and st.get('lost_max') == 0
    un = st.get('untraced') or {}
    L += ['| measure | value | target | met |', '|---|---|---|---|',
          '| events recorded / load seconds | %s events/s (%s events in %s s) |  |  |' % (
              fmt_rate(st.get('median_events_per_s')), fmt(st.get('median_events')), fmt(st.get('median_load_seconds'), 1)),
          '| dropped, lost (max over rounds) | %s, %s | 0 | %s |' % (st.get('dropped_max'), st.get('lost_max'), verdict(drops_ok)),
          '| peak RSS (time -v: ipclab or the load; ipclab\'s own VmHWM) | %s MiB; %s MiB | ≤ %d MiB | %s |' % (
              fmt((rss or 0) / 1024, 1), fmt((st.get('median_ipclab_vm_hwm_kib') or 0) / 1024, 1), st['target_rss_mib'],
              verdict(rss is not None and rss <= st['target_rss_mib'] * 1024)),
          '| load\'s end → ipclab\'s exit (trace written) | %s s (ipclab: wrote %s MB in %s s; sorting, resolving, writing began at %s, %s, %s s%s) |  |  |' % (
              fmt(st.get('median_after_end_s'), 1), fmt((st.get('median_trace_bytes') or 0) / 1e6, 0), fmt(st.get('median_write_s'), 1),
              fmt(st.get('median_sorting_start_s'), 1), fmt(st.get('median_resolving_start_s'), 1), fmt(st.get('median_writing_start_s'), 1),
              '; ipclab\'s CPU meanwhile %s s per s' % fmt(st['median_ipclab_cpu_share_after_end'])
              if st.get('median_ipclab_cpu_share_after_end') is not None else ''),
          '| stress-ng bogo ops/s: traced / untraced | %s / %s |  |  |' % (
              fmt(st.get('median_bogo_ops_per_s'), 0), fmt(un.get('bogo_ops_per_s'), 0)), '']
    bb = st.get('bigger_buffer')
    if bb:
        L += ['A round dropped; one more with `--buffer 64M`: %s events/s, dropped %s, lost %s, peak RSS %s MiB.' % (
            fmt_rate(bb.get('events_per_s')), bb.get('dropped'), bb.get('lost'), fmt((bb.get('max_rss_kib') or 0) / 1024, 1)), '']
    L += ['Rounds: ' + '; '.join('%s events/s, dropped %s, RSS %s MiB, written %s s after the end' % (
        fmt_rate(s.get('events_per_s')), s.get('dropped'), fmt((s.get('max_rss_kib') or 0) / 1024, 1),
        fmt(s.get('after_end_s'), 1)) for s in st['rounds']) + '.', '']
    return L


def summary(results_dir, quick):
    L = []
    env = None
    parts = {p: load(results_dir, p) for p in ('overhead', 'throughput', 'json', 'memory', 'viewer', 'notes',
                                               'compare', 'stress')}
    for v in parts.values():
        if v:
            env = v.get('environment')
            break
    L.append('# ipclab benchmarks%s' % (' (quick run: smaller sizes, fewer rounds)' if quick else ''))
    L.append('')
    if env:
        L.append('Kernel %s, %s × %s, %s, lockdown `%s`; %s (git %s%s); %s; %s. Load average at start: %s.' % (
            env.get('kernel'), env.get('cpus'), env.get('cpu_model'), env.get('date'), env.get('lockdown'),
            env.get('ipclab'), env.get('git_commit'), ', user/bpf modified' if env.get('user_bpf_uncommitted_changes') else '',
            env.get('bpftrace'), env.get('strace'), ' '.join(env.get('loadavg_at_start') or [])))
        L.append('')
    busy = ['%s %s%% (load %s)' % (k, v['environment'].get('cpu_busy_percent_before'), (v['environment'].get('loadavg_at_start') or ['?'])[0])
            for k, v in parts.items() if v and v.get('environment', {}).get('cpu_busy_percent_before') is not None]
    if busy:
        L.append('Other work on this shared machine, measured just before each part (share of both CPUs not idle): '
                 + ', '.join(busy) + '. Every number below was measured under that contention.')
        L.append('')
    L.append('Reproduce: `sudo make bench` (this table, `bench/results/`) or `sudo make bench-quick` '
             '(under a minute, `bench/results/quick/`). Raw samples in `bench/results/<part>.json`.')
    L.append('')
    o = parts['overhead']
    if o:
        pr = o.get('rounds_per_tool') or {}
        rounds = ('medians: ' + ', '.join('%s %d' % kv for kv in pr.items()) + ' rounds') if len(set(pr.values())) > 1 \
            else 'median of %d interleaved rounds' % o['rounds']
        L.append('## 1. Tracing overhead (workload time under the tool / untraced; %s)' % rounds)
        L.append('')
        if o.get('bpftrace_problem'):
            L.append('bpftrace could not be used: %s' % o['bpftrace_problem'])
            L.append('')
        elif tracefs_mounted(o) or o.get('bpftrace_note'):
            L.append('bpftrace: %s.' % '; '.join(x for x in (o.get('tracefs') if tracefs_mounted(o) else None,
                                                              o.get('bpftrace_note')) if x))
            L.append('')
        if o.get('floor_problem'):
            L.append('The minimal tracer (floor) could not be used: %s' % o['floor_problem'])
            L.append('')
        if o.get('quick'):
            L.append('Quick run: bpftrace and strace only on the 64-byte stream (– elsewhere).')
            L.append('')
        L.append('Each tool\'s cell: its time / untraced, then / floor (its time over the minimal tracer\'s, '
                 '`bench/floor/`: the same tp_btf sys_enter/sys_exit hooks, the process-tree filter and a '
                 'count, nothing else). The floor column is what any tracer on these hooks costs; '
                 'ipclab / floor is what ipclab adds to it.')
        L.append('')
        L.append('| workload | untraced | floor | ipclab | bpftrace | strace -f | floor: syscalls counted (median) | ipclab events | ipclab dropped (max; runs with drops) | bpftrace lost (median) | target (ipclab) | met |')
        L.append('|---|---|---|---|---|---|---|---|---|---|---|---|')

        def cell(t, name):
            x = t.get(name)
            if x is None:
                return 'n/a'	# not a tool of that run
            if x.get('ratio') is None:
                return '–' if x.get('skipped') else 'failed'
            if name == 'floor' or x.get('ratio_to_floor') is None:
                return fmt(x['ratio']) + '×'
            return '%s× / %s× floor' % (fmt(x['ratio']), fmt(x['ratio_to_floor']))
        for w in o['workloads']:
            t = w['tools']
            tgt = {'pipe64': TARGETS['overhead_pipe64'], 'pipe64k': TARGETS['overhead_pipe64k']}.get(w['key'])
            floor_tgt = TARGETS['overhead_floor'] if w['key'] in FLOOR_TARGET_WORKLOADS else None
            ip = t.get('ipclab', {})
            ok = None
            drops_ok = ip.get('dropped_max') == 0 and ip.get('lost_max') == 0
            if floor_tgt:	# no floor, no verdict: the target is relative to it
                ok = (ip['ratio_to_floor'] <= floor_tgt and drops_ok) if ip.get('ratio_to_floor') else None
            elif tgt and ip.get('ratio') is not None:
                ok = ip['ratio'] <= tgt and drops_ok
            elif ip.get('dropped_max') is not None:
                ok = drops_ok
            target = ('≤ %.2f× floor, 0 dropped' % floor_tgt) if floor_tgt else \
                (('≤ %.2f×, 0 dropped' % tgt) if tgt else '0 dropped')
            fl = t.get('floor', {})
            L.append('| %s | %s s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |' % (
                w['description'], fmt(t['untraced'].get('median_seconds'), 3), cell(t, 'floor'), cell(t, 'ipclab'),
                cell(t, 'bpftrace'), cell(t, 'strace'),
                fmt(floor_syscalls(fl)),
                fmt(int(ip['events_median']) if ip.get('events_median') is not None else None),
                '%s; %s/%s' % (fmt(ip.get('dropped_max')), sum(1 for x in ip.get('samples') or [] if x.get('dropped')),
                               len(ip.get('samples') or [])),
                fmt(int(t['bpftrace']['lost_median']) if t.get('bpftrace', {}).get('lost_median') is not None else None),
                target, verdict(ok)))
        L.append('')
        L.append('![overhead](overhead.svg)')
        L.append('')
    t = parts['throughput']
    if t:
        best = t.get('max_zero_drop_events_per_s')
        L.append('## 2. Throughput (default 16 MiB ring buffer, %d s per probe)' % t['probe_seconds'])
        L.append('')
        L.append('| measure | value | target | met |')
        L.append('|---|---|---|---|')
        L.append('| highest recorded rate with 0 dropped | %s events/s%s | ≥ 1M events/s | %s |' % (
            fmt_rate(best), ' (generator-limited: the traced generator could not go faster)' if t.get('generator_limited') else '',
            verdict(best is not None and best >= TARGETS['throughput_events_per_s'])))
        b = t.get('beyond')
        L.append('| beyond it | %s |  |  |' % (
            ('%s events/s recorded, %s dropped' % (fmt_rate(b.get('events_per_s')), b.get('dropped'))) if b
            else 'no drop at the highest rate the generator reaches under tracing'))
        L.append('| same generator, untraced (ceiling) | %s ops/s = %s events/s if traced |  |  |' % (
            fmt_rate(t.get('evgen_untraced_ops_per_s')), fmt_rate(t.get('evgen_untraced_events_equiv_per_s'))))
        sb = t.get('small_buffer_64K') or {}
        L.append('| unthrottled with `--buffer 64K` (losses are counted) | %s events/s, %s dropped |  |  |' % (
            fmt_rate(sb.get('events_per_s')), sb.get('dropped')))
        L.append('')
        # Losses seen in part 1 (same default buffer, lower rates): starvation, not rate alone.
        if o:
            seen = []
            for w in o['workloads']:
                for x in w['tools'].get('ipclab', {}).get('samples', []):
                    if x.get('dropped') and x.get('seconds'):
                        seen.append('%s round %d: %s recorded + %s dropped in %.2f s (%s events/s offered)' % (
                            w['key'], x['round'] + 1, x.get('events'), x['dropped'], x['seconds'],
                            fmt_rate((x['events'] + x['dropped']) / x['seconds'])))
            if seen:
                L.append('Drops with the default buffer in part 1 (at lower rates, with the CPUs busy): ' + '; '.join(seen) + '.')
                L.append('')
        L.append('Probes: ' + '; '.join('%s%s%s → %s events/s, %s dropped' % (
            p.get('generator', 'evgen'), (' at %s ops/s' % fmt_rate(p['target_ops_per_s'])) if p['target_ops_per_s'] else ' unthrottled',
            '' if p.get('buffer', '').startswith('default') else ', --buffer ' + p['buffer'],
            fmt_rate(p.get('events_per_s')), p.get('dropped')) for p in t['probes']))
        L.append('')
    j = parts['json']
    if j:
        L.append('## 3. JSON (spool → JSON file, `ipclab replay`, median of %d)' % len(j['samples']))
        L.append('')
        L.append('| measure | value | target | met |')
        L.append('|---|---|---|---|')
        L.append('| events/s (timeline + JSON) | %s | ≥ 1M events/s | %s |' % (
            fmt_rate(j.get('median_events_per_s')), verdict(j.get('median_events_per_s') and j['median_events_per_s'] >= 1e6)))
        L.append('| events/s (JSON stage only) | %s |  |  |' % fmt_rate(j.get('median_json_only_events_per_s')))
        L.append('| events in the spool | %s (%s MiB spool, %s MiB JSON) |  |  |' % (
            j['samples'][0].get('events') if j['samples'] else 'n/a',
            fmt((j.get('spool_bytes') or 0) / 2**20, 0), fmt((j.get('json_bytes') or 0) / 2**20, 0)))
        L.append('| timeline / JSON seconds | %s / %s |  |  |' % (fmt(j.get('median_timeline_s'), 3), fmt(j.get('median_json_s'), 3)))
        L.append('')
    m = parts['memory']
    if m:
        L.append('## 4. Memory (peak RSS)')
        L.append('')
        L.append('| events | `ipclab trace` peak RSS | dropped | `ipclab replay` peak RSS |')
        L.append('|---|---|---|---|')
        for p in m['points']:
            L.append('| %s | %s MiB | %s | %s MiB |' % (
                p['trace'].get('events'), fmt((p['trace'].get('max_rss_kib') or 0) / 1024, 1), p['trace'].get('dropped'),
                fmt((p.get('replay', {}).get('max_rss_kib') or 0) / 1024, 1)))
        L.append('')
        v10 = m.get('trace_rss_10m_measured_mib') or m.get('trace_rss_10m_extrapolated_mib')
        if m.get('skipped'):
            L.append(m['skipped'] + '.')
            L.append('')
        L.append('| measure | value | target | met |')
        L.append('|---|---|---|---|')
        L.append('| `ipclab trace` slope | %s bytes/event (+ %s MiB) |  |  |' % (
            fmt(m.get('trace_slope_bytes_per_event'), 0), fmt(m.get('trace_intercept_mib'), 1)))
        L.append('| `ipclab trace` at 10M events | %s MiB (%s) | ≤ 64 MiB | %s |' % (
            fmt(v10, 0), 'measured' if m.get('trace_rss_10m_measured_mib') else 'extrapolated',
            verdict(v10 is not None and v10 <= 64)))
        L.append('| `ipclab replay` slope / at 10M | %s bytes/event / %s MiB |  |  |' % (
            fmt(m.get('replay_slope_bytes_per_event'), 0), fmt(m.get('replay_rss_10m_extrapolated_mib'), 0)))
        L.append('')
    v = parts['viewer']
    if v:
        L.append('## 5. Viewer (headless Chromium, the page\'s own timing)')
        L.append('')
        if v.get('error'):
            L.append('Failed: ' + v['error'])
        else:
            # bench/viewer.mjs: each trace through `ipclab view`, read from its compact form
            # ("cols") and from its JSON ("json", as a file opened by hand), medians of rounds
            tgt = TARGETS['viewer_first_render_ms']
            L.append('| trace | events | JSON size | read from | first full render | of which fetch / parse | frame (render) median / p95 | rounds | target | met |')
            L.append('|---|---|---|---|---|---|---|---|---|---|')
            for r in v.get('runs', []):
                if r.get('error') or not r.get('summary'):
                    L.append('| %s | %s | %s MiB | | failed: %s |  |  |  | ≤ %d ms, ≤ 16 ms | **missed** |' % (
                        r.get('name'), r.get('events'), fmt((r.get('bytes') or 0) / 2**20, 0),
                        str(r.get('error'))[:200].replace('|', '/'), tgt))
                    continue
                for way in ('json', 'cols'):
                    x = r['summary'][way]
                    ok = (x.get('first_render_ms') is not None and x['first_render_ms'] <= tgt and
                          x.get('frame_p95_ms') is not None and x['frame_p95_ms'] <= 16 and not x.get('failed'))
                    L.append('| %s | %s | %s MiB | %s (%s reader) | %s ms | %s / %s ms | %s / %s ms | %s | ≤ %d ms, ≤ 16 ms | %s |' % (
                        r.get('name'), r.get('events'), fmt((r.get('bytes') or 0) / 2**20, 0), way, x.get('reader'),
                        fmt(x.get('first_render_ms'), 0), fmt(x.get('fetch_ms'), 0), fmt(x.get('parse_ms'), 0),
                        fmt(x.get('frame_median_ms'), 1), fmt(x.get('frame_p95_ms'), 1), x.get('rounds'), tgt, verdict(ok)))
        L.append('')
    n = parts['notes']
    if n:
        L.append('## 6. The course notes\' table (`ipclab run mmap_vs_write`, 4 MiB each way)')
        L.append('')
        L.append('| method | notes | this host, untraced | traced (claim) | traced (rename to rename) | faults in the 4 MiB buffer (all in phase) | syscalls | write() calls | dirty pages |')
        L.append('|---|---|---|---|---|---|---|---|---|')
        for r in n['table']:
            L.append('| %s | %s ms | %s ms | %s ms | %s ms | %s (%s) | %s | %s | %s |' % (
                r['label'], r['notes_ms'], fmt(r['untraced_ms'], 1), fmt(r['traced_claim_ms'], 1),
                fmt(r['traced_rename_interval_ms'], 1), fmt(r.get('buffer_faults'), 0), fmt(r['faults'], 0), fmt(r['syscalls'], 0),
                fmt(r['write_syscalls'], 0), fmt(r['dirty_pages'], 0)))
        L.append('')
        L.append('Median of %d run(s). "untraced": the program\'s own printed times; "claim": the times in the claims\' '
                 'details; syscalls and write() calls include the one line the program prints per phase.' % len(n['traced_runs']))
        if n['traced_runs'] and n['traced_runs'][-1].get('claims'):
            L.append('')
            for c in n['traced_runs'][-1]['claims']:
                L.append('- %s `%s`: %s' % (c['status'], c['id'], c['detail']))
        L.append('')
    c = parts['compare']
    if c:
        L.append('## 7. The probe effect per mechanism (`compare`: 128 KiB per pair, the program\'s own clock, '
                 'median of %d)' % c['rounds'])
        L.append('')
        sizes = sorted({r['size'] for r in c['rows']})
        order = ['pipe', 'fifo', 'ustrm', 'udgrm', 'shm']	# labs/compare.c's order
        mechs = sorted({r['mechanism'] for r in c['rows']},
                       key=lambda m: order.index(m) if m in order else len(order))
        L.append('| mechanism | ' + ' | '.join('%d B: untraced, traced' % s for s in sizes) + ' |')
        L.append('|---|' + '---|' * len(sizes))
        by = {(r['mechanism'], r['size']): r for r in c['rows']}
        for mname in mechs:
            cells = []
            for s in sizes:
                r = by.get((mname, s))
                cells.append('%s µs, %s×' % (fmt(r['untraced_us'], 0), fmt(r['ratio'])) if r else '–')
            L.append('| %s | %s |' % (mname, ' | '.join(cells)))
        L.append('')
        L.append('Events per traced run: %s; dropped: %s.' % (
            ', '.join(str(e.get('events')) for e in c['traces']), ', '.join(str(e.get('dropped')) for e in c['traces'])))
        L.append('')
    if parts['stress']:
        L += summary_stress(parts['stress'])
    path = os.path.join(results_dir, 'summary.md')
    with open(path, 'w') as f:
        f.write('\n'.join(L) + '\n')
    print('  -> %s' % os.path.relpath(path, REPO), flush=True)


# ------------------------------------------------------------------ main

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--quick', action='store_true')
    ap.add_argument('--parts', default=None)
    ap.add_argument('--rounds', type=int, default=None)
    ap.add_argument('--results', default=None)
    ap.add_argument('--summary-only', action='store_true')
    ap.add_argument('--stress-seconds', type=int, default=None,
                    help='length of the stress part\'s load (default 60, 5 with --quick)')
    ap.add_argument('--memory-budget', type=int, default=420,
                    help='seconds the 10M-event memory point may take (projected), else it is skipped')
    args = ap.parse_args()
    results = args.results or os.path.join(HERE, 'results', 'quick' if args.quick else '')
    results = os.path.normpath(results)
    os.makedirs(results, exist_ok=True)
    if args.summary_only:
        sys.path.insert(0, HERE)
        import plot
        plot.main(results)
        summary(results, args.quick)
        return 0
    if os.geteuid() != 0:
        print('bench: run as root (ipclab trace, bpftrace and the memory probes need it)', file=sys.stderr)
        return 3
    parts = (args.parts.split(',') if args.parts else
             ['overhead', 'throughput', 'json', 'memory', 'notes', 'compare', 'stress'] +
             ([] if args.quick else ['viewer']))
    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGHUP, on_signal)
    scratch = tempfile.mkdtemp(prefix='ipclab-bench-', dir='/var/tmp')
    env = environment()
    t_all = time.monotonic()
    timings = {}
    real_trace = None
    try:
        for part in parts:
            say('part %s' % part)
            t0 = time.monotonic()
            env_p = dict(env, loadavg_at_start=loadavg(), cpu_busy_percent_before=cpu_busy(0.3 if args.quick else 1.0))
            say('load average %s, CPU busy (other work) %s%%' % (' '.join(env_p['loadavg_at_start'] or []), env_p['cpu_busy_percent_before']))
            if part == 'overhead':
                res = part_overhead(args, env_p, scratch)
            elif part == 'throughput':
                res = part_throughput(args, env_p, scratch)
            elif part == 'json':
                res = part_json(args, env_p, scratch)
            elif part == 'memory':
                res = part_memory(args, env_p, scratch)
                real_trace = os.path.join(scratch, 'real_trace.json')
            elif part == 'viewer':
                res = part_viewer(args, env_p, scratch, real_trace)
            elif part == 'notes':
                res = part_notes(args, env_p, scratch)
            elif part == 'compare':
                res = part_compare(args, env_p, scratch)
            elif part == 'stress':
                res = part_stress(args, env_p, scratch)
            else:
                print('bench: unknown part %s' % part, file=sys.stderr)
                return 2
            res['elapsed_s'] = round(time.monotonic() - t0, 1)
            timings[part] = res['elapsed_s']
            save(results, part, res)
            if part == 'overhead':
                sys.path.insert(0, HERE)
                import plot
                plot.main(results)
    finally:
        cleanup()
        shutil.rmtree(scratch, ignore_errors=True)
    summary(results, args.quick)
    say('done in %.0f s (%s)' % (time.monotonic() - t_all, ', '.join('%s %.0f s' % kv for kv in timings.items())))
    return 0


if __name__ == '__main__':
    sys.exit(main())
