// The comparison scenario in the viewer (issue #13, section 4): the same bytes through a
// pipe, a FIFO, Unix stream and datagram sockets, a POSIX message queue and a shared
// mapping (mech/compare/), and
// what each cost according to the trace, side by side, next to the course notes' speed table.
//
// A module with no lanes, spans or objects of its own: it reads the records of the other
// mechanisms. It is active when the trace is the `compare` scenario (meta.scenario) or has
// processes named as labs/compare.c names them, MECH.SIZE.w and MECH.SIZE.r (pipe.64.w,
// ustrm.4K.r, shm.1M.w). For each pair it counts, from the events of its two processes:
//   - syscalls: the `syscalls` counter of the two `exit` records (every syscall, counted at
//     sys_enter, futex included);
//   - bytes the kernel copied: the `bytes` of their pipe_read/pipe_write/sock_send/sock_recv/
//     mq_send/mq_recv records (a result below 0 is an error: nothing copied);
//   - sleeps: their `block` records; context switches: the exit records' nvcsw and nivcsw;
//   - page faults: their `fault` records (any mapping, libc and stack included);
//   - time: from the start of the pair's first record to the end of its last.
// Per message is per `messages` = max(128 KiB, size) / size (integer division), as the lab
// sends them.
// Only the leaf modules are imported (mechanisms.js explains why).

import { el, clear } from '../dom.js';
import { t as tr, addStrings } from '../i18n.js';

const TOTAL = 128 * 1024; // labs/compare.c: bytes per pair (one message when larger)
const MECHS = ['pipe', 'fifo', 'ustrm', 'udgrm', 'mq', 'shm'];
const NAME_RE = /^(pipe|fifo|ustrm|udgrm|mq|shm)\.(\d+)([KM]?)\.([wr])$/;
const DATA_TYPES = ['pipe_read', 'pipe_write', 'sock_send', 'sock_recv', 'mq_send', 'mq_recv'];
const SVG = 'http://www.w3.org/2000/svg';

addStrings({
  en: {
    compare_title: 'Mechanisms side by side',
    compare_intro: 'Each mechanism and message size is a pair of processes, MECH.SIZE.w → MECH.SIZE.r, that moved {total} (one message when it is larger). Counted from the trace: the syscalls at the two exits, the bytes the kernel copied in pipe, socket and queue calls, the sleeps (block), the context switches and page faults of the two processes, and the time from the pair\'s first record to its last.',
    compare_size: '{size} per message: {n} messages',
    compare_size1: '{size} per message: {n} message',
    compare_mech: 'mechanism',
    compare_perMsg: 'per message',
    compare_pair: 'the pair (writer + reader)',
    compare_calls: 'syscalls',
    compare_bytes: 'bytes copied',
    compare_sleeps: 'sleeps',
    compare_nvcsw: 'voluntary switches',
    compare_nivcsw: 'involuntary switches',
    compare_faults: 'page faults',
    compare_time: 'time (ms)',
    compare_mbps: 'MB/s',
    compare_calls_tip: 'every syscall of the two processes (the exit records\' syscalls counter, counted at sys_enter, futex included) divided by the messages',
    compare_bytes_tip: 'bytes of the pipe_read, pipe_write, sock_send, sock_recv, mq_send and mq_recv records of the two processes, divided by the messages',
    compare_sleeps_tip: 'block records (sleeps) of the two processes, divided by the messages',
    compare_nvcsw_tip: 'nvcsw at the two exits: the process gave up the CPU (a sleep)',
    compare_nivcsw_tip: 'nivcsw at the two exits: the scheduler took the CPU away',
    compare_faults_tip: 'fault records of the two processes (any mapping: libc and stack included)',
    compare_time_tip: 'from the start of the pair\'s first record to the end of its last, in ms',
    compare_mbps_tip: 'the bytes moved divided by the time (1 MB = 10⁶ bytes)',
    compare_m_pipe: 'pipe',
    compare_m_fifo: 'FIFO',
    compare_m_ustrm: 'Unix stream',
    compare_m_udgrm: 'Unix datagram',
    compare_m_mq: 'message queue',
    compare_m_shm: 'shared mapping',
    compare_notRun: 'not in the trace',
    compare_notRunDgram: 'not in the trace: the lab skips datagrams over 64 KiB (one does not fit the socket\'s default buffer)',
    compare_notRunMq: 'not in the trace: the lab skips queue messages over 8 KiB (msgsize_max; more needs root)',
    compare_noExit: 'no exit record',
    compare_chartTime: 'time (ms) at {size}',
    compare_legendCopy: 'the data goes through the kernel: the writer\'s calls copy it in, the reader\'s copy it out',
    compare_legendShm: 'the shared mapping: the processes\' own stores and loads move the data, a futex handshake between them',
    compare_chartCopies: 'bytes the kernel copied per byte moved',
    compare_notes: 'The course notes\' speed table',
    compare_notesSub: '(mmap section, measured on OS X)',
    compare_notesOp: 'operation',
    compare_notesTime: 'time',
    compare_notesMem: '写入内存 (write memory)',
    compare_notesMmap: '写入mmap (write a mapping)',
    compare_notesFile: '写入文件 (write a file)',
    compare_notesNote: 'Those numbers compare writing memory, a mapping and a file. The tables here show what this kernel did in this trace, with the probes\' overhead included: they are not the same measurement.',
    compare_none: 'The trace has no processes named MECH.SIZE.w / MECH.SIZE.r: nothing to compare.',
  },
  zh: {
    compare_title: '各机制对比',
    compare_intro: '每种机制、每种消息大小对应一对进程 MECH.SIZE.w → MECH.SIZE.r，共传送 {total}（消息更大时只传一条）。数据都取自跟踪：两次退出时的系统调用数、内核在管道、套接字和消息队列调用中拷贝的字节数、睡眠次数（block）、两个进程的上下文切换和缺页次数，以及从这对进程的第一条记录到最后一条记录的时间。',
    compare_size: '每条消息 {size}：共 {n} 条',
    compare_size1: '每条消息 {size}：共 {n} 条',
    compare_mech: '机制',
    compare_perMsg: '每条消息',
    compare_pair: '整对进程（写者 + 读者）',
    compare_calls: '系统调用',
    compare_bytes: '拷贝字节',
    compare_sleeps: '睡眠',
    compare_nvcsw: '自愿切换',
    compare_nivcsw: '非自愿切换',
    compare_faults: '缺页',
    compare_time: '时间（ms）',
    compare_mbps: 'MB/s',
    compare_calls_tip: '两个进程的全部系统调用（退出记录的 syscalls 计数，在 sys_enter 处计数，含 futex）除以消息数',
    compare_bytes_tip: '两个进程的 pipe_read、pipe_write、sock_send、sock_recv、mq_send、mq_recv 记录的字节数之和，除以消息数',
    compare_sleeps_tip: '两个进程的 block 记录（睡眠）数，除以消息数',
    compare_nvcsw_tip: '两次退出时的 nvcsw：进程主动让出 CPU（睡眠）',
    compare_nivcsw_tip: '两次退出时的 nivcsw：进程被调度器抢占 CPU',
    compare_faults_tip: '两个进程的 fault 记录数（任何映射，包括 libc 和栈）',
    compare_time_tip: '从这对进程第一条记录开始到最后一条记录结束，单位 ms',
    compare_mbps_tip: '传送的字节数除以时间（1 MB = 10⁶ 字节）',
    compare_m_pipe: '管道',
    compare_m_fifo: 'FIFO',
    compare_m_ustrm: 'Unix 流式套接字',
    compare_m_udgrm: 'Unix 数据报套接字',
    compare_m_mq: '消息队列',
    compare_m_shm: '共享映射区',
    compare_notRun: '跟踪中没有',
    compare_notRunDgram: '跟踪中没有：实验程序跳过大于 64 KiB 的数据报（套接字的默认缓冲区放不下）',
    compare_notRunMq: '跟踪中没有：实验程序跳过大于 8 KiB 的队列消息（msgsize_max；更大需要 root）',
    compare_noExit: '没有退出记录',
    compare_chartTime: '{size} 时的时间（ms）',
    compare_legendCopy: '数据经过内核：写者的调用把它拷贝进内核，读者的调用再拷贝出来',
    compare_legendShm: '共享映射区：进程自己的存取指令搬运数据，两者之间用 futex 握手',
    compare_chartCopies: '每传送一个字节内核拷贝的字节数',
    compare_notes: '讲义中的速度表',
    compare_notesSub: '（mmap 一节，在 OS X 上测得）',
    compare_notesOp: '操作',
    compare_notesTime: '时间',
    compare_notesMem: '写入内存',
    compare_notesMmap: '写入mmap',
    compare_notesFile: '写入文件',
    compare_notesNote: '讲义中的数字比较的是写内存、写映射区和写文件。这里的表格显示的是本内核在这次跟踪中的实际表现，包含探针的开销：两者不是同一种测量。',
    compare_none: '跟踪中没有名为 MECH.SIZE.w / MECH.SIZE.r 的进程：没有可比较的内容。',
  },
});

// The course notes' table (the mmap section): writing 写入内存, 写入mmap, 写入文件.
const NOTES_TABLE = [
  ['compare_notesMem', 17],
  ['compare_notesMmap', 18],
  ['compare_notesFile', 2685],
];

const COLUMNS = ['calls', 'bytes', 'sleeps', 'nvcsw', 'nivcsw', 'faults', 'time', 'mbps'];
const PER_MESSAGE = 3; // the first three columns are per message
const FRACTION = new Set(['calls', 'sleeps']); // ratios: always with their decimals

// ---------------------------------------------------------------- sizes and names

// Messages per pair, as labs/compare.c sends them (and claims.c divides): a whole number.
function messagesOf(size) {
  return Math.floor(Math.max(TOTAL, size) / size);
}

// labs/compare.c's size labels: "64" -> 64, "4K" -> 4096, "1M" -> 1048576.
function sizeOf(digits, unit) {
  return Number(digits) * (unit === 'K' ? 1024 : unit === 'M' ? 1024 * 1024 : 1);
}

export function sizeLabel(size) {
  if (size % (1024 * 1024) === 0) return size / (1024 * 1024) + ' MiB';
  if (size % 1024 === 0) return size / 1024 + ' KiB';
  return size + ' B';
}

// The pairs named in the processes: Map(size -> Map(mech -> {w: [pids], r: [pids]})).
function pairsByName(processes) {
  const bySize = new Map();
  for (const p of processes || []) {
    const g = NAME_RE.exec(typeof p.comm === 'string' ? p.comm : '');
    if (!g || !Number.isInteger(p.pid)) continue;
    const size = sizeOf(g[2], g[3]);
    if (!(size > 0)) continue;
    if (!bySize.has(size)) bySize.set(size, new Map());
    const row = bySize.get(size);
    if (!row.has(g[1])) row.set(g[1], { w: [], r: [] });
    row.get(g[1])[g[4]].push(p.pid);
  }
  return bySize;
}

// ---------------------------------------------------------------- counting

function newSide() {
  return { bytes: 0, sleeps: 0, faults: 0, syscalls: 0, nvcsw: 0, nivcsw: 0, exits: 0, t0: Infinity, t1: -Infinity };
}

// One pass over the events: what each side of each pair did.
function countSides(ctx, sideOfPid) {
  const { cols, TY, ts, te } = ctx;
  const data = new Uint8Array(256);
  for (const ty of DATA_TYPES) if (ty in TY) data[TY[ty]] = 1;
  for (let i = 0; i < cols.n; i++) {
    const s = sideOfPid.get(cols.pid[i]);
    if (!s) continue;
    const c = cols.code[i];
    if (ts[i] < s.t0) s.t0 = ts[i];
    if (te[i] > s.t1) s.t1 = te[i];
    if (data[c]) {
      const row = cols.pipeRow[i];
      const b = row >= 0 ? cols.pipe.bytes[row] : dataBytes(ctx.ev(i));
      if (b > 0) s.bytes += b;
    } else if (c === TY.block) s.sleeps++;
    else if (c === TY.fault) s.faults++;
    else if (c === TY.exit) {
      const e = ctx.ev(i);
      s.exits++;
      s.syscalls += num(e.syscalls);
      s.nvcsw += num(e.nvcsw);
      s.nivcsw += num(e.nivcsw);
    }
  }
}

// What a pipe, socket or queue record copied: its `bytes`; a message queue send that
// returned 0 (the syscall's own result) moved its message, `requested` bytes (claims.c too).
function dataBytes(e) {
  if (e.type === 'mq_send' && e.bytes === 0 && !e.error && e.requested > 0) return e.requested;
  return e.bytes;
}

const num = (v) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

function rowOf(mech, size, pair) {
  const msgs = messagesOf(size);
  if (!pair || !pair.w.pids.length || !pair.r.pids.length) return { mech, present: false };
  const w = pair.w.side;
  const r = pair.r.side;
  const t0 = Math.min(w.t0, r.t0);
  const t1 = Math.max(w.t1, r.t1);
  const whole = w.exits > 0 && r.exits > 0;
  const time = t1 > t0 ? t1 - t0 : 0; // ns
  const moved = msgs * size;
  return {
    mech,
    present: true,
    whole,
    writer: pair.w.pids,
    reader: pair.r.pids,
    calls: whole ? (w.syscalls + r.syscalls) / msgs : null,
    bytes: (w.bytes + r.bytes) / msgs,
    sleeps: (w.sleeps + r.sleeps) / msgs,
    nvcsw: whole ? w.nvcsw + r.nvcsw : null,
    nivcsw: whole ? w.nivcsw + r.nivcsw : null,
    faults: w.faults + r.faults,
    time: time / 1e6,
    mbps: time > 0 ? moved / 1e6 / (time / 1e9) : null,
    copiesPerByte: (w.bytes + r.bytes) / moved,
  };
}

function build(ctx) {
  const out = { lanes: [], copies: [], active: false, sizes: [] };
  const byName = pairsByName(ctx.doc.processes);
  const scenario = ctx.doc.meta && ctx.doc.meta.scenario;
  out.active = byName.size > 0 || scenario === 'compare';
  if (!byName.size) return out;
  const sideOfPid = new Map();
  for (const row of byName.values()) {
    for (const pair of row.values()) {
      for (const end of ['w', 'r']) {
        const side = newSide();
        for (const pid of pair[end]) sideOfPid.set(pid, side);
        pair[end] = { pids: pair[end], side };
      }
    }
  }
  countSides(ctx, sideOfPid);
  const sizes = [...byName.keys()].sort((a, b) => a - b);
  for (const size of sizes) {
    const row = byName.get(size);
    out.sizes.push({
      size,
      msgs: messagesOf(size),
      rows: MECHS.map((mech) => rowOf(mech, size, row.get(mech))),
    });
  }
  return out;
}

// ---------------------------------------------------------------- formatting

// Numbers without the locale: 3 significant digits below 100, whole numbers above, and
// whole numbers as they are.
export function fmtNum(v) {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  if (Number.isInteger(v)) return String(v);
  return fmtFrac(v);
}

// The same, with 2.00 for 2 (the per-message ratios of a column, aligned).
export function fmtFrac(v) {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  const a = Math.abs(v);
  if (a >= 100) return String(Math.round(v));
  if (a >= 10) return v.toFixed(1);
  if (a >= 1) return v.toFixed(2);
  if (a === 0) return '0';
  return v.toFixed(3);
}

// ---------------------------------------------------------------- the panel

class ComparePanel {
  constructor(app, models) {
    this.app = app;
    this.models = models;
    this.el = el('section', { class: 'panel compare-panel', id: 'compare-panel' });
    this.build();
  }

  build() {
    clear(this.el);
    const shown = this.models.map((m, mi) => [m, mi]).filter(([m]) => m.mech.compare && m.mech.compare.active);
    this.el.hidden = !shown.length;
    if (!shown.length) return;
    const compare = this.models.length > 1;
    this.el.appendChild(el('h2', { text: tr('compare_title') }));
    const main = el('div', { class: 'cmp-main' });
    for (const [m, mi] of shown) {
      const c = m.mech.compare;
      const tag = compare ? (mi ? 'B: ' : 'A: ') : '';
      main.appendChild(el('p', { class: 'note cmp-intro', text: tag + tr('compare_intro', { total: sizeLabel(TOTAL) }) }));
      main.appendChild(el('ul', { class: 'legend cmp-legend' }, legendItem('cmp-sw-copy', tr('compare_legendCopy')), legendItem('cmp-sw-shm', tr('compare_legendShm'))));
      if (!c.sizes.length) main.appendChild(el('p', { class: 'warn', dataset: { trace: mi }, text: tr('compare_none') }));
      for (const s of c.sizes) main.appendChild(sizeBlock(s, mi, tag));
    }
    // beside the tables: the notes' table, and what the copies were per byte moved
    const aside = notesAside();
    for (const [m, mi] of shown) if (m.mech.compare.sizes.length) aside.appendChild(copiesChart(m.mech.compare.sizes, mi, compare ? (mi ? 'B: ' : 'A: ') : ''));
    this.el.appendChild(el('div', { class: 'cmp-body' }, main, aside));
  }

  render() {}
}

function legendItem(cls, text) {
  return el('li', null, el('span', { class: 'sw ' + cls, 'aria-hidden': 'true' }), text);
}

function sizeBlock(s, mi, tag) {
  const title = tr(s.msgs === 1 ? 'compare_size1' : 'compare_size', { size: sizeLabel(s.size), n: s.msgs });
  return el(
    'div',
    { class: 'cmp-size', dataset: { trace: mi, size: s.size } },
    el('h3', { text: tag + title }),
    el('div', { class: 'cmp-row' }, el('div', { class: 'cmp-scroll' }, table(s, mi)), timeChart(s)),
  );
}

function table(s, mi) {
  const head1 = el(
    'tr',
    null,
    el('th', { rowspan: 2, class: 'cmp-mech', text: tr('compare_mech') }),
    el('th', { colspan: PER_MESSAGE, class: 'cmp-group', text: tr('compare_perMsg') }),
    el('th', { colspan: COLUMNS.length - PER_MESSAGE, class: 'cmp-group', text: tr('compare_pair') }),
  );
  const head2 = el(
    'tr',
    null,
    COLUMNS.map((k) => el('th', { title: tr('compare_' + k + '_tip'), dataset: { col: k }, text: tr('compare_' + k) })),
  );
  const body = el('tbody');
  for (const r of s.rows) {
    const tr_ = el('tr', { dataset: { mech: r.mech, present: r.present ? 1 : 0 } }, el('th', { scope: 'row', class: 'cmp-mech', text: tr('compare_m_' + r.mech) }));
    if (!r.present) {
      const why = r.mech === 'udgrm' && s.size > 65536 ? 'compare_notRunDgram' : r.mech === 'mq' && s.size > 8192 ? 'compare_notRunMq' : 'compare_notRun';
      tr_.appendChild(el('td', { colspan: COLUMNS.length, class: 'muted cmp-absent', text: tr(why) }));
    } else {
      for (const k of COLUMNS) {
        const v = r[k];
        const td = el('td', { dataset: { col: k, value: v === null ? '' : v }, text: FRACTION.has(k) ? fmtFrac(v) : fmtNum(v) });
        if (v === null) td.title = tr('compare_noExit');
        tr_.appendChild(td);
      }
    }
    body.appendChild(tr_);
  }
  return el('table', { class: 'cmp-table', dataset: { trace: mi, size: s.size } }, el('thead', null, head1, head2), body);
}

// ---------------------------------------------------------------- charts (SVG)

function svgEl(tag, attrs, ...children) {
  const e = document.createElementNS(SVG, tag);
  for (const k of Object.keys(attrs || {})) e.setAttribute(k, String(attrs[k]));
  for (const c of children) if (c) e.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
  return e;
}

// Horizontal bars, scaled to the largest value, the values printed after them. `bars`:
// {label, v, cls, mech} per bar, or {group} for a subheading row. `title`: drawn on top
// when `showTitle`, else only the aria-label (the caller puts it in the page, where it
// wraps). `widths`: {label, bar, value} in px.
function barChart(title, bars, kind, widths, showTitle) {
  const { label: LABEL, bar: BAR, value: VALUE } = widths;
  const ROW = 20;
  const TOP = showTitle ? 22 : 2;
  const W = LABEL + BAR + VALUE;
  const H = TOP + ROW * bars.length + 4;
  const max = Math.max(0, ...bars.map((b) => (Number.isFinite(b.v) ? b.v : 0)));
  const svg = svgEl('svg', { class: 'cmp-chart', 'data-chart': kind, viewBox: `0 0 ${W} ${H}`, width: W, height: H, role: 'img', 'aria-label': title });
  if (showTitle) svg.appendChild(svgEl('text', { x: 0, y: 14, class: 'cmp-chart-title' }, title));
  bars.forEach((b, j) => {
    const y = TOP + j * ROW;
    if (b.group !== undefined) {
      svg.appendChild(svgEl('text', { x: 0, y: y + 14, class: 'cmp-chart-group' }, b.group));
      return;
    }
    const len = max > 0 && Number.isFinite(b.v) ? Math.max(b.v > 0 ? 1 : 0, (b.v / max) * BAR) : 0;
    const g = svgEl('g', { 'data-mech': b.mech });
    g.appendChild(svgEl('text', { x: LABEL - 6, y: y + 13, class: 'cmp-bar-label', 'text-anchor': 'end' }, b.label));
    g.appendChild(svgEl('rect', { x: LABEL, y: y + 3, width: BAR, height: ROW - 6, class: 'cmp-bar-bg' }));
    if (len > 0) g.appendChild(svgEl('rect', { x: LABEL, y: y + 3, width: len.toFixed(1), height: ROW - 6, class: 'cmp-bar ' + b.cls }));
    g.appendChild(svgEl('text', { x: LABEL + BAR + 6, y: y + 13, class: 'cmp-bar-value' }, fmtNum(Number.isFinite(b.v) ? b.v : null)));
    svg.appendChild(g);
  });
  return svg;
}

const barOf = (r, v) => ({ label: tr('compare_m_' + r.mech), v, cls: r.mech === 'shm' ? 'cmp-bar-shm' : 'cmp-bar-copy', mech: r.mech });

function timeChart(s) {
  const bars = s.rows.filter((r) => r.present).map((r) => barOf(r, r.time));
  return barChart(tr('compare_chartTime', { size: sizeLabel(s.size) }), bars, 'time', { label: 110, bar: 96, value: 44 }, true);
}

// Bytes the kernel copied per byte moved, per size and mechanism: 2 for the copying
// mechanisms (in by the writer's call, out by the reader's), 0 for the shared mapping.
function copiesChart(sizes, mi, tag) {
  const bars = [];
  for (const s of sizes) {
    bars.push({ group: sizeLabel(s.size) });
    for (const r of s.rows) if (r.present) bars.push(barOf(r, r.copiesPerByte));
  }
  const title = tag + tr('compare_chartCopies');
  return el(
    'div',
    { class: 'cmp-copies', dataset: { trace: mi } },
    el('h4', { class: 'cmp-chart-h', text: title }),
    barChart(title, bars, 'copies', { label: 130, bar: 90, value: 24 }, false),
  );
}

// ---------------------------------------------------------------- the notes' table

function notesAside() {
  const body = el('tbody');
  for (const [k, ms] of NOTES_TABLE) body.appendChild(el('tr', null, el('th', { scope: 'row', text: tr(k) }), el('td', { text: ms + ' ms' })));
  return el(
    'aside',
    { class: 'cmp-notes' },
    el('h3', { text: tr('compare_notes') }),
    el('p', { class: 'muted small', text: tr('compare_notesSub') }),
    el('table', { class: 'cmp-notes-table' }, el('thead', null, el('tr', null, el('th', { text: tr('compare_notesOp') }), el('th', { text: tr('compare_notesTime') }))), body),
    el('p', { class: 'note cmp-notes-note', text: tr('compare_notesNote') }),
  );
}

export const compareMechanism = {
  name: 'compare',
  kinds: [],
  spanTypes: [],
  build,
  present: () => false, // no lanes, no legend items
  legend: () => ({}),
  panel: (app, models) => new ComparePanel(app, models),
};
