// Unix domain sockets in the viewer (issue #12): the socket objects, their receive queues
// over time, the copies into and out of them, and what one send or receive did.
//
// Trace contract (docs/trace-format.md): objects of kind unix_stream / unix_dgram /
// unix_seqpacket (path, socketpair, peer, sndbuf, rcvbuf, queue_max...), and the span events
// sock_send / sock_recv. Each of those samples one receive queue (`queue`: for a send the
// peer's, for a receive the caller's own) before and after the call: bytes (occ_*), skbs
// (skbs_*), and the charge of the socket that sent into it (wmem_*, SIOCOUTQ) against that
// sender's sk_sndbuf (wmem_max).
//
// What limits a queue (mech/unix/NOTES.md, section 1), and so what its lane is drawn against:
//   - stream and seqpacket, and a datagram queue whose owner is connected back to its
//     sender (socketpair): the sender's charge against its sk_sndbuf ("wmem" mode; a stream
//     writer sleeps when the charge reaches it, not at a byte count);
//   - any other datagram queue: its length in skbs against queue_max + 1 ("skbs" mode;
//     queue_max = 10 lets 11 datagrams in, the 12th sender sleeps).
//
// One lane per link: the sockets joined by `peer` (a socketpair, a connection, a datagram
// receiver and the sockets connected to it), with one band per receive queue that some
// event sampled. Only the leaf modules are imported (mechanisms.js explains why).

import { el, fitCanvas, colour } from '../dom.js';
import { t as tr, addStrings } from '../i18n.js';
import { fmtTime, niceCeil, errorName, fdFlow } from '../format.js';
import { stepPoints } from '../steps.js';

const KINDS = ['unix_stream', 'unix_dgram', 'unix_seqpacket'];
const BAND_H = 58; // one receive queue in the timeline, CSS px
const LANE_PAD = 6;
const GROUP_PX = 60; // queue changes closer than this share one label

const isInt = Number.isInteger;
const isObj = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

addStrings({
  en: {
    unix_stream: 'stream socket',
    unix_dgram: 'datagram socket',
    unix_seqpacket: 'seqpacket socket',
    unix_socketpair: 'socketpair',
    unix_unnamed: 'unnamed',
    unix_connection: 'connection',
    unix_abstract: 'abstract name {name} (no file)',
    unix_path: 'path {path}',
    unix_short_unix_stream: 'stream',
    unix_short_unix_dgram: 'dgram',
    unix_short_unix_seqpacket: 'seqpacket',
    unix_sub_wmem: 'limit: sk_sndbuf {max} B',
    unix_sub_skbs: 'limit: {n} datagrams',
    unix_card_title: '{q}: receive queue of #{id} ({kind}, {addr})',
    unix_queue_of: 'receive queue of #{id}',
    unix_legend_send: 'socket send',
    unix_legend_recv: 'socket receive',
    unix_legend_queued: 'bytes queued (datagram: skbs)',
    unix_legend_wmem: "sender's charge (SIOCOUTQ)",
    unix_legend_limit: 'limit (sk_sndbuf, or queue_max + 1 datagrams)',
    unix_scale_fit: '{v} B · limit {max} B ↑',
    unix_scale_skbs: 'limit {n} skbs',
    unix_send: 'send',
    unix_recv: 'recv',
    unix_cards: 'Socket receive queues at the cursor',
    unix_queue_line: '{bytes} B in {skbs} skbs',
    unix_wmem_line: "sender's charge {wmem} B of {max} B (sk_sndbuf): {pct} %",
    unix_skbs_line: '{skbs} of {n} datagrams (queue_max {qmax} + 1)',
    unix_full_wmem: 'charge at the limit: a blocking writer sleeps until the reader frees enough',
    unix_full_skbs: 'queue full: the next sender sleeps (or gets EAGAIN)',
    unix_card_note: 'Everything queued is charged to the sender (its SIOCOUTQ): a stream writer sleeps when that charge reaches its sk_sndbuf, a datagram sender when the receiver holds queue_max + 1 datagrams. Each box is one skb.',
    unix_obj: 'Socket #{id}',
    unix_name: 'socket #{id}',
    unix_f_kind: 'type',
    unix_f_addr: 'address',
    unix_f_peer: 'other end',
    unix_f_inode: 'inode',
    unix_f_sndbuf: 'sk_sndbuf',
    unix_f_rcvbuf: 'sk_rcvbuf',
    unix_f_qmax: 'queue_max',
    unix_f_created: 'created',
    unix_v_peer: '#{id} ({kind})',
    unix_v_none: 'none',
    unix_v_sndbuf: '{v} B: what its queued skbs may be charged before a send sleeps',
    unix_v_rcvbuf: '{v} B (limits nothing for AF_UNIX)',
    unix_v_qmax_dgram: '{v}: {n} datagrams fit in its receive queue',
    unix_v_qmax_pair: '{v} (not applied: its peer sends to it over a socketpair/connection)',
    unix_v_qmax_stream: '{v} (the listen() backlog, if it listens)',
    unix_v_created: '{t} by pid {pid}, fd {fd}',
    unix_sum_send: 'sent {bytes} of {req} B into the receive queue of #{q}',
    unix_sum_recv: 'received {bytes} of {req} B from the receive queue of #{q}',
    unix_sum_err: '{call} failed: {err}',
    unix_err_EAGAIN: 'EAGAIN: non-blocking, and it would have had to sleep',
    unix_err_EPIPE: 'EPIPE: the other end is closed (SIGPIPE unless MSG_NOSIGNAL)',
    unix_err_ECONNREFUSED: 'ECONNREFUSED: no socket receives at that address any more',
    unix_err_EMSGSIZE: 'EMSGSIZE: a datagram larger than sk_sndbuf − 32',
    unix_sum_queue: 'queue: {b0} B in {s0} skbs → {b1} B in {s1} skbs',
    unix_sum_wmem: "sender's charge: {w0} → {w1} B of {max} B",
    unix_sum_dgram: 'datagrams queued: {s0} → {s1}, limit {n} (queue_max {qmax} + 1)',
    unix_sum_peek: 'MSG_PEEK: copied without taking anything out of the queue',
    unix_sum_torn: 'the queue changed while it was being measured (another CPU): approximate',
    unix_sum_trunc: 'the queue was too long to walk: the bytes are a lower bound',
    unix_sum_slept: 'slept inside the call: other tasks changed the queue between the two samples (see the block and the other lanes)',
    unix_tip_at: '{q} at {t}',
    unix_phase_after: 'after',
    unix_phase_before: 'before',
    unix_from: '{phase} event #{i} ({type}, {who})',
    unix_not_yet: 'no call on this queue yet',
  },
  zh: {
    unix_stream: '流式套接字',
    unix_dgram: '数据报套接字',
    unix_seqpacket: '顺序包套接字',
    unix_socketpair: 'socketpair',
    unix_unnamed: '未命名',
    unix_connection: '连接',
    unix_abstract: '抽象名 {name}（没有文件）',
    unix_path: '路径 {path}',
    unix_short_unix_stream: '流式',
    unix_short_unix_dgram: '数据报',
    unix_short_unix_seqpacket: '顺序包',
    unix_sub_wmem: 'sk_sndbuf {max} 字节',
    unix_sub_skbs: '上限：{n} 个数据报',
    unix_card_title: '{q}：#{id} 的接收队列（{kind}，{addr}）',
    unix_queue_of: '#{id} 的接收队列',
    unix_legend_send: '套接字发送',
    unix_legend_recv: '套接字接收',
    unix_legend_queued: '队列中的字节（数据报：skb 数）',
    unix_legend_wmem: '发送方的计费内存（SIOCOUTQ）',
    unix_legend_limit: '上限（sk_sndbuf，或 queue_max + 1 个数据报）',
    unix_scale_fit: '{v} 字节 · 上限 {max} 字节 ↑',
    unix_scale_skbs: '上限 {n} 个 skb',
    unix_send: '发送',
    unix_recv: '接收',
    unix_cards: '游标处的套接字接收队列',
    unix_queue_line: '{bytes} 字节，{skbs} 个 skb',
    unix_wmem_line: '发送方计费 {wmem} 字节 / {max} 字节（sk_sndbuf）：{pct} %',
    unix_skbs_line: '{skbs} / {n} 个数据报（queue_max {qmax} + 1）',
    unix_full_wmem: '计费已达上限：阻塞的写者要等读者释放足够的空间才会被唤醒',
    unix_full_skbs: '队列已满：下一个发送者会睡眠（或得到 EAGAIN）',
    unix_card_note: '队列中的一切都计在发送方名下（它的 SIOCOUTQ）：流式写者在计费达到自己的 sk_sndbuf 时睡眠，数据报发送者在接收方已有 queue_max + 1 个数据报时睡眠。每个方块是一个 skb。',
    unix_obj: '套接字 #{id}',
    unix_name: '套接字 #{id}',
    unix_f_kind: '类型',
    unix_f_addr: '地址',
    unix_f_peer: '另一端',
    unix_f_inode: 'inode',
    unix_f_sndbuf: 'sk_sndbuf',
    unix_f_rcvbuf: 'sk_rcvbuf',
    unix_f_qmax: 'queue_max',
    unix_f_created: '创建于',
    unix_v_peer: '#{id}（{kind}）',
    unix_v_none: '无',
    unix_v_sndbuf: '{v} 字节：排队的 skb 计费到此值后发送会睡眠',
    unix_v_rcvbuf: '{v} 字节（对 AF_UNIX 不构成限制）',
    unix_v_qmax_dgram: '{v}：接收队列能容纳 {n} 个数据报',
    unix_v_qmax_pair: '{v}（不适用：对端经 socketpair/连接向它发送）',
    unix_v_qmax_stream: '{v}（若调用了 listen，即其 backlog）',
    unix_v_created: '{t}，pid {pid}，fd {fd}',
    unix_sum_send: '发送了 {bytes} / {req} 字节，进入 #{q} 的接收队列',
    unix_sum_recv: '从 #{q} 的接收队列收到 {bytes} / {req} 字节',
    unix_sum_err: '{call} 失败：{err}',
    unix_err_EAGAIN: 'EAGAIN：非阻塞，本来需要睡眠',
    unix_err_EPIPE: 'EPIPE：另一端已关闭（除非 MSG_NOSIGNAL，否则还有 SIGPIPE）',
    unix_err_ECONNREFUSED: 'ECONNREFUSED：该地址上已没有套接字在接收',
    unix_err_EMSGSIZE: 'EMSGSIZE：数据报大于 sk_sndbuf − 32',
    unix_sum_queue: '队列：{b0} 字节 {s0} 个 skb → {b1} 字节 {s1} 个 skb',
    unix_sum_wmem: '发送方计费：{w0} → {w1} 字节 / {max} 字节',
    unix_sum_dgram: '排队的数据报：{s0} → {s1}，上限 {n}（queue_max {qmax} + 1）',
    unix_sum_peek: 'MSG_PEEK：只拷贝，不从队列中取出',
    unix_sum_torn: '测量时队列被其他 CPU 改变：数值为近似值',
    unix_sum_trunc: '队列太长无法遍历完：字节数是下限',
    unix_sum_slept: '调用中睡眠过：两次采样之间其他任务改变了队列（见阻塞条和其他泳道）',
    unix_tip_at: '{q}，{t}',
    unix_phase_after: '之后',
    unix_phase_before: '之前',
    unix_from: '事件 #{i} {phase}（{type}，{who}）',
    unix_not_yet: '此队列上还没有调用',
  },
});

// ---------------------------------------------------------------- objects

function kindName(kind) {
  return tr(kind);
}

// The socket's address as people say it: socketpair, path, abstract name, unnamed.
function address(o) {
  if (typeof o.path === 'string' && o.path.length) {
    return o.path[0] === '@' ? tr('unix_abstract', { name: o.path }) : tr('unix_path', { path: o.path });
  }
  return o.socketpair ? tr('unix_socketpair') : tr('unix_unnamed');
}

// Header checks (model.js validateHeader): only the types of the fields the viewer reads;
// absent fields are allowed (the lane then shows less).
function checkObject(o, bad) {
  for (const f of ['inode', 'sndbuf', 'rcvbuf', 'queue_max']) {
    if (o[f] !== undefined && o[f] !== null && !(isInt(o[f]) && o[f] >= 0)) bad(f, 'must be an integer ≥ 0');
  }
  if (o.peer !== undefined && o.peer !== null && !isInt(o.peer)) bad('peer', 'must be null or an object id');
  if (o.path !== undefined && o.path !== null && typeof o.path !== 'string') bad('path', 'must be null or a string');
}

// Does the queue of `owner` take the datagram backlog test? unix_dgram_sendmsg() skips it
// when the receiver is connected back to the sender (a socketpair, or two sockets each
// connect()ed to the other). The objects' `peer` cannot tell: a one-way connect() links
// both objects (docs/trace-format.md, objects[].peer). A receive can: its `peer` is the
// socket the receiver is connected to, null for an unconnected receiver. So: never for a
// socketpair; else not when a receive on the queue names one of its senders as the
// receiver's peer; else it applies. build() decides once per queue (backlogOf).
const backlogOf = new WeakMap(); // objById -> Map(owner id -> boolean)

function decideBacklog(owner, recvPeers, senders) {
  if (owner.kind !== 'unix_dgram' || owner.socketpair) return false;
  for (const p of recvPeers) if (p !== null && senders.has(p)) return false;
  return true;
}

function backlogApplies(owner, objById) {
  const m = backlogOf.get(objById);
  if (m && m.has(owner.id)) return m.get(owner.id);
  return owner.kind === 'unix_dgram' && !owner.socketpair;
}

// ---------------------------------------------------------------- the model

const SAMPLE_FIELDS = ['occ_before', 'occ_after', 'skbs_before', 'skbs_after'];

const RAW_COLUMNS = ['t', 'phase (0 after, 1 before)', 'ev', 'occ', 'skbs', 'wmem', 'wmemMax', 'qmax'];

class Queue {
  constructor(owner, mode) {
    this.owner = owner;
    this.id = owner.id;
    this.mode = mode; // 'wmem' or 'skbs'
    this.senders = new Set();
    this.recvPeers = new Set(); // the `peer` of the receives on it (null: unconnected)
    this.fds = [new Map(), new Map()]; // senders, receivers on it: pid -> [fd]
    // the samples as they come, one plain array per column (RAW_COLUMNS)
    this.raw = RAW_COLUMNS.map(() => []);
  }
  push(...values) {
    for (let c = 0; c < values.length; c++) this.raw[c].push(values[c]);
  }
  // Sorted sample columns; the occupancy at T is the latest sample at or before T, as
  // for pipes (model.js buildBuffer): at equal times after-samples first, so a call
  // still in progress (its before-sample) wins.
  finish() {
    const [t, phase, ev] = this.raw;
    const n = t.length;
    const before = (a, b) => t[a] - t[b] || phase[a] - phase[b] || ev[a] - ev[b];
    // calls that do not overlap come in order already (before, after, before...)
    let order = null;
    for (let j = 1; j < n && !order; j++) if (before(j - 1, j) > 0) order = Array.from({ length: n }, (_, q) => q).sort(before);
    const col = (Type, c) => (order ? Type.from(order, (q) => this.raw[c][q]) : Type.from(this.raw[c]));
    this.n = n;
    this.sT = col(Float64Array, 0);
    this.sPhase = col(Uint8Array, 1);
    this.sEv = col(Int32Array, 2);
    this.sOcc = col(Float64Array, 3);
    this.sSkbs = col(Float64Array, 4);
    this.sWmem = col(Float64Array, 5);
    this.sWmemMax = col(Float64Array, 6);
    this.sQmax = col(Float64Array, 7);
    const max = (a) => a.reduce((m, v) => (v > m ? v : m), 0);
    this.maxOcc = max(this.sOcc);
    this.maxSkbs = max(this.sSkbs);
    this.maxWmem = max(this.sWmem);
    this.maxWmemMax = Math.max(max(this.sWmemMax), isInt(this.sndbufHint) ? this.sndbufHint : 0);
    this.maxQmax = Math.max(max(this.sQmax), isInt(this.owner.queue_max) ? this.owner.queue_max : 0);
    this.raw = null;
  }
  // First sample after T.
  after(T) {
    let lo = 0;
    let hi = this.n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.sT[mid] <= T) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
  // The state at T: {j (sample, -1 before any), ev, phase, occ, skbs, wmem, wmemMax, qmax}.
  at(T) {
    const j = this.after(T) - 1;
    if (j < 0) return { j, ev: -1, phase: null, occ: 0, skbs: 0, wmem: 0, wmemMax: this.maxWmemMax, qmax: this.maxQmax };
    return {
      j,
      ev: this.sEv[j],
      phase: this.sPhase[j] ? 'before' : 'after',
      occ: this.sOcc[j],
      skbs: this.sSkbs[j],
      wmem: this.sWmem[j],
      wmemMax: this.sWmemMax[j] || this.maxWmemMax,
      qmax: this.sQmax[j] >= 0 ? this.sQmax[j] : this.maxQmax,
    };
  }
  title() {
    const from = [...this.senders].filter((s) => s !== this.id).sort((a, b) => a - b);
    return (from.length ? from.map((s) => '#' + s).join(', ') + ' → ' : '→ ') + '#' + this.id;
  }
}

class SockLane {
  constructor(socks, queues, objById) {
    this.socks = socks; // objects of the link, by id
    this.queues = queues;
    this.objById = objById;
    this.key = 'unix:' + socks.map((o) => o.id).join(',');
    this.objIds = socks.map((o) => o.id);
    this.height = LANE_PAD * 2 + queues.length * BAND_H;
  }
  // The band [top, bottom] of queue q, as fractions of the lane's height.
  band(q) {
    const k = this.queues.indexOf(q);
    const H = this.height;
    return [(LANE_PAD + k * BAND_H) / H, (LANE_PAD + (k + 1) * BAND_H) / H];
  }
  queueAt(frac) {
    const k = Math.floor((frac * this.height - LANE_PAD) / BAND_H);
    return this.queues[Math.max(0, Math.min(this.queues.length - 1, k))];
  }
  // "unix #0 ↔ #1": two ends that send to each other, or the two ends of a socketpair or
  // stream connection; else the queues' directions ("unix #9 → #8": a datagram sender
  // connect()ed one way to a receiver, although the objects name each other as peers).
  name() {
    const qs = this.queues;
    if (qs.length === 2 && qs[0].senders.has(qs[1].id) && qs[1].senders.has(qs[0].id)) {
      return 'unix #' + Math.min(qs[0].id, qs[1].id) + ' ↔ #' + Math.max(qs[0].id, qs[1].id);
    }
    const s = this.socks;
    const twoWay = s.length === 2 && s[0].peer === s[1].id && s[1].peer === s[0].id && (s[0].socketpair || s[0].kind !== 'unix_dgram');
    if (twoWay) return 'unix #' + s[0].id + ' ↔ #' + s[1].id;
    return 'unix ' + qs.map((q) => q.title()).join(', ');
  }
  kinds() {
    return [...new Set(this.socks.map((o) => o.kind))].map((k) => tr('unix_short_' + k)).join('/');
  }
  named() {
    return this.socks.find((o) => typeof o.path === 'string' && o.path.length) || this.socks[0];
  }
  label() {
    const q = this.queues[0];
    const limit = q.mode === 'skbs' ? tr('unix_sub_skbs', { n: q.maxQmax + 1 }) : tr('unix_sub_wmem', { max: q.maxWmemMax });
    const o = this.named();
    const addr = address(o);
    // the lane's label is narrow: a name on a line of its own, the full text in the title
    // no name and no socketpair: the two ends of a connect()/accept(), whose listener's
    // path belongs to another socket (the listener's lane, if it has one)
    const conn = !o.socketpair && !(typeof o.path === 'string' && o.path.length) && this.queues.length === 2 && this.name().includes('↔');
    const short = typeof o.path === 'string' && o.path.length ? [this.kinds(), o.path] : [this.kinds() + ' · ' + (conn ? tr('unix_connection') : addr)];
    // who holds the sockets by which fd, where a send or receive shows it, before the rest
    // (in the language of the moment: the label is asked for again when it changes)
    const fdText = fdFlow(this.fdSides[0], this.fdSides[1], this.procName);
    const fds = fdText ? [fdText] : [];
    const title = this.name() + ' — ' + this.kinds() + ' · ' + (conn ? tr('unix_connection') + ' (connect/accept)' : addr) + ' — ' + limit;
    return { name: this.name(), subs: [...fds, ...short, limit], title: title + (fdText ? '\n' + fdText : '') };
  }
  draw(ctx, y, h, t0, t1, k, W) {
    this.queues.forEach((q, n) => {
      const by = y + LANE_PAD + n * BAND_H;
      if (n > 0) {
        ctx.fillStyle = colour('border');
        ctx.fillRect(0, by, W, 1);
      }
      q.labels = drawQueue(ctx, q, by + 14, BAND_H - 20, t0, t1, k, W); // the texts written, for tests
      bandLabel(ctx, q.title() + '  ' + tr('unix_queue_of', { id: q.id }), 4, by + 7);
    });
  }
  tip(m, t) {
    const lines = [this.name()];
    for (const q of this.queues) {
      const s = q.at(t);
      lines.push(tr('unix_tip_at', { q: q.title(), t: fmtTime(t) }) + ': ' + tr('unix_queue_line', { bytes: s.occ, skbs: s.skbs }));
      lines.push('  ' + limitLine(q, s));
      lines.push('  ' + sourceLine(m, s));
    }
    return lines;
  }
}

function limitLine(q, s) {
  if (q.mode === 'skbs') return tr('unix_skbs_line', { skbs: s.skbs, n: s.qmax + 1, qmax: s.qmax });
  const pct = s.wmemMax > 0 ? ((100 * s.wmem) / s.wmemMax).toFixed(1) : '?';
  return tr('unix_wmem_line', { wmem: s.wmem, max: s.wmemMax, pct });
}

function sourceLine(m, s) {
  if (s.ev < 0) return tr('unix_not_yet');
  const e = m.ev(s.ev);
  const p = m.procByPid.get(e.pid);
  return tr('unix_from', { phase: tr(s.phase === 'after' ? 'unix_phase_after' : 'unix_phase_before'), i: s.ev, type: e.type, who: (p ? p.comm : '?') + ' ' + e.pid });
}

// Union of the sockets joined by peer links (objects' `peer`, and each event's obj/peer/
// queue), so that a link is one lane.
function components(socks, extraEdges) {
  const parent = new Map(socks.map((o) => [o.id, o.id]));
  const find = (x) => {
    while (parent.get(x) !== x) {
      parent.set(x, parent.get(parent.get(x)));
      x = parent.get(x);
    }
    return x;
  };
  const join = (a, b) => {
    if (!parent.has(a) || !parent.has(b)) return;
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent.set(Math.max(ra, rb), Math.min(ra, rb));
  };
  for (const o of socks) if (isInt(o.peer)) join(o.id, o.peer);
  for (const [a, b] of extraEdges) join(a, b);
  const groups = new Map();
  for (const o of socks) {
    const r = find(o.id);
    if (!groups.has(r)) groups.set(r, []);
    groups.get(r).push(o);
  }
  return groups;
}

function build(ctx) {
  const { doc, objById, te, ev, list } = ctx;
  const socks = doc.objects.filter((o) => isObj(o) && KINDS.includes(o.kind));
  const queues = new Map(); // owner id -> Queue
  const copies = [];
  const edges = [];
  const pending = [];
  for (let n = 0; n < list.length; n++) {
    const i = list[n];
    const e = ev(i);
    const send = e.type === 'sock_send';
    if (isInt(e.obj) && isInt(e.peer)) edges.push([e.obj, e.peer]);
    // an unconnected sendto() names no peer, but the queue it went into: same link
    if (isInt(e.obj) && isInt(e.queue)) edges.push([e.obj, e.queue]);
    const owner = isInt(e.queue) ? objById.get(e.queue) : null;
    if (!owner || !KINDS.includes(owner.kind)) continue;
    if (!SAMPLE_FIELDS.every((f) => isInt(e[f]))) continue;
    let q = queues.get(owner.id);
    if (!q) {
      q = new Queue(owner, null);
      queues.set(owner.id, q);
    }
    if (!send) q.recvPeers.add(isInt(e.peer) ? e.peer : null);
    const sender = send ? e.obj : e.peer;
    if (isInt(sender)) q.senders.add(sender);
    if (isInt(sender) && objById.has(sender) && isInt(objById.get(sender).sndbuf)) q.sndbufHint = objById.get(sender).sndbuf;
    const num = (v, d) => (typeof v === 'number' && Number.isFinite(v) ? v : d);
    const qmax = num(e.queue_max, -1);
    const wmax = num(e.wmem_max, 0);
    if (te[i] > e.t) q.push(e.t, 1, i, e.occ_before, e.skbs_before, num(e.wmem_before, 0), wmax, qmax);
    q.push(te[i], 0, i, e.occ_after, e.skbs_after, num(e.wmem_after, 0), wmax, qmax);
    if (isInt(e.bytes) && e.bytes > 0) pending.push({ ev: i, queue: q, write: send, bytes: e.bytes });
    if (isInt(e.fd) && e.fd >= 0) addFd(q.fds[send ? 0 : 1], e.pid, e.fd);
  }
  const backlog = new Map();
  for (const q of queues.values()) {
    q.finish();
    // more skbs than the backlog allows: not limited by it, whatever the receives said
    const b = decideBacklog(q.owner, q.recvPeers, q.senders) && q.maxSkbs <= q.maxQmax + 1;
    q.mode = b ? 'skbs' : 'wmem';
    backlog.set(q.id, b);
  }
  backlogOf.set(objById, backlog);
  const lanes = [];
  const laneOfQueue = new Map();
  for (const group of components(socks, edges).values()) {
    const qs = group.map((o) => queues.get(o.id)).filter(Boolean);
    if (!qs.length) continue;
    const lane = new SockLane(group.sort((a, b) => a.id - b.id), qs, objById);
    lane.fdSides = laneFds(qs);
    lane.procName = ctx.procName;
    for (const q of qs) laneOfQueue.set(q, lane);
    lanes.push(lane);
  }
  for (const c of pending) {
    const lane = laneOfQueue.get(c.queue);
    if (lane) copies.push({ ev: c.ev, lane, band: lane.band(c.queue), write: c.write, bytes: c.bytes });
  }
  return { lanes, copies };
}

// pid -> [fd] of one side (senders or receivers), each fd once
function addFd(side, pid, fd) {
  if (!side.has(pid)) side.set(pid, []);
  if (!side.get(pid).includes(fd)) side.get(pid).push(fd);
}

// Who holds the lane's sockets by which fd, for fdFlow ("client fd 3 → server fd 4", as
// the pipes' lanes say it): the fds of the sends (left of the arrow) and of the receives
// (right) on the lane's queues.
function laneFds(queues) {
  const sides = [new Map(), new Map()];
  for (const q of queues) {
    for (let s = 0; s < 2; s++) for (const [pid, fds] of q.fds[s]) for (const fd of fds) addFd(sides[s], pid, fd);
  }
  return sides;
}

// ---------------------------------------------------------------- drawing

function bandLabel(ctx, text, x, y) {
  ctx.font = '10px ' + getComputedStyle(document.body).fontFamily;
  const w = ctx.measureText(text).width;
  ctx.fillStyle = 'rgba(255,255,255,0.85)';
  ctx.fillRect(x - 2, y - 6, w + 4, 12);
  ctx.fillStyle = colour('text-dim');
  ctx.textBaseline = 'middle';
  ctx.fillText(text, x, y);
}

// The step line through pts; skipZero: no line where the value is 0 (a sender's charge
// of 0 drawn along the bottom would read as a second limit).
function stroke(ctx, pts, yOf, col, dash, skipZero) {
  ctx.beginPath();
  let down = false;
  for (let p = 0; p < pts.length; p += 2) {
    const yy = Math.round(yOf(pts[p + 1])) + 0.5;
    const zero = skipZero && pts[p + 1] === 0;
    if (zero) {
      if (down) ctx.lineTo(pts[p], yy);
      down = false;
      continue;
    }
    if (!down) ctx.moveTo(pts[p], yy);
    else ctx.lineTo(pts[p], yy);
    down = true;
  }
  ctx.strokeStyle = col;
  ctx.lineWidth = 1.5;
  ctx.setLineDash(dash || []);
  ctx.stroke();
  ctx.setLineDash([]);
}

function fillSteps(ctx, pts, yOf, base) {
  ctx.beginPath();
  ctx.moveTo(0, base);
  for (let p = 0; p < pts.length; p += 2) ctx.lineTo(pts[p], yOf(pts[p + 1]));
  ctx.lineTo(pts[pts.length - 2], base);
  ctx.closePath();
  ctx.fillStyle = colour('occ-fill');
  ctx.fill();
}

// One receive queue between y and y + h. "wmem" mode: bytes queued (filled), the sender's
// charge (line) and its sk_sndbuf (dashed; written instead when far above the peak), skb
// counts written at their changes. "skbs" mode: skbs queued (filled, one step per skb),
// the limit queue_max + 1 (dashed), bytes written at their changes.
function drawQueue(ctx, q, y, h, t0, t1, k, W) {
  const base = y + h;
  ctx.font = '10px ' + getComputedStyle(document.body).fontFamily;
  ctx.textBaseline = 'middle';
  let scaleLabel;
  let yOf;
  let main;
  if (q.mode === 'skbs') {
    const limit = q.maxQmax + 1;
    const maxV = Math.max(limit, q.maxSkbs, 1);
    yOf = (v) => base - (v / maxV) * h;
    if (maxV <= 40) {
      ctx.fillStyle = colour('grid');
      for (let s = 1; s < maxV; s++) ctx.fillRect(0, Math.round(yOf(s)), W, 1);
    }
    main = stepPoints(q, q.sSkbs, t0, t1, k, W);
    fillSteps(ctx, main, yOf, base);
    stroke(ctx, main, yOf, colour('occ'), null);
    stroke(ctx, [0, limit, W, limit], yOf, colour('cap'), [6, 4]);
    scaleLabel = tr('unix_scale_skbs', { n: limit });
  } else {
    const peak = Math.max(q.maxOcc, q.maxWmem);
    const cap = q.maxWmemMax;
    const fit = peak > 0 && peak * 4 < cap;
    const maxV = fit ? niceCeil(peak * 1.1) : Math.max(cap, peak, 1);
    yOf = (v) => base - (v / maxV) * h;
    main = stepPoints(q, q.sOcc, t0, t1, k, W);
    fillSteps(ctx, main, yOf, base);
    stroke(ctx, main, yOf, colour('occ'), null);
    stroke(ctx, stepPoints(q, q.sWmem, t0, t1, k, W), yOf, colour('wmem'), null, true);
    if (!fit) stroke(ctx, stepPoints(q, q.sWmemMax, t0, t1, k, W), yOf, colour('cap'), [6, 4]);
    scaleLabel = fit ? tr('unix_scale_fit', { v: maxV, max: cap }) : maxV + ' B';
  }
  // Both units, written where the queue changes. Changes closer together than GROUP_PX
  // (a burst at this zoom) get one label, the burst's fullest state: 44 writes within a
  // millisecond read "44 skb · 180224 B", not "1 skb"; three writes read by one read,
  // "3 skb · 12 B" rather than the empty queue after. An empty queue goes without saying.
  const j0 = q.after(t0);
  const j1 = Math.min(q.after(t1), j0 + 4 * Math.ceil(W)); // labels need room anyway
  const bursts = [];
  let prevKey = j0 > 0 ? q.sSkbs[j0 - 1] + ':' + q.sOcc[j0 - 1] : '0:0';
  let burstX = -1e9; // where the current burst began: a steady stream of changes gets a label every GROUP_PX
  for (let j = j0; j < j1; j++) {
    const key = q.sSkbs[j] + ':' + q.sOcc[j];
    if (key === prevKey) continue;
    prevKey = key;
    const x = (q.sT[j] - t0) * k;
    if (x - burstX >= GROUP_PX) {
      bursts.push(j);
      burstX = x;
    } else {
      const b = bursts[bursts.length - 1];
      if (q.sSkbs[j] > q.sSkbs[b] || (q.sSkbs[j] === q.sSkbs[b] && q.sOcc[j] > q.sOcc[b])) bursts[bursts.length - 1] = j;
    }
  }
  let lastEnd = -1e9;
  const written = [];
  for (const j of bursts) {
    if (q.sSkbs[j] === 0 && q.sOcc[j] === 0) continue;
    const x = (q.sT[j] - t0) * k;
    const text = q.sSkbs[j] + ' skb · ' + q.sOcc[j] + ' B';
    const w = ctx.measureText(text).width + 6;
    // right of the change, or left of it at the right edge; never over the last label
    const tx = x + 3 + w > W ? x - 3 - w : x + 3;
    if (tx < lastEnd || tx < 0) continue;
    const yy = Math.max(y + 6, Math.min(base - 6, yOf(q.mode === 'skbs' ? q.sSkbs[j] : q.sOcc[j]) - 7));
    ctx.fillStyle = 'rgba(255,255,255,0.75)';
    ctx.fillRect(tx - 1, yy - 6, w - 4, 12);
    ctx.fillStyle = colour('text');
    ctx.fillText(text, tx, yy);
    written.push(text);
    lastEnd = tx + w;
  }
  const lw = ctx.measureText(scaleLabel).width;
  ctx.fillStyle = 'rgba(255,255,255,0.85)';
  ctx.fillRect(W - lw - 8, y - 13, lw + 6, 12);
  ctx.fillStyle = colour('text-dim');
  ctx.fillText(scaleLabel, W - lw - 5, y - 7);
  return written;
}

// ---------------------------------------------------------------- cursor cards

// One card per receive queue, in the "kernel buffer at the cursor" panel. Data attributes
// for tests: data-obj (the queue's owner), data-mode, data-occ-bytes, data-skbs, data-wmem,
// data-wmem-max, data-queue-max, data-phase, data-ev.
class QueueCard {
  constructor(app, m, mi, lane, q, compare) {
    this.app = app;
    this.m = m;
    this.q = q;
    this.canvas = el('canvas', { class: 'sock-canvas', role: 'img' });
    this.lines = { at: el('div'), occ: el('div', { class: 'ring-occ' }), limit: el('div'), full: el('div', { class: 'sock-full' }), src: el('div', { class: 'ring-src' }) };
    this.el = el(
      'div',
      { class: 'ring-card sock-card', dataset: { trace: mi, obj: q.id, mode: q.mode } },
      el('h3', null, compare ? el('span', { class: 'trace-tag', text: mi ? 'B' : 'A' }) : null, tr('unix_card_title', { q: q.title(), id: q.id, kind: lane.kinds(), addr: address(lane.named()) })),
      el('div', { class: 'ring-body' }, this.canvas, el('div', { class: 'ring-text' }, this.lines.at, this.lines.occ, this.lines.limit, this.lines.full, this.lines.src)),
    );
  }
  render(T) {
    const q = this.q;
    const s = q.at(T);
    const ds = this.el.dataset;
    ds.t = String(T);
    ds.occBytes = String(s.occ);
    ds.skbs = String(s.skbs);
    ds.wmem = String(s.wmem);
    ds.wmemMax = String(s.wmemMax);
    ds.queueMax = String(s.qmax);
    ds.phase = s.phase || 'none';
    ds.ev = String(s.ev);
    this.lines.at.textContent = tr('atCursor', { t: fmtTime(T) });
    this.lines.occ.textContent = tr('unix_queue_line', { bytes: s.occ, skbs: s.skbs });
    this.lines.limit.textContent = limitLine(q, s);
    const full = q.mode === 'skbs' ? s.skbs > s.qmax : s.wmemMax > 0 && s.wmem >= s.wmemMax;
    this.lines.full.textContent = full ? tr(q.mode === 'skbs' ? 'unix_full_skbs' : 'unix_full_wmem') : '';
    this.lines.src.textContent = sourceLine(this.m, s);
    this.canvas.setAttribute('aria-label', this.lines.occ.textContent + ' · ' + this.lines.limit.textContent);
    drawCard(this.canvas, q, s);
  }
}

// The queue as boxes, one per skb (datagram mode: queue_max + 1 places, the free ones
// outlined), and in wmem mode a gauge of the sender's charge against its sk_sndbuf.
function drawCard(canvas, q, s) {
  const W = 300;
  const H = q.mode === 'skbs' ? 64 : 84;
  const ctx = fitCanvas(canvas, W, H);
  ctx.clearRect(0, 0, W, H);
  ctx.font = '11px ' + getComputedStyle(document.body).fontFamily;
  ctx.textBaseline = 'middle';
  const places = q.mode === 'skbs' ? Math.min(64, Math.max(s.qmax + 1, s.skbs)) : Math.min(24, s.skbs);
  const cell = Math.max(8, Math.min(24, Math.floor((W - 12) / Math.max(places, 1)) - 2));
  for (let j = 0; j < places; j++) {
    const x = 4 + j * (cell + 2);
    if (j < s.skbs) {
      ctx.fillStyle = colour('occ');
      ctx.fillRect(x, 8, cell, 22);
    } else {
      ctx.strokeStyle = colour('ring-line');
      ctx.lineWidth = 1;
      ctx.strokeRect(x + 0.5, 8.5, cell - 1, 21);
    }
  }
  if (q.mode !== 'skbs' && s.skbs > places) {
    ctx.fillStyle = colour('text');
    ctx.fillText('+' + (s.skbs - places), 6 + places * (cell + 2), 19);
  }
  ctx.fillStyle = colour('text');
  ctx.fillText(s.skbs + ' skb · ' + s.occ + ' B', 4, 44);
  if (q.mode === 'skbs') return;
  // gauge: charge / sk_sndbuf
  const gw = W - 8;
  ctx.fillStyle = colour('ring-free');
  ctx.fillRect(4, 58, gw, 12);
  const f = s.wmemMax > 0 ? Math.min(1, s.wmem / s.wmemMax) : 0;
  ctx.fillStyle = colour('wmem');
  ctx.fillRect(4, 58, Math.max(f > 0 ? 2 : 0, gw * f), 12);
  ctx.strokeStyle = colour('cap');
  ctx.strokeRect(4.5, 58.5, gw - 1, 11);
  ctx.fillStyle = colour('text-dim');
  ctx.fillText('SIOCOUTQ ' + s.wmem + ' / ' + s.wmemMax + ' B', 4, 78);
}

function cards(app, m, mi, compare) {
  const out = [];
  for (const lane of m.mechLanes) {
    if (lane.mech !== unixMechanism) continue;
    for (const q of lane.queues) out.push(new QueueCard(app, m, mi, lane, q, compare));
  }
  return out;
}

// ---------------------------------------------------------------- selection

// [label, value] rows describing socket o.
function objectRows(o, objById) {
  const rows = [[tr('unix_f_kind'), kindName(o.kind) + ' (' + o.kind + ')'], [tr('unix_f_addr'), address(o)]];
  const p = isInt(o.peer) ? objById.get(o.peer) : null;
  rows.push([tr('unix_f_peer'), p ? tr('unix_v_peer', { id: p.id, kind: kindName(p.kind) }) : isInt(o.peer) ? '#' + o.peer : tr('unix_v_none')]);
  if (isInt(o.inode)) rows.push([tr('unix_f_inode'), String(o.inode)]);
  if (isInt(o.sndbuf)) rows.push([tr('unix_f_sndbuf'), tr('unix_v_sndbuf', { v: o.sndbuf })]);
  if (isInt(o.rcvbuf)) rows.push([tr('unix_f_rcvbuf'), tr('unix_v_rcvbuf', { v: o.rcvbuf })]);
  if (isInt(o.queue_max)) {
    const key = o.kind !== 'unix_dgram' ? 'unix_v_qmax_stream' : backlogApplies(o, objById) ? 'unix_v_qmax_dgram' : 'unix_v_qmax_pair';
    rows.push([tr('unix_f_qmax'), tr(key, { v: o.queue_max, n: o.queue_max + 1 })]);
  }
  if (typeof o.created === 'number') {
    rows.push([tr('unix_f_created'), tr('unix_v_created', { t: fmtTime(o.created), pid: o.creator === null || o.creator === undefined ? '?' : o.creator, fd: o.fd === null || o.fd === undefined ? '?' : o.fd })]);
  }
  return rows;
}

function objectTitle(o) {
  return tr('unix_obj', { id: o.id }) + ' · ' + kindName(o.kind);
}

// Sentences about what a sock_send / sock_recv did, or null for other events.
function eventSummary(e, objById) {
  if (e.type !== 'sock_send' && e.type !== 'sock_recv') return null;
  const send = e.type === 'sock_send';
  const out = [];
  const call = typeof e.syscall === 'string' ? e.syscall : send ? 'send' : 'recv';
  if (isInt(e.bytes) && e.bytes < 0) {
    const err = errorName(e) || String(e.bytes);
    const key = 'unix_err_' + err;
    const text = tr(key);
    out.push(tr('unix_sum_err', { call, err: text === key ? err : text }));
  } else {
    out.push(tr(send ? 'unix_sum_send' : 'unix_sum_recv', { bytes: e.bytes, req: e.requested, q: isInt(e.queue) ? e.queue : '?' }));
  }
  if (isInt(e.queue) && SAMPLE_FIELDS.every((f) => isInt(e[f]))) {
    out.push(tr('unix_sum_queue', { b0: e.occ_before, s0: e.skbs_before, b1: e.occ_after, s1: e.skbs_after }));
  }
  const owner = isInt(e.queue) ? objById.get(e.queue) : null;
  if (owner && backlogApplies(owner, objById) && isInt(e.queue_max)) {
    out.push(tr('unix_sum_dgram', { s0: e.skbs_before, s1: e.skbs_after, n: e.queue_max + 1, qmax: e.queue_max }));
  }
  if (isInt(e.wmem_before) && isInt(e.wmem_after)) out.push(tr('unix_sum_wmem', { w0: e.wmem_before, w1: e.wmem_after, max: e.wmem_max }));
  if (e.peek) out.push(tr('unix_sum_peek'));
  if (e.occ_torn) out.push(tr('unix_sum_torn'));
  if (e.occ_truncated) out.push(tr('unix_sum_trunc'));
  // A call whose two samples differ by more than its own bytes slept (or raced): what
  // other tasks did in between is in their lanes (unix_dgram_blocks' 12th send enters and
  // leaves at 11 skbs: a read took one out while it slept, its own went in).
  if (isInt(e.bytes) && e.bytes > 0 && !e.peek && isInt(e.occ_before) && isInt(e.occ_after)) {
    if (e.occ_after - e.occ_before !== (send ? e.bytes : -e.bytes)) out.push(tr('unix_sum_slept'));
  }
  return out;
}

function spanLabel(e) {
  const what = tr(e.type === 'sock_send' ? 'unix_send' : 'unix_recv');
  return what + ' ' + (isInt(e.bytes) && e.bytes >= 0 ? e.bytes + ' B' : errorName(e) || e.bytes);
}

function legend() {
  return {
    spans: [
      ['sw-write', tr('unix_legend_send')],
      ['sw-read', tr('unix_legend_recv')],
    ],
    lane: [
      ['sw-copy', tr('legendCopy')],
      ['sw-occ', tr('unix_legend_queued')],
      ['sw-wmem', tr('unix_legend_wmem')],
      ['sw-cap', tr('unix_legend_limit')],
    ],
  };
}

export const unixMechanism = {
  name: 'unix',
  kinds: KINDS,
  // cat: the colour of the span (as a pipe write or read)
  spanTypes: [
    { type: 'sock_send', cat: 'write' },
    { type: 'sock_recv', cat: 'read' },
  ],
  checkObject,
  build,
  spanLabel,
  legend,
  cards,
  cardsTitle: () => tr('unix_cards'),
  cardsNote: () => tr('unix_card_note'),
  objectTitle,
  objectRows,
  objectName: (o) => tr('unix_name', { id: o.id }),
  eventSummary,
};

// lanes know their module (for cards and the legend)
SockLane.prototype.mech = unixMechanism;
