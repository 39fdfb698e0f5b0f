// Pipes and FIFOs (objects of kind "pipe" and "fifo"), a mechanism module (mechanisms.js):
// the kernel buffer of each pipe/FIFO, its occupancy over time (a lane of the timeline
// between the writers and the readers), the copies of pipe_write/pipe_read into and out of
// it, and a drawing of its ring of slots at the cursor time (the "Kernel buffer" panel).
// The line reader (events.js) keeps the pipe fields of pipe_read/pipe_write in columns
// (cols.pipe, by cols.pipeRow), which build() reads: a pipe trace can have millions.
//
// The ring card exposes what it shows as data attributes, for tests and tools:
//   data-obj, data-trace, data-t (cursor time), data-occ-bytes, data-slots,
//   data-slots-max, data-ring-size, data-head, data-tail, data-phase, data-ev,
//   data-capacity (objects[].capacity), data-max-occ, data-max-slots, data-max-cap,
//   data-slot-owners (the writers of the used slots, tail to head: "pid" for a slot of one
//   writer, "pid+pid" for one several writes share, "?" for bytes of unknown writer, as
//   slotowners.js replays them, also at a call's entry while a large write is being
//   copied; empty when no slot is used).

import { el, fitCanvas, colour, procColourName } from '../dom.js';
import { t as tr, addStrings } from '../i18n.js';
import { fmtTime, niceCeil, fdFlow } from '../format.js';
import { upperBound, lowerBound } from '../bsearch.js';
import { buildOwners, ownerOps, pagesAt, ownersText, writersOf } from '../slotowners.js';
import { CopyList } from '../copylist.js';

addStrings({
  en: {
    pipe_legendWrite: 'pipe write',
    pipe_legendRead: 'pipe read',
    pipe_legendOcc: 'bytes in buffer',
    pipe_legendSlots: 'slots in use',
    pipe_legendCap: 'capacity',
    pipe_buffer: 'Kernel buffer at the cursor',
    pipe_kind_pipe: 'pipe',
    pipe_kind_fifo: 'FIFO',
    pipe_occLine: '{bytes} B in {slots} of {max} slots',
    pipe_capLine: 'capacity {cap} B ({max} slots × {page} B) · ring of {ring} slots',
    pipe_maxLine: 'peak {bytes} B, {slots} slots',
    pipe_fromEvent: 'state {phase} {type} #{i} ({who})',
    pipe_phaseAfter: 'after',
    pipe_phaseBefore: 'before (in progress)',
    pipe_notYet: 'no read or write yet: empty',
    pipe_prevChange: '◀ previous change',
    pipe_nextChange: 'next change ▶',
    pipe_head: 'head',
    pipe_tail: 'tail',
    pipe_ringNote: 'Slot positions are reconstructed: the trace records how many slots are used, not the ring indices.',
    pipe_lane_buffer_sub: '{cap} B · {slots} slots',
    pipe_tip_occ: 'occupancy at {t}',
    pipe_tip_cap: 'capacity {cap} B ({max} slots)',
    pipe_counters: 'head {head}, tail {tail}: {used} slots used ({state})',
    pipe_state_empty: 'empty',
    pipe_state_full: 'full',
    pipe_state_part: '{free} free',
    pipe_ownersLegend: 'slot colours: the writing process',
    pipe_wrapNote: 'One slot for full and for empty: the index wraps, but the kernel\'s head and tail only count up. Empty: head = tail; full: head − tail ≥ max_usage ({max}).',
  },
  zh: {
    pipe_legendWrite: '管道写',
    pipe_legendRead: '管道读',
    pipe_legendOcc: '缓冲区中的字节',
    pipe_legendSlots: '已用槽位',
    pipe_legendCap: '容量',
    pipe_buffer: '游标时刻的内核缓冲区',
    pipe_kind_pipe: '管道',
    pipe_kind_fifo: 'FIFO',
    pipe_occLine: '{bytes} 字节，占用 {slots} / {max} 个槽位',
    pipe_capLine: '容量 {cap} 字节（{max} 个槽位 × {page} 字节）· 环形队列共 {ring} 个槽位',
    pipe_maxLine: '峰值 {bytes} 字节，{slots} 个槽位',
    pipe_fromEvent: '取自 {type} #{i} {phase}（{who}）',
    pipe_phaseAfter: '返回时',
    pipe_phaseBefore: '进入时（进行中）',
    pipe_notYet: '尚无读写：缓冲区为空',
    pipe_prevChange: '◀ 上一次变化',
    pipe_nextChange: '下一次变化 ▶',
    // the ring's indices: head is where the next write goes, tail where the next read starts
    pipe_head: '写指针（head）',
    pipe_tail: '读指针（tail）',
    pipe_ringNote: '槽位的位置是推算的：跟踪记录了已用槽位的数量，而不是环形队列的下标。',
    pipe_lane_buffer_sub: '{cap} 字节 · {slots} 个槽位',
    pipe_tip_occ: '{t} 时的占用',
    pipe_tip_cap: '容量 {cap} 字节（{max} 个槽位）',
    pipe_counters: '写指针 head {head}，读指针 tail {tail}：已用 {used} 个槽位（{state}）',
    pipe_state_empty: '空',
    pipe_state_full: '满',
    pipe_state_part: '空闲 {free} 个',
    pipe_ownersLegend: '槽位颜色：写入该数据的进程',
    pipe_wrapNote: '满和空都指向同一个槽位：下标会回绕，而内核中的 head、tail 只增不减。空：head = tail；满：head − tail ≥ max_usage（{max}）。',
  },
});

export function bufferTitle(o) {
  if (o.kind === 'fifo') return tr('pipe_kind_fifo') + ' #' + o.id + (o.path ? ' ' + o.path : '');
  return tr('pipe_kind_pipe') + ' #' + o.id + ' (' + tr('inode') + ' ' + o.inode + ')';
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
function buildBuffer(obj, pl, capSyscalls, { cols, page, sorted, sortByKey }) {
  const sortByEnd = sortByKey; // by the end times te
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
  const sTailRun = new Float64Array(ns); // the tail as the kernel counts it: never wraps
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
  let tailRun = 0;
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
  // (the after-samples' order already, when no other syscall sampled it)
  let capList = after;
  if (capSyscalls.length) {
    capList = new Int32Array(nb + capSyscalls.length);
    capList.set(pl);
    capList.set(capSyscalls, nb);
    sortByEnd(capList, te);
  }
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
      tailRun = 0;
    }
    const s = sSlots[j];
    if (s < count) {
      tail = (tail + (count - s)) % ring;
      tailRun += count - s;
    }
    count = s;
    sTail[j] = tail;
    sTailRun[j] = tailRun;
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
    sTailRun,
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
function bufferAt(buf, T) {
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
      tailRun: 0,
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
    tailRun: buf.sTailRun[j],
  };
}

// ---------------------------------------------------------------- occupancy lane

// Occupancy (bytes, filled), slots in use (× page size, a step line) and the capacity
// (slots_max × page size, dashed) between y and y + h.
export function drawOccupancy(ctx, buf, y, h, t0, t1, k, W) {
  const page = buf.page;
  // Scale: up to the capacity, unless the pipe never gets above a quarter of it; then
  // the scale fits the peak and the capacity is written (it is off the scale).
  const peak = Math.max(buf.maxOcc, buf.maxSlots * page);
  const fit = peak > 0 && peak * 4 < buf.maxCap;
  const maxV = fit ? niceCeil(peak * 1.1) : Math.max(buf.maxCap, peak, 1);
  const yOf = (v) => y + h - (v / maxV) * h;
  const base = y + h;
  const { sT, sOcc, sSlots, cT, cV } = buf;
  const Wc = Math.ceil(W);
  // Step path of a series (times tArr, values arr) over the view, sample by sample.
  const series = (tArr, arr, dflt, scale) => {
    const j0 = upperBound(tArr, t0) - 1; // value at t0
    const j1 = upperBound(tArr, t1, j0 + 1);
    const pts = [];
    let v = (j0 >= 0 ? arr[j0] : dflt) * scale;
    pts.push(0, v);
    for (let j = j0 + 1; j < j1; j++) {
      const x = (tArr[j] - t0) * k;
      const nv = arr[j] * scale;
      if (nv !== v) {
        pts.push(x, v, x, nv);
        v = nv;
      }
    }
    pts.push(W, v);
    return pts;
  };
  // Dense: per pixel column, the largest value the series reaches in the column: the
  // value it enters the column with, and the samples in the column (their maximum from
  // the series' max pyramid, so the cost does not grow with the samples in view).
  const colMax = (tArr, arr, dflt, scale, name) => {
    const pyr = maxPyramid(buf, name, arr);
    const j1 = upperBound(tArr, t1);
    let j = upperBound(tArr, t0);
    const out = new Float64Array(Wc);
    let v = j > 0 ? arr[j - 1] : dflt;
    for (let c = 0; c < Wc; c++) {
      const jEnd = c === Wc - 1 ? j1 : Math.min(j1, lowerBound(tArr, t0 + (c + 1) / k, j));
      let mx = v;
      if (jEnd > j) {
        mx = Math.max(v, rangeMax(pyr, j, jEnd));
        v = arr[jEnd - 1];
        j = jEnd;
      }
      out[c] = mx * scale;
    }
    return out;
  };
  const count = upperBound(sT, t1) - upperBound(sT, t0);
  const capCount = upperBound(cT, t1) - upperBound(cT, t0);
  if (count <= W * 1.5) {
    const occ = series(sT, sOcc, 0, 1);
    ctx.beginPath();
    ctx.moveTo(0, base);
    for (let p = 0; p < occ.length; p += 2) ctx.lineTo(occ[p], yOf(occ[p + 1]));
    ctx.lineTo(W, base);
    ctx.closePath();
    ctx.fillStyle = colour('occ-fill');
    ctx.fill();
    strokeSeries(ctx, occ, yOf, colour('occ'), 1.5, null);
    strokeSeries(ctx, series(sT, sSlots, 0, page), yOf, colour('slots'), 1.5, null);
  } else {
    const occ = colMax(sT, sOcc, 0, 1, 'occ');
    ctx.fillStyle = colour('occ-fill');
    for (let c = 0; c < Wc; c++) if (occ[c] > 0) ctx.fillRect(c, yOf(occ[c]), 1, base - yOf(occ[c]));
    const line = (vals, col, dash) => {
      const pts = [];
      for (let c = 0; c < Wc; c++) pts.push(c, vals[c], c + 1, vals[c]);
      strokeSeries(ctx, pts, yOf, col, 1.5, dash);
    };
    line(occ, colour('occ'), null);
    line(colMax(sT, sSlots, 0, page, 'slots'), colour('slots'), null);
  }
  if (!fit) {
    if (capCount <= W * 1.5) strokeSeries(ctx, series(cT, cV, buf.obj.slots, page), yOf, colour('cap'), 1.5, [6, 4]);
    else {
      const vals = colMax(cT, cV, buf.obj.slots, page, 'cap');
      const pts = [];
      for (let c = 0; c < Wc; c++) pts.push(c, vals[c], c + 1, vals[c]);
      strokeSeries(ctx, pts, yOf, colour('cap'), 1.5, [6, 4]);
    }
  }
  ctx.font = '10px ' + getComputedStyle(document.body).fontFamily;
  const label = fit ? maxV + ' B · ' + tr('pipe_legendCap') + ' ' + buf.maxCap + ' B ↑' : maxV + ' B';
  const lw = ctx.measureText(label).width;
  ctx.fillStyle = 'rgba(255,255,255,0.8)';
  ctx.fillRect(W - lw - 8, y - 1, lw + 6, 12);
  ctx.fillStyle = colour('text-dim');
  ctx.fillText(label, W - lw - 5, y + 5);
}

// Levels of maxima of a series (level 0 is the series, each next level the maxima of
// pairs of the one below), built on first use and kept on the buffer.
function maxPyramid(buf, name, arr) {
  if (!buf.pyramids) buf.pyramids = {};
  let levels = buf.pyramids[name];
  if (!levels) {
    levels = [arr];
    let a = arr;
    while (a.length > 1) {
      const b = new Float64Array((a.length + 1) >> 1);
      const pairs = a.length >> 1;
      for (let i = 0; i < pairs; i++) {
        const x = a[2 * i];
        const y = a[2 * i + 1];
        b[i] = x > y ? x : y;
      }
      if (a.length & 1) b[pairs] = a[a.length - 1];
      levels.push(b);
      a = b;
    }
    buf.pyramids[name] = levels;
  }
  return levels;
}

// Maximum of series[a..b) (b > a) from its pyramid.
function rangeMax(levels, a, b) {
  let m = -Infinity;
  for (let l = 0; a < b; l++) {
    const arr = levels[l];
    if (a & 1) m = Math.max(m, arr[a++]);
    if (b & 1) m = Math.max(m, arr[--b]);
    a >>= 1;
    b >>= 1;
  }
  return m;
}

function strokeSeries(ctx, pts, yOf, col, lw, dash) {
  ctx.beginPath();
  for (let p = 0; p < pts.length; p += 2) {
    const x = pts[p];
    const yy = Math.round(yOf(pts[p + 1])) + 0.5;
    if (p === 0) ctx.moveTo(x, yy);
    else ctx.lineTo(x, yy);
  }
  ctx.strokeStyle = col;
  ctx.lineWidth = lw;
  ctx.setLineDash(dash || []);
  ctx.stroke();
  ctx.setLineDash([]);
}

// ---------------------------------------------------------------- ring cards

class RingCard {
  constructor(app, m, mi, buf, compare) {
    this.app = app;
    this.m = m;
    this.mi = mi;
    this.buf = buf;
    const o = buf.obj;
    this.canvas = el('canvas', { class: 'ring-canvas', role: 'img' });
    this.lines = {
      at: el('div', { class: 'ring-at' }),
      occ: el('div', { class: 'ring-occ' }),
      counters: el('div', { class: 'ring-counters' }),
      wrap: el('div', { class: 'ring-wrap-note' }),
      cap: el('div', { class: 'ring-cap' }),
      src: el('div', { class: 'ring-src' }),
      peak: el('div', { class: 'ring-peak' }),
      owners: ownersLegend(buf),
    };
    const prev = el('button', { type: 'button', class: 'btn small', onclick: () => this.step(-1) }, tr('pipe_prevChange'));
    const next = el('button', { type: 'button', class: 'btn small', onclick: () => this.step(1) }, tr('pipe_nextChange'));
    this.el = el(
      'div',
      {
        class: 'ring-card',
        dataset: {
          trace: mi,
          obj: o.id,
          capacity: o.capacity,
          maxOcc: buf.maxOcc,
          maxSlots: buf.maxSlots,
          maxCap: buf.maxCap,
        },
      },
      el('h3', null, compare ? el('span', { class: 'trace-tag', text: mi ? 'B' : 'A' }) : null, bufferTitle(o)),
      buf.fdLabel() ? el('div', { class: 'ring-fds', text: buf.fdLabel() }) : null,
      el(
        'div',
        { class: 'ring-body' },
        this.canvas,
        el('div', { class: 'ring-text' }, this.lines.at, this.lines.occ, this.lines.counters, this.lines.wrap, this.lines.cap, this.lines.src, this.lines.peak, this.lines.owners, el('div', { class: 'ring-nav' }, prev, next)),
      ),
    );
  }

  // Move the cursor to the previous/next sample where bytes or slots change.
  step(dir) {
    const buf = this.buf;
    const T = this.app.state.cursor;
    const cur = bufferAt(buf, T);
    let j = upperBound(buf.sT, T) - 1;
    if (dir > 0) {
      for (j = j + 1; j < buf.n; j++) {
        if (buf.sOcc[j] !== cur.occ || buf.sSlots[j] !== cur.slots) {
          this.app.setCursor(buf.sT[j], true);
          return;
        }
      }
    } else {
      // back to the start of the current state, then to the state before it
      let a = j;
      while (a > 0 && buf.sOcc[a - 1] === cur.occ && buf.sSlots[a - 1] === cur.slots) a--;
      if (a > 0) {
        const prevOcc = buf.sOcc[a - 1];
        const prevSlots = buf.sSlots[a - 1];
        let b = a - 1;
        while (b > 0 && buf.sOcc[b - 1] === prevOcc && buf.sSlots[b - 1] === prevSlots) b--;
        this.app.setCursor(buf.sT[b], true);
      } else if (a === 0 && j >= 0) this.app.setCursor(Math.max(0, buf.sT[0] - 1), true);
    }
  }

  render(T) {
    const buf = this.buf;
    const m = this.m;
    const s = bufferAt(buf, T);
    const head = s.ring > 0 ? (s.tail + s.slots) % s.ring : 0;
    const ds = this.el.dataset;
    ds.t = String(T);
    ds.occBytes = String(s.occ);
    ds.slots = String(s.slots);
    ds.slotsMax = String(s.slotsMax);
    ds.ringSize = String(s.ring);
    ds.head = String(head);
    ds.tail = String(s.tail);
    ds.phase = s.phase || 'none';
    ds.ev = String(s.ev);
    this.lines.at.textContent = tr('atCursor', { t: fmtTime(T) });
    this.lines.occ.textContent = tr('pipe_occLine', { bytes: s.occ, slots: s.slots, max: s.slotsMax });
    const c = ringCounters(s);
    ds.headCount = String(c.head);
    ds.tailCount = String(c.tail);
    ds.ringState = c.state;
    this.lines.counters.textContent = c.text;
    // head and tail on one slot: say why that can be full as well as empty
    this.lines.wrap.textContent = head === s.tail ? tr('pipe_wrapNote', { max: s.slotsMax }) : '';
    this.lines.cap.textContent = tr('pipe_capLine', { cap: s.slotsMax * buf.page, max: s.slotsMax, page: buf.page, ring: s.ring });
    if (s.ev >= 0) this.lines.src.textContent = sourceLine(m, s);
    else this.lines.src.textContent = tr('pipe_notYet');
    this.lines.peak.textContent = tr('pipe_maxLine', { bytes: buf.maxOcc, slots: buf.maxSlots });
    this.canvas.setAttribute('aria-label', this.lines.occ.textContent);
    // the slots' writers: replayed at most once per sample the cursor shows
    if (this.ownSample !== s.sample || this.ownFrom !== buf.own) {
      this.ownSample = s.sample;
      this.ownFrom = buf.own; // none until the model's later work is done
      this.pages = pagesAt(buf, s.sample);
    }
    if (!this.lines.owners && buf.writers && (this.lines.owners = ownersLegend(buf))) this.lines.peak.after(this.lines.owners);
    ds.slotOwners = ownersText(this.pages);
    drawRing(this.canvas, s, head, buf.page, this.pages, buf.colourOf);
  }
}

// "slot colours: the writing process ■ writer-A 26679 ■ ...": the pipe's writers with
// their colours; null when nobody wrote to it.
function ownersLegend(buf) {
  if (!buf.writers || !buf.writers.length) return null;
  const items = buf.writers.map((w) => {
    const sw = el('span', { class: 'ring-owner-sw' });
    sw.style.background = colour(buf.colourOf(w.pid));
    return el('span', { class: 'ring-owner', dataset: { pid: w.pid } }, sw, w.name);
  });
  return el('div', { class: 'ring-owners' }, el('span', { class: 'ring-owners-what', text: tr('pipe_ownersLegend') }), items);
}

// The ring's head and tail as the kernel keeps them: free-running counters (unsigned
// ints, pipe_index_t from 6.14, that wrap only at their type's limit), an index being
// counter % ring_size. The trace gives the slots in use (head - tail); the tail is
// counted from 0 at the first sample, so these are the kernel's counters less what the
// pipe moved before the trace.
function ringCounters(s) {
  const tail = s.tailRun;
  const head = tail + s.slots;
  const state = s.slots === 0 ? 'empty' : s.slots >= s.slotsMax ? 'full' : 'part';
  const word = state === 'part' ? tr('pipe_state_part', { free: s.slotsMax - s.slots }) : tr('pipe_state_' + state);
  return { head, tail, state, text: tr('pipe_counters', { head, tail, used: s.slots, state: word }) };
}

function drawRing(canvas, s, head, page, pages, colourOf) {
  const R = Math.max(1, s.ring);
  if (R > 128) return drawRingGrid(canvas, s, head, pages, colourOf);
  const size = 230;
  const ctx = fitCanvas(canvas, size, size);
  ctx.clearRect(0, 0, size, size);
  const cx = size / 2;
  const cy = size / 2;
  const rOut = 86;
  const rIn = 56;
  const step = (Math.PI * 2) / R;
  const gap = Math.min(0.03, step * 0.12);
  const ang = (j) => -Math.PI / 2 + j * step;
  const used = (j) => ((j - s.tail + R) % R) < s.slots;
  const lastUsed = (s.tail + s.slots - 1 + R) % R;
  // fill estimate for the newest slot: pages before it are taken as full
  const lastFrac = s.slots > 0 ? Math.max(0.08, Math.min(1, (s.occ - (s.slots - 1) * page) / page)) : 0;
  for (let j = 0; j < R; j++) {
    const a0 = ang(j) + gap / 2;
    const a1 = ang(j + 1) - gap / 2;
    sector(ctx, cx, cy, rIn, rOut, a0, a1);
    ctx.fillStyle = j >= s.slotsMax && !used(j) ? colour('ring-off') : colour('ring-free');
    ctx.fill();
    if (used(j) && pages) {
      drawPieces(ctx, pages[(j - s.tail + R) % R], page, colourOf, (f0, f1) => sector(ctx, cx, cy, rIn + (rOut - rIn) * f0, rIn + (rOut - rIn) * f1, a0, a1));
    } else if (used(j)) {
      const f = j === lastUsed ? lastFrac : 1;
      sector(ctx, cx, cy, rIn, rIn + (rOut - rIn) * f, a0, a1);
      ctx.fillStyle = colour('occ');
      ctx.fill();
    }
    sector(ctx, cx, cy, rIn, rOut, a0, a1);
    ctx.strokeStyle = colour('ring-line');
    ctx.lineWidth = 1;
    ctx.stroke();
  }
  // head and tail marks on the slot boundaries
  const mark = (j, label, col, outer) => {
    const a = ang(j);
    const r1 = outer ? rOut + 12 : rIn - 12;
    ctx.strokeStyle = col;
    ctx.lineWidth = 2.5;
    ctx.beginPath();
    ctx.moveTo(cx + Math.cos(a) * rIn, cy + Math.sin(a) * rIn);
    ctx.lineTo(cx + Math.cos(a) * r1, cy + Math.sin(a) * r1);
    ctx.stroke();
    ctx.fillStyle = col;
    ctx.font = 'bold 11px ' + getComputedStyle(document.body).fontFamily;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    const rl = outer ? rOut + 22 : rIn - 22;
    ctx.fillText(label, cx + Math.cos(a) * rl, cy + Math.sin(a) * rl);
  };
  if (head === s.tail) {
    mark(head, tr('pipe_head') + '=' + tr('pipe_tail'), colour('cursor'), true);
  } else {
    mark(head, tr('pipe_head'), colour('cursor'), true);
    mark(s.tail, tr('pipe_tail'), colour('text'), true);
  }
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  ctx.fillStyle = colour('text');
  ctx.font = 'bold 17px ' + getComputedStyle(document.body).fontFamily;
  ctx.fillText(s.occ + ' B', cx, cy - 8);
  ctx.font = '12px ' + getComputedStyle(document.body).fontFamily;
  ctx.fillStyle = colour('text-dim');
  ctx.fillText(s.slots + ' / ' + s.slotsMax, cx, cy + 12);
  const state = ringCounters(s).state;
  if (state !== 'part') {
    ctx.font = 'bold 12px ' + getComputedStyle(document.body).fontFamily;
    ctx.fillStyle = colour(state === 'full' ? 'cursor' : 'text-dim');
    ctx.fillText(tr('pipe_state_' + state), cx, cy + 28);
  }
  ctx.textAlign = 'left';
}

// A page's bytes from the inside out, each writer's in its colour (the bytes already
// read from it left empty); shape(f0, f1) traces the part between the fractions f0, f1.
function drawPieces(ctx, p, page, colourOf, shape) {
  let f = p.off / page;
  for (const [who, n] of p.pieces) {
    const f1 = Math.min(1, f + n / page);
    shape(f, f1);
    ctx.fillStyle = colour(who < 0 ? 'occ' : colourOf(who));
    ctx.fill();
    f = f1;
  }
}

function sector(ctx, cx, cy, r0, r1, a0, a1) {
  ctx.beginPath();
  ctx.arc(cx, cy, r1, a0, a1);
  ctx.arc(cx, cy, r0, a1, a0, true);
  ctx.closePath();
}

// Rings too large for a circle: a grid of cells, 32 a row.
function drawRingGrid(canvas, s, head, pages, colourOf) {
  const R = s.ring;
  const cols = 32;
  const cell = 7;
  const rows = Math.ceil(R / cols);
  const w = cols * cell + 20;
  const h = rows * cell + 40;
  const ctx = fitCanvas(canvas, w, h);
  ctx.clearRect(0, 0, w, h);
  for (let j = 0; j < R; j++) {
    const x = 10 + (j % cols) * cell;
    const y = 24 + Math.floor(j / cols) * cell;
    const used = ((j - s.tail + R) % R) < s.slots;
    // a cell is too small to share: the colour of the writer of most of its bytes
    ctx.fillStyle = used ? cellColour(pages && pages[(j - s.tail + R) % R], colourOf) : colour('ring-free');
    ctx.fillRect(x, y, cell - 1, cell - 1);
  }
  ctx.fillStyle = colour('text');
  ctx.font = '12px ' + getComputedStyle(document.body).fontFamily;
  ctx.fillText(s.occ + ' B · ' + s.slots + ' / ' + s.slotsMax + ' · ' + tr('pipe_head') + ' ' + head + ' · ' + tr('pipe_tail') + ' ' + s.tail, 10, 12);
}

function cellColour(p, colourOf) {
  if (!p || !p.pieces.length) return colour('occ');
  let best = p.pieces[0];
  for (const x of p.pieces) if (x[1] > best[1]) best = x;
  return colour(best[0] < 0 ? 'occ' : colourOf(best[0]));
}

// ---------------------------------------------------------------- the module

const KINDS = ['pipe', 'fifo'];

function checkObject(o, bad) {
  for (const f of ['capacity', 'slots', 'ring_size', 'inode']) {
    if (!Number.isInteger(o[f]) || o[f] < 0) bad(f, 'must be an integer ≥ 0');
  }
}

// Tooltip lines for the buffer lane at time t.
function bufferLines(m, buf, t) {
  const s = bufferAt(buf, t);
  const o = buf.obj;
  const lines = [bufferTitle(o), tr('pipe_tip_occ', { t: fmtTime(t) }) + ': ' + tr('pipe_occLine', { bytes: s.occ, slots: s.slots, max: s.slotsMax })];
  lines.push(tr('pipe_tip_cap', { cap: s.slotsMax * buf.page, max: s.slotsMax }));
  if (s.ev >= 0) lines.push(sourceLine(m, s));
  else lines.push(tr('pipe_notYet'));
  return lines;
}

// "state after pipe_write #165 (writer 32469)": the event a buffer state comes from.
function sourceLine(m, s) {
  const e = m.ev(s.ev);
  return tr('pipe_fromEvent', {
    phase: s.phase === 'after' ? tr('pipe_phaseAfter') : tr('pipe_phaseBefore'),
    type: e.type,
    i: s.ev,
    who: (m.procByPid.get(e.pid) || { comm: '?' }).comm + ' ' + e.pid,
  });
}

const LANE_H = 70;

// The timeline lane of one pipe/FIFO: its occupancy (drawOccupancy).
class PipeLane {
  constructor(buf) {
    this.buf = buf;
    this.key = 'pipe:' + buf.obj.id;
    this.objIds = [buf.obj.id];
    this.height = LANE_H;
    this.labelClass = 'buffer';
  }
  label() {
    const o = this.buf.obj;
    // in the language of the moment: the label is asked for again when it changes
    const fds = this.buf.fdLabel();
    return {
      name: (o.kind === 'fifo' ? tr('pipe_kind_fifo') : tr('pipe_kind_pipe')) + ' #' + o.id,
      // who holds it by which fd, where known, instead of the inode (in the title)
      subs: [
        fds,
        o.kind === 'fifo' && o.path ? o.path : fds ? '' : tr('inode') + ' ' + o.inode,
        tr('pipe_lane_buffer_sub', { cap: this.buf.maxCap, slots: this.buf.maxCap / this.buf.page }),
      ].filter(Boolean),
      title: bufferTitle(o) + (fds ? '\n' + fds : ''),
    };
  }
  draw(ctx, y, h, t0, t1, k, W) {
    drawOccupancy(ctx, this.buf, y + 8, h - 16, t0, t1, k, W);
  }
  tip(m, t) {
    return bufferLines(m, this.buf, t);
  }
}

// The pipes' occupancy series from the columns: every pipe_read/pipe_write on a pipe
// samples it, every other syscall on it samples its capacity (slots_max); a read or write
// of bytes > 0 is a copy.
function build(ctx) {
  const { doc, cols, TY } = ctx;
  const { code, obj, pipeRow, te } = cols;
  const bytes = cols.pipe.bytes; // by pipeRow
  const pipeEvents = new Map(); // obj id -> [event index]
  const capEvents = new Map(); // obj id -> [syscalls that sampled its slots_max]
  const copyEvents = [];
  const sleeps = new Map(); // tid -> [block event index]: when a writer could not copy
  const push = (map, o, i) => {
    let l = map.get(o);
    if (!l) map.set(o, (l = []));
    l.push(i);
  };
  let lastObj = -1;
  let lastList = null; // pipeEvents of lastObj: most events are on the pipe of the one before
  for (let i = 0; i < cols.n; i++) {
    const c = code[i];
    const o = obj[i];
    if (c === TY.block) push(sleeps, cols.tid[i], i);
    if (o < 0) continue;
    if (c === TY.syscall && pipeRow[i] >= 0) push(capEvents, o, i);
    else if (c === TY.pipe_read || c === TY.pipe_write) {
      if (o !== lastObj) {
        lastList = pipeEvents.get(o) || pipeEvents.set(o, []).get(o);
        lastObj = o;
      }
      lastList.push(i);
      if (bytes[pipeRow[i]] > 0) copyEvents.push(i);
    }
  }
  if (!ctx.sorted) for (const [tid, l] of sleeps) sleeps.set(tid, ctx.sortByKey(Int32Array.from(l), ctx.ts));
  // a process's colour (its name for colour()): by its place in the trace's processes
  const procIndex = new Map(doc.processes.map((p, n) => [p.pid, n]));
  const colours = new Map(); // pid -> its colour's name (one string per process, not per copy)
  const colourOf = (pid) => colours.get(pid) ?? colours.set(pid, procColourName(procIndex.get(pid) ?? 0)).get(pid);
  const lanes = [];
  const laneOfObj = new Map();
  for (const o of doc.objects) {
    if (!KINDS.includes(o.kind)) continue;
    const pl = Int32Array.from(pipeEvents.get(o.id) || []);
    if (!ctx.sorted) ctx.sortByKey(pl, ctx.ts);
    const buf = buildBuffer(o, pl, Int32Array.from(capEvents.get(o.id) || []), ctx);
    buf.fdLabel = fdLabeller(o, pl, ctx);
    buf.colourOf = colourOf;
    // whose bytes fill the slots: for the ring cards only, so after the first frame
    ctx.later(() => {
      const calls = { bytesOf: (i) => bytes[pipeRow[i]], isWrite: (i) => code[i] === TY.pipe_write, pid: cols.pid, tid: cols.tid, ts: cols.ts, te };
      buildOwners(buf, ownerOps(buf, calls, sleeps));
      buf.writers = writersOf(buf, ctx.procName);
    });
    const lane = new PipeLane(buf);
    lanes.push(lane);
    laneOfObj.set(o.id, lane);
  }
  const copies = new CopyList(ctx.sortByKey(Int32Array.from(copyEvents), te), (i) => {
    const write = code[i] === TY.pipe_write;
    // a write's arrow in its writer's colour, as the slots it fills
    const c = { ev: i, lane: laneOfObj.get(obj[i]), band: BAND, write, bytes: bytes[pipeRow[i]] };
    if (write) c.colour = colourOf(cols.pid[i]);
    return c;
  });
  return { lanes, copies, buffers: lanes.map((l) => l.buf) };
}
const BAND = [0, 1]; // the copy arrows end at the lane's edge

// Who holds the pipe by which fd: "sort fd 1 → head fd 0", from the fds of the writes
// (left of the arrow) and the reads (right). The fd is not in the columns, so one event
// is read per process, direction and fd seen before (a process mostly keeps its fd).
// Without reads or writes, the fds pipe() returned to its creator. The fds are found once;
// the returned function words them in the language of the moment (the 中文 button).
function fdLabeller(o, pl, ctx) {
  const { code } = ctx.cols;
  const sides = [new Map(), new Map()]; // write, read: pid -> [fd]
  const seen = [new Set(), new Set()]; // write, read: pids (numbers: no string per event)
  for (let q = 0; q < pl.length; q++) {
    const i = pl[q];
    const side = code[i] === ctx.TY.pipe_write ? 0 : 1;
    const pid = ctx.cols.pid[i];
    if (seen[side].has(pid)) continue;
    seen[side].add(pid);
    const fd = ctx.ev(i).fd;
    if (!Number.isInteger(fd) || fd < 0) continue; // io_uring, kernel writers
    sides[side].set(pid, [fd]);
  }
  const procName = ctx.procName;
  if (!sides[0].size && !sides[1].size) {
    if (!Array.isArray(o.fds) || o.creator === null || o.creator === undefined) return () => '';
    return () => tr('fd_of', { name: procName(o.creator), fds: o.fds.join(', ') });
  }
  return () => fdFlow(sides[0], sides[1], procName);
}

function legend() {
  return {
    spans: [
      ['sw-write', tr('pipe_legendWrite')],
      ['sw-read', tr('pipe_legendRead')],
    ],
    lane: [
      ['sw-copy', tr('legendCopy')],
      ['sw-occ', tr('pipe_legendOcc')],
      ['sw-slots', tr('pipe_legendSlots')],
      ['sw-cap', tr('pipe_legendCap')],
    ],
  };
}

function cards(app, m, mi, compare) {
  return m.mech.pipe.buffers.map((buf) => new RingCard(app, m, mi, buf, compare));
}

export const pipeMechanism = {
  name: 'pipe',
  kinds: KINDS,
  // read by the line reader into columns (events.js); here for their colour
  spanTypes: [
    { type: 'pipe_read', cat: 'read' },
    { type: 'pipe_write', cat: 'write' },
  ],
  layout: 'between',
  checkObject,
  build,
  legend,
  cards,
  cardsTitle: () => tr('pipe_buffer'),
  cardsNote: () => tr('pipe_ringNote'),
  objectName: (o) => (o.kind === 'fifo' ? tr('pipe_kind_fifo') : tr('pipe_kind_pipe')) + ' #' + o.id,
};
PipeLane.prototype.mech = pipeMechanism;
