// Signals in the viewer (issue #13, section 1): who sent which signal to whom and what the
// kernel did with it, when a thread took it, and how it ended a sleeping syscall.
//
// Trace contract (docs/trace-format.md): `signal` (generation, an instant on the target's
// lane: sig, signal, result, sender_pid, sender_tid, sender_syscall), `signal_deliver` (an
// instant on the thread that takes it: handler, flags, code_name, sender_pid, value) and the
// signal syscalls as `syscall` events (rt_sigprocmask how/set/blocked_before/blocked_after,
// rt_sigaction handler/flags/mask, kill/tgkill/rt_sigqueueinfo sig, rt_sigreturn ret).
//
// Drawn on the process lanes, no lane of its own:
//   - an arrow per generation from the sender's lane to the target's, at the generation's
//     time (inside the sender's kill), solid when the signal was made pending, dashed grey
//     when it was dropped (already pending: standard signals coalesce; a full real-time
//     queue), dotted amber when the target ignores it;
//   - a marker per delivery (signal_deliver), with the signal and the action above the bar,
//     and a dotted line from the generation it took to it (the time it was pending);
//   - the syscall the delivery interrupted (its sys_exit returned -ERESTART*: the kernel
//     traces the exit before it acts on the signal, mech/signal/NOTES.md section 2) marked at
//     its end, and what the program got: the handler's rt_sigreturn -EINTR, or the call
//     issued again (SA_RESTART);
//   - a thin band under the bar while rt_sigprocmask leaves signals blocked.
// Only the leaf modules are imported (mechanisms.js explains why).

import { colour } from '../dom.js';
import { t as tr, addStrings } from '../i18n.js';
import { fmtTime, errorName } from '../format.js';
import { lowerBound, upperBound } from '../bsearch.js';

const MAX_ARROWS = 400; // above this many generations in view, only the markers are drawn
const GROUP_PX = 24; // arrows closer than this (same sender, target, signal) share one label
const ERESTART = new Set(['ERESTARTSYS', 'ERESTARTNOINTR', 'ERESTARTNOHAND', 'ERESTART_RESTARTBLOCK']);
const MAX_MASK_SYSCALLS = 200000; // syscalls of signalled threads parsed for their masks
// instants: not spans of a thread (for "the syscall that was interrupted")
const INSTANTS = ['unknown', 'block', 'signal', 'signal_deliver', 'exit', 'fork', 'exec', 'rename', 'fault', 'page_cache', 'dirty', 'fault_around', 'writeback'];

const isInt = Number.isInteger;
const names = (a) => (Array.isArray(a) && a.length ? a.join(', ') : tr('signal_none'));

addStrings({
  en: {
    signal_legend_sent: 'signal sent (sender → target)',
    signal_legend_coalesced: 'coalesced: already pending, dropped',
    signal_legend_ignored: 'ignored by the target',
    signal_legend_pending: 'pending: sent, not yet taken',
    signal_legend_deliver: 'taken by the thread (handler, SIG_DFL or SIG_IGN)',
    signal_legend_restart: 'syscall interrupted (-ERESTART…)',
    signal_legend_blocked: 'signals blocked (rt_sigprocmask)',
    signal_none: 'none',
    signal_n: '×{n}',
    signal_n_coalesced: '{n} coalesced',
    signal_n_ignored: '{n} ignored',
    signal_r_already_pending: 'coalesced',
    signal_r_ignored: 'ignored',
    signal_r_overflow_fail: 'queue full',
    signal_r_lose_info: 'no siginfo',
    signal_value: 'value {v}',
    signal_handler: 'handler',
    signal_blocked: 'blocked: {set}',
    signal_restarted: '↻ restarted',
    signal_eintr: 'EINTR',
    signal_sum_gen: '{sender} sent {signal} to {target}{via}',
    signal_sum_via: ' (in its {call})',
    signal_sum_kernel: ' (from the kernel, in no syscall)',
    signal_res_delivered: 'made pending: the target takes it on its way back to user mode, unless it blocks it',
    signal_res_already_pending: 'already pending: dropped. A standard signal is one bit, so repeated sends coalesce',
    signal_res_ignored: 'ignored: the target ignores it (SIG_IGN, or a default action of ignore) and does not block it',
    signal_res_overflow_fail: 'not sent: the real-time signal queue is full (RLIMIT_SIGPENDING)',
    signal_res_lose_info: 'queued without its siginfo',
    signal_res_unknown: 'result: {r}',
    signal_sum_taken: 'taken by pid {pid} at {t}, {lat} after it was sent (event #{i})',
    signal_sum_del: '{target} took {signal} ({code}){from}',
    signal_sum_from: ' from pid {pid}',
    signal_act_handler: 'action: its handler at {h}',
    signal_act_SIG_DFL: 'action: SIG_DFL, the default action',
    signal_act_SIG_IGN: 'action: SIG_IGN, discarded',
    signal_sum_flags: 'flags: {f}',
    signal_sum_value: 'value (sigqueue): {v}',
    signal_sum_status: 'the child\'s status: {v}',
    signal_sum_pending: 'still pending after this: {set}',
    signal_sum_sent: 'sent at {t} (event #{i}): {lat} from generation to delivery',
    signal_sum_intr: 'it ended the sleeping {call} (event #{i}): its sys_exit returned {err}, before the kernel acted on the signal',
    signal_sum_eintr: 'the handler\'s rt_sigreturn (event #{i}) returned -EINTR: that is what {call} returns to the program',
    signal_sum_restart: 'SA_RESTART: after the handler the kernel issued {call} again (event #{i})',
    signal_sum_ret: 'the handler returned with rt_sigreturn (event #{i}), ret {ret}',
    signal_sum_mask: '{how} {set}: blocked {b0} → {b1}',
    signal_sum_query: 'a query: blocked {b0}',
    signal_sum_action: '{signal}: new action {h}, flags {f}, sa_mask {mask}',
    signal_sum_kill: 'sends {signal} to pid {pid}',
    signal_sum_kill_res: 'the kernel: {res} (event #{i})',
    signal_sum_sigreturn: 'end of a signal handler: the interrupted code gets back {ret}',
  },
  zh: {
    signal_legend_sent: '发送信号（发送者 → 目标）',
    signal_legend_coalesced: '合并：已处于未决状态，被丢弃',
    signal_legend_ignored: '被目标忽略',
    signal_legend_pending: '未决：已产生，尚未递送',
    signal_legend_deliver: '信号递送给线程（处理函数、SIG_DFL 或 SIG_IGN）',
    signal_legend_restart: '系统调用被打断（-ERESTART…）',
    signal_legend_blocked: '被阻塞的信号（rt_sigprocmask）',
    signal_none: '无',
    signal_n: '×{n}',
    signal_n_coalesced: '{n} 次合并',
    signal_n_ignored: '{n} 次忽略',
    signal_r_already_pending: '合并',
    signal_r_ignored: '忽略',
    signal_r_overflow_fail: '队列已满',
    signal_r_lose_info: '无 siginfo',
    signal_value: '值 {v}',
    signal_handler: '处理函数',
    signal_blocked: '阻塞：{set}',
    signal_restarted: '↻ 重新发起',
    signal_eintr: 'EINTR',
    signal_sum_gen: '{sender} 向 {target} 发送 {signal}{via}',
    signal_sum_via: '（在它的 {call} 中）',
    signal_sum_kernel: '（由内核发出，不在系统调用中）',
    signal_res_delivered: '变为未决：目标返回用户态时递送给它，除非它阻塞了该信号',
    signal_res_already_pending: '已处于未决状态：被丢弃。标准信号只是一个位，重复发送会合并',
    signal_res_ignored: '被忽略：目标忽略它（SIG_IGN，或默认动作为忽略），且没有阻塞它',
    signal_res_overflow_fail: '未发送：实时信号队列已满（RLIMIT_SIGPENDING）',
    signal_res_lose_info: '排队了，但没有 siginfo',
    signal_res_unknown: '结果：{r}',
    signal_sum_taken: '由 pid {pid} 在 {t} 接收，发送后 {lat}（事件 #{i}）',
    signal_sum_del: '{target} 接收了 {signal}（{code}）{from}',
    signal_sum_from: '，来自 pid {pid}',
    signal_act_handler: '动作：地址 {h} 处的处理函数',
    signal_act_SIG_DFL: '动作：SIG_DFL，默认动作',
    signal_act_SIG_IGN: '动作：SIG_IGN，丢弃',
    signal_sum_flags: '标志：{f}',
    signal_sum_value: '值（sigqueue）：{v}',
    signal_sum_status: '子进程的状态：{v}',
    signal_sum_pending: '此后仍未决：{set}',
    signal_sum_sent: '发送于 {t}（事件 #{i}）：从产生到递送 {lat}',
    signal_sum_intr: '它结束了睡眠中的 {call}（事件 #{i}）：该调用的 sys_exit 返回 {err}，内核随后才处理信号',
    signal_sum_eintr: '处理函数的 rt_sigreturn（事件 #{i}）返回 -EINTR：这就是 {call} 返回给程序的结果',
    signal_sum_restart: 'SA_RESTART：处理函数之后内核重新发起了 {call}（事件 #{i}）',
    signal_sum_ret: '处理函数以 rt_sigreturn 返回（事件 #{i}），返回值 {ret}',
    signal_sum_mask: '{how} {set}：阻塞集 {b0} → {b1}',
    signal_sum_query: '查询：阻塞集 {b0}',
    signal_sum_action: '{signal}：新动作 {h}，标志 {f}，sa_mask {mask}',
    signal_sum_kill: '向 pid {pid} 发送 {signal}',
    signal_sum_kill_res: '内核的处理：{res}（事件 #{i}）',
    signal_sum_sigreturn: '信号处理函数结束：被打断的代码得到 {ret}',
  },
});

// ---------------------------------------------------------------- the model

const callName = (e) => (e.type === 'syscall' ? String(e.name) : e.syscall ? String(e.syscall) : e.type);
// the -ERESTART* a call ended with, by name (also in a trace that says "E?": format.js)
const errorOf = (e) => {
  const name = errorName(e);
  return name && ERESTART.has(name) ? name : null;
};

function build(ctx) {
  const { cols, TY, ts, te } = ctx;
  const code = cols.code;
  const n = cols.n;
  const isInstant = new Uint8Array(256);
  for (const name of INSTANTS) if (name in TY) isInstant[TY[name]] = 1;
  const gens = [];
  const dels = [];
  for (let i = 0; i < n; i++) {
    if (code[i] === TY.signal) {
      const e = ctx.ev(i);
      gens.push({ i, t: ts[i], from: isInt(e.sender_pid) ? e.sender_pid : null, to: e.pid, tid: e.tid, sig: e.sig, name: String(e.signal), result: String(e.result), del: -1 });
    } else if (code[i] === TY.signal_deliver) {
      const e = ctx.ev(i);
      dels.push({ i, t: ts[i], pid: e.pid, tid: e.tid, sig: e.sig, name: String(e.signal), handler: String(e.handler), flags: Array.isArray(e.flags) ? e.flags : [], value: e.value, codeName: e.code_name, gen: -1, intr: -1, intrErr: null, ret: -1, eintr: false, restart: -1 });
    }
  }
  const res = { lanes: [], copies: [], gens, dels, genT: Float64Array.from(gens, (g) => g.t), delT: Float64Array.from(dels, (d) => d.t), bands: [] };
  if (!gens.length && !dels.length) return res;
  matchDeliveries(gens, dels);
  // the spans of the threads that take or are sent signals, in time order
  const tids = new Set([...dels.map((d) => d.tid), ...gens.map((g) => g.tid)]);
  const spans = new Map();
  for (let i = 0; i < n; i++) {
    if (isInstant[code[i]] || !tids.has(cols.tid[i])) continue;
    if (!spans.has(cols.tid[i])) spans.set(cols.tid[i], []);
    spans.get(cols.tid[i]).push(i);
  }
  for (const [tid, list] of spans) spans.set(tid, ctx.sortByKey(Int32Array.from(list), ts));
  for (const d of dels) interruption(ctx, d, spans.get(d.tid) || new Int32Array(0), te);
  res.bands = blockedBands(ctx, spans, code, TY);
  return res;
}

// Each delivery takes the oldest generation of its signal still pending for its process
// ("delivered" result: a standard signal's bit, a real-time signal's queue entry).
function matchDeliveries(gens, dels) {
  const queues = new Map();
  const all = [...gens.map((g, k) => ({ t: g.t, i: g.i, g: k })), ...dels.map((d, k) => ({ t: d.t, i: d.i, d: k }))].sort((a, b) => a.t - b.t || a.i - b.i);
  for (const x of all) {
    if (x.g !== undefined) {
      const g = gens[x.g];
      if (g.result !== 'delivered') continue;
      const key = g.to + ':' + g.sig;
      if (!queues.has(key)) queues.set(key, []);
      queues.get(key).push(x.g);
    } else {
      const d = dels[x.d];
      const q = queues.get(d.pid + ':' + d.sig);
      if (q && q.length) {
        d.gen = q.shift();
        gens[d.gen].del = x.d;
      }
    }
  }
}

// The syscall a delivery interrupted: the thread's last span that ended by the delivery,
// when its sys_exit returned -ERESTART*. Then the handler's rt_sigreturn (its ret: -EINTR
// is what the program sees) and, with SA_RESTART, the same call issued again.
function interruption(ctx, d, list, te) {
  const ends = Float64Array.from(list, (i) => te[i]);
  const j = upperBound(ends, d.t) - 1;
  if (j >= 0) {
    const e = ctx.ev(list[j]);
    const err = errorOf(e);
    if (err) {
      d.intr = list[j];
      d.intrErr = err;
      d.intrCall = callName(e);
    }
  }
  for (let k = j + 1; k < list.length && k < j + 40; k++) {
    const e = ctx.ev(list[k]);
    if (e.type !== 'syscall' || e.name !== 'rt_sigreturn') continue;
    d.ret = list[k];
    d.retVal = e.ret;
    d.eintr = e.ret === -4;
    if (d.intr >= 0 && !d.eintr && d.flags.includes('SA_RESTART') && k + 1 < list.length) {
      const next = ctx.ev(list[k + 1]);
      if (callName(next) === d.intrCall) d.restart = list[k + 1];
    }
    break;
  }
}

// The blocked mask after each rt_sigprocmask/rt_sigaction of the signalled threads:
// intervals [end of the call, end of the next one) when it is not empty, with holes where
// rt_sigsuspend replaced the mask while it slept (its mask argument is not recorded).
function blockedBands(ctx, spans, code, TY) {
  const bands = [];
  let budget = MAX_MASK_SYSCALLS;
  for (const list of spans.values()) {
    let open = null;
    for (const i of list) {
      if (code[i] !== TY.syscall || budget-- <= 0) continue;
      const e = ctx.ev(i);
      if (e.name === 'rt_sigsuspend' && open) open.holes.push([ctx.ts[i], ctx.te[i]]);
      if ((e.name !== 'rt_sigprocmask' && e.name !== 'rt_sigaction') || !Array.isArray(e.blocked_after)) continue;
      const key = e.blocked_after.join(',');
      if (open && open.key === key) continue;
      if (open) open.t1 = ctx.te[i];
      open = e.blocked_after.length ? { ev: i, t0: ctx.te[i], t1: Infinity, key, set: e.blocked_after, holes: [] } : null;
      if (open) bands.push(open);
    }
  }
  return bands;
}

// ---------------------------------------------------------------- drawing

const BAR_H = 14;

function drawMarker(ctx, type, e, x, y, h) {
  if (type === 'signal') {
    const r = e ? e.result : 'delivered';
    const col = r === 'delivered' ? colour('signal') : r === 'ignored' ? colour('sig-ignored') : colour('sig-coalesced');
    ctx.beginPath();
    ctx.moveTo(x - 6, y - 2);
    ctx.lineTo(x + 6, y - 2);
    ctx.lineTo(x, y + h);
    ctx.closePath();
    if (r === 'delivered') {
      ctx.fillStyle = col;
      ctx.fill();
    } else {
      ctx.fillStyle = '#fff';
      ctx.fill();
      ctx.strokeStyle = col;
      ctx.lineWidth = 1.5;
      ctx.stroke();
    }
    return;
  }
  // signal_deliver: a pin through the bar
  ctx.fillStyle = colour('sig-deliver');
  ctx.fillRect(x - 1, y - 3, 2, h + 6);
  ctx.beginPath();
  ctx.arc(x, y + h / 2, 5, 0, Math.PI * 2);
  ctx.fill();
  ctx.strokeStyle = '#fff';
  ctx.lineWidth = 1.5;
  ctx.beginPath();
  ctx.moveTo(x - 2, y + h / 2 - 2.5);
  ctx.lineTo(x + 2, y + h / 2);
  ctx.lineTo(x - 2, y + h / 2 + 2.5);
  ctx.stroke();
}

function resultStyle(r) {
  if (r === 'delivered') return { col: colour('signal'), dash: [] };
  if (r === 'ignored') return { col: colour('sig-ignored'), dash: [1.5, 3] };
  return { col: colour('sig-coalesced'), dash: [5, 3] };
}

// Everything between and on the process lanes: called by the timeline after its lanes.
function overlay(ctx, track, t0, t1, k, W) {
  const sm = track.m.mech.signal;
  const ds = track.el.dataset;
  if (!sm || (!sm.gens.length && !sm.dels.length)) return;
  const rowOfPid = new Map();
  for (const r of track.rows) if (r.kind === 'proc' && !rowOfPid.has(r.lane.pid)) rowOfPid.set(r.lane.pid, r);
  ctx.save();
  ctx.font = '10px ' + getComputedStyle(document.body).fontFamily;
  ctx.textBaseline = 'middle';
  drawPending(ctx, track, sm, t0, t1, k, W);
  const placed = []; // the labels' boxes, so that none covers another
  const dels = drawDeliveries(ctx, track, sm, t0, t1, k, W, placed);
  const drawn = drawArrows(ctx, track, sm, rowOfPid, t0, t1, k, W, placed);
  drawBands(ctx, track, sm, t0, t1, k, W, placed);
  ctx.restore();
  ds.signalArrows = String(drawn.all);
  ds.signalCoalesced = String(drawn.coalesced);
  ds.signalIgnored = String(drawn.ignored);
  ds.signalDeliveries = String(dels.n);
  ds.signalInterrupted = String(dels.intr);
}

function drawArrows(ctx, track, sm, rowOfPid, t0, t1, k, W, placed) {
  const out = { all: 0, coalesced: 0, ignored: 0 };
  const lo = lowerBound(sm.genT, t0);
  const hi = upperBound(sm.genT, t1, lo);
  if (hi - lo > MAX_ARROWS) return out;
  // one open group per sender, target and signal: ping-pong arrows alternate
  const open = new Map();
  const flush = (key) => {
    label(ctx, open.get(key), W, placed);
    open.delete(key);
  };
  for (let j = lo; j < hi; j++) {
    const g = sm.gens[j];
    const from = g.from === null ? null : rowOfPid.get(g.from);
    const box = track.eventBox(g.i, t0, k);
    if (!box) continue;
    if (!from || from === box.row) {
      // to itself (SIGPIPE, raise) or from an untraced task: the marker, named
      label(ctx, { x0: box.x0 + 4, x1: box.x0 + 4, y: box.y + BAR_H / 2, n: 1, res: { [g.result]: 1 }, name: g.name }, W, placed);
      continue;
    }
    const x = Math.round(box.x0) + 0.5;
    const down = from.y < box.y;
    const y1 = down ? from.y + 12 + BAR_H + 1 : from.y + 11;
    const y2 = down ? box.y - 3 : box.y + BAR_H + 1;
    const st = resultStyle(g.result);
    ctx.strokeStyle = st.col;
    ctx.fillStyle = st.col;
    ctx.lineWidth = 1.5;
    ctx.setLineDash(st.dash);
    const dir = down ? 1 : -1;
    ctx.beginPath();
    ctx.moveTo(x, y1);
    ctx.lineTo(x, y2 - dir * 6);
    ctx.stroke();
    ctx.setLineDash([]);
    ctx.beginPath();
    ctx.moveTo(x, y2);
    ctx.lineTo(x - 4, y2 - dir * 7);
    ctx.lineTo(x + 4, y2 - dir * 7);
    ctx.closePath();
    if (g.result === 'delivered') ctx.fill();
    else {
      ctx.fillStyle = '#fff';
      ctx.fill();
      ctx.stroke();
    }
    out.all++;
    if (g.result === 'ignored') out.ignored++;
    else if (g.result !== 'delivered') out.coalesced++;
    const key = g.from + '>' + g.to + ':' + g.name;
    if (open.has(key) && x - open.get(key).x1 > GROUP_PX) flush(key);
    if (!open.has(key)) open.set(key, { name: g.name, x0: x, x1: x, y: (y1 + y2) / 2, n: 0, res: {} });
    const group = open.get(key);
    group.x1 = x;
    group.n++;
    group.res[g.result] = (group.res[g.result] || 0) + 1;
  }
  for (const key of [...open.keys()]) flush(key);
  return out;
}

// Write `text` at the first free place: for each y of ys, right of x (or left of it when
// `left`), then on the other side; boxes kept in `placed` so that no label covers another.
// Returns false when there was no room.
function place(ctx, text, x, ys, placed, W, col, left) {
  const w = ctx.measureText(text).width;
  const xs = left ? [x - w - 4, x + 4] : [x + 4, x - w - 4];
  for (const y of ys) {
    for (const lx of xs) {
      if (lx < 0 || lx + w > W) continue;
      if (!placed.every((p) => lx > p.x1 + 3 || lx + w < p.x0 - 3 || Math.abs(y - p.y) >= 12)) continue;
      placed.push({ x0: lx, x1: lx + w, y });
      ctx.fillStyle = 'rgba(255,255,255,0.85)';
      ctx.fillRect(lx - 1, y - 6, w + 2, 12);
      ctx.fillStyle = col;
      ctx.fillText(text, lx, y);
      return true;
    }
  }
  return false;
}

// "SIGUSR1 ×5 (4 coalesced)", beside the group's last arrow (moved up or down a line when
// it would cover another label; left out when there is no room).
function label(ctx, g, W, placed) {
  let text = g.name;
  if (g.n > 1) text += ' ' + tr('signal_n', { n: g.n });
  const parts = [];
  for (const r of Object.keys(g.res)) {
    if (r === 'delivered') continue;
    if (g.n === 1) parts.push(tr('signal_r_' + r) === 'signal_r_' + r ? r : tr('signal_r_' + r));
    else if (r === 'already_pending') parts.push(tr('signal_n_coalesced', { n: g.res[r] }));
    else if (r === 'ignored') parts.push(tr('signal_n_ignored', { n: g.res[r] }));
    else parts.push(g.res[r] + ' ' + r);
  }
  if (parts.length) text += ' (' + parts.join(', ') + ')';
  const col = g.res.delivered ? colour('signal') : g.res.ignored ? colour('sig-ignored') : colour('text-dim');
  place(ctx, text, g.x1 + 1, [g.y, g.y - 12, g.y + 12, g.y - 24, g.y + 24], placed, W, col, false);
}

// Above each delivery the signal and the action; the interrupted call's end marked, and
// what the program got back.
function drawDeliveries(ctx, track, sm, t0, t1, k, W, placed) {
  const out = { n: 0, intr: 0 };
  const lo = lowerBound(sm.delT, t0);
  const hi = upperBound(sm.delT, t1, lo);
  for (let j = lo; j < hi; j++) {
    const d = sm.dels[j];
    const box = track.eventBox(d.i, t0, k);
    if (!box) continue;
    out.n++;
    if (d.intr >= 0) {
      out.intr++;
      markInterrupted(ctx, track, d, t0, k, W, placed, hi - lo <= 60);
    }
    if (hi - lo > 60) continue;
    let text = d.name + ' ▸ ' + (d.handler.startsWith('0x') ? tr('signal_handler') : d.handler);
    if (d.value !== null && d.value !== undefined) text += ' · ' + tr('signal_value', { v: d.value });
    place(ctx, text, box.x0, [box.y - 6], placed, W, colour('sig-deliver'), false);
  }
  return out;
}

function markInterrupted(ctx, track, d, t0, k, W, placed, labels) {
  const b = track.eventBox(d.intr, t0, k);
  if (b && b.x1 >= -4 && b.x1 <= W + 4) {
    const x = b.x1;
    ctx.fillStyle = colour('sig-restart');
    ctx.beginPath();
    ctx.moveTo(x - 2, b.y - 3);
    ctx.lineTo(x + 3, b.y + b.h / 2 - 1);
    ctx.lineTo(x - 1, b.y + b.h / 2 + 1);
    ctx.lineTo(x + 2, b.y + b.h + 3);
    ctx.lineTo(x - 3, b.y + b.h / 2 + 2);
    ctx.lineTo(x + 1, b.y + b.h / 2);
    ctx.closePath();
    ctx.fill();
    if (labels) place(ctx, d.intrErr, x - 2, [b.y + b.h + 7], placed, W, colour('sig-restart'), true);
  }
  const outcome = d.eintr ? d.ret : d.restart;
  if (outcome < 0 || !labels) return;
  const r = track.eventBox(outcome, t0, k);
  if (!r || r.x0 < -60 || r.x0 > W) return;
  const text = d.eintr ? '→ -' + tr('signal_eintr') : tr('signal_restarted');
  place(ctx, text, r.x0, [r.y + r.h + 7, r.y + r.h + 19], placed, W, colour('sig-restart'), false);
}

function drawBands(ctx, track, sm, t0, t1, k, W, placed) {
  const m = track.m;
  for (const b of sm.bands) {
    const end = b.t1 === Infinity ? endOf(m, b.ev) : b.t1;
    if (end < t0 || b.t0 > t1) continue;
    const box = track.eventBox(b.ev, t0, k);
    if (!box) continue;
    // the segments between the holes, named at the first one in view
    let a = b.t0;
    let named = false;
    for (const [h0, h1] of [...b.holes, [end, end]]) {
      const xa = Math.max(-2, (a - t0) * k);
      const xb = Math.min(W + 2, (Math.min(h0, end) - t0) * k);
      a = h1;
      if (xb <= xa) continue;
      ctx.fillStyle = colour('sig-blocked');
      ctx.fillRect(xa, box.y + BAR_H + 1, Math.max(1, xb - xa), 4);
      if (!named) named = place(ctx, tr('signal_blocked', { set: b.set.join(', ') }), Math.max(xa, 0) - 2, [box.y + BAR_H + 10], placed, W, colour('signal'), false);
    }
  }
}

// From each generation made pending to the delivery that took it, a dotted line along the
// top of the target's bar: the time the signal waited (blocked, or the target not running).
function drawPending(ctx, track, sm, t0, t1, k, W) {
  ctx.strokeStyle = colour('signal');
  ctx.lineWidth = 1;
  ctx.setLineDash([2, 2]);
  ctx.beginPath();
  for (const g of sm.gens) {
    if (g.del < 0 || g.t > t1) continue;
    const d = sm.dels[g.del];
    if (d.t < t0) continue;
    const box = track.eventBox(d.i, t0, k);
    if (!box) continue;
    const y = box.y - 1.5;
    ctx.moveTo(Math.max(-2, (g.t - t0) * k), y);
    ctx.lineTo(Math.min(W + 2, (d.t - t0) * k), y);
  }
  ctx.stroke();
  ctx.setLineDash([]);
}

// A band with no later change lasts until its process exits (or the trace ends).
function endOf(m, i) {
  const p = m.procByPid.get(m.ev(i).pid);
  return p && typeof p.exit === 'number' ? p.exit : m.duration;
}

// ---------------------------------------------------------------- the selection panel

const who = (m, pid) => {
  const p = m && m.procByPid.get(pid);
  return p ? p.comm + ' (' + pid + ')' : 'pid ' + pid;
};

function resultText(r) {
  const key = 'signal_res_' + r;
  const s = tr(key);
  return s === key ? tr('signal_res_unknown', { r }) : s;
}

function eventSummary(e, objById, m, i) {
  const sm = m && m.mech.signal;
  if (!sm) return null;
  if (e.type === 'signal') return genSummary(e, m, sm, i);
  if (e.type === 'signal_deliver') return delSummary(e, m, sm, i);
  if (e.type === 'syscall') return syscallSummary(e, m, sm, i);
  return null;
}

function genSummary(e, m, sm, i) {
  const via = e.sender_syscall ? tr('signal_sum_via', { call: e.sender_syscall }) : tr('signal_sum_kernel');
  const out = [tr('signal_sum_gen', { sender: who(m, e.sender_pid), signal: e.signal, target: who(m, e.pid), via }), resultText(e.result)];
  const g = sm.gens.find((x) => x.i === i);
  if (g && g.del >= 0) {
    const d = sm.dels[g.del];
    out.push(tr('signal_sum_taken', { pid: d.tid, t: fmtTime(d.t), lat: fmtTime(d.t - g.t), i: d.i }));
  }
  return out;
}

function delSummary(e, m, sm, i) {
  const from = isInt(e.sender_pid) ? tr('signal_sum_from', { pid: who(m, e.sender_pid) }) : '';
  const out = [tr('signal_sum_del', { target: who(m, e.pid), signal: e.signal, code: e.code_name || 'si_code ' + e.code, from })];
  const h = String(e.handler);
  out.push(h === 'SIG_DFL' || h === 'SIG_IGN' ? tr('signal_act_' + h) : tr('signal_act_handler', { h }));
  if (Array.isArray(e.flags) && e.flags.length) out.push(tr('signal_sum_flags', { f: e.flags.join(' | ') }));
  if (e.value !== null && e.value !== undefined) out.push(tr('signal_sum_value', { v: e.value }));
  if (isInt(e.status)) out.push(tr('signal_sum_status', { v: e.status }));
  if (Array.isArray(e.pending)) out.push(tr('signal_sum_pending', { set: names(e.pending) }));
  const d = sm.dels.find((x) => x.i === i);
  if (!d) return out;
  if (d.gen >= 0) {
    const g = sm.gens[d.gen];
    out.push(tr('signal_sum_sent', { t: fmtTime(g.t), i: g.i, lat: fmtTime(d.t - g.t) }));
  }
  if (d.intr >= 0) out.push(tr('signal_sum_intr', { call: d.intrCall, i: d.intr, err: d.intrErr }));
  if (d.eintr) out.push(tr('signal_sum_eintr', { i: d.ret, call: d.intrCall || 'the call' }));
  else if (d.restart >= 0) out.push(tr('signal_sum_restart', { i: d.restart, call: d.intrCall }));
  else if (d.ret >= 0) out.push(tr('signal_sum_ret', { i: d.ret, ret: d.retVal }));
  return out;
}

function syscallSummary(e, m, sm, i) {
  const n = e.name;
  if (n === 'rt_sigprocmask' && Array.isArray(e.blocked_after)) {
    if (e.set === null || e.set === undefined) return [tr('signal_sum_query', { b0: names(e.blocked_before) })];
    return [tr('signal_sum_mask', { how: e.how, set: names(e.set), b0: names(e.blocked_before), b1: names(e.blocked_after) })];
  }
  if (n === 'rt_sigaction' && typeof e.handler === 'string') {
    return [tr('signal_sum_action', { signal: e.signal, h: e.handler, f: names(e.flags), mask: names(e.mask) })];
  }
  if (n === 'rt_sigreturn') return [tr('signal_sum_sigreturn', { ret: e.error ? e.ret + ' (' + e.error + ')' : e.ret })];
  if (['kill', 'tkill', 'tgkill', 'rt_sigqueueinfo', 'rt_tgsigqueueinfo'].includes(n) && e.signal) {
    const target = Array.isArray(e.args) ? e.args[0] : '?';
    const out = [tr('signal_sum_kill', { signal: e.signal, pid: target })];
    // the generation inside this call, by this thread
    const lo = lowerBound(sm.genT, e.t);
    const hi = upperBound(sm.genT, e.t + e.dur, lo);
    for (let j = lo; j < hi; j++) {
      const g = sm.gens[j];
      const ge = m.ev(g.i);
      if (ge.sender_tid === e.tid) out.push(tr('signal_sum_kill_res', { res: resultText(g.result), i: g.i }));
    }
    return out;
  }
  return null;
}

// ---------------------------------------------------------------- the module

export const signalMechanism = {
  name: 'signal',
  kinds: [],
  spanTypes: [],
  markers: [
    { type: 'signal', event: true },
    { type: 'signal_deliver', event: true },
  ],
  summaryTypes: ['signal', 'signal_deliver', 'syscall'],
  checkObject() {},
  build,
  drawMarker,
  overlay,
  present: (m) => !!m.mech.signal && (m.mech.signal.gens.length > 0 || m.mech.signal.dels.length > 0),
  legend() {
    return {
      spans: [],
      marks: [
        ['sw-sig-arrow', tr('signal_legend_sent')],
        ['sw-sig-coalesced', tr('signal_legend_coalesced')],
        ['sw-sig-ignored', tr('signal_legend_ignored')],
        ['sw-sig-pending', tr('signal_legend_pending')],
        ['sw-sig-deliver', tr('signal_legend_deliver')],
        ['sw-sig-restart', tr('signal_legend_restart')],
        ['sw-sig-blocked', tr('signal_legend_blocked')],
      ],
      lane: [],
    };
  },
  eventSummary,
};
