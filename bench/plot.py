#!/usr/bin/env python3
"""overhead.svg from overhead.json: the tracing overhead (time / untraced time) per workload
and tool, as grouped bars on a log scale. python3 stdlib only.

    plot.py [RESULTS_DIR]     (default: bench/results)
"""

import json
import math
import os
import sys
from xml.sax.saxutils import escape

COLORS = {'floor': '#8a8a8a', 'ipclab': '#2b7bba', 'bpftrace': '#e08a1e', 'strace': '#c23b3b'}
TARGETS = {'pipe64': 1.25, 'pipe64k': 1.05}


def wrap(text, width):
    lines, cur = [], ''
    for word in text.replace(', ', ',  ').split(' '):
        if not word:
            continue
        if cur and len(cur) + 1 + len(word) > width:
            lines.append(cur)
            cur = word
        else:
            cur = (cur + ' ' + word) if cur else word
    if cur:
        lines.append(cur)
    return lines[:4]


def rounds_text(o):
    pr = o.get('rounds_per_tool') or {}
    if pr and len(set(pr.values())) > 1:
        return 'medians: ' + ', '.join('%s %d round%s' % (k, v, '' if v == 1 else 's') for k, v in pr.items())
    return 'median of %d interleaved rounds' % o.get('rounds', 0)


def svg(overhead):
    wls = overhead['workloads']
    tools = ['floor', 'ipclab', 'bpftrace', 'strace']
    W, H = 940, 490
    left, right, top, bottom = 70, 170, 74, 112
    pw, ph = W - left - right, H - top - bottom
    ratios = [w['tools'].get(t, {}).get('ratio') for w in wls for t in tools]
    hi = max([r for r in ratios if r] + [2])
    lo = min([r for r in ratios if r] + [1])
    lo_log = math.log10(min(0.8, lo * 0.8))
    hi_log = math.log10(hi * 1.6)
    lo_dec, hi_dec = math.floor(lo_log), math.ceil(hi_log)

    def y(v):
        v = max(v, 10 ** lo_log)
        return top + ph - (math.log10(v) - lo_log) / (hi_log - lo_log) * ph

    out = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" '
           'font-family="DejaVu Sans, Arial, sans-serif" font-size="12">' % (W, H, W, H),
           '<rect width="100%" height="100%" fill="white"/>',
           '<text x="%d" y="22" font-size="16" font-weight="bold">Tracing overhead: workload time / untraced time (log scale)</text>' % left,
           '<text x="%d" y="40" fill="#555">%s; the workloads time their own hot loop</text>' % (left, escape(rounds_text(overhead))),
           '<text x="%d" y="56" fill="#555">%s</text>' % (left, escape('kernel %s, %s CPUs (%s), %s; load average at start %s' % (
               overhead['environment'].get('kernel'), overhead['environment'].get('cpus'), overhead['environment'].get('cpu_model'),
               overhead['environment'].get('date', '')[:10], ' '.join(overhead['environment'].get('loadavg_at_start') or []))))]
    # grid: 1-2-5 per decade
    for d in range(lo_dec, hi_dec + 1):
        for m in (1, 2, 5):
            v = m * 10 ** d
            if math.log10(v) > hi_log or math.log10(v) < lo_log:
                continue
            yy = y(v)
            major = m == 1
            out.append('<line x1="%d" x2="%d" y1="%.1f" y2="%.1f" stroke="%s" stroke-width="1"/>' % (
                left, left + pw, yy, yy, '#bbb' if major else '#e6e6e6'))
            label = ('%g' % v) + '×'
            out.append('<text x="%d" y="%.1f" text-anchor="end" fill="#444">%s</text>' % (left - 6, yy + 4, label))
    # 1x line
    out.append('<line x1="%d" x2="%d" y1="%.1f" y2="%.1f" stroke="#000" stroke-width="1.5"/>' % (left, left + pw, y(1), y(1)))
    gw = pw / len(wls)
    bw = gw * 0.72 / len(tools)
    for i, w in enumerate(wls):
        gx = left + i * gw + gw * 0.14
        for k, t in enumerate(tools):
            info = w['tools'].get(t, {})
            r = info.get('ratio')
            x = gx + k * bw
            if r:
                y0, y1 = y(1), y(r)
                out.append('<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s"><title>%s %s: %.2f×</title></rect>' % (
                    x, min(y0, y1), bw - 3, max(abs(y1 - y0), 1), COLORS[t], escape(w['key']), t, r))
                out.append('<text x="%.1f" y="%.1f" text-anchor="middle" font-size="11">%s</text>' % (
                    x + (bw - 3) / 2, min(y0, y1) - 4 if r >= 1 else max(y0, y1) + 12, ('%.2f' % r) if r < 10 else ('%.0f' % r)))
            else:
                out.append('<text x="%.1f" y="%.1f" text-anchor="middle" font-size="10" fill="%s">%s</text>' % (
                    x + (bw - 3) / 2, y(1) - 4, COLORS[t], 'not run' if info.get('skipped') else 'failed'))
        tgt = TARGETS.get(w['key'])
        if tgt:
            out.append('<line x1="%.1f" x2="%.1f" y1="%.1f" y2="%.1f" stroke="%s" stroke-dasharray="4 3" stroke-width="1.5"/>' % (
                gx - 4, gx + bw + 1, y(tgt), y(tgt), '#114'))
        cx = left + i * gw + gw / 2
        out.append('<text x="%.1f" y="%d" text-anchor="middle" font-weight="bold">%s</text>' % (cx, top + ph + 18, escape(w['key'])))
        yy = top + ph + 18
        for line in wrap(w['description'], 24):
            yy += 14
            out.append('<text x="%.1f" y="%d" text-anchor="middle" fill="#444" font-size="11">%s</text>' % (cx, yy, escape(line)))
        base = w['tools'].get('untraced', {}).get('median_seconds')
        if base:
            out.append('<text x="%.1f" y="%d" text-anchor="middle" fill="#777" font-size="11">untraced %.3f s</text>' % (cx, yy + 16, base))
    # legend
    lx, ly = left + pw + 20, top + 10
    for k, t in enumerate(tools):
        out.append('<rect x="%d" y="%d" width="14" height="14" fill="%s"/>' % (lx, ly + k * 22, COLORS[t]))
        out.append('<text x="%d" y="%d">%s</text>' % (lx + 20, ly + k * 22 + 12, {'floor': 'floor (minimal tracer)', 'ipclab': 'ipclab trace', 'bpftrace': 'bpftrace (printf)', 'strace': 'strace -f'}[t]))
    ly += 22 * (len(tools) - 3)	# below the tools' entries
    out.append('<line x1="%d" x2="%d" y1="%d" y2="%d" stroke="#114" stroke-dasharray="4 3" stroke-width="1.5"/>' % (lx, lx + 14, ly + 73, ly + 73))
    out.append('<text x="%d" y="%d">ipclab target</text>' % (lx + 20, ly + 77))
    out.append('<line x1="%d" x2="%d" y1="%d" y2="%d" stroke="#000" stroke-width="1.5"/>' % (lx, lx + 14, ly + 95, ly + 95))
    out.append('<text x="%d" y="%d">untraced (1×)</text>' % (lx + 20, ly + 99))
    if overhead.get('bpftrace_problem'):
        out.append('<text x="%d" y="%d" font-size="10" fill="#a00">bpftrace failed:</text>' % (lx, ly + 125))
        out.append('<text x="%d" y="%d" font-size="10" fill="#a00">%s</text>' % (lx, ly + 139, escape(overhead['bpftrace_problem'][:40])))
    out.append('</svg>')
    return '\n'.join(out) + '\n'


def main(results_dir=None):
    results_dir = results_dir or os.path.join(os.path.dirname(os.path.abspath(__file__)), 'results')
    p = os.path.join(results_dir, 'overhead.json')
    if not os.path.exists(p):
        return 1
    with open(p) as f:
        data = json.load(f)
    outp = os.path.join(results_dir, 'overhead.svg')
    with open(outp, 'w') as f:
        f.write(svg(data))
    print('  -> %s' % outp, flush=True)
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else None))
