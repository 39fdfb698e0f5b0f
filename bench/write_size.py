#!/usr/bin/env python3
"""Trace writing: rate, size and peak disk, plain JSON vs gzip (issue 10, item 7).

    sudo python3 bench/write_size.py [--build build] [--ops 1000000] [--rounds 3] [--dir /var/tmp]

1. `ipclab trace` of evgen (2 threads, OPS ops: 2*OPS events), plain and `-o x.json.gz`; while it runs, the disk blocks held by ipclab's open regular files (the
   recording, the sorted runs, the output; all unnamed) are summed every 20 ms: the peak is
   what the disk must have free.
2. `ipclab trace --save-spool` once more, then `ipclab replay SPOOL` into plain JSON, gzip level 1 (the default) and level 6
   (IPCLAB_GZIP_LEVEL=6), ROUNDS rounds interleaved: wall and CPU (user+sys) seconds, size.
   On a shared machine the CPU time is the steadier number.
Needs evgen in BUILD/bench (bench/run.sh compiles it).
"""
import argparse, os, resource, statistics, subprocess, tempfile, threading, time


def disk_blocks(pid):
    total = 0
    try:
        fds = os.listdir('/proc/%d/fd' % pid)
    except OSError:
        return 0
    for fd in fds:
        try:
            st = os.stat('/proc/%d/fd/%s' % (pid, fd))
        except OSError:
            continue
        if (st.st_mode & 0o170000) == 0o100000:
            total += st.st_blocks * 512
    return total


def traced(ipclab, evgen, out, ops, spool=None):
    cmd = [ipclab, 'trace', '-q', '-o', out] + (['--save-spool', spool] if spool else [])
    cmd += ['--', evgen, '2', '0', '0', str(ops)]
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    ended = []
    th = threading.Thread(target=lambda: [ended.append(time.time()) for l in p.stdout if 'ops=' in l])
    th.start()
    peak = 0
    while p.poll() is None:
        peak = max(peak, disk_blocks(p.pid))
        time.sleep(0.02)
    done = time.time()
    th.join()
    return {'peak': peak, 'size': os.path.getsize(out), 'after_end_s': done - ended[0] if ended else None,
            'rc': p.returncode}


def replay(ipclab, spool, out, level):
    env = dict(os.environ, IPCLAB_GZIP_LEVEL=str(level))
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.time()
    subprocess.run([ipclab, 'replay', spool, '-q', '-o', out], env=env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.time() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {'wall': wall, 'cpu': cpu, 'size': os.path.getsize(out)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--build', default='build')
    ap.add_argument('--ops', type=int, default=1000000)
    ap.add_argument('--rounds', type=int, default=3)
    ap.add_argument('--dir', default='/var/tmp')
    a = ap.parse_args()
    ipclab = os.path.abspath(os.path.join(a.build, 'ipclab'))
    evgen = os.path.abspath(os.path.join(a.build, 'bench', 'evgen'))
    n = 2 * a.ops
    with tempfile.TemporaryDirectory(dir=a.dir, prefix='ipclab-write-') as d:
        spool = os.path.join(d, 's.spool')
        for name, extra in (('plain', 't.json'), ('gzip', 't.json.gz')):
            r = traced(ipclab, evgen, os.path.join(d, extra), a.ops)
            print('trace %-5s: peak disk %6.0f MB (%3.0f B/event), trace %7.1f MB, %.1f s after the program ended' % (
                name, r['peak'] / 1e6, r['peak'] / n, r['size'] / 1e6, r['after_end_s'] or 0))
            os.unlink(os.path.join(d, extra))
        traced(ipclab, evgen, os.path.join(d, 'u.json'), a.ops, spool)  # the spool: not measured
        runs = {'plain': [], 'gzip -1': [], 'gzip -6': []}
        for _ in range(a.rounds):
            for name, out, level in (('plain', 'r.json', 1), ('gzip -1', 'r.json.gz', 1), ('gzip -6', 'r.json.gz', 6)):
                runs[name].append(replay(ipclab, spool, os.path.join(d, out), level))
        plain_size = runs['plain'][0]['size']
        for name, rs in runs.items():
            cpu = statistics.median(r['cpu'] for r in rs)
            wall = statistics.median(r['wall'] for r in rs)
            size = rs[0]['size']
            print('replay %-7s: %.2f s CPU (%.2f M events/s, %5.0f MB/s of JSON), %.2f s wall, %8.1f MB (%.1fx)' % (
                name, cpu, n / cpu / 1e6, plain_size / cpu / 1e6, wall, size / 1e6, plain_size / size))
    print('load average: %.1f %.1f %.1f' % os.getloadavg())


if __name__ == '__main__':
    main()
