// The trace model: parsing, structural validation and the indexes the panels draw from.
//
// A trace (docs/trace-format.md) is one JSON document. parseTrace() checks `format` and
// `version` first (a newer version is refused with its own message), then the structure
// the viewer relies on, then builds:
//   - typed arrays of start/end times and type codes for every event,
//   - one lane per process with its events split into layers (spans, blocks, markers),
//     each sorted by start time for binary search,
//   - per pipe/FIFO object the occupancy samples (occ_before at a call's start,
//     occ_after at its end) in time order, and the copies (positive-byte reads/writes),
//   - per mapping object the first touch of every page.
// Nothing here touches the DOM.

import { TY as EVENT_TYPES, TYPE_CODE, MEM_KIND, MEM_FLAG, TraceScanner, EventTable, columnsOfObjects, objectKinds } from './events.js';

export const SUPPORTED_VERSION = 1;

// Event type codes (Uint8Array `code`), defined in events.js.
export const TY = EVENT_TYPES;

const PIPE_INT_FIELDS = ['bytes', 'occ_before', 'occ_after', 'slots_before', 'slots_after', 'slots_max', 'ring_size'];

// Mapping page states (first touch).
export const PAGE = { none: 0, read: 1, write: 2, cow: 3, around: 4 };
export const PAGE_NAMES = ['none', 'read', 'write', 'cow', 'around'];

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
  m.reader = fast ? 'lines' : 'json';
  if (timing) {
    timing.reader = m.reader;
    timing.scanMs = (timing.scanMs || 0) + scanner.ms;
    timing.jsonMs = (timing.jsonMs || 0) + (fast ? 0 : t2 - t1);
    timing.validateMs = (timing.validateMs || 0) + (fast ? t2 - t1 : 0);
    timing.buildMs = (timing.buildMs || 0) + (t3 - t2);
  }
  return m;
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
    if (o.kind === 'pipe' || o.kind === 'fifo') {
      for (const f of ['capacity', 'slots', 'ring_size', 'inode']) {
        if (!isInt(o[f]) || o[f] < 0) bad(w + '.' + f, 'must be an integer ≥ 0');
      }
    } else if (o.kind === 'mapping') {
      for (const f of ['start', 'length', 'pages']) {
        if (!isInt(o[f]) && !(typeof o[f] === 'number' && o[f] >= 0)) bad(w + '.' + f, 'must be an integer');
      }
      if (!(isInt(o.pages) && o.pages >= 0 && o.pages <= 1 << 24)) bad(w + '.pages', 'must be an integer from 0 to 2^24');
      if (typeof o.backing !== 'string') bad(w + '.backing', 'must be a string');
    }
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
    if (c === TY.pipe_read || c === TY.pipe_write || c === TY.syscall || c === TY.block) {
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
    } else if (c === TY.syscall || c === TY.block) {
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

// First index i with a[i] >= x (a sorted ascending).
export function lowerBound(a, x, lo = 0, hi = a.length) {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

// First index i with a[i] > x.
export function upperBound(a, x, lo = 0, hi = a.length) {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

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
// (events.js).
export function buildModel(doc, name, cols, events) {
  const meta = doc.meta;
  const n = cols.n;
  const page = meta.page_size;
  const { ts, te, code, pid, tid, obj, pipeRow } = cols;
  const bytes = cols.pipe.bytes; // by pipeRow
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
  const pipeEvents = new Map(); // obj id -> IntList
  const capEvents = new Map(); // obj id -> IntList of syscalls that sampled its slots_max
  const copies = new IntList();
  const mapEvents = new IntList();
  let strayFaults = 0;
  for (let i = 0; i < n; i++) {
    const c = code[i];
    const li = lists[laneOf[i]];
    if (c === TY.syscall) {
      li.spans.push(i);
      const o = obj[i];
      if (o >= 0 && pipeRow[i] >= 0) {
        let cl = capEvents.get(o);
        if (!cl) capEvents.set(o, (cl = new IntList()));
        cl.push(i);
      }
    }
    else if (c === TY.pipe_read || c === TY.pipe_write) {
      li.spans.push(i);
      const o = obj[i];
      if (o >= 0) {
        let pl = pipeEvents.get(o);
        if (!pl) pipeEvents.set(o, (pl = new IntList()));
        pl.push(i);
        const b = bytes[pipeRow[i]];
        if (b > 0) {
          copies.push(i);
          const lane = lanes[laneOf[i]];
          if (c === TY.pipe_write) lane.wBytes += b;
          else lane.rBytes += b;
        }
      }
    } else if (c === TY.block) li.blocks.push(i);
    else if (c === TY.fault) {
      if (obj[i] < 0) {
        li.stray.push(i);
        strayFaults++;
      } else {
        li.markers.push(i);
        mapEvents.push(i);
      }
    } else if (c === TY.page_cache || c === TY.dirty || c === TY.fault_around) {
      li.markers.push(i);
      if (obj[i] >= 0) mapEvents.push(i);
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

  // Objects.
  const objById = new Map();
  const buffers = [];
  const mappings = [];
  for (const o of doc.objects) {
    objById.set(o.id, o);
    if (o.kind === 'pipe' || o.kind === 'fifo') {
      const pl = pipeEvents.get(o.id);
      const cl = capEvents.get(o.id);
      buffers.push(buildBuffer(o, pl ? finish(pl) : new Int32Array(0), cl ? cl.array() : new Int32Array(0), cols, page, sorted));
    } else if (o.kind === 'mapping') {
      mappings.push(o);
    }
  }
  const bufferById = new Map(buffers.map((b) => [b.obj.id, b]));

  // Copies sorted by end time (where the arrow is drawn).
  const cp = sortByEnd(copies.array(), te);
  const cpT = new Float64Array(cp.length);
  for (let k = 0; k < cp.length; k++) cpT[k] = te[cp[k]];

  // Lane order: processes that mostly write above the buffers, those that mostly read below.
  const above = [];
  const below = [];
  for (const lane of lanes) {
    if (lane.rBytes > lane.wBytes) below.push(lane);
    else above.push(lane);
  }

  const m = {
    name,
    doc,
    meta,
    version: doc.version,
    events,
    ev: (i) => events.get(i),
    cols,
    obj,
    n,
    ts,
    te,
    code,
    laneOf,
    rowOf,
    lanes,
    laneOrder: { above, below },
    procByPid,
    objById,
    buffers,
    bufferById,
    copies: { idx: cp, t: cpT },
    mappings: [],
    strayFaults,
    duration,
    page,
    claims: doc.claims,
  };
  // the memory events of each mapping, in time order
  const byMapping = new Map();
  for (const i of sortByKey(mapEvents.array(), ts)) {
    let l = byMapping.get(obj[i]);
    if (!l) byMapping.set(obj[i], (l = new IntList()));
    l.push(i);
  }
  m.mappings = mappings.map((o) => buildMapping(o, m, byMapping.has(o.id) ? byMapping.get(o.id).array() : new Int32Array(0)));
  return m;
}

// Sort event indices by (end time, index), in place.
function sortByEnd(arr, te) {
  return sortByKey(arr, te);
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

// ---------------------------------------------------------------- pipe buffers

// Occupancy samples of one pipe/FIFO. Every read or write of it gives two samples: its
// occ_before/slots_before at its start t (only while it is in progress, so not for
// dur = 0) and its occ_after/slots_after at its end t + dur. The occupancy at time T is
// the latest sample at or before T: the latest call that had returned by T gives its
// "after" state, unless a call that started after that return is still in progress at T,
// which gives its "before" state. At equal times a "before" sample wins over an "after"
// one, and within each kind the later event in the trace wins.
//
// The capacity (slots_max) is a separate series: every pipe read/write and every other
// syscall on the pipe (fcntl F_SETPIPE_SZ, close...) samples it when it returns.
function buildBuffer(obj, pl, capSyscalls, cols, page, sorted) {
  const { ts, te, pipeRow } = cols;
  const { occBefore, occAfter, slotsBefore, slotsAfter, slotsMax } = cols.pipe; // by pipeRow
  const ringSize = cols.pipe.ring;
  const nb = pl.length;
  // After-samples sorted by (end, index); before-samples are in start order already.
  const after = sortByEnd(Int32Array.from(pl), te);
  let before = pl;
  if (!sorted) before = sortByKey(Int32Array.from(pl), ts);
  let nBefore = 0;
  for (let k = 0; k < nb; k++) if (te[before[k]] > ts[before[k]]) nBefore++;
  const ns = nb + nBefore;
  const sT = new Float64Array(ns);
  const sEv = new Int32Array(ns);
  const sPhase = new Uint8Array(ns); // 0 after, 1 before
  const sOcc = new Float64Array(ns);
  const sSlots = new Int32Array(ns);
  const sMax = new Int32Array(ns);
  const sRing = new Int32Array(ns);
  const sTail = new Int32Array(ns);
  let a = 0;
  let b = 0;
  let k = 0;
  while (k < ns) {
    // skip zero-length spans in the before list
    while (b < nb && !(te[before[b]] > ts[before[b]])) b++;
    let takeBefore;
    if (a >= nb) takeBefore = true;
    else if (b >= nb) takeBefore = false;
    else {
      const tb = ts[before[b]];
      const ta = te[after[a]];
      takeBefore = tb < ta; // at equal times the after-sample goes first
    }
    if (takeBefore) {
      const i = before[b++];
      sT[k] = ts[i];
      sEv[k] = i;
      sPhase[k] = 1;
      sOcc[k] = occBefore[pipeRow[i]];
      sSlots[k] = slotsBefore[pipeRow[i]];
    } else {
      const i = after[a++];
      sT[k] = te[i];
      sEv[k] = i;
      sPhase[k] = 0;
      sOcc[k] = occAfter[pipeRow[i]];
      sSlots[k] = slotsAfter[pipeRow[i]];
    }
    const r = pipeRow[sEv[k]];
    sMax[k] = slotsMax[r];
    sRing[k] = ringSize[r] > 0 ? ringSize[r] : obj.ring_size;
    k++;
  }
  // Ring positions. The trace gives the number of used slots (head - tail), not the
  // indices; the tail is reconstructed: it moves forward by the slots that disappear
  // between two samples, and a resize (F_SETPIPE_SZ: ring_size changes) repacks the ring
  // at index 0, as pipe_resize_ring() does.
  let tail = 0;
  let count = 0;
  let ring = obj.ring_size > 0 ? obj.ring_size : 16;
  // Peaks over every sample the events carry (before and after, also of dur = 0 calls).
  let maxOcc = 0;
  let maxSlots = 0;
  for (let q = 0; q < nb; q++) {
    const r = pipeRow[pl[q]];
    maxOcc = Math.max(maxOcc, occBefore[r], occAfter[r]);
    maxSlots = Math.max(maxSlots, slotsBefore[r], slotsAfter[r]);
  }
  // capacity series
  const capList = new Int32Array(nb + capSyscalls.length);
  capList.set(pl);
  capList.set(capSyscalls, nb);
  sortByEnd(capList, te);
  const cT = new Float64Array(capList.length);
  const cV = new Int32Array(capList.length);
  let maxCapSlots = obj.slots;
  for (let q = 0; q < capList.length; q++) {
    cT[q] = te[capList[q]];
    cV[q] = slotsMax[pipeRow[capList[q]]];
    if (cV[q] > maxCapSlots) maxCapSlots = cV[q];
  }
  let maxRing = ring;
  for (let j = 0; j < ns; j++) {
    if (sRing[j] !== ring) {
      ring = sRing[j];
      tail = 0;
    }
    const s = sSlots[j];
    if (s < count) tail = (tail + (count - s)) % ring;
    count = s;
    sTail[j] = tail;
    if (ring > maxRing) maxRing = ring;
  }
  return {
    obj,
    events: pl,
    n: ns,
    sT,
    sEv,
    sPhase,
    sOcc,
    sSlots,
    sMax,
    sRing,
    sTail,
    cT,
    cV,
    maxOcc,
    maxSlots,
    maxCap: maxCapSlots * page,
    maxRing,
    page,
  };
}

// State of a buffer at time T (see buildBuffer for the rule). slotsMax is the capacity
// in slots at T (the latest call on the pipe that had returned by T).
export function bufferAt(buf, T) {
  const j = upperBound(buf.sT, T) - 1;
  const o = buf.obj;
  const c = upperBound(buf.cT, T) - 1;
  const slotsMax = c >= 0 ? buf.cV[c] : o.slots;
  if (j < 0) {
    return {
      sample: -1,
      ev: -1,
      phase: null,
      occ: 0,
      slots: 0,
      slotsMax,
      ring: o.ring_size,
      tail: 0,
    };
  }
  return {
    sample: j,
    ev: buf.sEv[j],
    phase: buf.sPhase[j] ? 'before' : 'after',
    occ: buf.sOcc[j],
    slots: buf.sSlots[j],
    slotsMax,
    ring: buf.sRing[j],
    tail: buf.sTail[j],
  };
}

// ---------------------------------------------------------------- mappings

// First touch of each page of a mapping: a read/write/cow fault, or being mapped by a
// fault-around, in trace order. `order` numbers the touching events (1, 2, ...); the
// pages of one fault-around share a number. A fault-around window also covers pages that
// were not in the page cache, which the kernel leaves alone: a later fault on such a page
// that finds it not present (`present: false`) shows it was not mapped, and the fault
// becomes its first touch. page_cache and dirty events mark the pages of their folio
// (`pages`, default 1). `list`: the mapping's events in time order.
function buildMapping(o, m, list) {
  const pages = o.pages;
  const state = new Uint8Array(pages);
  const order = new Int32Array(pages);
  const first = new Int32Array(pages).fill(-1);
  const major = new Uint8Array(pages);
  const dirty = new Uint8Array(pages);
  const cached = new Uint8Array(pages);
  const written = new Uint8Array(pages);
  const later = new Uint8Array(pages);
  const laterEv = new Int32Array(pages).fill(-1);
  const events = new IntList();
  let nextOrder = 1;
  let touched = 0;
  const mem = m.cols.mem; // by memRow (events.js)
  const okPage = (p) => Number.isInteger(p) && p >= 0 && p < pages;
  const markRange = (arr, r) => {
    const page = mem.page[r];
    if (!okPage(page)) return;
    const n = Number.isInteger(mem.pages[r]) && mem.pages[r] > 0 ? mem.pages[r] : 1;
    for (let p = page; p < Math.min(pages, page + n); p++) arr[p] = 1;
  };
  for (let k = 0; k < list.length; k++) {
    const i = list[k];
    const r = m.cols.memRow[i];
    events.push(i);
    const c = m.code[i];
    if (c === TY.fault) {
      const p = mem.page[r];
      const flags = mem.flags[r];
      const kind = mem.kind[r];
      // a fault taken with page faults disabled maps nothing: the retry that follows does
      if (!okPage(p) || flags & MEM_FLAG.unhandled) continue;
      const st =
        kind === MEM_KIND.cow ? PAGE.cow : kind === MEM_KIND.write || (kind !== MEM_KIND.read && flags & MEM_FLAG.write) ? PAGE.write : PAGE.read;
      if (st !== PAGE.read) written[p] = 1;
      if (flags & MEM_FLAG.major) major[p] = 1;
      if (state[p] === PAGE.none || (state[p] === PAGE.around && flags & MEM_FLAG.notPresent)) {
        if (state[p] === PAGE.none) touched++;
        state[p] = st;
        order[p] = nextOrder++;
        first[p] = i;
      } else if (st !== PAGE.read && first[p] !== i) {
        // written after its first touch (a COW after a read, a write to a page mapped
        // read-only by fault-around...): the latest such fault
        later[p] = st;
        laterEv[p] = i;
      }
    } else if (c === TY.fault_around) {
      let a = mem.firstPage[r];
      let b = mem.lastPage[r];
      if (!Number.isInteger(a) || !Number.isInteger(b)) continue;
      a = Math.max(0, a);
      b = Math.min(pages - 1, b);
      let used = false;
      for (let p = a; p <= b; p++) {
        if (state[p] === PAGE.none) {
          state[p] = PAGE.around;
          order[p] = nextOrder;
          first[p] = i;
          touched++;
          used = true;
        }
      }
      if (used) nextOrder++;
    } else if (c === TY.dirty) {
      markRange(dirty, r);
    } else if (c === TY.page_cache) {
      markRange(cached, r);
    }
  }
  return { obj: o, pages, state, order, first, major, dirty, cached, written, later, laterEv, touched, events: events.array() };
}
