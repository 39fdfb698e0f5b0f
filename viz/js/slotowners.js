// Who wrote the bytes of each used slot, for the ring cards of mech/pipe.js (a leaf
// module: it imports nothing). The trace says how many bytes and slots a pipe holds, not
// whose they are; they are replayed here as the kernel moves them: a write of n bytes
// goes in at the head (its first n % page bytes into the newest page when they fit
// behind what that page holds, as pipe_write() merges them; the rest in new pages), a read
// takes bytes from the tail page and frees it when it is empty. Every sample (a call's
// entry or return, in the samples' order) is replayed; a call's bytes count when it
// returns, unless they were seen before.
//
// A write larger than the free room is copied part by part: pipe_write() fills what is
// free under the pipe's mutex, wakes the readers and sleeps until a read makes room, so
// the ring gains its bytes long before it returns, and the other calls' samples show them
// (pipe_atomic_large: two writes of 200000 bytes taking turns page by page). Bytes that
// appear between two samples and that no returned write explains go to the one write in
// progress whose task ran in that interval (was not asleep the whole time: the block
// events say when it slept), which is credited with them: at its return only the rest of
// its bytes are added. When no write or several qualify, or a write returns in the same
// interval (which bytes came first is not known), those bytes stay unknown ("?", drawn as
// without owners): never a guess. The writes in progress then lose their credit (it may be
// short); one of them returning with no other writer running gets the interval's bytes.
// Bytes that disappear with no read returning were taken by a read in progress: they
// leave the tail at once and are subtracted from the next reads' returns (which read
// took them does not matter: a pipe is read from the tail). Where the replay still
// disagrees with the trace's slots (or bytes: a splice, a torn sample), the pages are
// taken from the trace with their writer unknown and the replay goes on from there.
//
// A page: {off, len, pieces: [[pid, bytes], ...]} (off: bytes already read from it).
// The replay's state: {pages, bytes (their sum), credit: Map(call -> bytes seen before
// its return, NaN if not known; the writes in progress), ahead (bytes taken by reads
// before their return)}. The state after every OWN_STEP-th sample is kept (a checkpoint);
// the state at a cursor is its checkpoint's plus at most OWN_STEP samples replayed, each
// in O(writes in progress) beyond the pages it moves.
const OWN_STEP = 256;
export const OP_NONE = 0; // a sample where nothing returned with bytes (a read's entry, an error)
export const OP_WRITE = 1; // a write returned with bytes > 0
export const OP_READ = 2; // a read returned with bytes > 0
export const OP_BEGIN = 3; // the entry of a write that will return bytes > 0
export const UNKNOWN = -1; // the writer of a piece when it is not known
const NOBODY = -1; // soleCall: no write in progress ran in the interval before the sample
const SEVERAL = -2; // more than one did

// What each sample of a buffer moved, for buildOwners: a write or read that returned
// with bytes > 0, by whom, how many, and the entry of such a write (its bytes may reach
// the ring before it returns). calls: of an event i, bytesOf(i) (what it copied) and
// isWrite(i), and the columns pid, tid, ts, te; sleeps: the block events of each thread
// (by tid, in start order), for ran().
export function ownerOps(buf, calls, sleeps) {
  const { bytesOf, isWrite } = calls;
  const op = new Uint8Array(buf.n);
  const pid = new Float64Array(buf.n);
  const bytes = new Float64Array(buf.n);
  const call = new Int32Array(buf.n);
  for (let j = 0; j < buf.n; j++) {
    const i = buf.sEv[j];
    call[j] = i;
    const b = bytesOf(i);
    if (!(b > 0)) continue; // an error, EOF
    const write = isWrite(i);
    pid[j] = calls.pid[i];
    bytes[j] = b;
    if (buf.sPhase[j]) op[j] = write ? OP_BEGIN : OP_NONE;
    else op[j] = write ? OP_WRITE : OP_READ;
  }
  const ran = (i, t0, t1) => !asleepThrough(sleeps.get(calls.tid[i]), calls, t0, t1);
  return { op, pid, bytes, call, ran };
}

// Whether one of a thread's sleeps (block events, by start) covers [t0, t1] whole.
function asleepThrough(list, { ts, te }, t0, t1) {
  if (!list) return false;
  let lo = 0;
  let hi = list.length; // the last sleep that started by t0
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ts[list[mid]] <= t0) lo = mid + 1;
    else hi = mid;
  }
  return lo > 0 && te[list[lo - 1]] >= t1;
}

// Keeps on buf (n samples: sT, sSlots, sOcc, page) what each sample moved and the
// checkpoints of the replay. moves: arrays by sample {op, pid, bytes, call} (op above; pid
// and bytes: the call's; call: an id of the call, the same at its entry and its return)
// and ran(call, t0, t1): whether that call's task was running (not asleep) at some moment
// between t0 and t1.
export function buildOwners(buf, moves) {
  const { op, pid, bytes, call } = moves;
  const own = { op, pid, bytes, call, checkpoints: [], ...soleWriters(buf, moves) };
  buf.own = own;
  let st = { pages: [], bytes: 0, credit: new Map(), ahead: 0 };
  for (let j = 0; j < buf.n; j++) {
    if (j % OWN_STEP === 0) own.checkpoints.push(copyState(st));
    st = replaySample(buf, j, st);
  }
}

// For each sample, the one write in progress whose task ran since the sample before
// (soleCall, solePid), or NOBODY / SEVERAL (solePid 0). A write is in progress after its
// entry and before its return; the one returning at the sample does not count (its
// bytes then are its rest).
function soleWriters(buf, { op, pid, call, ran }) {
  const soleCall = new Int32Array(buf.n).fill(NOBODY);
  const solePid = new Float64Array(buf.n);
  const active = new Map(); // call -> pid
  for (let j = 0; j < buf.n; j++) {
    if (op[j] === OP_WRITE) active.delete(call[j]);
    for (const [c, p] of j > 0 ? active : []) {
      if (!ran(c, buf.sT[j - 1], buf.sT[j])) continue;
      if (soleCall[j] !== NOBODY) {
        soleCall[j] = SEVERAL;
        solePid[j] = 0;
        break;
      }
      soleCall[j] = c;
      solePid[j] = p;
    }
    if (op[j] === OP_BEGIN) active.set(call[j], pid[j]);
  }
  return { soleCall, solePid };
}

function copyState(st) {
  const pages = st.pages.map((p) => ({ off: p.off, len: p.len, pieces: p.pieces.map((x) => [x[0], x[1]]) }));
  return { pages, bytes: st.bytes, credit: new Map(st.credit), ahead: st.ahead };
}

// The state after sample j, from the one before it (changed in place, or replaced).
function replaySample(buf, j, st) {
  const { op, pid, bytes, call } = buf.own;
  let rest = 0; // the bytes a returning write adds now
  if (op[j] === OP_WRITE) {
    rest = bytes[j] - (st.credit.has(call[j]) ? st.credit.get(call[j]) : 0);
    st.credit.delete(call[j]);
  }
  let read = 0; // the bytes a returning read takes now
  if (op[j] === OP_READ) {
    read = Math.max(0, bytes[j] - st.ahead);
    st.ahead = Math.max(0, st.ahead - bytes[j]);
  }
  if (Number.isNaN(rest)) {
    // its earlier bytes may be among the unknown ones: alone, it wrote what the ring gained
    if (buf.own.soleCall[j] !== NOBODY) return unknownState(buf, j, forgetCredit(st));
    rest = Math.max(0, buf.sOcc[j] + read - st.bytes);
  }
  const gain = buf.sOcc[j] + read - rest - st.bytes;
  if (gain > 0) addGain(buf, j, st, gain, rest);
  else if (rest > 0) addBytes(st, pid[j], rest, buf.page);
  if (gain < 0) takeBytes(st, -gain); // a read in progress
  st.ahead += Math.max(0, -gain);
  if (read > 0) takeBytes(st, read);
  if (op[j] === OP_BEGIN) st.credit.set(call[j], 0);
  return pagesAgree(buf, j, st) ? st : unknownState(buf, j, st);
}

// Bytes the ring gained in the interval before sample j beyond what returned: the sole
// running writer's, or unknown (then with a returning write's rest, whose order with them
// is not known).
function addGain(buf, j, st, gain, rest) {
  const c = buf.own.soleCall[j];
  if (c >= 0 && rest === 0) {
    addBytes(st, buf.own.solePid[j], gain, buf.page);
    st.credit.set(c, st.credit.get(c) + gain);
    return;
  }
  addBytes(st, UNKNOWN, gain + rest, buf.page);
  if (c !== NOBODY || rest === 0) forgetCredit(st);
}

function forgetCredit(st) {
  for (const k of st.credit.keys()) st.credit.set(k, NaN);
  return st;
}

function addBytes(st, who, n, page) {
  writePages(st.pages, who, n, page);
  st.bytes += n;
}

function takeBytes(st, n) {
  st.bytes -= readPages(st.pages, n);
}

function writePages(pages, who, n, page) {
  const last = pages[pages.length - 1];
  const head = n % page;
  if (head && last && last.off + last.len + head <= page) {
    addPiece(last, who, head);
    n -= head;
  }
  while (n > 0) {
    const p = { off: 0, len: 0, pieces: [] };
    addPiece(p, who, Math.min(page, n));
    n -= p.len;
    pages.push(p);
  }
}

function addPiece(p, who, n) {
  const tail = p.pieces[p.pieces.length - 1];
  if (tail && tail[0] === who) tail[1] += n;
  else p.pieces.push([who, n]);
  p.len += n;
}

function readPages(pages, n) {
  const want = n;
  while (n > 0 && pages.length) {
    const p = pages[0];
    const take = Math.min(n, p.len);
    let left = take;
    while (left > 0) {
      const x = p.pieces[0];
      const k = Math.min(left, x[1]);
      x[1] -= k;
      left -= k;
      if (!x[1]) p.pieces.shift();
    }
    p.off += take;
    p.len -= take;
    n -= take;
    if (!p.len) pages.shift();
  }
  return want - n;
}

function pagesAgree(buf, j, st) {
  return st.pages.length === buf.sSlots[j] && st.bytes === buf.sOcc[j];
}

// The trace's pages at sample j, writer unknown; the calls' credits stay (they are what
// they moved, whatever the pages look like).
function unknownState(buf, j, st) {
  st.pages = unknownPages(buf.sSlots[j], buf.sOcc[j], buf.page);
  st.bytes = buf.sOcc[j];
  return st;
}

// Pages as the trace gives them, writer unknown (-1): all full but the newest.
function unknownPages(slots, occ, page) {
  const pages = [];
  for (let k = 0; k < slots; k++) {
    const len = k < slots - 1 ? page : Math.max(0, occ - (slots - 1) * page);
    pages.push({ off: 0, len, pieces: len ? [[-1, len]] : [] });
  }
  return pages;
}

// The pages at sample j, tail first, or null when there are none to tell (no sample, no
// replay).
export function pagesAt(buf, j) {
  const own = buf.own;
  if (!own || j < 0) return null;
  const c = Math.floor(j / OWN_STEP);
  let st = copyState(own.checkpoints[c]);
  for (let q = c * OWN_STEP; q <= j; q++) st = replaySample(buf, q, st);
  return st.pages;
}

// "26680,26681+26679,?": the writers of each page, tail first (-1: unknown).
export function ownersText(pages) {
  if (!pages) return '';
  return pages.map((p) => [...new Set(p.pieces.map((x) => (x[0] < 0 ? '?' : String(x[0]))))].join('+') || '?').join(',');
}

// The processes that wrote bytes into a buffer, in the order of their first write.
export function writersOf(buf, procName) {
  const seen = new Set();
  const out = [];
  const { op, pid } = buf.own;
  for (let j = 0; j < buf.n; j++) {
    if (op[j] !== OP_WRITE || seen.has(pid[j])) continue;
    seen.add(pid[j]);
    out.push({ pid: pid[j], name: procName(pid[j]) });
  }
  return out;
}
