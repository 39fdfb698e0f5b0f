// Wake-ups: for each sleep (a `block` event) whose waker the trace names, a dashed arrow at
// the wake-up time from the waker's process lane down or up to the sleeper's hatched bar,
// so that "who woke whom, when" reads off the timeline as it does off the trace. Generic:
// a block event's `waker` and `wake_t` (docs/trace-format.md) whatever the sleep was on.
//
// The waker is read from the event's line (model.ev) when its sleep is in view, and kept;
// above MAX_WAKES sleeps in view none are drawn (zooming in shows them), as for copies.

import { colour } from './dom.js';
import { layerRange } from './model.js';

export const MAX_WAKES = 200;
const BAR_H = 14;

const wakersOf = new WeakMap(); // model -> Map(event index -> {pid, t} or null)

function wakerOf(m, i) {
  let cache = wakersOf.get(m);
  if (!cache) wakersOf.set(m, (cache = new Map()));
  if (cache.has(i)) return cache.get(i);
  const e = m.ev(i);
  const w = e && e.waker && Number.isInteger(e.waker.pid) && typeof e.wake_t === 'number' ? { pid: e.waker.pid, t: e.wake_t } : null;
  cache.set(i, w);
  return w;
}

// The sleeps of the process lanes in view that end in [t0, t1].
function sleepsInView(track, t0, t1) {
  const m = track.m;
  const out = [];
  for (const r of track.rows) {
    if (r.kind !== 'proc') continue;
    const layer = r.lane.blocks;
    if (!layer) continue;
    const take = (i) => {
      if (m.te[i] >= t0 && m.te[i] <= t1) out.push(i);
    };
    for (let j = 0; j < layer.long.length; j++) take(layer.long[j]);
    const [lo, hi] = layerRange(layer, t0, t1);
    for (let j = lo; j < hi; j++) take(layer.idx[j]);
  }
  return out;
}

export function drawWakes(ctx, track, t0, t1, k, W) {
  const m = track.m;
  const sleeps = sleepsInView(track, t0, t1);
  if (sleeps.length > MAX_WAKES) return 0;
  const laneOfPid = new Map();
  for (const r of track.rows) if (r.kind === 'proc') laneOfPid.set(r.lane.pid, r);
  let drawn = 0;
  ctx.save();
  ctx.strokeStyle = colour('wake');
  ctx.fillStyle = colour('wake');
  ctx.lineWidth = 1.5;
  for (const i of sleeps) {
    const w = wakerOf(m, i);
    if (!w) continue;
    const from = laneOfPid.get(w.pid);
    const box = track.eventBox(i, t0, k);
    if (!from || !box || from === box.row) continue; // woken by itself or by an untraced task
    const x = Math.round((Math.min(Math.max(w.t, m.ts[i]), m.te[i]) - t0) * k) + 0.5;
    if (x < -2 || x > W + 2) continue;
    const down = from.y < box.y;
    const y1 = down ? from.y + from.h - 4 : from.y + 4;
    const y2 = down ? box.y + BAR_H * 0.45 : box.y + BAR_H;
    const dir = down ? 1 : -1;
    ctx.setLineDash([4, 3]);
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
    ctx.fill();
    // a ring where the waker was when it woke the sleeper
    ctx.beginPath();
    ctx.arc(x, y1, 3, 0, 2 * Math.PI);
    ctx.stroke();
    drawn++;
  }
  ctx.restore();
  return drawn;
}
