// Mappings: for each object of kind "mapping", a grid of its pages, each cell coloured by
// how the page was first touched (read fault, write fault, copy-on-write, mapped by
// fault-around, never touched) with the order number of that first touch; whether the
// mapping is file-backed, anonymous or shmem is shown in its header.
//
// DOM hooks: div.map-card[data-mapping][data-trace][data-backing][data-pages]
// [data-touched]; its canvas.map-grid has data-states (one of none/read/write/cow/around
// per page, comma-separated) and data-orders (the order numbers, empty for untouched),
// for mappings of at most 65536 pages.

import { el, clear, fitCanvas, colour } from './dom.js';
import { t as tr } from './i18n.js';
import { fmtHex, fmtTime, eventLines } from './format.js';
import { PAGE, PAGE_NAMES } from './model.js';

const STATE_COLOUR = ['page-none', 'page-read', 'page-write', 'page-cow', 'page-around'];
const STATE_LABEL = ['mapStateNone', 'mapStateRead', 'mapStateWrite', 'mapStateCow', 'mapStateAround'];

export class MappingsPanel {
  constructor(app, models) {
    this.app = app;
    this.cards = [];
    this.el = el('section', { class: 'panel mappings-panel', id: 'mappings-panel' });
    this.models = models;
    this.build();
  }

  get empty() {
    return !this.models.some((m) => m.mappings.length);
  }

  build() {
    clear(this.el);
    this.cards = [];
    if (this.empty) {
      this.el.hidden = true;
      return;
    }
    this.el.hidden = false;
    this.el.appendChild(el('h2', { text: tr('mappings') }));
    const legend = el('ul', { class: 'legend' });
    for (let s = 1; s <= 4; s++) legend.appendChild(legendSw('page-sw ' + STATE_COLOUR[s], tr(STATE_LABEL[s])));
    legend.appendChild(legendSw('page-sw ' + STATE_COLOUR[0], tr(STATE_LABEL[0])));
    legend.appendChild(legendSw('page-sw mark-dirty', tr('mapDirty')));
    legend.appendChild(legendSw('page-sw mark-cached', tr('mapCached')));
    legend.appendChild(legendSw('page-sw mark-major', tr('mapMajor')));
    legend.appendChild(legendSw('page-sw mark-later', tr('mapLaterLegend')));
    this.el.appendChild(legend);
    const compare = this.models.length > 1;
    this.models.forEach((m, mi) => {
      // The mappings a claim cites are shown; the others (the dynamic loader's, libc's,
      // ...) are folded away. When no claim cites one, a memory scenario or a trace of a
      // command shows its most touched mappings that do not look like the dynamic
      // loader's (MAP_DENYWRITE, MAP_FIXED, ld.so.cache); pipe and FIFO scenarios fold all.
      const cited = citedMappings(m);
      let shown = m.mappings.filter((mp) => cited.has(mp.obj.id));
      const section = m.meta.section;
      if (!shown.length && section !== 'pipe' && section !== 'fifo') {
        const top = m.mappings
          .filter((mp) => mp.touched > 0 && !loaderLike(mp.obj))
          .sort((a, b) => b.touched - a.touched)
          .slice(0, 4);
        shown = m.mappings.filter((mp) => top.includes(mp));
      }
      const rest = m.mappings.filter((mp) => !shown.includes(mp));
      for (const mp of shown) {
        const card = new MapCard(this.app, m, mi, mp, compare);
        this.cards.push(card);
        this.el.appendChild(card.el);
      }
      if (rest.length) {
        const more = el('details', { class: 'map-more', dataset: { trace: mi } }, el('summary', { text: (compare ? (mi ? 'B: ' : 'A: ') : '') + tr('moreMappings', { n: rest.length }) }));
        for (const mp of rest) {
          const card = new MapCard(this.app, m, mi, mp, compare);
          this.cards.push(card);
          more.appendChild(card.el);
        }
        more.addEventListener('toggle', () => this.app.invalidate());
        this.el.appendChild(more);
      }
      if (m.strayFaults > 0) {
        const txt = this.app.state.showStray ? tr('strayFaultsShown', { n: m.strayFaults }) : tr('strayFaults', { n: m.strayFaults });
        this.el.appendChild(el('p', { class: 'note stray-note', dataset: { trace: mi, n: m.strayFaults }, text: (compare ? (mi ? 'B: ' : 'A: ') : '') + txt }));
      }
    });
  }

  render() {
    for (const c of this.cards) c.render();
  }
}

// Mapping ids that the claims' evidence events name (memory events' `mapping`, and the
// `obj` of mmap/munmap syscalls).
function citedMappings(m) {
  const ids = new Set();
  for (const c of m.claims) {
    for (const i of c.evidence) {
      const e = m.ev(i);
      if (!e) continue;
      if (Number.isInteger(e.mapping)) ids.add(e.mapping);
      if (e.type === 'syscall' && Number.isInteger(e.obj)) {
        const o = m.objById.get(e.obj);
        if (o && o.kind === 'mapping') ids.add(e.obj);
      }
    }
  }
  return ids;
}

function loaderLike(o) {
  return /MAP_DENYWRITE|MAP_FIXED/.test(String(o.flags)) || o.file === 'ld.so.cache';
}

function legendSw(cls, text) {
  return el('li', null, el('span', { class: 'sw ' + cls, 'aria-hidden': 'true' }), text);
}

class MapCard {
  constructor(app, m, mi, mp, compare) {
    this.app = app;
    this.m = m;
    this.mi = mi;
    this.mp = mp;
    const o = mp.obj;
    const backing = String(o.backing);
    const bKey = 'backing_' + backing;
    const bText = tr(bKey) === bKey ? backing : tr(bKey);
    const title = tr('mapping') + ' #' + o.id + (o.file ? ' ' + o.file : '');
    const start = typeof o.start === 'number' ? o.start : 0;
    const end = start + (typeof o.length === 'number' ? o.length : 0);
    const facts = [fmtHex(start) + '–' + fmtHex(end), tr('pages', { n: mp.pages })];
    if (o.prot) facts.push(String(o.prot));
    if (o.flags) facts.push(String(o.flags));
    if (o.inode !== null && o.inode !== undefined) facts.push(tr('inode') + ' ' + o.inode + (o.offset ? ' +' + o.offset : ''));
    if (typeof o.unmapped === 'number') facts.push(tr('unmappedAt', { t: fmtTime(o.unmapped) }));
    facts.push(tr('mapTouched', { n: mp.touched, total: mp.pages }));
    this.canvas = el('canvas', { class: 'map-grid', role: 'img', 'aria-label': title });
    const ds = this.canvas.dataset;
    if (mp.pages <= 65536) {
      const states = new Array(mp.pages);
      const orders = new Array(mp.pages);
      for (let p = 0; p < mp.pages; p++) {
        states[p] = PAGE_NAMES[mp.state[p]];
        orders[p] = mp.order[p] ? String(mp.order[p]) : '';
      }
      ds.states = states.join(',');
      ds.orders = orders.join(',');
    }
    this.el = el(
      'div',
      { class: 'map-card', dataset: { mapping: o.id, trace: mi, backing, pages: mp.pages, touched: mp.touched } },
      el(
        'h3',
        null,
        compare ? el('span', { class: 'trace-tag', text: mi ? 'B' : 'A' }) : null,
        el('span', { class: 'backing backing-' + (['file', 'anon', 'shmem'].includes(backing) ? backing : 'other'), text: bText }),
        ' ',
        title,
      ),
      el('div', { class: 'map-facts', text: facts.join(' · ') }),
      el('div', { class: 'map-grid-wrap' }, this.canvas),
    );
    this.bind();
  }

  geometry() {
    const pages = this.mp.pages;
    const avail = Math.max(200, (this.el.clientWidth || 900) - 4);
    let cell = pages <= 256 ? 34 : pages <= 2048 ? 18 : pages <= 16384 ? 9 : 5;
    let cols = Math.max(1, Math.min(pages, Math.floor(avail / cell)));
    if (pages <= 256 && pages > 16) cols = Math.min(cols, 16 * Math.max(1, Math.floor(cols / 16)));
    const rows = Math.ceil(pages / cols);
    return { cell, cols, rows, w: cols * cell + 1, h: rows * cell + 1 };
  }

  bind() {
    const c = this.canvas;
    const pageAt = (ev) => {
      const r = c.getBoundingClientRect();
      const g = this.g || this.geometry();
      const col = Math.floor((ev.clientX - r.left) / g.cell);
      const row = Math.floor((ev.clientY - r.top) / g.cell);
      if (col < 0 || col >= g.cols || row < 0) return -1;
      const p = row * g.cols + col;
      return p < this.mp.pages ? p : -1;
    };
    c.addEventListener('pointermove', (ev) => {
      const p = pageAt(ev);
      if (p < 0) return this.app.hideTooltip();
      this.app.showTooltip(this.pageLines(p), ev.clientX, ev.clientY);
    });
    c.addEventListener('pointerleave', () => this.app.hideTooltip());
    c.addEventListener('click', (ev) => {
      const p = pageAt(ev);
      if (p >= 0 && this.mp.first[p] >= 0) this.app.select(this.mi, this.mp.first[p], true);
    });
  }

  pageLines(p) {
    const mp = this.mp;
    const o = mp.obj;
    const s = mp.state[p];
    const pageSize = this.m.page;
    const lines = ['page ' + p + '  ' + fmtHex((o.start || 0) + p * pageSize) + '  ·  ' + tr(STATE_LABEL[s]) + (mp.order[p] ? '  #' + mp.order[p] : '')];
    const marks = [];
    if (mp.major[p]) marks.push(tr('mapMajor'));
    if (mp.cached[p]) marks.push(tr('mapCached'));
    if (mp.dirty[p]) marks.push(tr('mapDirty'));
    if (mp.later[p]) marks.push(tr('mapLater') + ': ' + tr(STATE_LABEL[mp.later[p]]) + ' #' + mp.laterEv[p]);
    if (marks.length) lines.push(marks.join(' · '));
    if (mp.first[p] >= 0) {
      lines.push('');
      for (const l of eventLines(this.m, mp.first[p])) lines.push(l);
    }
    return lines;
  }

  render() {
    const mp = this.mp;
    if (!this.el.offsetParent) return; // folded away
    const sel = this.app.state.sel;
    const key = (sel && sel.mi === this.mi ? sel.ev : -1) + ':' + this.el.clientWidth;
    if (key === this.key) return;
    this.key = key;
    const g = (this.g = this.geometry());
    const ctx = fitCanvas(this.canvas, g.w, g.h);
    ctx.clearRect(0, 0, g.w, g.h);
    const selEv = sel && sel.mi === this.mi ? sel.ev : -1;
    const font = getComputedStyle(document.body).fontFamily;
    ctx.font = (g.cell >= 30 ? '11px ' : '9px ') + font;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    for (let p = 0; p < mp.pages; p++) {
      const x = (p % g.cols) * g.cell;
      const y = Math.floor(p / g.cols) * g.cell;
      const s = mp.state[p];
      ctx.fillStyle = colour(STATE_COLOUR[s]);
      ctx.fillRect(x + 1, y + 1, g.cell - 1, g.cell - 1);
      if (g.cell >= 18) {
        if (mp.dirty[p]) {
          ctx.fillStyle = colour('page-dirty');
          ctx.beginPath();
          ctx.moveTo(x + g.cell - 9, y + 1);
          ctx.lineTo(x + g.cell, y + 1);
          ctx.lineTo(x + g.cell, y + 10);
          ctx.closePath();
          ctx.fill();
        }
        if (mp.cached[p]) {
          ctx.fillStyle = colour('page-cached');
          ctx.fillRect(x + 1, y + g.cell - 3, g.cell - 1, 3);
        }
        if (mp.later[p]) {
          ctx.fillStyle = '#fff';
          ctx.beginPath();
          ctx.arc(x + 7, y + g.cell - 7, 5, 0, Math.PI * 2);
          ctx.fill();
          ctx.fillStyle = colour(STATE_COLOUR[mp.later[p]]);
          ctx.beginPath();
          ctx.arc(x + 7, y + g.cell - 7, 3.5, 0, Math.PI * 2);
          ctx.fill();
        }
        if (mp.major[p]) {
          ctx.strokeStyle = colour('text');
          ctx.lineWidth = 1.5;
          ctx.strokeRect(x + 2.5, y + 2.5, g.cell - 4, g.cell - 4);
        }
        if (mp.order[p] && g.cell >= 30) {
          ctx.fillStyle = s === PAGE.write || s === PAGE.cow ? '#fff' : colour('text');
          ctx.fillText(String(mp.order[p]), x + g.cell / 2 + 0.5, y + g.cell / 2 - 1);
        }
      }
      if (selEv >= 0 && mp.first[p] === selEv) {
        ctx.strokeStyle = colour('select');
        ctx.lineWidth = 2;
        ctx.strokeRect(x + 1.5, y + 1.5, g.cell - 2, g.cell - 2);
      }
    }
    ctx.textAlign = 'left';
  }
}
