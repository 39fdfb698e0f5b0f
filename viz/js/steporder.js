// The order in which the step controls (stepper.js) visit a trace's events: every event
// the timeline draws in a process lane (spans, blocks, markers; the faults outside the
// traced mappings only while they are shown), by start time, ties by index. No DOM here.

import { lowerBound, upperBound } from './bsearch.js';

// The events of `lanes` (lane indices; null: every lane) in step order:
// {idx: Int32Array, t: Float64Array of their start times}.
export function stepOrder(m, lanes, withStray) {
  const parts = [];
  for (const lane of m.lanes) {
    if (lanes && !lanes.includes(lane.index)) continue;
    const layers = [lane.spans, lane.blocks, lane.markers];
    if (withStray) layers.push(lane.stray);
    for (const layer of layers) parts.push(layer.idx, layer.long);
  }
  const idx = new Int32Array(parts.reduce((n, p) => n + p.length, 0));
  let k = 0;
  for (const p of parts) {
    idx.set(p, k);
    k += p.length;
  }
  const ts = m.ts;
  idx.sort((a, b) => ts[a] - ts[b] || a - b);
  return { idx, t: Float64Array.from(idx, (i) => ts[i]) };
}

// The position of event i (start time T) in `order`, or -1.
export function positionOf(order, i, T) {
  for (let p = lowerBound(order.t, T); p < order.t.length && order.t[p] === T; p++) {
    if (order.idx[p] === i) return p;
  }
  return -1;
}

// The event one step from `cur` in direction `dir` (+1 next, -1 previous) over the
// orders of one or two traces (`orders`: [{mi, order}]), or null at the end.
// `cur` = {T, mi, pos}: the cursor time and, when the current event is the selected one
// at the cursor, its trace and position (else pos is -1: the step goes to the first
// event at or after T, or the last at or before T). Across traces the order is by time,
// then trace A before B.
export function stepFrom(orders, cur, dir) {
  let best = null;
  for (const { mi, order } of orders) {
    const p = dir > 0 ? nextPos(order, mi, cur) : prevPos(order, mi, cur);
    if (p < 0 || p >= order.idx.length) continue;
    const c = { mi, ev: order.idx[p], t: order.t[p] };
    // equal times: the first trace's going forward, the second's going back
    if (!best || (dir > 0 ? c.t < best.t : c.t >= best.t)) best = c;
  }
  return best;
}

function nextPos(order, mi, cur) {
  if (cur.pos < 0) return lowerBound(order.t, cur.T);
  if (mi === cur.mi) return cur.pos + 1;
  return mi < cur.mi ? upperBound(order.t, cur.T) : lowerBound(order.t, cur.T);
}

function prevPos(order, mi, cur) {
  if (cur.pos < 0) return upperBound(order.t, cur.T) - 1;
  if (mi === cur.mi) return cur.pos - 1;
  return mi < cur.mi ? upperBound(order.t, cur.T) - 1 : lowerBound(order.t, cur.T) - 1;
}
