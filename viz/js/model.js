// The trace model: parsing, structural validation and the indexes the panels draw from.
//
// A trace (docs/trace-format.md) is one JSON document. parseTrace() checks `format` and
// `version` first (a newer version is refused with its own message), then the structure
// the viewer relies on, then builds:
//   - typed arrays of start/end times and type codes for every event,
//   - one lane per process with its events split into layers (spans, blocks, markers),
//     each sorted by start time for binary search,
//   - what each mechanism module (mechanisms.js: pipes and FIFOs, mappings, Unix
//     sockets) builds from its events: its lanes, its copies, its panels' data.
// Nothing here touches the DOM.

import { TY as EVENT_TYPES, TYPE_CODE, MEM_KIND, MEM_FLAG, MECH_SPAN, SPAN_TYPE, TraceScanner, EventTable, EarlyEvents, NeedText, columnsOfObjects, objectKinds } from './events.js';
import { MECHANISMS, mechanismOfKind } from './mechanisms.js';
import { lowerBound, upperBound } from './bsearch.js';
import { CopyList } from './copylist.js';

export const SUPPORTED_VERSION = 1;

// The marker types that, with no object, go to the lane's `stray` layer (the modules'
// markers with `stray`: a fault outside the traced mappings).
const STRAY = new Uint8Array(256);
for (const mc of MECHANISMS) for (const mk of mc.markers || []) if (mk.stray) STRAY[EVENT_TYPES[mk.type]] = 1;

// Event type codes (Uint8Array `code`), defined in events.js.
export const TY = EVENT_TYPES;

const PIPE_INT_FIELDS = ['bytes', 'occ_before', 'occ_after', 'slots_before', 'slots_after', 'slots_max', 'ring_size'];

export class TraceError extends Error {
  // kind: 'json' (not JSON), 'invalid' (not an ipclab trace), 'version' (newer format)
  constructor(kind, detail, extra) {
    super(detail);
    this.kind = kind;
    this.detail = detail;
    if (extra) Object.assign(this, extra);
  }
}

const isInt = Number.isInteger;

function isObj(v) {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

// Parse and validate a trace; returns the model or throws TraceError. `input` is its text,
// its bytes (UTF-8), or a TraceScanner (events.js) that has been given all its bytes as
// they arrived (loader.js). `timing`, if given, receives the milliseconds spent in each
// step. A file with the writer's layout is read line by line into columns (events.js);
// any other file, or one the scanner leaves alone, with JSON.parse, which also gives the
// error messages.
export function parseTrace(input, name, timing) {
  const now = () => (typeof performance !== 'undefined' ? performance.now() : Date.now());
  let scanner = input;
  if (!(input instanceof TraceScanner)) {
    scanner = new TraceScanner(0);
    scanner.push(typeof input === 'string' ? new TextEncoder().encode(input) : input);
  }
  const fast = scanner.finish();
  const t1 = now();
  let doc;
  let cols;
  let events;
  if (fast) {
    doc = fast.header;
    validateHeader(doc, fast.columns.n);
    cols = fast.columns;
    events = fast.events;
  } else {
    const text = typeof input === 'string' ? input : scanner.chunks.text();
    try {
      doc = JSON.parse(text);
    } catch (e) {
      throw new TraceError('json', e && e.message ? e.message : String(e));
    }
    validateTrace(doc);
    cols = columnsOfObjects(doc.events, objectKinds(doc.objects));
    events = EventTable.ofArray(doc.events);
  }
  const t2 = now();
  const m = buildModel(doc, name, cols, events);
  const t3 = now();
  // 'cols': the columns came from the compact form `ipclab view` serves (loader.js)
  m.reader = fast ? scanner.reader || 'lines' : 'json';
  if (timing) {
    timing.reader = m.reader;
    timing.scanMs = (timing.scanMs || 0) + scanner.ms;
    timing.jsonMs = (timing.jsonMs || 0) + (fast ? 0 : t2 - t1);
    timing.validateMs = (timing.validateMs || 0) + (fast ? t2 - t1 : 0);
    timing.buildMs = (timing.buildMs || 0) + (t3 - t2);
  }
  return m;
}

// The model of a trace from its compact form alone (events.js compactDocument: `ipclab
// view`), before the JSON text has arrived; null when the build needs an event's details
// the form does not have, or the header is not valid (the caller then reads the text,
// which gives the same model or the error messages). What the build computes is what it
// computes from the JSON (EarlyEvents, strict); m.ev gives stand-ins for the events the
// form has no text of until early.upgrade(table) (once the text is here: model.js
// upgradeEarly). m.partial is true until then.
export function parseEarly(doc, name, timing) {
  const now = () => (typeof performance !== 'undefined' ? performance.now() : Date.now());
  const t1 = now();
  try {
    validateHeader(doc.header, doc.columns.n);
  } catch (e) {
    if (e instanceof TraceError) return null;
    throw e;
  }
  const t2 = now();
  const strict = new EarlyEvents(doc, true);
  const loose = new EarlyEvents(doc, false);
  let m;
  try {
    m = buildModel(doc.header, name, doc.columns, strict, true);
  } catch (e) {
    if (e instanceof NeedText) return null;
    throw e;
  }
  const t3 = now();
  m.events = loose;
  m.ev = (i) => loose.get(i);
  m.early = [strict, loose];
  m.partial = true;
  m.reader = 'cols';
  if (timing) {
    timing.reader = m.reader;
    timing.scanMs = (timing.scanMs || 0) + doc.ms;
    timing.validateMs = (timing.validateMs || 0) + (t2 - t1);
    timing.buildMs = (timing.buildMs || 0) + (t3 - t2);
  }
  return m;
}

// Does what buildModel deferred (m.later), once; true if there was any.
export function finishLater(m) {
  const work = m.later;
  if (!work || !work.length) return false;
  m.later = [];
  for (const f of work) f();
  return true;
}

// The model of parseEarly once the JSON text is here (`events`: its EventTable): the same
// model, a new object (the panels' caches are per model), each event's details from the text.
export function upgradeEarly(m, events) {
  finishLater(m);
  for (const t of m.early) t.upgrade(events);
  return { ...m, events, ev: (i) => events.get(i), early: null, partial: false };
}

function checkFormatVersion(doc) {
  if (doc.format !== 'ipclab-trace') {
    throw new TraceError('invalid', 'its "format" is ' + shortJson(doc.format) + ', not "ipclab-trace"');
  }
  if (!isInt(doc.version) || doc.version < 1) {
    throw new TraceError('invalid', '"version" must be a positive integer, found ' + shortJson(doc.version));
  }
  if (doc.version > SUPPORTED_VERSION) {
    throw new TraceError('version', 'format version ' + doc.version, { version: doc.version, supported: SUPPORTED_VERSION });
  }
}

// Structural validation of what the viewer relies on. Format and version come first
// (docs/trace-format.md, "Versioning"). Unknown fields and unknown event types are
// allowed: readers must ignore them.
export function validateTrace(doc) {
  const kindOf = validateHeader(doc);
  validateEvents(doc.events, kindOf);
}

// Everything but the events (the claims' evidence is checked against nEvents, by default
// doc.events.length). Returns kindOf[id] (events.js objectKinds) for validateEvents.
export function validateHeader(doc, nEvents) {
  if (!isObj(doc)) throw new TraceError('invalid', 'the document is not a JSON object');
  checkFormatVersion(doc);
  const errors = [];
  const bad = (where, what) => {
    if (errors.length < 6) errors.push(where + ' ' + what);
    return errors.length >= 6;
  };
  for (const k of ['meta', 'processes', 'objects', 'claims', 'events']) {
    if (!(k in doc)) bad('"' + k + '"', 'is missing');
  }
  if (errors.length) throw new TraceError('invalid', errors.join('; '));
  if (!isObj(doc.meta)) bad('"meta"', 'is not an object');
  else if (!isInt(doc.meta.page_size) || doc.meta.page_size <= 0) bad('meta.page_size', 'must be a positive integer');
  for (const k of ['processes', 'objects', 'claims', 'events']) {
    if (!Array.isArray(doc[k])) bad('"' + k + '"', 'is not an array');
  }
  if (errors.length) throw new TraceError('invalid', errors.join('; '));

  doc.processes.forEach((p, i) => {
    if (!isObj(p)) return bad('processes[' + i + ']', 'is not an object');
    if (!isInt(p.pid)) bad('processes[' + i + '].pid', 'must be an integer');
    if (typeof p.comm !== 'string') bad('processes[' + i + '].comm', 'must be a string');
  });
  const kindById = new Map();
  doc.objects.forEach((o, i) => {
    const w = 'objects[' + i + ']';
    if (!isObj(o)) return bad(w, 'is not an object');
    if (!isInt(o.id)) return bad(w + '.id', 'must be an integer');
    if (typeof o.kind !== 'string') return bad(w + '.kind', 'must be a string');
    if (kindById.has(o.id)) return bad(w + '.id', 'repeats id ' + o.id);
    kindById.set(o.id, o.kind);
    const mc = mechanismOfKind(o.kind);
    if (mc) mc.checkObject(o, (f, what) => bad(w + '.' + f, what));
  });
  const n = nEvents === undefined ? doc.events.length : nEvents;
  doc.claims.forEach((c, i) => {
    const w = 'claims[' + i + ']';
    if (!isObj(c)) return bad(w, 'is not an object');
    if (typeof c.id !== 'string') bad(w + '.id', 'must be a string');
    if (typeof c.text !== 'string') bad(w + '.text', 'must be a string');
    if (typeof c.status !== 'string') bad(w + '.status', 'must be a string');
    if (!Array.isArray(c.evidence)) return bad(w + '.evidence', 'must be an array');
    for (const x of c.evidence) {
      if (!isInt(x) || x < 0 || x >= n) {
        bad(w + '.evidence', 'has ' + shortJson(x) + ', not an index into events (0..' + (n - 1) + ')');
        break;
      }
    }
  });
  if (errors.length) throw new TraceError('invalid', errors.join('; '));
  return objectKinds(doc.objects);
}

// The events (parsed objects): a tight loop (a trace can have millions). kindOf[id]:
// 1 pipe/FIFO, 2 mapping, 3 other kinds. The checks are the same as events.js storeRow's.
function validateEvents(ev, kindOf) {
  const errors = [];
  const bad = (where, what) => {
    if (errors.length < 6) errors.push(where + ' ' + what);
    return errors.length >= 6;
  };
  const n = ev.length;
  const okDur = (d) => typeof d === 'number' && d >= 0 && d !== Infinity;
  for (let i = 0; i < n; i++) {
    const e = ev[i];
    if (typeof e !== 'object' || e === null || Array.isArray(e)) {
      if (bad('events[' + i + ']', 'is not an object')) break;
      continue;
    }
    const t = e.t;
    if (!(typeof t === 'number' && t >= 0 && t !== Infinity)) {
      if (bad('events[' + i + '].t', 'must be a number ≥ 0, found ' + shortJson(t))) break;
      continue;
    }
    const ty = e.type;
    if (typeof ty !== 'string') {
      if (bad('events[' + i + '].type', 'must be a string')) break;
      continue;
    }
    if (!isInt(e.pid) || !isInt(e.tid)) {
      if (bad('events[' + i + ']', 'needs integer "pid" and "tid"')) break;
      continue;
    }
    const c0 = TYPE_CODE.get(ty);
    const c = c0 === undefined ? 0 : c0;
    const d = e.dur;
    const mech = MECH_SPAN[c] !== 0;
    if (c === TY.syscall || c === TY.block || SPAN_TYPE[c]) {
      if (!okDur(d)) {
        if (bad('events[' + i + '].dur', '(' + ty + ' is a span) must be a number ≥ 0, found ' + shortJson(e.dur))) break;
        continue;
      }
    } else if (e.dur !== undefined && !okDur(e.dur)) {
      if (bad('events[' + i + '].dur', 'must be a number ≥ 0')) break;
      continue;
    }
    if (c === TY.pipe_read || c === TY.pipe_write) {
      const o = e.obj;
      if (o !== null && !(isInt(o) && kindOf[o] === 1)) {
        if (bad('events[' + i + '].obj', 'must be null or the id of a pipe/FIFO object, found ' + shortJson(o))) break;
      }
      if (
        !(isInt(e.bytes) && isInt(e.occ_before) && isInt(e.occ_after) && isInt(e.slots_before) && isInt(e.slots_after) && isInt(e.slots_max) && isInt(e.ring_size))
      ) {
        const f = PIPE_INT_FIELDS.find((k) => !isInt(e[k]));
        if (bad('events[' + i + '].' + f, '(' + ty + ') must be an integer, found ' + shortJson(e[f]))) break;
      }
    } else if (c === TY.syscall || c === TY.block || mech) {
      const o = e.obj;
      if (o !== undefined && o !== null && !(isInt(o) && kindOf[o] !== undefined)) {
        if (bad('events[' + i + '].obj', 'must be null or an object id, found ' + shortJson(o))) break;
      }
    } else if (c === TY.fault || c === TY.page_cache || c === TY.dirty || c === TY.fault_around) {
      const mp = e.mapping;
      if (mp !== undefined && mp !== null && !(isInt(mp) && kindOf[mp] === 2)) {
        if (bad('events[' + i + '].mapping', 'must be null or the id of a mapping object, found ' + shortJson(mp))) break;
      }
      if (c === TY.fault && typeof e.kind !== 'string') {
        if (bad('events[' + i + '].kind', '(fault) must be a string')) break;
      }
    }
  }
  if (errors.length) throw new TraceError('invalid', errors.join('; '));
}

function shortJson(v) {
  let s;
  try {
    s = JSON.stringify(v);
  } catch (e) {
    s = String(v);
  }
  if (s === undefined) s = 'nothing';
  return s.length > 40 ? s.slice(0, 37) + '…' : s;
}

// ---------------------------------------------------------------- binary search

// lowerBound, upperBound: in bsearch.js (a leaf, for the mechanism modules too).

// ---------------------------------------------------------------- layers

// A layer is a set of events (indices) of one lane, sorted by start time. Spans no
// longer than L are in `idx` (with their start times in `t`): those overlapping [t0, t1]
// start in [t0 - L, t1], found by binary search. The few longer spans are in `long`,
// which is scanned whole.
function makeLayer(list, ts, te, L) {
  let nLong = 0;
  for (let k = 0; k < list.length; k++) if (te[list[k]] - ts[list[k]] > L) nLong++;
  const idx = new Int32Array(list.length - nLong);
  const t = new Float64Array(list.length - nLong);
  const long = new Int32Array(nLong);
  let a = 0;
  let b = 0;
  for (let k = 0; k < list.length; k++) {
    const i = list[k];
    if (te[i] - ts[i] > L) long[b++] = i;
    else {
      idx[a] = i;
      t[a++] = ts[i];
    }
  }
  return { idx, t, long, L, count: list.length };
}

// Range [lo, hi) of layer.idx that may overlap [t0, t1] (check te[i] >= t0 still).
export function layerRange(layer, t0, t1) {
  const lo = lowerBound(layer.t, t0 - layer.L);
  const hi = upperBound(layer.t, t1, lo);
  return [lo, hi];
}

// ---------------------------------------------------------------- the model

// Growable Int32 list.
class IntList {
  constructor() {
    this.a = new Int32Array(16);
    this.length = 0;
  }
  push(v) {
    if (this.length === this.a.length) {
      const b = new Int32Array(this.a.length * 2);
      b.set(this.a);
      this.a = b;
    }
    this.a[this.length++] = v;
  }
  array() {
    return this.a.subarray(0, this.length);
  }
}

// Build the model of a validated trace: `doc` for everything but the events (its
// `events` are not used), `cols` the events' columns and `events` their EventTable
// (events.js). With `defer`, what a module computes only for its panels (ctx.later(f): a
// pipe's slot owners) waits in m.later until finishLater(m), which the page calls after
// its first frame; without, it is done here.
export function buildModel(doc, name, cols, events, defer = false) {
  const laterWork = [];
  const meta = doc.meta;
  const n = cols.n;
  const page = meta.page_size;
  const { ts, te, code, pid, tid, obj } = cols;
  let tMax = 0;
  let sorted = true;
  for (let i = 0; i < n; i++) {
    if (te[i] > tMax) tMax = te[i];
    if (i > 0 && ts[i] < ts[i - 1]) sorted = false;
  }
  // Processes (and lanes).
  const procByPid = new Map();
  const lanes = [];
  const laneByPid = new Map();
  const addLane = (p) => {
    const lane = {
      kind: 'proc',
      index: lanes.length,
      pid: p.pid,
      comm: typeof p.comm === 'string' ? p.comm : '?',
      proc: p,
      tids: new Map(),
      rows: 1,
      wBytes: 0,
      rBytes: 0,
    };
    lanes.push(lane);
    laneByPid.set(p.pid, lane);
    procByPid.set(p.pid, p);
    return lane;
  };
  for (const p of doc.processes) if (!laneByPid.has(p.pid)) addLane(p);
  for (const p of doc.processes) {
    if (typeof p.exit === 'number' && p.exit > tMax) tMax = p.exit;
  }

  const MAX_ROWS = 4;
  const laneOf = new Int32Array(n);
  const rowOf = new Uint8Array(n);
  // Most events are of the same process and thread as the one before.
  let lastPid = NaN;
  let lastTid = NaN;
  let lane = null;
  let row = 0;
  for (let i = 0; i < n; i++) {
    const p = pid[i];
    const t = tid[i];
    if (p !== lastPid) {
      lane = laneByPid.get(p);
      if (!lane) lane = addLane({ pid: p, ppid: 0, comm: '?', exe: null, start: ts[i], exit: null, status: null, synthetic: true });
      lastPid = p;
      lastTid = NaN;
    }
    if (t !== lastTid) {
      row = lane.tids.get(t);
      if (row === undefined) {
        row = Math.min(lane.tids.size, MAX_ROWS - 1);
        lane.tids.set(t, row);
        lane.rows = Math.min(lane.tids.size, MAX_ROWS);
      }
      lastTid = t;
    }
    laneOf[i] = lane.index;
    rowOf[i] = row;
  }

  // Layers per lane.
  const duration = Math.max(tMax, 1);
  const L = Math.max(1000, duration / 1000);
  const lists = lanes.map(() => ({ spans: new IntList(), blocks: new IntList(), markers: new IntList(), stray: new IntList() }));
  const mechEvents = MECHANISMS.map(() => new IntList());
  let strayFaults = 0;
  for (let i = 0; i < n; i++) {
    const c = code[i];
    const li = lists[laneOf[i]];
    if (c === TY.syscall || SPAN_TYPE[c]) {
      li.spans.push(i);
      if (MECH_SPAN[c] !== 0) mechEvents[MECH_SPAN[c] - 1].push(i);
    } else if (c === TY.block) li.blocks.push(i);
    else if (STRAY[c] && obj[i] < 0) {
      // a fault outside the traced mappings (libc, stack): hidden unless asked for
      li.stray.push(i);
      strayFaults++;
    } else if (c !== TY.unknown) li.markers.push(i);
  }
  const finish = (list) => {
    const arr = list.array();
    if (!sorted) sortByKey(arr, ts);
    return arr;
  };
  for (const lane of lanes) {
    const li = lists[lane.index];
    lane.spans = makeLayer(finish(li.spans), ts, te, L);
    lane.blocks = makeLayer(finish(li.blocks), ts, te, L);
    lane.markers = makeLayer(finish(li.markers), ts, te, 0);
    lane.stray = makeLayer(finish(li.stray), ts, te, 0);
    lane.threads = lane.tids.size;
  }

  const objById = new Map();
  for (const o of doc.objects) objById.set(o.id, o);
  const procName = nameLanes(lanes);

  // The mechanism modules (mechanisms.js): each gets its span events in time order (and
  // the columns, for the events the line reader keeps in them) and returns its lanes, its
  // copies and what its panels need. m.mech[name] is that result, with the copies sorted
  // by end time (where the arrows are drawn) as {list, t}.
  const mechByName = {};
  const mechLanes = [];
  const mechCopies = [];
  MECHANISMS.forEach((mc, k) => {
    const r = mc.build({
      doc,
      objById,
      procByPid,
      procName,
      ts,
      te,
      ev: (i) => events.parse(i),
      list: sortByKey(mechEvents[k].array(), ts),
      cols,
      TY,
      MEM_KIND,
      MEM_FLAG,
      sorted,
      page,
      sortByKey,
      later: defer ? (f) => laterWork.push(f) : (f) => f(),
    });
    const byEnd = (a, b) => te[a.ev] - te[b.ev] || a.ev - b.ev;
    // a CopyList (a pipe's million copies) is in that order; most arrays are too
    let list = r.copies;
    if (!(list instanceof CopyList)) {
      let inOrder = true;
      for (let j = 1; j < list.length && inOrder; j++) inOrder = byEnd(list[j - 1], list[j]) < 0;
      list = inOrder ? list.slice() : list.slice().sort(byEnd);
    }
    const evAt = list instanceof CopyList ? (j) => list.ev[j] : (j) => list[j].ev;
    const t = new Float64Array(list.length); // a loop: Float64Array.from(list, f) is slow
    for (let j = 0; j < list.length; j++) t[j] = te[evAt(j)];
    r.copies = { list, t, mech: mc };
    for (const l of r.lanes) mechLanes.push(l);
    mechCopies.push(r.copies);
    mechByName[mc.name] = r;
  });

  // Lane order. A process whose copies go mostly to one lane of a module laid out
  // 'grouped' (a socket link) sits next to it: its senders above it, its receivers below,
  // so that the arrows of two links do not cross each other's lanes. The others: those
  // that mostly write above the lanes of the modules laid out 'between' (the pipe
  // buffers), those that mostly read below.
  const viaMech = new Map(); // proc lane -> Map(mech lane -> {w, r})
  for (const cs of mechCopies) {
    const between = cs.mech.layout === 'between';
    for (const c of cs.list) {
      const pl = lanes[laneOf[c.ev]];
      if (between) {
        if (c.write) pl.wBytes += c.bytes;
        else pl.rBytes += c.bytes;
        continue;
      }
      if (!viaMech.has(pl)) viaMech.set(pl, new Map());
      const per = viaMech.get(pl);
      if (!per.has(c.lane)) per.set(c.lane, { w: 0, r: 0 });
      per.get(c.lane)[c.write ? 'w' : 'r'] += c.bytes;
    }
  }
  const betweenLanes = mechLanes.filter((l) => l.mech.layout === 'between');
  const groups = new Map(mechLanes.filter((l) => l.mech.layout !== 'between').map((l) => [l, { lane: l, above: [], below: [] }]));
  const above = [];
  const below = [];
  for (const lane of lanes) {
    let best = null;
    let bw = 0;
    let br = 0;
    for (const [ml, b] of viaMech.get(lane) || []) {
      if (b.w + b.r > bw + br) [best, bw, br] = [ml, b.w, b.r];
    }
    if (best && bw + br > lane.wBytes + lane.rBytes) groups.get(best)[br > bw ? 'below' : 'above'].push(lane);
    else if (lane.rBytes > lane.wBytes) below.push(lane);
    else above.push(lane);
  }

  return {
    name,
    doc,
    meta,
    later: laterWork,
    version: doc.version,
    events,
    ev: (i) => events.get(i),
    cols,
    obj,
    n,
    ts,
    te,
    code,
    sleep: cols.sleep, // 1 for a block in a sleep of the task's own (blocks.js)
    laneOf,
    rowOf,
    lanes,
    laneOrder: { above, between: betweenLanes, below, mech: [...groups.values()] },
    procByPid,
    procName,
    objById,
    mech: mechByName,
    mechLanes,
    mechCopies,
    strayFaults,
    duration,
    page,
    claims: doc.claims,
  };
}

// Lane names that tell processes apart: the comm where it is the only process of that
// name (a scenario names its processes by their role: "writer", "reader"), else the comm
// and the pid ("cat (pid 412)"), as when a shell pipeline runs three cats. Sets lane.name;
// returns pid -> that name (pid N for a pid with no lane).
function nameLanes(lanes) {
  const count = new Map();
  for (const l of lanes) count.set(l.comm, (count.get(l.comm) || 0) + 1);
  const byPid = new Map();
  for (const l of lanes) {
    l.name = count.get(l.comm) > 1 ? l.comm + ' (pid ' + l.pid + ')' : l.comm;
    byPid.set(l.pid, l.name);
  }
  return (pid) => byPid.get(pid) || 'pid ' + pid;
}

// Sort event indices by (key[i], i), in place. The lists are in start order and most
// spans are short, so they are sorted or nearly so: an insertion sort, which gives up for
// the general sort when elements have to move far.
function sortByKey(arr, key) {
  let moves = 0;
  const limit = 8 * arr.length + 1024;
  for (let k = 1; k < arr.length; k++) {
    const x = arr[k];
    const kx = key[x];
    let j = k - 1;
    while (j >= 0 && (key[arr[j]] > kx || (key[arr[j]] === kx && arr[j] > x))) {
      arr[j + 1] = arr[j];
      j--;
      moves++;
    }
    arr[j + 1] = x;
    if (moves > limit) return arr.sort((a, b) => key[a] - key[b] || a - b);
  }
  return arr;
}
