// The events of a trace as columns (typed arrays), and a fast reader for traces laid out
// the way ipclab writes them.
//
// docs/trace-format.md ("Layout") guarantees for version 1 files written by ipclab: the
// top-level keys come first, `"events":[` is on a line of its own, then one event per line
// (`{...},` and the last `{...}`), then `]}`. TraceScanner reads such a file as its bytes
// arrive: the header (everything before the events) with JSON.parse, and every event line
// with a small strict JSON scanner that keeps only the fields the model needs, written
// straight into typed arrays. No object is made per event; the whole event is parsed from
// its line when a panel asks for it (EventTable.get). Anything the scanner does not accept
// (another layout, an escaped key, an event that fails a check, invalid JSON) makes it give
// up, and the caller parses the document with JSON.parse instead (model.js), which also
// gives the error messages: the scanner never decides that a trace is wrong.

import { MECHANISMS } from './mechanisms.js';
import { SLEEP_SYSCALLS, isSleepSyscall } from './blocks.js';

// Event type codes (Uint8Array `code`).
export const TY = {
  unknown: 0,
  syscall: 1,
  pipe_read: 2,
  pipe_write: 3,
  block: 4,
  signal: 5,
  exit: 6,
  fork: 7,
  exec: 8,
  rename: 9,
  fault: 10,
  page_cache: 11,
  dirty: 12,
  fault_around: 13,
  writeback: 14,
};
// The span event types of the mechanism modules (mechanisms.js) are numbered after the
// core's: MECH_SPAN[code] is the mechanism's index + 1 for them, 0 for the core's types.
// They are read like `syscall` events: `dur` required, `obj` null, absent or an object id.
// A span type this reader already knows (pipe_read/pipe_write, whose fields it keeps in
// columns) keeps its code and its checks. SPAN_TYPE[code] is 1 for every module's span
// type: they go on the process lanes as spans.
export const MECH_SPAN = new Uint8Array(256);
export const SPAN_TYPE = new Uint8Array(256);
for (let mi = 0; mi < MECHANISMS.length; mi++) {
  for (const st of MECHANISMS[mi].spanTypes) {
    if (!(st.type in TY)) {
      TY[st.type] = Object.keys(TY).length;
      MECH_SPAN[TY[st.type]] = mi + 1;
    }
    SPAN_TYPE[TY[st.type]] = 1;
  }
}
// The modules' marker types the core does not know (signal_deliver) get codes after those:
// instants on the process lanes, drawn by their module (timeline.js drawMarker).
for (const mc of MECHANISMS) {
  for (const mk of mc.markers || []) if (!(mk.type in TY)) TY[mk.type] = Object.keys(TY).length;
}
export const TYPE_CODE = new Map(Object.entries(TY));

// ---------------------------------------------------------------- columns

// The per-event columns: ts, te (start, end), code, pid, tid, obj and pipeRow. `obj` is
// the event's `obj` (syscall, block, pipe_read/write) or `mapping` (fault, page_cache,
// dirty, fault_around), -1 when null or absent. pipeRow[i] is the event's row in the pipe
// table `pipe` (bytes, occBefore, occAfter, slotsBefore, slotsAfter, slotsMax, ring) for
// pipe_read/pipe_write events and for syscalls on an object with an integer slots_max
// (only slotsMax is meaningful then), -1 for the others. memRow[i] is the row in the
// memory table `mem` of fault, page_cache, dirty and fault_around events with a mapping
// (-1 for the others): page, pages, firstPage, lastPage (NaN when not a number), kind
// (MEM_KIND) and flags (MEM_FLAG), what model.js buildMapping reads. sleep[i] is 1 for a
// block event whose `syscall` is a sleep of the task's own (blocks.js), 0 for the others.
// pid and tid are Int32Arrays unless `wide` (then Float64Array: any integer JSON.parse gives).
export class Columns {
  constructor(capacity, wide) {
    this.n = 0;
    this.wide = !!wide;
    this.cap = 0;
    this.pipeN = 0;
    this.pipeCap = 0;
    this.memN = 0;
    this.memCap = 0;
    this.alloc(Math.max(16, capacity | 0));
    this.allocPipe(Math.max(16, capacity | 0));
    this.allocMem(16);
  }
  alloc(cap) {
    const Int = this.wide ? Float64Array : Int32Array;
    this.ts = grown(Float64Array, this.ts, cap);
    this.te = grown(Float64Array, this.te, cap);
    this.code = grown(Uint8Array, this.code, cap);
    this.pid = grown(Int, this.pid, cap);
    this.tid = grown(Int, this.tid, cap);
    this.obj = grown(Int32Array, this.obj, cap);
    this.pipeRow = grown(Int32Array, this.pipeRow, cap);
    this.memRow = grown(Int32Array, this.memRow, cap);
    this.sleep = grown(Uint8Array, this.sleep, cap);
    this.cap = cap;
  }
  allocMem(cap) {
    const m = this.mem || {};
    this.mem = {};
    for (const k of MEM_COLUMNS) this.mem[k] = grown(k === 'kind' || k === 'flags' ? Uint8Array : Float64Array, m[k], cap);
    this.memCap = cap;
  }
  allocPipe(cap) {
    const p = this.pipe || {};
    this.pipe = {};
    for (const k of PIPE_COLUMNS) this.pipe[k] = grown(Float64Array, p[k], cap);
    this.pipeCap = cap;
  }
  // The columns cut to the n events (views, no copy).
  trimmed() {
    const c = { n: this.n, pipe: {}, mem: {} };
    for (const k of COLUMN_NAMES) c[k] = this[k].subarray(0, this.n);
    for (const k of PIPE_COLUMNS) c.pipe[k] = this.pipe[k].subarray(0, this.pipeN);
    for (const k of MEM_COLUMNS) c.mem[k] = this.mem[k].subarray(0, this.memN);
    return c;
  }
}
const COLUMN_NAMES = ['ts', 'te', 'code', 'pid', 'tid', 'obj', 'pipeRow', 'memRow', 'sleep'];
const PIPE_COLUMNS = ['bytes', 'occBefore', 'occAfter', 'slotsBefore', 'slotsAfter', 'slotsMax', 'ring'];
const MEM_COLUMNS = ['page', 'pages', 'firstPage', 'lastPage', 'kind', 'flags'];
// mem.kind: a fault's `kind`; mem.flags: bits for handled === false, major === true,
// present === false and a truthy `write`.
export const MEM_KIND = { other: 0, read: 1, write: 2, cow: 3 };
export const MEM_FLAG = { unhandled: 1, major: 2, notPresent: 4, write: 8 };
// MEM_KIND's names (other: a kind the columns do not keep, so none)
const MEM_KIND_NAME = [null, 'read', 'write', 'cow'];

// Event i of a table (EventTable, EarlyEvents) from its cache, parsed and kept there when
// not yet in it; the cache is emptied when it holds 100000 events.
function cachedParse(table, i) {
  let e = table.cache.get(i);
  if (e === undefined) {
    e = table.parse(i);
    if (table.cache.size >= 100000) table.cache.clear();
    table.cache.set(i, e);
  }
  return e;
}

// A typed array of `cap` elements holding the start of `old` (if any).
function grown(Type, old, cap) {
  const a = new Type(cap);
  if (old) a.set(old.subarray(0, Math.min(old.length, cap)));
  return a;
}

// The fields read from each event, as indices into the scratch arrays K (kind of value)
// and V (value, for numbers).
const FIELDS = ['t', 'dur', 'pid', 'tid', 'type', 'obj', 'mapping', 'kind', 'bytes', 'occ_before', 'occ_after', 'slots_before', 'slots_after', 'slots_max', 'ring_size', 'page', 'pages', 'first_page', 'last_page', 'handled', 'write', 'major', 'present', 'syscall', 'name'];
const [F_T, F_DUR, F_PID, F_TID, F_TYPE, F_OBJ, F_MAPPING, F_KIND, F_BYTES, F_OCC_B, F_OCC_A, F_SL_B, F_SL_A, F_SL_MAX, F_RING, F_PAGE, F_PAGES, F_FIRST, F_LAST, F_HANDLED, F_WRITE, F_MAJOR, F_PRESENT, F_SYSCALL, F_NAME] = FIELDS.map((_, i) => i);
// Kinds of value. V holds numbers, and the length of strings.
const ABSENT = 0;
const NUM = 1;
const STR = 2;
const NUL = 3;
const OTHER = 4; // object, array
const TRUE = 5;
const FALSE = 6;
const K = new Uint8Array(FIELDS.length);
const V = new Float64Array(FIELDS.length);
let typeCode = 0;
let kindCode = 0; // MEM_KIND of the `kind` string
let sleepCall = 0; // 1 when the `syscall` string is on the sleep list (blocks.js)

const isInt = Number.isInteger;
const intField = (f) => K[f] === NUM && isInt(V[f]);

// Store the event in K/V (and typeCode) as row `c.n` of the columns, after the checks
// validateTrace (model.js) makes. Returns false, storing nothing, if a check fails (the
// caller then leaves the verdict to validateTrace) or a pid/tid does not fit an Int32Array.
// kindOf[id]: 1 pipe/FIFO, 2 mapping, 3 other object kinds.
function storeRow(c, kindOf) {
  if (K[F_T] !== NUM || K[F_TYPE] !== STR || !intField(F_PID) || !intField(F_TID)) return false;
  const t = V[F_T];
  const pid = V[F_PID];
  const tid = V[F_TID];
  if (!(t >= 0 && t !== Infinity)) return false;
  if (!c.wide && ((pid | 0) !== pid || (tid | 0) !== tid)) return false;
  const code = typeCode;
  const d = V[F_DUR];
  const okDur = K[F_DUR] === NUM && d >= 0 && d !== Infinity;
  const pipe = code === TY.pipe_read || code === TY.pipe_write;
  const mech = MECH_SPAN[code] !== 0;
  const span = pipe || mech || code === TY.syscall || code === TY.block;
  if (span ? !okDur : K[F_DUR] !== ABSENT && !okDur) return false;
  let obj = -1;
  let withPipeRow = pipe;
  if (pipe) {
    if (K[F_OBJ] === NUM) {
      obj = V[F_OBJ];
      if (!(isInt(obj) && kindOf[obj] === 1)) return false;
    } else if (K[F_OBJ] !== NUL) return false;
    if (!(intField(F_BYTES) && intField(F_OCC_B) && intField(F_OCC_A) && intField(F_SL_B) && intField(F_SL_A) && intField(F_SL_MAX) && intField(F_RING))) return false;
  } else if (code === TY.syscall || code === TY.block || mech) {
    if (K[F_OBJ] === NUM) {
      obj = V[F_OBJ];
      if (!(isInt(obj) && kindOf[obj] !== undefined)) return false;
      withPipeRow = code === TY.syscall && intField(F_SL_MAX);
    } else if (K[F_OBJ] !== NUL && K[F_OBJ] !== ABSENT) return false;
  } else if (code === TY.fault || code === TY.page_cache || code === TY.dirty || code === TY.fault_around) {
    if (K[F_MAPPING] === NUM) {
      obj = V[F_MAPPING];
      if (!(isInt(obj) && kindOf[obj] === 2)) return false;
    } else if (K[F_MAPPING] !== NUL && K[F_MAPPING] !== ABSENT) return false;
    if (code === TY.fault && K[F_KIND] !== STR) return false;
  }
  if (c.n === c.cap) c.alloc(c.cap * 2);
  const i = c.n++;
  c.memRow[i] = -1;
  if (obj >= 0 && !span) {
    // a memory event with a mapping
    if (c.memN === c.memCap) c.allocMem(c.memCap * 2);
    const r = c.memN++;
    c.memRow[i] = r;
    const m = c.mem;
    const num = (f) => (K[f] === NUM ? V[f] : NaN);
    m.page[r] = num(F_PAGE);
    m.pages[r] = num(F_PAGES);
    m.firstPage[r] = num(F_FIRST);
    m.lastPage[r] = num(F_LAST);
    m.kind[r] = K[F_KIND] === STR ? kindCode : MEM_KIND.other;
    const w = K[F_WRITE];
    const writeTruthy = w === TRUE || w === OTHER || ((w === NUM || w === STR) && V[F_WRITE] !== 0);
    m.flags[r] =
      (K[F_HANDLED] === FALSE ? MEM_FLAG.unhandled : 0) |
      (K[F_MAJOR] === TRUE ? MEM_FLAG.major : 0) |
      (K[F_PRESENT] === FALSE ? MEM_FLAG.notPresent : 0) |
      (writeTruthy ? MEM_FLAG.write : 0);
  }
  c.ts[i] = t;
  c.te[i] = K[F_DUR] === NUM ? t + d : t;
  c.code[i] = code;
  c.pid[i] = pid;
  c.tid[i] = tid;
  c.obj[i] = obj;
  c.sleep[i] = code === TY.block && K[F_SYSCALL] === STR ? sleepCall : 0;
  if (!withPipeRow) {
    c.pipeRow[i] = -1;
    return true;
  }
  if (c.pipeN === c.pipeCap) c.allocPipe(c.pipeCap * 2);
  const r = c.pipeN++;
  c.pipeRow[i] = r;
  const p = c.pipe;
  p.slotsMax[r] = V[F_SL_MAX];
  if (pipe) {
    p.bytes[r] = V[F_BYTES];
    p.occBefore[r] = V[F_OCC_B];
    p.occAfter[r] = V[F_OCC_A];
    p.slotsBefore[r] = V[F_SL_B];
    p.slotsAfter[r] = V[F_SL_A];
    p.ring[r] = V[F_RING];
  }
  return true;
}

// kindOf[id] for the objects of a (header) document: 1 pipe/FIFO, 2 mapping, 3 other.
export function objectKinds(objects) {
  const kindOf = [];
  if (!Array.isArray(objects)) return kindOf;
  for (const o of objects) {
    if (o === null || typeof o !== 'object' || !isInt(o.id) || typeof o.kind !== 'string') continue;
    if (o.id >= 0 && o.id < 1 << 24 && kindOf[o.id] === undefined) {
      kindOf[o.id] = o.kind === 'pipe' || o.kind === 'fifo' ? 1 : o.kind === 'mapping' ? 2 : 3;
    }
  }
  return kindOf;
}

// Columns of already parsed and validated events (the JSON.parse path).
export function columnsOfObjects(events, kindOf) {
  const c = new Columns(events.length, true);
  const kindOfValue = (v) =>
    v === undefined ? ABSENT : typeof v === 'number' ? NUM : typeof v === 'string' ? STR : v === null ? NUL : v === true ? TRUE : v === false ? FALSE : OTHER;
  for (let i = 0; i < events.length; i++) {
    const e = events[i];
    for (let f = 0; f < FIELDS.length; f++) {
      const v = e[FIELDS[f]];
      K[f] = kindOfValue(v);
      V[f] = typeof v === 'number' ? v : typeof v === 'string' ? v.length : 0;
    }
    const code = TYPE_CODE.get(e.type);
    typeCode = code === undefined ? 0 : code;
    kindCode = Object.prototype.hasOwnProperty.call(MEM_KIND, e.kind) ? MEM_KIND[e.kind] : MEM_KIND.other;
    sleepCall = isSleepSyscall(e.syscall) ? 1 : 0;
    if (!storeRow(c, kindOf)) throw new Error('event ' + i + ' passed validation but not storeRow');
  }
  return c.trimmed();
}

// ---------------------------------------------------------------- the event table

// The bytes of a file as the pieces it arrived in (a download's chunks are kept as they
// are: copying hundreds of MB into one buffer costs more than scanning them).
export class Chunks {
  constructor() {
    this.list = [];
    this.starts = []; // offset of each piece in the file
    this.length = 0;
  }
  add(chunk) {
    this.list.push(chunk);
    this.starts.push(this.length);
    this.length += chunk.length;
  }
  // Bytes [s, e) of the file: a view when they are in one piece, else a copy.
  slice(s, e) {
    let lo = 0;
    let hi = this.list.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= s) lo = mid;
      else hi = mid - 1;
    }
    const first = this.list[lo];
    const off = s - this.starts[lo];
    if (off + (e - s) <= first.length) return first.subarray(off, off + (e - s));
    const out = new Uint8Array(e - s);
    let n = 0;
    for (let k = lo; n < out.length; k++) {
      const c = this.list[k];
      const from = k === lo ? off : 0;
      const part = c.subarray(from, Math.min(c.length, from + out.length - n));
      out.set(part, n);
      n += part.length;
    }
    return out;
  }
  // The whole file as text.
  text() {
    const dec = new TextDecoder('utf-8');
    return this.list.map((c, k) => dec.decode(c, { stream: k < this.list.length - 1 })).join('');
  }
}

// Event i as an object: the parsed array's element, or its line parsed on demand (with a
// cache for the events the panels keep asking for while drawing).
export class EventTable {
  constructor(n, array, chunks, start, end) {
    this.length = n;
    this.array = array; // parsed events, or null
    this.chunks = chunks; // the file (Chunks), when events are parsed from their lines
    this.start = start;
    this.end = end;
    this.cache = new Map();
    this.decoder = array ? null : new TextDecoder('utf-8');
  }
  static ofArray(events) {
    return new EventTable(events.length, events, null, null, null);
  }
  // The event (shared: do not modify it), or undefined when i is out of range.
  get(i) {
    if (this.array) return this.array[i];
    if (!(i >= 0 && i < this.length)) return undefined;
    return cachedParse(this, i);
  }
  // The event, not kept in the cache (for one pass over many events).
  parse(i) {
    if (this.array) return this.array[i];
    return JSON.parse(this.decoder.decode(this.chunks.slice(this.start[i], this.end[i])));
  }
}

// ---------------------------------------------------------------- the scanner

const QUOTE = 34;
const BACKSLASH = 92;
const COMMA = 44;
const COLON = 58;
const LBRACE = 123;
const RBRACE = 125;
const LBRACKET = 91;
const RBRACKET = 93;
const NL = 10;
const CR = 13;
const MINUS = 45;
const MAX_DEPTH = 64;

// Hashes of the field names and type names, to recognise them without making strings:
// h = h * 31 + byte (32-bit), checked byte by byte after a hash match.
const hashBytes = (s) => {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
  return h;
};
function hashTable(names) {
  const size = 256;
  const slot = new Int16Array(size).fill(-1);
  const hash = names.map(hashBytes);
  const bytes = names.map((s) => Uint8Array.from(s, (ch) => ch.charCodeAt(0)));
  names.forEach((_, i) => {
    let s = hash[i] & (size - 1);
    while (slot[s] >= 0) s = (s + 1) & (size - 1);
    slot[s] = i;
  });
  return { slot, hash, bytes, mask: size - 1 };
}
const FIELD_TABLE = hashTable(FIELDS);
const TYPE_NAMES = Object.keys(TY);
const TYPE_TABLE = hashTable(TYPE_NAMES);
const KIND_NAMES = Object.keys(MEM_KIND);
const KIND_TABLE = hashTable(KIND_NAMES);
const SLEEP_TABLE = hashTable(SLEEP_SYSCALLS);

function lookup(table, h, b, s, e) {
  let k = h & table.mask;
  for (;;) {
    const id = table.slot[k];
    if (id < 0) return -1;
    if (table.hash[id] === h) {
      const w = table.bytes[id];
      if (w.length === e - s) {
        let j = 0;
        while (j < w.length && w[j] === b[s + j]) j++;
        if (j === w.length) return id;
      }
    }
    k = (k + 1) & table.mask;
  }
}

// The value scanned last: its kind, number, and for strings the hash, the content's
// bounds and whether it has escapes.
let vKind = 0;
let vNum = 0;
let vHash = 0;
let vStart = 0;
let vEnd = 0;
let vEsc = false;

function skipWs(b, p, end) {
  while (p < end) {
    const c = b[p];
    if (c === 32 || c === 9 || c === CR || c === NL) p++;
    else break;
  }
  return p;
}

const isHex = (c) => (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);

// A string starting at b[p] === '"'; returns the position after it, or -1.
function scanString(b, p, end) {
  p++;
  vStart = p;
  vEsc = false;
  let h = 0;
  while (p < end) {
    const c = b[p];
    if (c === QUOTE) {
      vEnd = p;
      vHash = h;
      vKind = STR;
      return p + 1;
    }
    if (c < 32) return -1;
    if (c === BACKSLASH) {
      vEsc = true;
      const x = b[p + 1];
      if (x === 117) {
        if (p + 5 >= end || !isHex(b[p + 2]) || !isHex(b[p + 3]) || !isHex(b[p + 4]) || !isHex(b[p + 5])) return -1;
        p += 6;
      } else if (x === QUOTE || x === BACKSLASH || x === 47 || x === 98 || x === 102 || x === 110 || x === 114 || x === 116) p += 2;
      else return -1;
      continue;
    }
    h = (Math.imul(h, 31) + c) | 0;
    p++;
  }
  return -1;
}

// A JSON number; returns the position after it, or -1. Integers of up to 15 digits are
// computed here (exactly); others are converted by Number(), as JSON.parse does.
function scanNumber(b, p, end) {
  const s = p;
  if (b[p] === MINUS) p++;
  let c = b[p];
  let v = 0;
  let digits = 0;
  if (c === 48) {
    p++;
    digits = 1;
  } else if (c >= 49 && c <= 57) {
    while (p < end && (c = b[p]) >= 48 && c <= 57) {
      v = v * 10 + (c - 48);
      p++;
      digits++;
    }
  } else return -1;
  let simple = digits <= 15;
  if (p < end && b[p] === 46) {
    simple = false;
    p++;
    const d0 = p;
    while (p < end && b[p] >= 48 && b[p] <= 57) p++;
    if (p === d0) return -1;
  }
  if (p < end && (b[p] === 101 || b[p] === 69)) {
    simple = false;
    p++;
    if (p < end && (b[p] === 43 || b[p] === MINUS)) p++;
    const d0 = p;
    while (p < end && b[p] >= 48 && b[p] <= 57) p++;
    if (p === d0) return -1;
  }
  if (!simple) v = Number(String.fromCharCode.apply(null, b.subarray(s, p)));
  else if (b[s] === MINUS) v = -v;
  vNum = v;
  vKind = NUM;
  return p;
}

function scanWord(b, p, end, word, kind) {
  if (p + word.length > end) return -1;
  for (let j = 0; j < word.length; j++) if (b[p + j] !== word.charCodeAt(j)) return -1;
  vKind = kind;
  return p + word.length;
}

// Any JSON value starting at b[p] (no leading whitespace); returns the position after
// it, or -1.
function scanValue(b, p, end, depth) {
  if (p >= end) return -1;
  const c = b[p];
  if (c === QUOTE) return scanString(b, p, end);
  if (c === MINUS || (c >= 48 && c <= 57)) return scanNumber(b, p, end);
  if (c === 110) return scanWord(b, p, end, 'null', NUL);
  if (c === 116) return scanWord(b, p, end, 'true', TRUE);
  if (c === 102) return scanWord(b, p, end, 'false', FALSE);
  if (depth >= MAX_DEPTH) return -1;
  if (c === LBRACKET) {
    p = skipWs(b, p + 1, end);
    if (b[p] === RBRACKET) {
      vKind = OTHER;
      return p + 1;
    }
    for (;;) {
      p = scanValue(b, p, end, depth + 1);
      if (p < 0) return -1;
      p = skipWs(b, p, end);
      if (b[p] === COMMA) p = skipWs(b, p + 1, end);
      else if (b[p] === RBRACKET) break;
      else return -1;
    }
    vKind = OTHER;
    return p + 1;
  }
  if (c === LBRACE) {
    p = skipWs(b, p + 1, end);
    if (b[p] === RBRACE) {
      vKind = OTHER;
      return p + 1;
    }
    for (;;) {
      if (b[p] !== QUOTE) return -1;
      p = skipWs(b, scanString(b, p, end), end);
      if (p < 0 || b[p] !== COLON) return -1;
      p = scanValue(b, skipWs(b, p + 1, end), end, depth + 1);
      if (p < 0) return -1;
      p = skipWs(b, p, end);
      if (b[p] === COMMA) p = skipWs(b, p + 1, end);
      else if (b[p] === RBRACE) break;
      else return -1;
    }
    vKind = OTHER;
    return p + 1;
  }
  return -1;
}

// One event object from b[p] === '{' to at most `end`: fills K/V/typeCode. Returns the
// position after the object, or -1 (not JSON, or an escaped key or type: left to JSON.parse).
function scanEvent(b, p, end) {
  K.fill(ABSENT);
  typeCode = 0;
  kindCode = 0;
  sleepCall = 0;
  if (b[p] !== LBRACE) return -1;
  p = skipWs(b, p + 1, end);
  if (b[p] === RBRACE) return p + 1;
  for (;;) {
    if (b[p] !== QUOTE) return -1;
    p = scanString(b, p, end);
    if (p < 0 || vEsc) return -1;
    const f = lookup(FIELD_TABLE, vHash, b, vStart, vEnd);
    p = skipWs(b, p, end);
    if (b[p] !== COLON) return -1;
    p = scanValue(b, skipWs(b, p + 1, end), end, 1);
    if (p < 0) return -1;
    if (f >= 0) {
      // a repeated key: the last one counts, as with JSON.parse
      K[f] = vKind;
      V[f] = vKind === NUM ? vNum : vKind === STR ? vEnd - vStart : 0;
      if (f === F_SYSCALL) sleepCall = vKind === STR && !vEsc && lookup(SLEEP_TABLE, vHash, b, vStart, vEnd) >= 0 ? 1 : 0;
      else if (vKind === STR && (f === F_TYPE || f === F_KIND)) {
        if (vEsc) return -1;
        if (f === F_TYPE) {
          const ty = lookup(TYPE_TABLE, vHash, b, vStart, vEnd);
          typeCode = ty < 0 ? 0 : TY[TYPE_NAMES[ty]];
        } else {
          const kd = lookup(KIND_TABLE, vHash, b, vStart, vEnd);
          kindCode = kd < 0 ? 0 : MEM_KIND[KIND_NAMES[kd]];
        }
      }
    }
    p = skipWs(b, p, end);
    if (b[p] === COMMA) p = skipWs(b, p + 1, end);
    else if (b[p] === RBRACE) return p + 1;
    else return -1;
  }
}

const EVENTS_LINE = '"events":[';

// Reads a trace as its bytes arrive: push(chunk) for each piece, in order, then finish().
// finish returns {header, columns, events} or null when the file does not have the
// writer's layout or has something the scanner leaves to JSON.parse. `chunks` (Chunks)
// keeps every piece pushed, also after a failure (the caller then parses chunks.text()).
export class TraceScanner {
  // expected: the size of the file if known (to size the columns), else 0.
  constructor(expected) {
    this.expected = expected || 0;
    this.chunks = new Chunks();
    this.failed = false;
    this.state = 0; // 0 header lines, 1 event lines, 2 after "]}"
    this.more = true; // the last event line ended with a comma
    this.carry = []; // the pieces of a line not finished yet
    this.carryStart = 0; // its offset in the file
    this.header = null;
    this.kindOf = null;
    this.cols = null;
    this.start = null;
    this.end = null;
    this.ms = 0; // time spent scanning
    this.result = null; // set by settled()
  }

  fail() {
    this.failed = true;
    this.cols = null;
    this.start = this.end = this.carry = null;
    return false;
  }

  push(chunk) {
    const base = this.chunks.length;
    this.chunks.add(chunk);
    if (this.failed || !chunk.length) return !this.failed;
    if (this.chunks.length >= 2 ** 32) return this.fail(); // offsets are Uint32
    const t0 = performance.now();
    let pos = 0;
    if (this.carry.length) {
      // the unfinished line, up to the first newline of this piece
      const nl = chunk.indexOf(NL);
      if (nl < 0) {
        this.carry.push(chunk);
        this.ms += performance.now() - t0;
        return true;
      }
      const line = concat(this.carry.concat([chunk.subarray(0, nl + 1)]));
      this.carry = [];
      if (this.lines(line, 0, this.carryStart, false) < 0) return this.fail();
      pos = nl + 1;
    }
    pos = this.lines(chunk, pos, base, false);
    if (pos < 0) return this.fail();
    if (pos < chunk.length) {
      this.carry.push(chunk.subarray(pos));
      this.carryStart = base + pos;
    }
    this.ms += performance.now() - t0;
    return true;
  }

  // Reads the complete lines of b from pos (and the rest as a last line if `final`); b[0]
  // is at offset `base` in the file. Returns where the unread rest of b starts, or -1.
  lines(b, pos, base, final) {
    const n = b.length;
    while (this.state < 2) {
      let nl = b.indexOf(NL, pos);
      if (nl < 0) {
        if (!final || pos >= n) break;
        nl = n;
      }
      let e = nl;
      if (e > pos && b[e - 1] === CR) e--;
      if (this.state === 0) {
        if (e - pos === EVENTS_LINE.length && scanWord(b, pos, e, EVENTS_LINE, OTHER) === e) {
          if (!this.startEvents(base + pos)) return -1;
          this.state = 1;
        }
      } else if (b[pos] === RBRACKET) {
        // "]}" ends the events; only whitespace may follow
        if (this.more && this.cols.n > 0) return -1;
        if (b[pos + 1] !== RBRACE || skipWs(b, pos + 2, e) !== e) return -1;
        this.state = 2;
      } else {
        if (!this.more) return -1;
        const c = this.cols;
        const q = scanEvent(b, pos, e);
        if (q < 0 || !storeRow(c, this.kindOf)) return -1;
        const i = c.n - 1;
        if (i >= this.start.length) this.growOffsets();
        this.start[i] = base + pos;
        this.end[i] = base + q;
        let r = skipWs(b, q, e);
        this.more = b[r] === COMMA;
        if (this.more) r = skipWs(b, r + 1, e);
        if (r !== e) return -1;
      }
      pos = Math.min(nl + 1, n);
    }
    if (this.state === 2) return skipWs(b, pos, n) === n ? n : -1;
    return pos;
  }

  // The header: the text before the events line, closed with an empty events array.
  startEvents(at) {
    const header = headerOf(this.chunks, at);
    if (!header) return false;
    this.header = header;
    this.kindOf = objectKinds(header.objects);
    // Room for meta.events events, or an estimate from the size.
    const hint = header.meta && isInt(header.meta.events) && header.meta.events >= 0 ? header.meta.events + 1 : 0;
    const cap = Math.min(hint || Math.max(((this.expected - at) / 150) | 0, 1024), 1 << 26);
    this.cols = new Columns(cap);
    this.start = new Uint32Array(cap);
    this.end = new Uint32Array(cap);
    return true;
  }

  growOffsets() {
    const grow = (a) => grown(Uint32Array, a, a.length * 2);
    this.start = grow(this.start);
    this.end = grow(this.end);
  }

  // A scanner that has read a file elsewhere (scanworker.js): its pieces, and what
  // finish() returned there (the events' offsets in place of the EventTable), or null.
  static settled(pieces, result, ms) {
    const s = new TraceScanner(0);
    for (const c of pieces) s.chunks.add(c);
    s.ms = ms;
    if (!result) s.fail();
    else {
      const cols = result.columns;
      s.result = { header: result.header, columns: cols, events: new EventTable(cols.n, null, s.chunks, result.start, result.end) };
    }
    return s;
  }

  finish() {
    if (this.result) return this.result;
    if (!this.failed && this.carry.length) {
      const t0 = performance.now();
      const last = concat(this.carry);
      this.carry = [];
      if (this.lines(last, 0, this.carryStart, true) < 0) this.fail();
      this.ms += performance.now() - t0;
    }
    if (this.failed || this.state !== 2) {
      this.fail();
      return null;
    }
    const cols = this.cols.trimmed();
    const events = new EventTable(cols.n, null, this.chunks, this.start.subarray(0, cols.n), this.end.subarray(0, cols.n));
    return { header: this.header, columns: cols, events };
  }
}

// The header (everything before the events line at `at`) closed with an empty events
// array, parsed; null when it is not a JSON object.
function headerOf(chunks, at) {
  let header;
  try {
    header = JSON.parse(new TextDecoder('utf-8').decode(chunks.slice(0, at)) + '"events":[]}');
  } catch (e) {
    return null;
  }
  return header === null || typeof header !== 'object' || Array.isArray(header) ? null : header;
}

// ---------------------------------------------------------------- the compact form

// `ipclab view` serves beside each trace its events in a compact form (user/cols.c): for
// every event line, where it is in the JSON text and the kind and value of each field
// FIELDS names, as the line reader would have scanned them. Read here into K/V and stored
// by storeRow, so that the checks and the type codes stay the line reader's, and both give
// the same columns. The text is still needed (downloaded beside it): for the header and for
// each event's details (EventTable).
// The form also carries the text before the events line and the full text of the few
// events whose details the model's build reads (user/cols.c says which), so that the page
// can build and draw the model before the JSON text arrives (compactDocument, EarlyEvents).
const COMPACT_MAGIC = 'IPCLABC3';
const COMPACT_HEADER = 64;
const INT32 = 7; // a NUM stored as an i32
const NO_STRING = 0xffffffff;
// The longest record: start, end, mask, then every field as a kind byte and an f64.
const MAX_RECORD = 12 + 9 * FIELDS.length;

export class CompactError extends Error {}

// Where the compact form says its records start, from its first `have` bytes of `buf`
// (ArrayBuffer), or -1 while they do not hold the header yet.
export function compactRecordsAt(buf, have = buf.byteLength) {
  return have >= COMPACT_HEADER ? Number(new DataView(buf).getBigUint64(56, true)) : -1;
}

// The compact form's header and strings, from the first `have` bytes of `buf`
// (ArrayBuffer), which hold at least everything before the records: {jsonSize, headerEnd,
// n, strings, nDetails, detailsAt, headAt, recordsAt}. Throws CompactError (one line) when
// they are not a compact form of this reader's fields.
export function compactHeader(buf, have = buf.byteLength) {
  if (have < COMPACT_HEADER) throw new CompactError('too short (' + have + ' bytes)');
  const dv = new DataView(buf, 0, have);
  const magic = String.fromCharCode(...new Uint8Array(buf, 0, 8));
  if (magic !== COMPACT_MAGIC) throw new CompactError('not a compact form of this viewer (its first bytes are not ' + COMPACT_MAGIC + ')');
  const jsonSize = Number(dv.getBigUint64(8, true));
  const stringsAt = Number(dv.getBigUint64(16, true));
  const headerEnd = dv.getUint32(24, true);
  const n = dv.getUint32(28, true);
  const nStrings = dv.getUint32(32, true);
  const nDetails = dv.getUint32(36, true);
  const detailsAt = Number(dv.getBigUint64(40, true));
  const headAt = Number(dv.getBigUint64(48, true));
  const recordsAt = compactRecordsAt(buf, have);
  if (!(headAt === COMPACT_HEADER && headAt + headerEnd === stringsAt && stringsAt <= detailsAt && detailsAt <= recordsAt)) throw new CompactError('its sections are not in order');
  if (recordsAt > have) throw new CompactError('it is cut short before its records');
  const strings = [];
  const dec = new TextDecoder('utf-8');
  let p = stringsAt;
  for (let i = 0; i < nStrings; i++) {
    if (p + 2 > detailsAt) throw new CompactError('its string table is cut short');
    const len = dv.getUint16(p, true);
    if (p + 2 + len > detailsAt) throw new CompactError('its string table is cut short');
    strings.push(dec.decode(new Uint8Array(buf, p + 2, len)));
    p += 2 + len;
  }
  if (p !== detailsAt) throw new CompactError('it has ' + (detailsAt - p) + ' bytes after its string table');
  if (FIELDS.some((f, i) => strings[i] !== f)) throw new CompactError('its fields are not this viewer\'s (made by another ipclab version?)');
  return { jsonSize, headerEnd, n, strings, nDetails, detailsAt, headAt, recordsAt };
}

// Reads the records of a compact form (`form`: compactHeader's, of ArrayBuffer `buf`) into
// the line reader's columns (storeRow, with the header's kindOf), as far as they have
// arrived: feed(have) after each piece of the download (the first `have` bytes of buf are
// here), finish(size) at its end. result(): {columns, start, end, names}, or null when an
// event fails storeRow's checks (the caller then reads the JSON, which decides). Both
// throw CompactError when the records are damaged.
export class CompactRecords {
  constructor(buf, form, kindOf) {
    const { n, strings } = form;
    this.buf = buf;
    this.form = form;
    this.kindOf = kindOf;
    // what the line reader derives from the strings of type, kind and syscall
    this.types = strings.map((x) => TYPE_CODE.get(x) || 0);
    this.kinds = strings.map((x) => (Object.prototype.hasOwnProperty.call(MEM_KIND, x) ? MEM_KIND[x] : 0));
    this.sleeps = strings.map((x) => (isSleepSyscall(x) ? 1 : 0));
    this.c = new Columns(n);
    this.start = new Uint32Array(n);
    this.end = new Uint32Array(n);
    // names[i]: the string index of a syscall's `name`, NAME_ABSENT, or NAME_OTHER (not a
    // plain string): what an event's stand-in says of its name (EarlyEvents)
    this.names = new Int32Array(n);
    this.i = 0;
    this.p = form.recordsAt;
    this.failed = false;
    this.ms = 0;
  }

  // Reads every record wholly within the first `have` bytes.
  feed(have) {
    this.read(have - MAX_RECORD, have);
  }

  // The download is over: `size` bytes in all, the records end there.
  finish(size) {
    this.read(size, size);
    if (this.failed) return;
    if (this.i < this.form.n) throw new CompactError('its records are cut short');
    if (this.p !== size) throw new CompactError('it has ' + (size - this.p) + ' bytes after its ' + this.form.n + ' records');
  }

  // Records that start by `limit` (and end by `have`).
  read(limit, have) {
    if (this.failed) return;
    const t0 = performance.now();
    const { n, jsonSize, strings } = this.form;
    const { c, start, end, names, types, kinds, sleeps, kindOf } = this;
    const dv = new DataView(this.buf, 0, have);
    let p = this.p;
    let i = this.i;
    try {
      for (; i < n && p <= limit; i++) {
        const s = dv.getUint32(p, true);
        const e = dv.getUint32(p + 4, true);
        const mask = dv.getUint32(p + 8, true);
        if (e < s || e > jsonSize) throw new CompactError('event ' + i + ' is outside the JSON text');
        if (mask >>> FIELDS.length) throw new CompactError('event ' + i + ' names fields this viewer does not know');
        const q = compactFields(dv, p + 12, mask, strings.length, i);
        typeCode = K[F_TYPE] === STR ? types[V[F_TYPE]] : 0;
        kindCode = K[F_KIND] === STR ? kinds[V[F_KIND]] : 0;
        sleepCall = K[F_SYSCALL] === STR && V[F_SYSCALL] !== NO_STRING ? sleeps[V[F_SYSCALL]] : 0;
        if (!storeRow(c, kindOf)) {
          this.failed = true;
          break;
        }
        names[i] = K[F_NAME] === ABSENT ? NAME_ABSENT : K[F_NAME] === STR && V[F_NAME] !== NO_STRING ? V[F_NAME] : NAME_OTHER;
        start[i] = s;
        end[i] = e;
        p = q;
      }
    } catch (err) {
      if (err instanceof RangeError) throw new CompactError('its records are cut short');
      throw err;
    } finally {
      this.i = i;
      this.p = p;
      this.ms += performance.now() - t0;
    }
  }

  result() {
    if (this.failed) return null;
    return { columns: this.c.trimmed(), start: this.start, end: this.end, names: this.names };
  }
}

// The events' columns from a whole compact form (`form`: compactHeader's, of ArrayBuffer
// `buf`) and the header's kindOf: CompactRecords's result. Throws CompactError when the
// records are damaged.
export function columnsOfCompact(buf, form, kindOf) {
  const r = new CompactRecords(buf, form, kindOf);
  r.finish(buf.byteLength);
  return r.result();
}
const NAME_ABSENT = -1;
const NAME_OTHER = -2;

// One record's fields (bit f of mask: field f present) into K/V from dv at p; the position
// after them. For a string V is the string's index for type, kind and syscall (NO_STRING
// for an escaped one), its length for the others.
function compactFields(dv, p, mask, nStrings, i) {
  K.fill(ABSENT);
  for (let f = 0; mask !== 0; f++, mask >>>= 1) {
    if (!(mask & 1)) continue;
    const kind = dv.getUint8(p++);
    if (kind === NUM) {
      V[f] = dv.getFloat64(p, true);
      p += 8;
    } else if (kind === INT32) {
      V[f] = dv.getInt32(p, true);
      p += 4;
    } else if (kind === STR) {
      V[f] = dv.getUint32(p, true);
      p += 4;
      const named = f === F_TYPE || f === F_KIND || f === F_SYSCALL || f === F_NAME;
      if (named && V[f] >= nStrings && !((f === F_SYSCALL || f === F_NAME) && V[f] === NO_STRING)) throw new CompactError('event ' + i + ' names a string it does not have');
    } else if (kind >= NUL && kind <= FALSE) V[f] = 0;
    else throw new CompactError('event ' + i + ' has a value of unknown kind ' + kind);
    K[f] = kind === INT32 ? NUM : kind;
  }
  return p;
}

// Where the compact form `buf` says the events line starts (0 if it is too short to say).
export function compactHeaderEnd(buf) {
  return buf.byteLength >= COMPACT_HEADER ? new DataView(buf).getUint32(24, true) : 0;
}

// The columns of a trace from its compact form `buf` (ArrayBuffer) and the start of its
// text (Chunks, as far as it has arrived: at least up to the events line, which the form
// says where it is; the columns can then be read while the rest downloads). Returns
// {form, header, columns, start, end, ms}, or null when the header is not JSON or an event
// fails the line reader's checks (read the text instead); throws CompactError when the
// form is damaged or the text is too short for it.
export function compactColumns(buf, chunks) {
  const t0 = performance.now();
  const form = compactHeader(buf);
  if (chunks.length <= form.headerEnd) throw new CompactError('its trace has no events line at byte ' + form.headerEnd);
  if (chunks.slice(form.headerEnd, form.headerEnd + 1)[0] !== QUOTE) throw new CompactError('its events are not where the trace has them');
  const header = headerOf(chunks, form.headerEnd);
  if (!header) return null;
  const r = columnsOfCompact(buf, form, objectKinds(header.objects));
  return r && { form, header, columns: r.columns, start: r.start, end: r.end, ms: performance.now() - t0 };
}

// A scanner holding the whole text (Chunks) and the columns compactColumns read for it.
// Throws CompactError when the form is not of this text (another size, or its events
// elsewhere: a form of another file of the same size fails here).
export function scannerOfCompact(chunks, got) {
  const { form, columns, start, end } = got;
  if (form.jsonSize !== chunks.length) throw new CompactError('it is of a ' + form.jsonSize + '-byte trace, this one has ' + chunks.length + ' bytes');
  const n = columns.n;
  const at = (k) => chunks.slice(k, k + 1)[0];
  if (n > 0 && (at(start[0]) !== LBRACE || at(end[n - 1] - 1) !== RBRACE)) throw new CompactError('its events are not where the trace has them');
  if (got.head && !sameBytes(got.head, chunks.slice(0, form.headerEnd))) throw new CompactError('its header is not the trace\'s');
  const s = TraceScanner.settled(chunks.list, { header: got.header, columns, start, end }, got.ms);
  s.reader = 'cols';
  return s;
}

function sameBytes(a, b) {
  if (a.length !== b.length) return false;
  for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return false;
  return true;
}

// The head and the details of a compact form (`form`: compactHeader's, of ArrayBuffer
// `buf`): {header, head, details}, or null when the head is not JSON. details: event
// index -> [offset, length] of its JSON text in buf. Throws CompactError when they are
// damaged.
function compactPrefix(buf, form) {
  const head = new Uint8Array(buf, form.headAt, form.headerEnd);
  let header;
  try {
    header = JSON.parse(new TextDecoder('utf-8').decode(head) + '"events":[]}');
  } catch (e) {
    return null;
  }
  if (header === null || typeof header !== 'object' || Array.isArray(header)) return null;
  const details = new Map();
  const dv = new DataView(buf, 0, form.recordsAt);
  let p = form.detailsAt;
  try {
    for (let k = 0; k < form.nDetails; k++) {
      const i = dv.getUint32(p, true);
      const len = dv.getUint32(p + 4, true);
      if (i >= form.n || p + 8 + len > form.recordsAt) throw new RangeError();
      details.set(i, [p + 8, len]);
      p += 8 + len;
    }
  } catch (err) {
    if (err instanceof RangeError) throw new CompactError('its details are cut short');
    throw err;
  }
  if (p !== form.recordsAt) throw new CompactError('it has ' + (form.recordsAt - p) + ' bytes after its details');
  return { header, head, details };
}

// A compact form read as it downloads, its records decoded as they arrive (the form puts
// them last): add(piece) for each piece (Uint8Array), end() after the last. `size`: the
// form's size if known (the download's length), else 0. end() gives everything the
// model's build needs before any of the JSON text: {form, header, head, columns, start,
// end, names, details, buf, ms} (what compactColumns gives, and scannerOfCompact takes once
// the text is here), or null when the head is not JSON or an event fails the line reader's
// checks. add() and end() throw CompactError when the form is damaged.
export class CompactDownload {
  constructor(size) {
    this.buf = new ArrayBuffer(size > 0 ? size : 1 << 20);
    this.have = 0;
    this.form = null;
    this.prefix = null;
    this.records = null;
    this.notJson = false;
    this.ms = 0;
  }

  // The whole form at once (ArrayBuffer): end()'s result.
  static of(buf) {
    const d = new CompactDownload(1);
    d.buf = buf;
    d.have = buf.byteLength;
    return d.end();
  }

  add(piece) {
    if (this.have + piece.length > this.buf.byteLength) this.grow(Math.max(2 * this.buf.byteLength, this.have + piece.length));
    new Uint8Array(this.buf, this.have, piece.length).set(piece);
    this.have += piece.length;
    if (!this.records && !this.notJson) this.begin();
    if (this.records) this.records.feed(this.have);
  }

  grow(size) {
    const b = new ArrayBuffer(size);
    new Uint8Array(b).set(new Uint8Array(this.buf, 0, this.have));
    this.buf = b;
    if (this.records) this.records.buf = b;
  }

  // Once everything before the records is here: the header, the head, the details.
  begin() {
    const at = compactRecordsAt(this.buf, this.have);
    if (at < 0 || this.have < at) return;
    const t0 = performance.now();
    this.form = compactHeader(this.buf, this.have);
    this.prefix = compactPrefix(this.buf, this.form);
    if (!this.prefix) this.notJson = true;
    else this.records = new CompactRecords(this.buf, this.form, objectKinds(this.prefix.header.objects));
    this.ms += performance.now() - t0;
  }

  end() {
    if (this.have !== this.buf.byteLength) this.grow(this.have); // its exact size
    if (!this.records && !this.notJson) {
      this.begin();
      if (!this.form) compactHeader(this.buf, this.have); // throws: too short, cut short
    }
    if (this.notJson) return null;
    this.records.finish(this.have);
    const r = this.records.result();
    if (!r) return null;
    const { form, prefix } = this;
    return { form, header: prefix.header, head: prefix.head, columns: r.columns, start: r.start, end: r.end, names: r.names, details: prefix.details, buf: this.buf, ms: this.ms + this.records.ms };
  }
}

// Everything the model's build needs, from the whole compact form (ArrayBuffer `buf`):
// CompactDownload's end().
export function compactDocument(buf) {
  return CompactDownload.of(buf);
}

// Thrown by a strict EarlyEvents when the model's build asks for an event's details the
// compact form does not have: the build then waits for the JSON text.
export class NeedText extends Error {}

// The events of a compactDocument `doc` before the JSON text has arrived: an event the form
// has the text of is parsed from it; any other is a stand-in made of what is known of it
// exactly (type, t, pid, tid and a syscall's name). A `strict` table (the model's build)
// throws NeedText when a stand-in is asked for anything else, so that whatever the build
// computes is what it computes from the JSON; the other (the panels, until the text is
// here) gives the stand-in as it is. upgrade(table): from then on every event is the
// EventTable's of the whole text.
export class EarlyEvents {
  constructor(doc, strict) {
    this.length = doc.columns.n;
    this.doc = doc;
    this.strict = strict;
    this.full = null;
    this.cache = new Map();
    this.decoder = new TextDecoder('utf-8');
    this.typeName = [];
    for (const [name, code] of TYPE_CODE) this.typeName[code] = name;
  }
  upgrade(table) {
    this.full = table;
    this.cache.clear();
  }
  get(i) {
    if (this.full) return this.full.get(i);
    if (!(i >= 0 && i < this.length)) return undefined;
    return cachedParse(this, i);
  }
  parse(i) {
    if (this.full) return this.full.parse(i);
    const d = this.doc.details.get(i);
    if (d) return JSON.parse(this.decoder.decode(new Uint8Array(this.doc.buf, d[0], d[1])));
    const { columns: c, names, form } = this.doc;
    const known = { type: this.typeName[c.code[i]], t: c.ts[i], pid: c.pid[i], tid: c.tid[i] };
    if (names[i] >= 0) known.name = form.strings[names[i]];
    if (!this.strict) {
      // for the panels: also what the columns have, as near as they keep it
      if (c.te[i] > c.ts[i]) known.dur = c.te[i] - c.ts[i];
      if (c.obj[i] >= 0) known[c.memRow[i] >= 0 ? 'mapping' : 'obj'] = c.obj[i];
      const r = c.pipeRow[i];
      const mr = c.memRow[i];
      if (mr >= 0 && known.type === 'fault') {
        // a fault in a mapping: its kind when the columns name it exactly, and major
        const kind = MEM_KIND_NAME[c.mem.kind[mr]];
        if (kind) known.kind = kind;
        if (c.mem.flags[mr] & MEM_FLAG.major) known.major = true;
      }
      if (r >= 0 && (known.type === 'pipe_read' || known.type === 'pipe_write')) {
        const p = c.pipe;
        Object.assign(known, { bytes: p.bytes[r], occ_before: p.occBefore[r], occ_after: p.occAfter[r], slots_before: p.slotsBefore[r], slots_after: p.slotsAfter[r], slots_max: p.slotsMax[r], ring_size: p.ring[r] });
      }
      return known;
    }
    const nameKnown = names[i] !== NAME_OTHER;
    return new Proxy(known, {
      get(target, key) {
        if (key in target || (key === 'name' && nameKnown)) return target[key];
        throw new NeedText('event ' + i + '.' + String(key));
      },
    });
  }
}

function concat(parts) {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  n = 0;
  for (const p of parts) {
    out.set(p, n);
    n += p.length;
  }
  return out;
}
