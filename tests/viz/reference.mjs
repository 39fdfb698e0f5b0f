// Values the viewer must show, computed here from the trace independently of viz/js.

export function pipeEvents(trace, objId) {
  const out = [];
  trace.events.forEach((e, i) => {
    if ((e.type === 'pipe_read' || e.type === 'pipe_write') && e.obj === objId) out.push([i, e]);
  });
  return out;
}

// Occupancy of a pipe at time T, as docs/trace-format.md and the viewer define it: the
// latest pipe event on the object with t + dur <= T gives occ_after/slots_after, unless
// one that started after that is still in progress (t <= T < t + dur): then its
// occ_before/slots_before. Ties: an in-progress event over a completed one at the same
// time, and the later event in the trace among equals. Nothing yet: 0 bytes, 0 slots.
export function occupancyAt(trace, objId, T) {
  let best = null;
  const better = (k, b) => !b || k[0] > b[0] || (k[0] === b[0] && (k[1] > b[1] || (k[1] === b[1] && k[2] > b[2])));
  for (const [i, e] of pipeEvents(trace, objId)) {
    const end = e.t + e.dur;
    let key = null;
    let val = null;
    if (end <= T) {
      key = [end, 0, i];
      val = { occ: e.occ_after, slots: e.slots_after, ev: i, phase: 'after' };
    } else if (e.t <= T) {
      key = [e.t, 1, i];
      val = { occ: e.occ_before, slots: e.slots_before, ev: i, phase: 'before' };
    }
    if (key && better(key, best && best.key)) best = { key, val };
  }
  return best ? best.val : { occ: 0, slots: 0, ev: -1, phase: 'none' };
}

export function maxOccupancy(trace, objId) {
  let occ = 0;
  let slots = 0;
  for (const [, e] of pipeEvents(trace, objId)) {
    occ = Math.max(occ, e.occ_before, e.occ_after);
    slots = Math.max(slots, e.slots_before, e.slots_after);
  }
  return { occ, slots };
}

// Positive-byte pipe reads and writes on a known pipe, and socket sends and receives that
// name the receive queue they went through: one arrow each.
export function copies(trace) {
  const pipe = (e) => (e.type === 'pipe_read' || e.type === 'pipe_write') && e.obj !== null;
  const sock = (e) => (e.type === 'sock_send' || e.type === 'sock_recv') && Number.isInteger(e.queue);
  const mq = (e) => (e.type === 'mq_send' || e.type === 'mq_recv') && Number.isInteger(e.obj);
  return trace.events.filter((e) => (pipe(e) || sock(e) || mq(e)) && e.bytes > 0).length;
}

export function pipeObjects(trace) {
  return trace.objects.filter((o) => o.kind === 'pipe' || o.kind === 'fifo');
}

export function duration(trace) {
  let d = 1;
  for (const e of trace.events) d = Math.max(d, e.t + (e.dur || 0));
  for (const p of trace.processes) if (typeof p.exit === 'number') d = Math.max(d, p.exit);
  return d;
}
