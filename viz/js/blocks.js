// What a task blocked in (a `block` event, docs/trace-format.md): a sleep of its own
// accord, or a wait on an object. The one place that decides it: the list below of the
// syscalls in which a task sleeps because it asked to (for a time, for a signal, for a
// child to change state). A block in any other syscall counts as waiting on an object: an
// IPC object (the event's `obj` names it when the trace knows it: a read on an empty
// pipe, a send to a full queue), a FIFO's other end, a lock (futex), the disk.
//
// The line reader (events.js) keeps the answer per event in the `sleep` column, so that
// drawing never has to parse an event to choose its look.

import { t as tr } from './i18n.js';
import { mechanismOfKind } from './mechanisms.js';
import { lowerBound, upperBound } from './bsearch.js';

export const SLEEP_SYSCALLS = ['nanosleep', 'clock_nanosleep', 'pause', 'rt_sigsuspend', 'rt_sigtimedwait', 'wait4', 'waitid'];

const SLEEPS = new Set(SLEEP_SYSCALLS);

// Whether a block in syscall `name` (the event's `syscall` field) is a sleep of its own.
export function isSleepSyscall(name) {
  return typeof name === 'string' && SLEEPS.has(name);
}

// A short name of object o ("pipe #8"), as its mechanism module gives it, else its kind
// from the trace and its id.
export function objectName(o) {
  const mc = mechanismOfKind(o.kind);
  if (mc && mc.objectName) return mc.objectName(o);
  return o.kind + ' #' + o.id;
}

// The span of block i's thread that the block lies in (the call it slept in, whose `obj`
// may name what a block without one waited for: a FIFO's open), or -1. From the lane's
// spans layer (model.js makeLayer: sorted starts, spans longer than L apart).
function callAround(m, i) {
  const lane = m.lanes[m.laneOf[i]];
  const layer = lane && lane.spans;
  if (!layer) return -1;
  const { ts, te } = m;
  const tid = m.cols.tid;
  let best = -1;
  const consider = (j) => {
    if (tid[j] === tid[i] && ts[j] <= ts[i] && te[j] >= te[i] && (best < 0 || ts[j] > ts[best])) best = j;
  };
  for (let k = 0; k < layer.long.length; k++) consider(layer.long[k]);
  const lo = lowerBound(layer.t, ts[i] - layer.L);
  const hi = upperBound(layer.t, ts[i], lo);
  for (let k = lo; k < hi; k++) consider(layer.idx[k]);
  return best;
}

// One line on what block event i of model m waited for: "asleep in nanosleep", "blocked
// in read on pipe #8" (the block's `obj`, else that of the call it slept in), "blocked in
// futex" (no object the trace knows); null for another event.
export function blockText(m, i) {
  const e = m.ev(i);
  if (!e || e.type !== 'block') return null;
  const call = typeof e.syscall === 'string' ? e.syscall : '?';
  if (isSleepSyscall(call)) return tr('blockAsleepIn', { call });
  let id = Number.isInteger(e.obj) ? e.obj : -1;
  if (id < 0) {
    const j = callAround(m, i);
    if (j >= 0) id = m.obj[j];
  }
  const o = id >= 0 ? m.objById.get(id) : null;
  if (o) return tr('blockWaitOn', { call, obj: objectName(o) });
  return tr('blockWaitIn', { call });
}
