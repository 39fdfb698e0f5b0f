// Who wrote the bytes of each used slot, for the ring cards of mech/pipe.js (a leaf
// module: it imports nothing). The trace says how many bytes and slots a pipe holds, not
// whose they are; they are replayed here as the kernel moves them: a write of n bytes
// goes in at the head (its first n % page bytes into the newest page when they fit
// behind what that page holds, as pipe_write() merges them; the rest in new pages), a read
// takes bytes from the tail page and frees it when it is empty. The writes and reads are
// applied when they return (the "after" samples, in the samples' order). Where the replay
// disagrees with the trace's bytes and slots (a write copied part by part while a reader
// read, a splice...), the pages are taken from the trace with their writer unknown ("?",
// drawn as without owners) and the replay goes on from there.
//
// A page: {off, len, pieces: [[pid, bytes], ...]} (off: bytes already read from it).
// The state after every OWN_STEP-th sample is kept (a checkpoint); the state at a cursor is
// its checkpoint's plus at most OWN_STEP samples replayed.
const OWN_STEP = 256;
export const OP_NONE = 0;
export const OP_WRITE = 1;
export const OP_READ = 2;

// Keeps on buf (n samples: sSlots, sOcc, page) what each sample moved ({op, pid, bytes},
// arrays by sample: OP_WRITE or OP_READ of bytes > 0 by pid, else OP_NONE) and the
// checkpoints of the replay.
export function buildOwners(buf, moves) {
  const own = { ...moves, checkpoints: [] };
  buf.own = own;
  let pages = [];
  for (let j = 0; j < buf.n; j++) {
    if (j % OWN_STEP === 0) own.checkpoints.push(copyPages(pages));
    pages = replaySample(buf, j, pages);
  }
}

function copyPages(pages) {
  return pages.map((p) => ({ off: p.off, len: p.len, pieces: p.pieces.map((x) => [x[0], x[1]]) }));
}

// The pages after sample j, from those before it (changed in place, or replaced).
function replaySample(buf, j, pages) {
  const { op, pid, bytes } = buf.own;
  if (op[j] === OP_NONE) return pages;
  if (op[j] === OP_WRITE) writePages(pages, pid[j], bytes[j], buf.page);
  else readPages(pages, bytes[j]);
  if (pagesAgree(buf, j, pages)) return pages;
  return unknownPages(buf.sSlots[j], buf.sOcc[j], buf.page);
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
}

function pagesAgree(buf, j, pages) {
  if (pages.length !== buf.sSlots[j]) return false;
  let total = 0;
  for (const p of pages) total += p.len;
  return total === buf.sOcc[j];
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
// replay) or the replay does not give the sample's bytes and slots (a "before" sample of a
// call that overlapped another).
export function pagesAt(buf, j) {
  const own = buf.own;
  if (!own || j < 0) return null;
  const c = Math.floor(j / OWN_STEP);
  let pages = copyPages(own.checkpoints[c]);
  for (let q = c * OWN_STEP; q <= j; q++) pages = replaySample(buf, q, pages);
  return pagesAgree(buf, j, pages) ? pages : null;
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
