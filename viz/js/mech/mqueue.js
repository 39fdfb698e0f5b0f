// POSIX message queues in the viewer (issue #13): one lane per queue with its message count
// over time against its capacity (mq_maxmsg), the copies into and out of it, and what one
// send or receive did (its priority, the queue before and after, who was waiting).
//
// Trace contract (docs/trace-format.md, "message queues" and "mq_send, mq_recv"): objects of
// kind mqueue (path, maxmsg, msgsize...), and the span events mq_send / mq_recv, each with
// the queue sampled when the syscall entered and returned: messages (msgs_*), bytes (occ_*),
// and who slept on it (waiting_*). Like the pipe ring, but counted in messages: a send that
// finds a receiver waiting hands its message over (0 -> 0), a receive that finds a sender
// waiting puts the sender's message in (full -> full). Only the leaf modules are imported
// (mechanisms.js explains why).

import { colour } from '../dom.js';
import { t as tr, addStrings } from '../i18n.js';
import { fmtTime, errorName, fdFlow } from '../format.js';
import { stepPoints } from '../steps.js';

const KINDS = ['mqueue'];
const BAND_H = 58;
const LANE_PAD = 6;
const GROUP_PX = 60; // changes closer than this share one label

const isInt = Number.isInteger;
const isObj = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

addStrings({
  en: {
    mqueue_lane: 'mqueue #{id}',
    mqueue_sub_cap: 'capacity {n} messages',
    mqueue_sub_size: 'messages ≤ {n} B',
    mqueue_scale: '{n} msg',
    mqueue_tip_at: 'queue at {t}',
    mqueue_tip_state: '{msgs} of {max} messages, {bytes} B',
    mqueue_tip_from: 'last change: {what} by pid {pid} (event {ev})',
    mqueue_send: 'mq_send',
    mqueue_recv: 'mq_recv',
    mqueue_legend_send: 'mq_send (message into the queue)',
    mqueue_legend_recv: 'mq_recv (message out of the queue)',
    mqueue_legend_msgs: 'messages queued',
    mqueue_legend_cap: 'mq_maxmsg (capacity)',
    mqueue_obj: 'Message queue #{id}',
    mqueue_f_name: 'name',
    mqueue_f_inode: 'inode',
    mqueue_f_limits: 'limits',
    mqueue_v_limits: '{n} messages of at most {size} B',
    mqueue_f_created: 'first seen',
    mqueue_v_created: '{t}, by pid {pid} (fd {fd})',
    mqueue_v_unnamed: '(no mq_open seen)',
    mqueue_sum_send: 'Sent a {bytes}-byte message with priority {prio}.',
    mqueue_sum_recv: 'Received a {bytes}-byte message with priority {prio} (the highest queued; the oldest of that priority).',
    mqueue_sum_err: '{call} failed: {err}.',
    mqueue_err_EAGAIN: 'EAGAIN, the queue was full (send) or empty (receive) and the descriptor is O_NONBLOCK',
    mqueue_err_EMSGSIZE: 'EMSGSIZE, the message is longer than mq_msgsize (send) or the buffer shorter than mq_msgsize (receive)',
    mqueue_sum_queue: 'The queue: {m0} → {m1} messages ({b0} → {b1} B) of {max}.',
    mqueue_sum_handover: 'A receiver was waiting: the message went straight to it and never entered the queue.',
    mqueue_sum_insert: 'A sender was waiting on the full queue: this receive put the sender\'s message into the queue and woke it.',
    mqueue_sum_full: 'The queue was full when the send began: it slept until a receive made room.',
    mqueue_sum_empty: 'The queue was empty when the receive began: it slept until a send.',
  },
  zh: {
    mqueue_lane: '消息队列 #{id}',
    mqueue_sub_cap: '容量 {n} 条消息',
    mqueue_sub_size: '每条 ≤ {n} 字节',
    mqueue_scale: '{n} 条',
    mqueue_tip_at: '{t} 时的队列',
    mqueue_tip_state: '{msgs}/{max} 条消息，{bytes} 字节',
    mqueue_tip_from: '最近一次变化：pid {pid} 的 {what}（事件 {ev}）',
    mqueue_send: 'mq_send',
    mqueue_recv: 'mq_recv',
    mqueue_legend_send: 'mq_send（消息进入队列）',
    mqueue_legend_recv: 'mq_recv（消息离开队列）',
    mqueue_legend_msgs: '队列中的消息数',
    mqueue_legend_cap: 'mq_maxmsg（容量）',
    mqueue_obj: '消息队列 #{id}',
    mqueue_f_name: '名字',
    mqueue_f_inode: 'inode',
    mqueue_f_limits: '限制',
    mqueue_v_limits: '最多 {n} 条消息，每条最多 {size} 字节',
    mqueue_f_created: '首次出现',
    mqueue_v_created: '{t}，pid {pid}（fd {fd}）',
    mqueue_v_unnamed: '（未见 mq_open）',
    mqueue_sum_send: '发送了一条 {bytes} 字节、优先级 {prio} 的消息。',
    mqueue_sum_recv: '收到一条 {bytes} 字节、优先级 {prio} 的消息（队列中优先级最高者里最早的一条）。',
    mqueue_sum_err: '{call} 失败：{err}。',
    mqueue_err_EAGAIN: 'EAGAIN，队列已满（发送）或为空（接收），且描述符设置了 O_NONBLOCK',
    mqueue_err_EMSGSIZE: 'EMSGSIZE，消息长于 mq_msgsize（发送），或缓冲区短于 mq_msgsize（接收）',
    mqueue_sum_queue: '队列：{m0} → {m1} 条消息（{b0} → {b1} 字节），容量 {max}。',
    mqueue_sum_handover: '有接收者在等待：消息直接交给了它，没有进入队列。',
    mqueue_sum_insert: '有发送者在满队列上等待：这次接收把该发送者的消息放进队列并唤醒了它。',
    mqueue_sum_full: '发送开始时队列已满：它睡眠，直到有一次接收腾出空间。',
    mqueue_sum_empty: '接收开始时队列为空：它睡眠，直到有一次发送到来。',
  },
});

// Header checks (model.js validateHeader): the types of the fields the viewer reads.
function checkObject(o, bad) {
  for (const f of ['inode', 'maxmsg', 'msgsize']) {
    if (o[f] !== undefined && o[f] !== null && !(isInt(o[f]) && o[f] >= 0)) bad(f, 'must be an integer ≥ 0');
  }
  if (o.path !== undefined && o.path !== null && typeof o.path !== 'string') bad('path', 'must be null or a string');
}

const SAMPLE_FIELDS = ['msgs_before', 'msgs_after', 'occ_before', 'occ_after'];

// One queue's samples in time order: t, phase (1 before, 0 after), event, msgs, bytes.
class Queue {
  constructor(obj) {
    this.obj = obj;
    this.id = obj.id;
    this.raw = [];
  }
  push(t, phase, ev, msgs, bytes) {
    this.raw.push([t, phase, ev, msgs, bytes]);
  }
  // At equal times after-samples first, so a call in progress (its before-sample) wins.
  finish() {
    this.raw.sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2]);
    this.n = this.raw.length;
    this.sT = Float64Array.from(this.raw, (r) => r[0]);
    this.sEv = Int32Array.from(this.raw, (r) => r[2]);
    this.sMsgs = Float64Array.from(this.raw, (r) => r[3]);
    this.sBytes = Float64Array.from(this.raw, (r) => r[4]);
    this.maxMsgs = this.sMsgs.reduce((m, v) => (v > m ? v : m), 0);
    this.cap = isInt(this.obj.maxmsg) ? this.obj.maxmsg : this.maxMsgs;
    this.raw = null;
  }
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
  at(T) {
    const j = this.after(T) - 1;
    if (j < 0) return { j, ev: -1, msgs: 0, bytes: 0 };
    return { j, ev: this.sEv[j], msgs: this.sMsgs[j], bytes: this.sBytes[j] };
  }
}

class MqLane {
  constructor(q, procName) {
    this.q = q;
    this.procName = procName;
    this.key = 'mqueue:' + q.id;
    this.objIds = [q.id];
    this.height = LANE_PAD * 2 + BAND_H;
  }
  band() {
    return [LANE_PAD / this.height, (LANE_PAD + BAND_H) / this.height];
  }
  queueAt() {
    return this.q.obj;
  }
  label() {
    const o = this.q.obj;
    const name = tr('mqueue_lane', { id: o.id });
    const path = typeof o.path === 'string' && o.path.length ? '/' + o.path : tr('mqueue_v_unnamed');
    const cap = tr('mqueue_sub_cap', { n: this.q.cap });
    const size = isInt(o.msgsize) ? tr('mqueue_sub_size', { n: o.msgsize }) : '';
    // who holds it by which fd, where a send or receive shows it, before the name (in the
    // language of the moment: the label is asked for again when it changes)
    const fdText = this.q.fdSides ? fdFlow(this.q.fdSides[0], this.q.fdSides[1], this.procName) : '';
    const fds = fdText ? [fdText] : [];
    return { name, subs: [...fds, path, cap], title: name + ' — ' + path + ' — ' + cap + (size ? ', ' + size : '') + (fdText ? '\n' + fdText : '') };
  }
  draw(ctx, y, h, t0, t1, k, W) {
    this.labels = drawQueue(ctx, this.q, y + LANE_PAD + 14, BAND_H - 20, t0, t1, k, W);
  }
  tip(m, t) {
    const s = this.q.at(t);
    const lines = [this.label().name, tr('mqueue_tip_at', { t: fmtTime(t) }) + ': ' + tr('mqueue_tip_state', { msgs: s.msgs, max: this.q.cap, bytes: s.bytes })];
    if (s.ev >= 0) {
      const e = m.ev(s.ev);
      lines.push(tr('mqueue_tip_from', { what: e.type, pid: e.pid, ev: s.ev }));
    }
    return lines;
  }
}

function build(ctx) {
  const { doc, objById, te, ev, list } = ctx;
  const queues = new Map();
  const pending = [];
  const fds = new Map(); // queue -> [senders, receivers]: pid -> [fd]
  for (const o of doc.objects) if (isObj(o) && KINDS.includes(o.kind)) queues.set(o.id, new Queue(o));
  for (let n = 0; n < list.length; n++) {
    const i = list[n];
    const e = ev(i);
    const q = isInt(e.obj) ? queues.get(e.obj) : null;
    if (!q || !objById.has(e.obj) || !SAMPLE_FIELDS.every((f) => isInt(e[f]))) continue;
    if (te[i] > e.t) q.push(e.t, 1, i, e.msgs_before, e.occ_before);
    q.push(te[i], 0, i, e.msgs_after, e.occ_after);
    // a copy per message that moved bytes (an empty message moves none: no arrow)
    if (isInt(e.bytes) && e.bytes > 0) pending.push({ ev: i, q, write: e.type === 'mq_send', bytes: e.bytes });
    if (!fds.has(q)) fds.set(q, [new Map(), new Map()]);
    const side = fds.get(q)[e.type === 'mq_send' ? 0 : 1];
    if (isInt(e.fd) && e.fd >= 0) {
      if (!side.has(e.pid)) side.set(e.pid, []);
      if (!side.get(e.pid).includes(e.fd)) side.get(e.pid).push(e.fd);
    }
  }
  const lanes = [];
  const laneOf = new Map();
  for (const q of queues.values()) {
    if (!q.raw.length) continue;
    q.finish();
    const f = fds.get(q);
    q.fdSides = f || null;
    const lane = new MqLane(q, ctx.procName);
    laneOf.set(q, lane);
    lanes.push(lane);
  }
  const copies = [];
  for (const c of pending) {
    const lane = laneOf.get(c.q);
    if (lane) copies.push({ ev: c.ev, lane, band: lane.band(), write: c.write, bytes: c.bytes });
  }
  return { lanes, copies };
}

// ---------------------------------------------------------------- drawing

// The messages queued (filled steps, one grid line per message) against mq_maxmsg
// (dashed), "N msg · B B" written where the queue changes.
function drawQueue(ctx, q, y, h, t0, t1, k, W) {
  const base = y + h;
  const maxV = Math.max(q.cap, q.maxMsgs, 1);
  const yOf = (v) => base - (v / maxV) * h;
  ctx.font = '10px ' + getComputedStyle(document.body).fontFamily;
  ctx.textBaseline = 'middle';
  if (maxV <= 40) {
    ctx.fillStyle = colour('grid');
    for (let s = 1; s < maxV; s++) ctx.fillRect(0, Math.round(yOf(s)), W, 1);
  }
  const pts = stepPoints(q, q.sMsgs, t0, t1, k, W);
  ctx.beginPath();
  ctx.moveTo(0, base);
  for (let p = 0; p < pts.length; p += 2) ctx.lineTo(pts[p], yOf(pts[p + 1]));
  ctx.lineTo(pts[pts.length - 2], base);
  ctx.closePath();
  ctx.fillStyle = colour('occ-fill');
  ctx.fill();
  ctx.beginPath();
  for (let p = 0; p < pts.length; p += 2) {
    const yy = Math.round(yOf(pts[p + 1])) + 0.5;
    if (p === 0) ctx.moveTo(pts[p], yy);
    else ctx.lineTo(pts[p], yy);
  }
  ctx.strokeStyle = colour('occ');
  ctx.lineWidth = 1.5;
  ctx.stroke();
  ctx.beginPath();
  const cy = Math.round(yOf(q.cap)) + 0.5;
  ctx.moveTo(0, cy);
  ctx.lineTo(W, cy);
  ctx.strokeStyle = colour('cap');
  ctx.setLineDash([6, 4]);
  ctx.stroke();
  ctx.setLineDash([]);
  // labels: one per burst of changes (the burst's fullest state)
  const j0 = q.after(t0);
  const j1 = Math.min(q.after(t1), j0 + 4 * Math.ceil(W));
  const bursts = [];
  let prev = j0 > 0 ? q.sMsgs[j0 - 1] + ':' + q.sBytes[j0 - 1] : '0:0';
  let burstX = -1e9;
  for (let j = j0; j < j1; j++) {
    const key = q.sMsgs[j] + ':' + q.sBytes[j];
    if (key === prev) continue;
    prev = key;
    const x = (q.sT[j] - t0) * k;
    if (x - burstX >= GROUP_PX) {
      bursts.push(j);
      burstX = x;
    } else if (q.sMsgs[j] > q.sMsgs[bursts[bursts.length - 1]]) {
      bursts[bursts.length - 1] = j;
    }
  }
  const written = [];
  let lastEnd = -1e9;
  for (const j of bursts) {
    if (q.sMsgs[j] === 0) continue;
    const x = (q.sT[j] - t0) * k;
    const text = q.sMsgs[j] + ' msg · ' + q.sBytes[j] + ' B';
    const w = ctx.measureText(text).width + 6;
    const tx = x + 3 + w > W ? x - 3 - w : x + 3;
    if (tx < lastEnd || tx < 0) continue;
    const yy = Math.max(y + 6, Math.min(base - 6, yOf(q.sMsgs[j]) - 7));
    ctx.fillStyle = 'rgba(255,255,255,0.75)';
    ctx.fillRect(tx - 1, yy - 6, w - 4, 12);
    ctx.fillStyle = colour('text');
    ctx.fillText(text, tx, yy);
    written.push(text);
    lastEnd = tx + w;
  }
  const scale = tr('mqueue_scale', { n: q.cap });
  const lw = ctx.measureText(scale).width;
  ctx.fillStyle = 'rgba(255,255,255,0.85)';
  ctx.fillRect(W - lw - 8, y - 13, lw + 6, 12);
  ctx.fillStyle = colour('text-dim');
  ctx.fillText(scale, W - lw - 5, y - 7);
  return written;
}

// ---------------------------------------------------------------- selection panel

function objectTitle(o) {
  return tr('mqueue_obj', { id: o.id });
}

function objectRows(o) {
  const rows = [[tr('mqueue_f_name'), typeof o.path === 'string' && o.path.length ? '/' + o.path : tr('mqueue_v_unnamed')]];
  if (isInt(o.inode)) rows.push([tr('mqueue_f_inode'), String(o.inode)]);
  if (isInt(o.maxmsg)) rows.push([tr('mqueue_f_limits'), tr('mqueue_v_limits', { n: o.maxmsg, size: o.msgsize })]);
  if (typeof o.created === 'number') {
    rows.push([tr('mqueue_f_created'), tr('mqueue_v_created', { t: fmtTime(o.created), pid: o.creator ?? '?', fd: o.fd ?? '?' })]);
  }
  return rows;
}

const has = (a, who) => Array.isArray(a) && a.includes(who);

// Sentences about what an mq_send / mq_recv did, or null for other events.
function eventSummary(e) {
  if (e.type !== 'mq_send' && e.type !== 'mq_recv') return null;
  const send = e.type === 'mq_send';
  const out = [];
  if (isInt(e.bytes) && e.bytes < 0) {
    const err = errorName(e) || String(e.bytes);
    const key = 'mqueue_err_' + err;
    const text = tr(key);
    out.push(tr('mqueue_sum_err', { call: e.syscall || e.type, err: text === key ? err : text }));
  } else {
    out.push(tr(send ? 'mqueue_sum_send' : 'mqueue_sum_recv', { bytes: e.bytes, prio: e.prio }));
  }
  if (SAMPLE_FIELDS.every((f) => isInt(e[f]))) {
    out.push(tr('mqueue_sum_queue', { m0: e.msgs_before, m1: e.msgs_after, b0: e.occ_before, b1: e.occ_after, max: e.maxmsg }));
  }
  if (isInt(e.bytes) && e.bytes >= 0) {
    if (send && has(e.waiting_before, 'receiver')) out.push(tr('mqueue_sum_handover'));
    if (!send && has(e.waiting_before, 'sender')) out.push(tr('mqueue_sum_insert'));
    if (send && e.msgs_before === e.maxmsg) out.push(tr('mqueue_sum_full'));
    if (!send && e.msgs_before === 0 && !e.nonblock) out.push(tr('mqueue_sum_empty'));
  }
  return out;
}

// "mq_send 2 B p5" inside a wide span
function spanLabel(e) {
  const what = tr(e.type === 'mq_send' ? 'mqueue_send' : 'mqueue_recv');
  if (isInt(e.bytes) && e.bytes >= 0) return what + ' ' + e.bytes + ' B p' + e.prio;
  return what + ' ' + (errorName(e) || e.bytes);
}

function legend() {
  return {
    spans: [
      ['sw-write', tr('mqueue_legend_send')],
      ['sw-read', tr('mqueue_legend_recv')],
    ],
    lane: [
      ['sw-copy', tr('legendCopy')],
      ['sw-occ', tr('mqueue_legend_msgs')],
      ['sw-cap', tr('mqueue_legend_cap')],
    ],
  };
}

export const mqueueMechanism = {
  name: 'mqueue',
  kinds: KINDS,
  spanTypes: [
    { type: 'mq_send', cat: 'write' },
    { type: 'mq_recv', cat: 'read' },
  ],
  checkObject,
  build,
  spanLabel,
  legend,
  objectTitle,
  objectRows,
  objectName: (o) => tr('mqueue_lane', { id: o.id }),
  eventSummary,
};

MqLane.prototype.mech = mqueueMechanism;
