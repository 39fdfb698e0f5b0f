// Two models of the same trace compared field by field: the columns, the lanes and their
// layers, the mechanism modules' results and (checkEvents) every event's details. Used to
// hold the viewer's ways of reading a trace to the same result (reader.test.mjs: the line
// reader against JSON.parse; cols.test.mjs: the compact form against the line reader).

import assert from 'node:assert/strict';

const arr = (a) => Array.from(a);

export function sameModel(a, b, checkEvents) {
  assert.equal(a.n, b.n);
  for (const k of ['ts', 'te', 'code', 'laneOf', 'rowOf', 'obj']) assert.deepEqual(arr(a[k]), arr(b[k]), k);
  for (const k of ['pid', 'tid', 'pipeRow', 'memRow', 'sleep']) assert.deepEqual(arr(a.cols[k]), arr(b.cols[k]), k);
  for (const k of ['page', 'pages', 'firstPage', 'lastPage', 'kind', 'flags']) assert.deepEqual(arr(a.cols.mem[k]), arr(b.cols.mem[k]), k);
  for (const k of ['bytes', 'occBefore', 'occAfter', 'slotsBefore', 'slotsAfter', 'slotsMax', 'ring']) assert.deepEqual(arr(a.cols.pipe[k]), arr(b.cols.pipe[k]), k);
  assert.equal(a.duration, b.duration);
  assert.deepEqual(a.meta, b.meta);
  assert.deepEqual(a.claims, b.claims);
  assert.equal(a.lanes.length, b.lanes.length);
  a.lanes.forEach((la, i) => {
    const lb = b.lanes[i];
    for (const k of ['pid', 'comm', 'rows', 'threads', 'wBytes', 'rBytes']) assert.equal(la[k], lb[k], 'lane ' + k);
    for (const layer of ['spans', 'blocks', 'markers', 'stray']) {
      assert.deepEqual(arr(la[layer].idx), arr(lb[layer].idx), layer);
      assert.deepEqual(arr(la[layer].long), arr(lb[layer].long), layer);
    }
  });
  assert.deepEqual(a.laneOrder.above.map((l) => l.pid), b.laneOrder.above.map((l) => l.pid));
  // the mechanism modules (js/mechanisms.js): pipes, mappings, Unix sockets
  assert.equal(a.mech.pipe.buffers.length, b.mech.pipe.buffers.length);
  a.mech.pipe.buffers.forEach((ba, i) => {
    const bb = b.mech.pipe.buffers[i];
    for (const k of ['sT', 'sEv', 'sPhase', 'sOcc', 'sSlots', 'sMax', 'sRing', 'sTail', 'cT', 'cV']) assert.deepEqual(arr(ba[k]), arr(bb[k]), 'buffer ' + k);
    for (const k of ['maxOcc', 'maxSlots', 'maxCap', 'maxRing']) assert.equal(ba[k], bb[k], 'buffer ' + k);
    // the slot owners, where both models have them (an early one gets them after its first frame)
    if (ba.own && bb.own) {
      for (const k of ['op', 'pid', 'bytes', 'call', 'soleCall', 'solePid']) assert.deepEqual(arr(ba.own[k]), arr(bb.own[k]), 'owners ' + k);
      assert.deepEqual(ba.writers, bb.writers, 'writers');
    }
  });
  // the lanes: same pipes, links, queues, samples and copies
  assert.deepEqual(a.laneOrder.mech.map((g) => [g.lane.key, g.above.map((l) => l.pid), g.below.map((l) => l.pid)]), b.laneOrder.mech.map((g) => [g.lane.key, g.above.map((l) => l.pid), g.below.map((l) => l.pid)]));
  a.mechLanes.forEach((la, i) => {
    const lb = b.mechLanes[i];
    assert.equal(la.key, lb.key);
    if (!la.queues) return; // a pipe's lane (its buffer is checked above)
    assert.equal(la.queues.length, lb.queues.length);
    la.queues.forEach((qa, j) => {
      for (const k of ['sT', 'sEv', 'sPhase', 'sOcc', 'sSkbs', 'sWmem', 'sWmemMax', 'sQmax']) assert.deepEqual(arr(qa[k]), arr(lb.queues[j][k]), 'queue ' + k);
    });
  });
  const copies = (m) => m.mechCopies.map((mc) => mc.list.map((c) => [c.ev, c.lane.key, c.write, c.bytes]));
  assert.deepEqual(copies(a), copies(b));
  assert.equal(a.mech.mmap.mappings.length, b.mech.mmap.mappings.length);
  a.mech.mmap.mappings.forEach((ma, i) => {
    const mb = b.mech.mmap.mappings[i];
    for (const k of ['state', 'order', 'first', 'major', 'dirty', 'cached', 'written', 'later', 'laterEv', 'events']) assert.deepEqual(arr(ma[k]), arr(mb[k]), 'mapping ' + k);
    assert.equal(ma.touched, mb.touched);
  });
  if (checkEvents) for (let i = 0; i < a.n; i++) assert.deepEqual(a.ev(i), b.ev(i), 'event ' + i);
}

