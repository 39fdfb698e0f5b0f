// Formatting of times, sizes and event fields for people.

import { t as tr } from './i18n.js';

const UNITS = [
  [1e9, 's'],
  [1e6, 'ms'],
  [1e3, 'µs'],
  [1, 'ns'],
];

// A time in ns, e.g. 12345678 -> "12.346 ms".
export function fmtTime(ns, digits) {
  const a = Math.abs(ns);
  for (const [div, unit] of UNITS) {
    if (a >= div || div === 1) {
      const v = ns / div;
      const d = digits !== undefined ? digits : div === 1 ? 0 : a / div >= 100 ? 1 : a / div >= 10 ? 2 : 3;
      return v.toFixed(d) + ' ' + unit;
    }
  }
  return String(ns);
}

// Axis ticks: a 1-2-5 step (ns) giving at least minPx between ticks.
export function tickStep(nsPerPx, minPx) {
  const raw = nsPerPx * minPx;
  let p = 1;
  while (p * 10 <= raw) p *= 10;
  for (const m of [1, 2, 5, 10]) if (p * m >= raw) return p * m;
  return p * 10;
}

// Label for a tick at `ns`: one unit for the whole axis, chosen from the largest time
// shown (so 10.2 ms rather than 10200 µs), with as many decimals as the step needs.
export function fmtTick(ns, step, maxAbs) {
  const big = Math.max(Math.abs(maxAbs || 0), step);
  let div = 1;
  let unit = 'ns';
  if (big >= 1e9) [div, unit] = [1e9, 's'];
  else if (big >= 1e6) [div, unit] = [1e6, 'ms'];
  else if (big >= 1e3) [div, unit] = [1e3, 'µs'];
  const q = step / div;
  const digits = q >= 1 ? 0 : Math.min(9, Math.ceil(-Math.log10(q) - 1e-9));
  return (ns / div).toFixed(digits) + ' ' + unit;
}

export function fmtSize(bytes) {
  if (bytes >= 1 << 30) return (bytes / (1 << 30)).toFixed(1) + ' GiB';
  if (bytes >= 1 << 20) return (bytes / (1 << 20)).toFixed(1) + ' MiB';
  if (bytes >= 1 << 10) return (bytes / (1 << 10)).toFixed(1) + ' KiB';
  return bytes + ' B';
}

export function fmtHex(n) {
  if (typeof n !== 'number' || !Number.isFinite(n)) return String(n);
  return '0x' + n.toString(16);
}

function fmtValue(v) {
  if (v === null) return 'null';
  if (typeof v === 'object') return JSON.stringify(v);
  if (typeof v === 'string') return JSON.stringify(v);
  return String(v);
}

// The kernel's own error numbers (include/linux/errno.h): a program never sees them, the
// probes at sys_exit do when a signal ends a sleep. The trace names them (user/names.c),
// but traces written before it did say "E?".
const KERNEL_ERRNO = { 512: 'ERESTARTSYS', 513: 'ERESTARTNOINTR', 514: 'ERESTARTNOHAND', 515: 'ENOIOCTLCMD', 516: 'ERESTART_RESTARTBLOCK' };

// The name of the error event e returned: its `error`, unless the trace could not name it
// and it is one of the kernel's own (by `ret`, or `bytes`); null when none.
export function errorName(e) {
  const given = typeof e.error === 'string' ? e.error : null;
  if (given && given !== 'E?') return given;
  const v = typeof e.ret === 'number' ? e.ret : e.bytes;
  if (typeof v === 'number' && KERNEL_ERRNO[-v]) return KERNEL_ERRNO[-v];
  return given;
}

// All fields of event i as lines "key: value" (for tooltips and the selection panel).
// The header line names the type, the process and the time.
export function eventLines(m, i) {
  const e = m.ev(i);
  const lines = [];
  const proc = m.procByPid.get(e.pid);
  const who = proc ? proc.comm + ' (' + e.pid + ')' : 'pid ' + e.pid;
  let head = '#' + i + '  ' + e.type + '  ·  ' + who;
  lines.push(head);
  let when = 't = ' + fmtTime(e.t);
  if (typeof e.dur === 'number') when += '   dur = ' + fmtTime(e.dur) + '   end = ' + fmtTime(e.t + e.dur);
  lines.push(when);
  for (const k of Object.keys(e)) {
    if (k === 't' || k === 'dur' || k === 'type') continue;
    const named = k === 'error' ? errorName(e) : null;
    lines.push(k + ': ' + fmtValue(e[k]) + (named && named !== e[k] ? ' (' + named + ')' : ''));
  }
  return lines;
}

// The next round number at or above v (> 0): 1, 1.5, 2, 2.5, 3, 4, 5, 6, 8 × 10^k, for the
// top of a lane's scale.
export function niceCeil(v) {
  const p = Math.pow(10, Math.floor(Math.log10(v)));
  for (const m of [1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) if (p * m >= v) return p * m;
  return p * 10;
}

// Who holds an object by which fd, for a lane's label: "sort fd 1 → head fd 0". writers
// and readers (senders, receivers) are Maps pid -> [fd]; procName(pid) is the model's name
// of the process (the comm, with the pid when two processes share it). At most three
// processes a side; '' when neither side has one.
export function fdFlow(writers, readers, procName) {
  if (!writers.size && !readers.size) return '';
  const side = (m) => {
    if (!m.size) return tr('fd_nobody');
    const all = [...m].map(([pid, fds]) => tr('fd_of', { name: procName(pid), fds: fds.join(', ') }));
    const list = all.length > 3 ? [...all.slice(0, 3), tr('fd_more', { n: all.length - 3 })] : all;
    return list.join(tr('fd_sep'));
  };
  // a two-way connection (each process both sends and receives on its own fd): one line
  // "client fd 4 ⇄ server fd 5", not every holder twice
  if (writers.size === 2 && sameHolders(writers, readers)) {
    return [...writers].map(([pid, fds]) => tr('fd_of', { name: procName(pid), fds: fds.join(', ') })).join(' ⇄ ');
  }
  return side(writers) + ' → ' + side(readers);
}

function sameHolders(a, b) {
  if (a.size !== b.size) return false;
  for (const [pid, fds] of a) {
    const o = b.get(pid);
    if (!o || o.length !== fds.length || o.some((fd, i) => fd !== fds[i])) return false;
  }
  return true;
}
