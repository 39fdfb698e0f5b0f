// The kernel buffer of each pipe/FIFO: its occupancy over time (a lane of the timeline)
// and a drawing of its ring of slots at the cursor time (the "Kernel buffer" panel).
//
// The ring card exposes what it shows as data attributes, for tests and tools:
//   data-obj, data-trace, data-t (cursor time), data-occ-bytes, data-slots,
//   data-slots-max, data-ring-size, data-head, data-tail, data-phase, data-ev,
//   data-capacity (objects[].capacity), data-max-occ, data-max-slots, data-max-cap.

import { el, clear, fitCanvas, colour } from './dom.js';
import { t as tr } from './i18n.js';
import { fmtTime } from './format.js';
import { bufferAt, upperBound, lowerBound } from './model.js';

export function bufferTitle(o) {
  if (o.kind === 'fifo') return tr('fifo') + ' #' + o.id + (o.path ? ' ' + o.path : '');
  return tr('pipe') + ' #' + o.id + ' (' + tr('inode') + ' ' + o.inode + ')';
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
  const label = fit ? maxV + ' B · ' + tr('legendCap') + ' ' + buf.maxCap + ' B ↑' : maxV + ' B';
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
      for (let i = 0; i < b.length; i++) b[i] = 2 * i + 1 < a.length ? Math.max(a[2 * i], a[2 * i + 1]) : a[2 * i];
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

function niceCeil(v) {
  const p = Math.pow(10, Math.floor(Math.log10(v)));
  for (const m of [1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) if (p * m >= v) return p * m;
  return p * 10;
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

// ---------------------------------------------------------------- ring panel

export class RingPanel {
  constructor(app) {
    this.app = app;
    this.el = el('section', { class: 'panel ring-panel', id: 'buffer-panel' });
    this.cards = [];
  }

  setModels(models) {
    clear(this.el);
    this.cards = [];
    this.el.appendChild(el('h2', { text: tr('buffer') }));
    const wrap = el('div', { class: 'ring-cards' });
    models.forEach((m, mi) => {
      if (!m.buffers.length) {
        wrap.appendChild(el('p', { class: 'muted', text: (models.length > 1 ? (mi ? 'B: ' : 'A: ') : '') + tr('noBuffers') }));
      }
      for (const buf of m.buffers) {
        const card = new RingCard(this.app, m, mi, buf, models.length > 1);
        this.cards.push(card);
        wrap.appendChild(card.el);
      }
    });
    this.el.appendChild(wrap);
    if (models.some((m) => m.buffers.length)) this.el.appendChild(el('p', { class: 'note', text: tr('ringNote') }));
  }

  render() {
    for (const c of this.cards) c.render(this.app.state.cursor);
  }
}

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
      cap: el('div', { class: 'ring-cap' }),
      src: el('div', { class: 'ring-src' }),
      peak: el('div', { class: 'ring-peak' }),
    };
    const prev = el('button', { type: 'button', class: 'btn small', onclick: () => this.step(-1) }, tr('prevChange'));
    const next = el('button', { type: 'button', class: 'btn small', onclick: () => this.step(1) }, tr('nextChange'));
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
      el(
        'div',
        { class: 'ring-body' },
        this.canvas,
        el('div', { class: 'ring-text' }, this.lines.at, this.lines.occ, this.lines.cap, this.lines.src, this.lines.peak, el('div', { class: 'ring-nav' }, prev, next)),
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
    this.lines.occ.textContent = tr('occLine', { bytes: s.occ, slots: s.slots, max: s.slotsMax });
    this.lines.cap.textContent = tr('capLine', { cap: s.slotsMax * buf.page, max: s.slotsMax, page: buf.page, ring: s.ring });
    if (s.ev >= 0) {
      const e = m.ev(s.ev);
      const p = m.procByPid.get(e.pid);
      this.lines.src.textContent = tr('fromEvent', {
        phase: s.phase === 'after' ? tr('phaseAfter') : tr('phaseBefore'),
        type: e.type,
        i: s.ev,
        who: (p ? p.comm : '?') + ' ' + e.pid,
      });
    } else this.lines.src.textContent = tr('notYet');
    this.lines.peak.textContent = tr('maxLine', { bytes: buf.maxOcc, slots: buf.maxSlots });
    this.canvas.setAttribute('aria-label', this.lines.occ.textContent);
    drawRing(this.canvas, s, head, buf.page);
  }
}

function drawRing(canvas, s, head, page) {
  const R = Math.max(1, s.ring);
  if (R > 128) return drawRingGrid(canvas, s, head);
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
    if (used(j)) {
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
    mark(head, tr('head') + '=' + tr('tail'), colour('cursor'), true);
  } else {
    mark(head, tr('head'), colour('cursor'), true);
    mark(s.tail, tr('tail'), colour('text'), true);
  }
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  ctx.fillStyle = colour('text');
  ctx.font = 'bold 17px ' + getComputedStyle(document.body).fontFamily;
  ctx.fillText(s.occ + ' B', cx, cy - 8);
  ctx.font = '12px ' + getComputedStyle(document.body).fontFamily;
  ctx.fillStyle = colour('text-dim');
  ctx.fillText(s.slots + ' / ' + s.slotsMax, cx, cy + 12);
  ctx.textAlign = 'left';
}

function sector(ctx, cx, cy, r0, r1, a0, a1) {
  ctx.beginPath();
  ctx.arc(cx, cy, r1, a0, a1);
  ctx.arc(cx, cy, r0, a1, a0, true);
  ctx.closePath();
}

// Rings too large for a circle: a grid of cells, 32 a row.
function drawRingGrid(canvas, s, head) {
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
    ctx.fillStyle = used ? colour('occ') : colour('ring-free');
    ctx.fillRect(x, y, cell - 1, cell - 1);
  }
  ctx.fillStyle = colour('text');
  ctx.font = '12px ' + getComputedStyle(document.body).fontFamily;
  ctx.fillText(s.occ + ' B · ' + s.slots + ' / ' + s.slotsMax + ' · ' + tr('head') + ' ' + head + ' · ' + tr('tail') + ' ' + s.tail, 10, 12);
}
