// The timeline: one lane per process (its syscalls as spans, blocked intervals under
// them: hatched when waiting on an object, light and dotted when asleep of its own accord
// (blocks.js), signals/exits/... as markers), the mechanism modules' lanes (a pipe's occupancy, a
// socket link's queues: mechanisms.js) and the copies between them as arrows. Drawn on canvases; only what is visible is
// visited (binary search on start times), and when more events fall in the view than
// there are pixel columns they are accumulated per column instead of drawn one by one.
//
// In compare mode there are two tracks (one per trace) under one shared time axis.

import { el, clear, fitCanvas, colour, fillTextFit } from './dom.js';
import { t as tr } from './i18n.js';
import { fmtTick, tickStep, fmtTime, eventLines, errorName } from './format.js';
import { TY, layerRange } from './model.js';
import { lowerBound, upperBound } from './bsearch.js';
import { drawCopies } from './copies.js';
import { drawWakes } from './wakes.js';
import { MECH_SPAN } from './events.js';
import { MECHANISMS } from './mechanisms.js';
import { blockText } from './blocks.js';
import { traceTitle, traceFile } from './titles.js';

const GUTTER = 168; // lane labels, CSS px
const AXIS_H = 30;
const PAD = 12; // lane padding
const ROW_H = 20; // one thread row
const BAR_H = 14; // span bar height inside a row

export class Timeline {
  constructor(app) {
    this.app = app;
    this.tracks = [];
    this.width = 800;
    this.hoverX = null;
    this.el = el('section', { class: 'panel timeline-panel', id: 'timeline', 'aria-label': 'timeline' });
    this.head = el('div', { class: 'panel-head' });
    this.el.appendChild(this.head);
    this.axisRow = el('div', { class: 'tl-axis-row' });
    this.axisLabel = el('div', { class: 'tl-axis-label' });
    this.axis = el('canvas', { class: 'tl-axis', title: '' });
    this.axisRow.append(this.axisLabel, this.axis);
    this.tracksEl = el('div', { class: 'tl-tracks' });
    this.note = el('div', { class: 'tl-note', role: 'status' });
    this.el.append(this.axisRow, this.tracksEl, this.note);
    this.bindAxis();
    this.bindKeys();
    this.resizeObs = new ResizeObserver(() => this.app.invalidate());
    this.resizeObs.observe(this.el);
  }

  // ------------------------------------------------------------ structure

  setModels(models) {
    clear(this.tracksEl);
    this.tracks = models.map((m, mi) => new Track(this, m, mi, models.length > 1));
    for (const tk of this.tracks) this.tracksEl.appendChild(tk.el);
    this.buildHead();
  }

  buildHead() {
    const app = this.app;
    clear(this.head);
    const stray = this.tracks.reduce((s, tk) => s + tk.m.strayFaults, 0);
    // the mechanism modules with something in some track (a lane, or what their present()
    // says), for their legend items: their spans first, their markers after the core's,
    // their lanes' items last (an item two modules give alike is shown once)
    const present = (mc) => this.tracks.some((tk) => (mc.present ? mc.present(tk.m) : tk.m.mechLanes.some((l) => l.mech === mc)));
    const legends = MECHANISMS.filter(present).map((mc) => mc.legend());
    const part = (name) => legends.flatMap((l) => l[name] || []);
    const laneItems = part('lane').filter(([cls, text], j, all) => all.findIndex(([c, t]) => c === cls && t === text) === j);
    const copiesShown = laneItems.some(([cls]) => cls === 'sw-copy');
    const legend = el(
      'ul',
      { class: 'legend' },
      part('spans').map(([cls, text]) => legendItem(cls, text)),
      legendItem('sw-syscall', tr(copiesShown ? 'legendSyscall' : 'legendSyscallAll')),
      legendItem('sw-block', tr('legendWait')),
      legendItem('sw-sleep', tr('legendSleep')),
      legendItem('sw-wake', tr('legendWake')),
      legendItem('sw-signal', tr('legendSignal')),
      legendItem('sw-exit', tr('legendExit')),
      legendItem('sw-proc', tr('legendProc')),
      part('marks').map(([cls, text]) => legendItem(cls, text)),
      laneItems.map(([cls, text]) => legendItem(cls, text)),
    );
    const copies = el('input', { type: 'checkbox', id: 'opt-copies', checked: app.state.showCopies });
    copies.addEventListener('change', () => app.setOption('showCopies', copies.checked));
    const controls = el(
      'div',
      { class: 'tl-controls' },
      copiesShown ? el('label', { class: 'check' }, copies, tr('showCopies')) : null,
      null,
      el('button', { type: 'button', class: 'btn small', id: 'reset-view', onclick: () => app.resetView() }, tr('resetView')),
    );
    if (stray > 0) {
      const cb = el('input', { type: 'checkbox', id: 'opt-stray', checked: app.state.showStray });
      cb.addEventListener('change', () => app.setOption('showStray', cb.checked));
      controls.insertBefore(el('label', { class: 'check' }, cb, tr('showStray', { n: stray })), controls.querySelector('#reset-view'));
    }
    this.head.append(el('h2', { text: tr('timeline') }), legend, controls, el('p', { class: 'help', text: tr('timelineHelp') }));
  }

  // ------------------------------------------------------------ input

  timeAtX(x) {
    const { t0, t1 } = this.app.state.view;
    return t0 + (x / this.width) * (t1 - t0);
  }

  bindAxis() {
    const axis = this.axis;
    let dragging = false;
    const setFromEvent = (ev) => {
      const r = axis.getBoundingClientRect();
      const x = Math.max(0, Math.min(this.width, ev.clientX - r.left));
      this.app.setCursor(Math.round(this.timeAtX(x)));
    };
    axis.addEventListener('pointerdown', (ev) => {
      if (ev.button !== 0) return;
      dragging = true;
      try {
        axis.setPointerCapture(ev.pointerId);
      } catch (e) {
        /* synthetic pointers */
      }
      setFromEvent(ev);
      ev.preventDefault();
    });
    axis.addEventListener('pointermove', (ev) => {
      if (dragging) setFromEvent(ev);
    });
    const stop = () => {
      dragging = false;
    };
    axis.addEventListener('pointerup', stop);
    axis.addEventListener('pointercancel', stop);
    axis.addEventListener('wheel', (ev) => this.onWheel(ev, axis), { passive: false });
  }

  onWheel(ev, target) {
    ev.preventDefault();
    const r = target.getBoundingClientRect();
    const x = ev.clientX - r.left;
    let dy = ev.deltaY;
    let dx = ev.deltaX;
    if (ev.deltaMode === 1) {
      dy *= 16;
      dx *= 16;
    }
    if (ev.shiftKey && !dx) {
      dx = dy;
      dy = 0;
    }
    if (Math.abs(dx) > Math.abs(dy)) {
      const { t0, t1 } = this.app.state.view;
      const d = (dx / this.width) * (t1 - t0);
      this.app.setView(t0 + d, t1 + d);
    } else if (dy) {
      this.zoomAt(x, Math.exp(dy * 0.0015));
    }
  }

  zoomAt(x, factor) {
    const { t0, t1 } = this.app.state.view;
    const at = this.timeAtX(x);
    this.app.setView(at - (at - t0) * factor, at + (t1 - at) * factor);
  }

  pan(fraction) {
    const { t0, t1 } = this.app.state.view;
    const d = (t1 - t0) * fraction;
    this.app.setView(t0 + d, t1 + d);
  }

  bindKeys() {
    document.addEventListener('keydown', (ev) => {
      if (!this.tracks.length) return;
      if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
      const tag = ev.target && ev.target.tagName;
      if (tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT') return;
      const x = this.hoverX !== null ? this.hoverX : this.width / 2;
      let handled = true;
      switch (ev.key) {
        case 'w':
        case 'W':
        case 'ArrowUp':
          this.zoomAt(x, 0.8);
          break;
        case 's':
        case 'S':
        case 'ArrowDown':
          this.zoomAt(x, 1.25);
          break;
        case 'a':
        case 'A':
        case 'ArrowLeft':
          this.pan(-0.15);
          break;
        case 'd':
        case 'D':
        case 'ArrowRight':
          this.pan(0.15);
          break;
        case '0':
        case 'Home':
          this.app.resetView();
          break;
        case 'Escape':
          this.app.clearSelection();
          break;
        default:
          handled = false;
      }
      if (handled) ev.preventDefault();
    });
  }

  // ------------------------------------------------------------ drawing

  render() {
    const app = this.app;
    const st = app.state;
    const W = Math.max(200, this.tracksEl.clientWidth - GUTTER);
    this.width = W;
    const { t0, t1 } = st.view;
    this.renderAxis(W, t0, t1, st.cursor);
    let notes = [];
    for (const tk of this.tracks) {
      const r = tk.render(W, t0, t1, st);
      if (r.hiddenCopies) notes.push(tr('copiesHidden', { n: r.hiddenCopies }));
    }
    this.note.textContent = notes.join(' · ');
    const ds = this.el.dataset;
    ds.t0 = String(Math.round(t0));
    ds.t1 = String(Math.round(t1));
    ds.cursor = String(st.cursor);
    ds.width = String(W);
    ds.highlighted = st.highlight ? st.highlight.list.join(',') : '';
    ds.highlightTrace = st.highlight ? String(st.highlight.mi) : '';
    ds.selected = st.sel ? st.sel.mi + ':' + st.sel.ev : '';
  }

  // target: another context to draw on (export.js's SVG recorder), else the axis canvas
  renderAxis(W, t0, t1, cursor, target) {
    this.axisLabel.textContent = tr('cursor') + ' ' + fmtTime(cursor);
    const ctx = target || fitCanvas(this.axis, W, AXIS_H);
    ctx.clearRect(0, 0, W, AXIS_H);
    ctx.fillStyle = colour('axis-bg');
    ctx.fillRect(0, 0, W, AXIS_H);
    const k = W / (t1 - t0);
    const step = tickStep(1 / k, 90);
    const minor = step / 5;
    ctx.strokeStyle = colour('grid');
    ctx.lineWidth = 1;
    ctx.beginPath();
    for (let v = Math.ceil(t0 / minor) * minor; v <= t1; v += minor) {
      const x = Math.round((v - t0) * k) + 0.5;
      ctx.moveTo(x, AXIS_H - 5);
      ctx.lineTo(x, AXIS_H);
    }
    ctx.stroke();
    ctx.fillStyle = colour('text');
    ctx.strokeStyle = colour('text-dim');
    ctx.font = '12px ' + fontFamily();
    ctx.textBaseline = 'middle';
    ctx.beginPath();
    for (let v = Math.ceil(t0 / step) * step; v <= t1; v += step) {
      const x = Math.round((v - t0) * k) + 0.5;
      ctx.moveTo(x, AXIS_H - 10);
      ctx.lineTo(x, AXIS_H);
      const label = fmtTick(v, step, Math.max(Math.abs(t0), Math.abs(t1)));
      const w = ctx.measureText(label).width;
      ctx.fillText(label, Math.min(W - w - 2, Math.max(2, x - w / 2)), 11);
    }
    ctx.stroke();
    // cursor handle
    const cx = (cursor - t0) * k;
    if (cx >= -8 && cx <= W + 8) {
      ctx.fillStyle = colour('cursor');
      ctx.beginPath();
      ctx.moveTo(cx - 6, AXIS_H - 9);
      ctx.lineTo(cx + 6, AXIS_H - 9);
      ctx.lineTo(cx, AXIS_H);
      ctx.closePath();
      ctx.fill();
      ctx.fillRect(Math.round(cx) - 1, 0, 2, AXIS_H);
    }
    ctx.strokeStyle = colour('border');
    ctx.beginPath();
    ctx.moveTo(0, AXIS_H - 0.5);
    ctx.lineTo(W, AXIS_H - 0.5);
    ctx.stroke();
  }
}

// The tooltip of event i: its fields, and for a block first what it waited for.
function eventTip(m, i) {
  const lines = eventLines(m, i);
  const what = m.code[i] === TY.block ? blockText(m, i) : null;
  if (what) lines.splice(1, 0, what);
  return lines;
}

function legendItem(cls, text) {
  return el('li', null, el('span', { class: 'sw ' + cls, 'aria-hidden': 'true' }), text);
}

let fontCache = null;
export function fontFamily() {
  if (!fontCache) {
    fontCache = getComputedStyle(document.body).fontFamily || 'sans-serif';
  }
  return fontCache;
}

// ---------------------------------------------------------------- one trace's track

class Track {
  constructor(tl, m, mi, compare) {
    this.tl = tl;
    this.app = tl.app;
    this.m = m;
    this.mi = mi;
    this.el = el('div', { class: 'tl-track', dataset: { trace: mi } });
    if (compare) {
      this.el.appendChild(
        el('div', { class: 'tl-track-title' }, el('span', { class: 'trace-tag', text: mi === 0 ? 'A' : 'B' }), traceTitle(m), traceFile(m) ? ' · ' + traceFile(m) : ''),
      );
    }
    this.scroll = el('div', { class: 'tl-scroll' });
    this.body = el('div', { class: 'tl-body' });
    this.gutter = el('div', { class: 'tl-gutter' });
    this.canvas = el('canvas', { class: 'tl-canvas' });
    this.body.append(this.gutter, this.canvas);
    this.scroll.appendChild(this.body);
    this.el.appendChild(this.scroll);
    this.layout();
    this.bind();
  }

  layout() {
    const m = this.m;
    const rows = [];
    let y = 0;
    const addProc = (lane) => {
      const h = PAD * 2 + lane.rows * ROW_H;
      rows.push({ kind: 'proc', lane, y, h });
      y += h;
    };
    const addMech = (lane) => {
      rows.push({ kind: 'mech', lane, y, h: lane.height });
      y += lane.height;
    };
    // the lanes of modules laid out 'between' (pipes) between the processes that mostly
    // write and those that mostly read
    for (const lane of m.laneOrder.above) addProc(lane);
    for (const lane of m.laneOrder.between) addMech(lane);
    for (const lane of m.laneOrder.below) addProc(lane);
    // each mechanism lane between its senders and its receivers
    for (const g of m.laneOrder.mech) {
      for (const lane of g.above) addProc(lane);
      addMech(g.lane);
      for (const lane of g.below) addProc(lane);
    }
    this.rows = rows;
    this.height = Math.max(y, 20);
    this.rowOfLane = new Map();
    this.rowOfMech = new Map();
    for (const r of rows) {
      if (r.kind === 'proc') this.rowOfLane.set(r.lane.index, r);
      else this.rowOfMech.set(r.lane, r);
    }
    clear(this.gutter);
    this.body.style.height = this.height + 'px';
    for (const r of rows) {
      let label;
      if (r.kind === 'proc') {
        const p = r.lane.proc;
        // a name with the pid in it (two processes of one name) needs no "pid N" line
        const sub = r.lane.name === r.lane.comm ? [tr('lane_pid', { pid: r.lane.pid })] : [];
        if (r.lane.threads > 1) sub.push(tr('lane_threads', { n: r.lane.threads }));
        if (p && p.status !== null && p.status !== undefined) sub.push(tr('exitedWith', { s: p.status }));
        label = el(
          'div',
          { class: 'lane-label proc', dataset: { pid: r.lane.pid, comm: r.lane.comm }, title: r.lane.comm + ' — pid ' + r.lane.pid },
          laneName(r.lane),
          el('span', { class: 'lane-sub', text: sub.join(' · ') }),
        );
      } else {
        const l = r.lane.label();
        label = el(
          'div',
          { class: 'lane-label ' + (r.lane.labelClass || 'mech'), dataset: { obj: r.lane.objIds.join(','), key: r.lane.key }, title: l.title },
          el('span', { class: 'lane-name', text: l.name }),
          l.subs.map((t) => el('span', { class: 'lane-sub', text: t })),
        );
      }
      label.style.top = r.y + 'px';
      label.style.height = r.h + 'px';
      this.gutter.appendChild(label);
    }
    this.el.dataset.lanes = String(m.lanes.length);
    this.el.dataset.copies = String(m.mechCopies.reduce((n, mc) => n + mc.list.length, 0));
  }

  rowAtY(y) {
    for (const r of this.rows) if (y >= r.y && y < r.y + r.h) return r;
    return null;
  }

  bind() {
    const c = this.canvas;
    const app = this.app;
    let down = null;
    c.addEventListener('pointerdown', (ev) => {
      if (ev.button !== 0) return;
      down = { x: ev.clientX, y: ev.clientY, t0: app.state.view.t0, t1: app.state.view.t1, moved: false, id: ev.pointerId };
      try {
        c.setPointerCapture(ev.pointerId);
      } catch (e) {
        /* synthetic pointers */
      }
    });
    c.addEventListener('pointermove', (ev) => {
      const r = c.getBoundingClientRect();
      const x = ev.clientX - r.left;
      const y = ev.clientY - r.top;
      this.tl.hoverX = x;
      if (down) {
        const dx = ev.clientX - down.x;
        if (!down.moved && Math.abs(dx) + Math.abs(ev.clientY - down.y) > 3) down.moved = true;
        if (down.moved) {
          const d = (dx / this.tl.width) * (down.t1 - down.t0);
          app.setView(down.t0 - d, down.t1 - d);
          app.hideTooltip();
          return;
        }
      }
      this.hover(x, y, ev.clientX, ev.clientY);
    });
    c.addEventListener('pointerup', (ev) => {
      if (down && !down.moved) {
        const r = c.getBoundingClientRect();
        const h = this.hit(ev.clientX - r.left, ev.clientY - r.top);
        if (h && h.kind === 'event') app.select(this.mi, h.ev);
        else if (h && h.kind === 'mech' && h.lane.queueAt) app.selectObject(this.mi, h.lane.queueAt(h.frac).id, Math.round(h.t));
        else if (h && h.kind === 'mech') app.setCursor(Math.round(h.t));
        else app.clearSelection();
      }
      down = null;
    });
    c.addEventListener('pointercancel', () => {
      down = null;
    });
    c.addEventListener('pointerleave', () => {
      this.tl.hoverX = null;
      app.hideTooltip();
    });
    c.addEventListener('wheel', (ev) => this.tl.onWheel(ev, c), { passive: false });
  }

  hover(x, y, cx, cy) {
    const h = this.hit(x, y);
    if (!h) {
      this.app.hideTooltip();
      this.canvas.style.cursor = 'grab';
      return;
    }
    this.canvas.style.cursor = h.kind === 'event' ? 'pointer' : 'crosshair';
    if (h.kind === 'event') this.app.showTooltip(eventTip(this.m, h.ev), cx, cy);
    else this.app.showTooltip(h.lane.tip(this.m, h.t), cx, cy);
  }

  // What is under (x, y): {kind: 'event', ev} or {kind: 'mech', lane, t, frac} or null.
  hit(x, y) {
    const row = this.rowAtY(y);
    if (!row) return null;
    const { t0, t1 } = this.app.state.view;
    const k = this.tl.width / (t1 - t0);
    const t = t0 + x / k;
    if (row.kind === 'mech') return { kind: 'mech', lane: row.lane, t, frac: (y - row.y) / row.h };
    const m = this.m;
    const lane = row.lane;
    const rr = Math.max(0, Math.min(lane.rows - 1, Math.floor((y - row.y - PAD) / ROW_H)));
    const yIn = y - (row.y + PAD + rr * ROW_H);
    const tol = 4 / k;
    const { ts, te, rowOf } = m;
    // markers first (closest within 4 px)
    let best = -1;
    let bestD = Infinity;
    const scanMarkers = (layer) => {
      const lo = lowerBound(layer.t, t - tol);
      const hi = upperBound(layer.t, t + tol, lo);
      for (let j = lo; j < hi; j++) {
        const i = layer.idx[j];
        if (rowOf[i] !== rr) continue;
        const d = Math.abs(ts[i] - t);
        if (d < bestD) {
          bestD = d;
          best = i;
        }
      }
    };
    scanMarkers(lane.markers);
    if (this.app.state.showStray) scanMarkers(lane.stray);
    if (best >= 0) return { kind: 'event', ev: best };
    const inLayer = (layer) => {
      let found = -1;
      let len = Infinity;
      const visit = (i) => {
        if (rowOf[i] !== rr) return;
        if (ts[i] - tol <= t && te[i] + tol >= t) {
          const l = te[i] - ts[i];
          if (l < len) {
            len = l;
            found = i;
          }
        }
      };
      for (let j = 0; j < layer.long.length; j++) visit(layer.long[j]);
      const [lo, hi] = layerRange(layer, t - tol, t + tol);
      for (let j = lo; j < hi; j++) visit(layer.idx[j]);
      return found;
    };
    if (yIn >= BAR_H * 0.45 && yIn <= ROW_H) {
      const b = inLayer(lane.blocks);
      if (b >= 0) return { kind: 'event', ev: b };
    }
    const s = inLayer(lane.spans);
    if (s >= 0) return { kind: 'event', ev: s };
    const b = inLayer(lane.blocks);
    if (b >= 0) return { kind: 'event', ev: b };
    return null;
  }

  // Geometry of event i: {x0, x1, y, h} in canvas CSS px (x unclamped), or null.
  eventBox(i, t0, k) {
    const m = this.m;
    const row = this.rowOfLane.get(m.laneOf[i]);
    if (!row) return null;
    const y = row.y + PAD + m.rowOf[i] * ROW_H;
    return { x0: (m.ts[i] - t0) * k, x1: (m.te[i] - t0) * k, y, h: BAR_H, row };
  }

  render(W, t0, t1, st, target) {
    const m = this.m;
    const H = this.height;
    const ctx = target || fitCanvas(this.canvas, W, H);
    ctx.clearRect(0, 0, W, H);
    const k = W / (t1 - t0);
    ctx.font = '11px ' + fontFamily();
    ctx.textBaseline = 'middle';
    let stripe = 0;
    for (const r of this.rows) {
      ctx.fillStyle = r.kind !== 'proc' ? colour('buffer-bg') : stripe++ % 2 ? colour('lane-alt') : colour('lane-bg');
      ctx.fillRect(0, r.y, W, r.h);
      ctx.fillStyle = colour('border');
      ctx.fillRect(0, r.y + r.h - 1, W, 1);
    }
    drawGrid(ctx, W, H, t0, t1, k);
    for (const r of this.rows) {
      if (r.kind === 'proc') this.drawProcLane(ctx, r, t0, t1, k, W, st);
      else r.lane.draw(ctx, r.y, r.h, t0, t1, k, W);
    }
    let hiddenCopies = 0;
    let drawn = 0;
    if (st.showCopies) {
      const res = drawCopies(ctx, this, t0, t1, k, W);
      hiddenCopies = res.hidden;
      drawn = res.drawn;
    }
    this.el.dataset.wakesDrawn = String(drawWakes(ctx, this, t0, t1, k, W));
    // the modules' drawings between process lanes (signals: sender → target)
    for (const mc of MECHANISMS) if (mc.overlay) mc.overlay(ctx, this, t0, t1, k, W);
    this.el.dataset.copiesDrawn = String(drawn);
    this.el.dataset.copiesInView = String(hiddenCopies || drawn);
    // evidence highlight and selection
    if (st.highlight && st.highlight.mi === this.mi) {
      for (const i of st.highlight.list) this.outline(ctx, i, t0, k, W, colour('highlight'), 3, true);
    }
    if (st.sel && st.sel.mi === this.mi) this.outline(ctx, st.sel.ev, t0, k, W, colour('select'), 2, false);
    // cursor
    const cx = (st.cursor - t0) * k;
    if (cx >= 0 && cx <= W) {
      ctx.fillStyle = colour('cursor');
      ctx.fillRect(Math.round(cx) - 1, 0, 2, H);
    }
    return { hiddenCopies };
  }

  outline(ctx, i, t0, k, W, col, lw, fill) {
    const b = this.eventBox(i, t0, k);
    if (!b) return;
    let x0 = b.x0;
    let x1 = b.x1;
    if (x1 - x0 < 8) {
      const c = (x0 + x1) / 2;
      x0 = c - 5;
      x1 = c + 5;
    }
    if (x1 < -10 || x0 > W + 10) return;
    x0 = Math.max(-4, x0);
    x1 = Math.min(W + 4, x1);
    ctx.save();
    if (fill) {
      ctx.globalAlpha = 0.25;
      ctx.fillStyle = col;
      ctx.fillRect(x0 - 2, b.y - 3, x1 - x0 + 4, b.h + 6);
      ctx.globalAlpha = 1;
    }
    ctx.strokeStyle = col;
    ctx.lineWidth = lw;
    ctx.strokeRect(x0 - 2, b.y - 3, x1 - x0 + 4, b.h + 6);
    ctx.restore();
  }

  drawProcLane(ctx, r, t0, t1, k, W, st) {
    const m = this.m;
    const lane = r.lane;
    const yRow = (row) => r.y + PAD + row * ROW_H;
    // lifetime: a thin line from start to exit
    const p = lane.proc;
    if (p) {
      const a = Math.max(0, ((typeof p.start === 'number' ? p.start : 0) - t0) * k);
      const b = Math.min(W, ((typeof p.exit === 'number' ? p.exit : m.duration) - t0) * k);
      if (b > a) {
        ctx.fillStyle = colour('life');
        for (let row = 0; row < lane.rows; row++) ctx.fillRect(a, yRow(row) + BAR_H / 2 - 1, b - a, 2);
      }
    }
    // spans
    drawSpanLayer(ctx, m, lane.spans, lane.rows, yRow, t0, t1, k, W, false);
    // blocks (lower part of the bar: hatched, or light and dotted for a sleep)
    drawSpanLayer(ctx, m, lane.blocks, lane.rows, yRow, t0, t1, k, W, true);
    // markers
    drawMarkers(ctx, m, lane.markers, yRow, t0, t1, k, W);
    if (st.showStray) drawMarkers(ctx, m, lane.stray, yRow, t0, t1, k, W);
  }
}

function drawGrid(ctx, W, H, t0, t1, k) {
  const step = tickStep(1 / k, 90);
  ctx.fillStyle = colour('grid');
  for (let v = Math.ceil(t0 / step) * step; v <= t1; v += step) {
    ctx.fillRect(Math.round((v - t0) * k), 0, 1, H);
  }
}

// ---------------------------------------------------------------- spans

const SPAN_COLOURS = ['syscall', 'read', 'write'];
const BLOCK_COLOURS = ['block', 'sleep']; // by m.sleep[i]
// Colour category by type code: the mechanisms' span types say theirs (read or write).
const SPAN_CAT = new Uint8Array(256);
for (const mc of MECHANISMS) for (const st of mc.spanTypes) SPAN_CAT[TY[st.type]] = st.cat === 'write' ? 2 : st.cat === 'read' ? 1 : 0;
function spanCat(c) {
  return SPAN_CAT[c];
}

let hatch = null;
function blockPattern(ctx) {
  if (!hatch) {
    const c = document.createElement('canvas');
    c.width = 8;
    c.height = 8;
    drawHatch(c.getContext('2d'));
    c.ipclabTile = drawHatch; // the SVG export draws the tile again (svgrec.js)
    hatch = c;
  }
  return ctx.createPattern(hatch, 'repeat');
}

// The 8 x 8 tile of a wait: red diagonal hatching.
function drawHatch(g) {
  g.fillStyle = colour('block-bg');
  g.fillRect(0, 0, 8, 8);
  g.strokeStyle = colour('block');
  g.lineWidth = 2;
  g.beginPath();
  g.moveTo(-2, 10);
  g.lineTo(10, -2);
  g.moveTo(-2, 2);
  g.lineTo(2, -2);
  g.moveTo(6, 10);
  g.lineTo(10, 6);
  g.stroke();
}

// A sleep of the task's own: a light bar with a dotted outline, lighter than a wait.
function drawSleep(ctx, x0, y, w, h) {
  ctx.fillStyle = colour('sleep-bg');
  ctx.fillRect(x0, y, w, h);
  if (w <= 3) return;
  ctx.save();
  ctx.strokeStyle = colour('sleep');
  ctx.lineWidth = 1;
  ctx.setLineDash([2, 2]);
  ctx.strokeRect(x0 + 0.5, y + 0.5, w - 1, h - 1);
  ctx.restore();
}

// A process lane's name; one that shares its comm with another shows "comm (pid N)", its
// pid kept in view when the comm is cut short (the text stays "comm (pid N)").
function laneName(lane) {
  if (!lane.name || lane.name === lane.comm) return el('span', { class: 'lane-name', text: lane.comm });
  return el('span', { class: 'lane-name dup' }, el('span', { class: 'lane-comm', text: lane.comm + ' ' }), el('span', { class: 'lane-dup-pid', text: lane.name.slice(lane.comm.length + 1) }));
}

// Draw one layer of spans. Sparse: each span is a rectangle (labelled when wide).
// Dense (more spans in view than ~pixel columns): coverage per pixel column and row.
function drawSpanLayer(ctx, m, layer, rows, yRow, t0, t1, k, W, isBlock) {
  const { ts, te, code, rowOf, sleep } = m;
  const [lo, hi] = layerRange(layer, t0, t1);
  const count = hi - lo;
  const yOff = isBlock ? Math.round(BAR_H * 0.45) : 0;
  const h = isBlock ? BAR_H - yOff : BAR_H;
  const pattern = isBlock ? blockPattern(ctx) : null;
  const drawOne = (i) => {
    const a = te[i];
    if (a < t0) return;
    let x0 = (ts[i] - t0) * k;
    let x1 = (a - t0) * k;
    if (x0 > W) return;
    if (x0 < -2) x0 = -2;
    if (x1 > W + 2) x1 = W + 2;
    let w = x1 - x0;
    if (w < 1) w = 1;
    const y = yRow(rowOf[i]) + yOff;
    if (isBlock && sleep[i]) {
      drawSleep(ctx, x0, y, w, h);
      return;
    }
    if (isBlock) {
      ctx.fillStyle = pattern;
      ctx.fillRect(x0, y, w, h);
      if (w > 3) {
        ctx.strokeStyle = colour('block');
        ctx.lineWidth = 1;
        ctx.strokeRect(x0 + 0.5, y + 0.5, w - 1, h - 1);
      }
      return;
    }
    const cat = spanCat(code[i]);
    ctx.fillStyle = colour(SPAN_COLOURS[cat]);
    ctx.fillRect(x0, y, w, h);
    if (w > 48) {
      const e = m.ev(i);
      let label;
      if (MECH_SPAN[code[i]]) label = MECHANISMS[MECH_SPAN[code[i]] - 1].spanLabel(e);
      else if (cat === 0) label = e.name === null || e.name === undefined ? 'syscall' : String(e.name);
      else label = (cat === 2 ? 'write ' : 'read ') + (e.bytes >= 0 ? e.bytes + ' B' : errorName(e) || e.bytes);
      ctx.fillStyle = cat === 0 ? colour('text') : '#fff';
      fillTextFit(ctx, label, Math.max(x0, 0) + 4, y + h / 2 + 0.5, Math.min(x1, W) - Math.max(x0, 0) - 8);
    }
  };
  // Long spans are always drawn one by one.
  for (let j = 0; j < layer.long.length; j++) {
    const i = layer.long[j];
    if (ts[i] <= t1) drawOne(i);
  }
  if (count <= W * 0.75) {
    for (let j = lo; j < hi; j++) drawOne(layer.idx[j]);
    return;
  }
  // Dense: per pixel column coverage, per row and category (blocks: a wait, a sleep).
  const Wc = Math.ceil(W);
  const ncat = isBlock ? 2 : 3;
  const cov = new Float32Array(rows * ncat * Wc);
  const bins = layerBins(m, layer, rows, ncat, isBlock);
  if (bins && 1 / k >= 2 * bins.width) coverageFromBins(cov, bins, rows * ncat, t0, k, Wc);
  else {
    const idx = layer.idx;
    for (let j = lo; j < hi; j++) {
      const i = idx[j];
      const b = te[i];
      if (b < t0) continue;
      let x0 = (ts[i] - t0) * k;
      let x1 = (b - t0) * k;
      if (x0 < 0) x0 = 0;
      if (x1 > Wc - 0.001) x1 = Wc - 0.001;
      if (x1 < x0) continue;
      const base = (rowOf[i] * ncat + (isBlock ? sleep[i] : spanCat(code[i]))) * Wc;
      const c0 = x0 | 0;
      const c1 = x1 | 0;
      if (c0 === c1) cov[base + c0] += Math.max(x1 - x0, 0.2);
      else {
        cov[base + c0] += c0 + 1 - x0;
        for (let c = c0 + 1; c < c1; c++) cov[base + c] += 1;
        cov[base + c1] += x1 - c1;
      }
    }
  }
  for (let row = 0; row < rows; row++) {
    const y = yRow(row) + yOff;
    for (let c = 0; c < Wc; c++) {
      let best = -1;
      let bv = 0;
      let total = 0;
      for (let cat = 0; cat < ncat; cat++) {
        const v = cov[(row * ncat + cat) * Wc + c];
        total += v;
        if (v > bv) {
          bv = v;
          best = cat;
        }
      }
      if (best < 0) continue;
      ctx.globalAlpha = 0.4 + 0.6 * Math.min(1, total);
      ctx.fillStyle = colour((isBlock ? BLOCK_COLOURS : SPAN_COLOURS)[best]);
      ctx.fillRect(c, y, 1, h);
    }
  }
  ctx.globalAlpha = 1;
}

// Zoomed far out, the coverage of a big layer comes from time bins built once: BINS bins
// over the trace, per row and category the time covered (in bins) and the number of
// spans that start in the bin. A pixel column then adds up the bins that start in it
// (the view must be at least 2 bins a pixel), whatever the number of spans in view.
const BINS = 1 << 15;
const BIN_MIN_SPANS = 20000;

function layerBins(m, layer, rows, ncat, isBlock) {
  if (layer.idx.length < BIN_MIN_SPANS) return null;
  if (layer.bins) return layer.bins;
  const { ts, te, code, rowOf, sleep } = m;
  const width = m.duration / BINS;
  const cov = new Float32Array(rows * ncat * BINS);
  const count = new Float32Array(rows * ncat * BINS);
  const idx = layer.idx;
  for (let j = 0; j < idx.length; j++) {
    const i = idx[j];
    const x0 = Math.min(ts[i] / width, BINS - 0.001);
    const x1 = Math.min(te[i] / width, BINS - 0.001);
    const base = (rowOf[i] * ncat + (isBlock ? sleep[i] : spanCat(code[i]))) * BINS;
    const b0 = x0 | 0;
    const b1 = x1 | 0;
    count[base + b0]++;
    if (b0 === b1) cov[base + b0] += x1 - x0;
    else {
      cov[base + b0] += b0 + 1 - x0;
      for (let b = b0 + 1; b < b1; b++) cov[base + b] += 1;
      cov[base + b1] += x1 - b1;
    }
  }
  layer.bins = { width, cov, count };
  return layer.bins;
}

// Coverage per pixel column (cov: `series` series of Wc columns, in pixels) from bins:
// the covered time, and at least 0.2 pixel per span, as when adding span by span.
function coverageFromBins(cov, bins, series, t0, k, Wc) {
  const { width } = bins;
  const pxPerBin = width * k;
  let b = Math.max(0, Math.ceil(t0 / width));
  for (let c = 0; c < Wc; c++) {
    const bEnd = Math.min(BINS, Math.max(b, Math.ceil((t0 + (c + 1) / k) / width)));
    if (bEnd > b) {
      for (let s = 0; s < series; s++) {
        let covered = 0;
        let n = 0;
        for (let q = s * BINS + b; q < s * BINS + bEnd; q++) {
          covered += bins.cov[q];
          n += bins.count[q];
        }
        if (n > 0) cov[s * Wc + c] = Math.max(covered * pxPerBin, 0.2 * n);
      }
    }
    b = bEnd;
  }
}

// ---------------------------------------------------------------- markers

function drawMarkers(ctx, m, layer, yRow, t0, t1, k, W) {
  const { ts, code, rowOf } = m;
  const lo = lowerBound(layer.t, t0 - 6 / k);
  const hi = upperBound(layer.t, t1 + 6 / k, lo);
  const dense = hi - lo > W;
  const labels = hi - lo <= 40;
  const lastCol = new Float64Array(256).fill(-1e9);
  let lastLabel = -1e9;
  for (let j = lo; j < hi; j++) {
    const i = layer.idx[j];
    const c = code[i];
    const x = (ts[i] - t0) * k;
    if (dense) {
      const col = Math.floor(x);
      if (lastCol[c] === col) continue;
      lastCol[c] = col;
    }
    const y = yRow(rowOf[i]);
    // the event itself only where the marker or its label depends on its fields
    const e = MARKER_EVENT[c] || c === TY.exit || (labels && c === TY.signal) ? m.ev(i) : null;
    drawMarker(ctx, c, e, x, y);
    // (a module that draws the signal markers labels them itself)
    if (labels && ((c === TY.signal && !MARKER_MECH[c]) || c === TY.exit) && x - lastLabel > 70) {
      const label = c === TY.signal ? String(e.signal || 'signal') : e.signal ? 'exit ' + e.signal : 'exit ' + e.code;
      const w = ctx.measureText(label).width;
      ctx.fillStyle = colour('text');
      ctx.fillText(label, x + 8 + w > W ? x - 8 - w : x + 8, y + BAR_H / 2 + 0.5);
      lastLabel = x;
    }
  }
}

// The mechanism modules' marker types (the memory events: mech/mmap.js) by type code:
// the module that draws them, their name, and whether it needs the event's fields.
const MARKER_MECH = [];
const MARKER_NAME = [];
const MARKER_EVENT = new Uint8Array(256);
for (const mc of MECHANISMS) {
  for (const mk of mc.markers || []) {
    MARKER_MECH[TY[mk.type]] = mc;
    MARKER_NAME[TY[mk.type]] = mk.type;
    MARKER_EVENT[TY[mk.type]] = mk.event ? 1 : 0;
  }
}

export function drawMarker(ctx, c, e, x, y) {
  if (MARKER_MECH[c]) return MARKER_MECH[c].drawMarker(ctx, MARKER_NAME[c], e, x, y, BAR_H);
  const cy = y + BAR_H / 2;
  switch (c) {
    case TY.signal:
      ctx.fillStyle = colour('signal');
      ctx.beginPath();
      ctx.moveTo(x - 6, y - 2);
      ctx.lineTo(x + 6, y - 2);
      ctx.lineTo(x, y + BAR_H);
      ctx.closePath();
      ctx.fill();
      break;
    case TY.exit:
      ctx.strokeStyle = e && e.signal ? colour('block') : colour('exit');
      ctx.lineWidth = 2.5;
      ctx.beginPath();
      ctx.moveTo(x - 5, cy - 5);
      ctx.lineTo(x + 5, cy + 5);
      ctx.moveTo(x + 5, cy - 5);
      ctx.lineTo(x - 5, cy + 5);
      ctx.stroke();
      break;
    case TY.fork:
    case TY.exec:
    case TY.rename:
      ctx.fillStyle = colour('proc');
      ctx.beginPath();
      if (c === TY.exec) {
        ctx.moveTo(x, cy - 5);
        ctx.lineTo(x + 5, cy);
        ctx.lineTo(x, cy + 5);
        ctx.lineTo(x - 5, cy);
      } else if (c === TY.fork) {
        ctx.rect(x - 1, y - 1, 2, BAR_H + 2);
        ctx.rect(x - 1, cy - 1, 6, 2);
      } else {
        ctx.arc(x, cy, 3.5, 0, Math.PI * 2);
      }
      ctx.fill();
      break;
    default:
      ctx.fillStyle = colour('proc');
      ctx.fillRect(x - 1, y, 2, BAR_H);
  }
}
