// Mappings (objects of kind "mapping"), a mechanism module (mechanisms.js): the first
// touch of every page from the memory events (fault, fault_around, page_cache, dirty;
// the line reader keeps their page fields in columns, cols.mem by cols.memRow), each
// page's state over time (a timeline of transitions, made once when the trace loads),
// and the "Memory mappings" panel: for each mapping a grid of its pages, each cell
// coloured by the page's state at the cursor (untouched, read fault, mapped by
// fault-around, write fault, copy-on-write, dirty, written back) with the order number of
// its first touch; whether the mapping is file-backed, anonymous or shmem is shown in its
// header, and a line under the grid counts the pages touched and dirty at the cursor.
//
// DOM hooks: div.map-card[data-mapping][data-trace][data-backing][data-pages]
// [data-touched]; its canvas.map-grid has data-states (how each page was FIRST touched,
// whole trace: one of none/read/write/cow/around per page, comma-separated), data-orders
// (the order numbers, empty for untouched), for mappings of at most 65536 pages, and
// data-now (each page's state at the cursor: none/read/around/write/cow/dirty/clean, same
// limit) with data-t (the cursor time drawn); p.map-now[data-touched][data-dirty]
// [data-t] is the line of counts at the cursor.

import { el, clear, fitCanvas, colour } from '../dom.js';
import { t as tr, addStrings } from '../i18n.js';
import { fmtHex, fmtTime, eventLines } from '../format.js';
import { lowerBound, upperBound } from '../bsearch.js';

addStrings({
  en: {
    mmap_mapping: 'mapping',
    mmap_legendFault: 'page fault (read/write/COW)',
    mmap_legendAround: 'fault-around',
    mmap_legendCache: 'page cache in / dirty',
    mmap_title: 'Memory mappings',
    mmap_moreMappings: '{n} mappings not cited by a claim (the dynamic loader\'s, libc, …)',
    mmap_otherMappings: '{n} other mappings not cited by a claim',
    mmap_libMappings: '{n} library mappings (the dynamic loader, libc and other shared libraries, locale data)',
    mmap_stateRead: 'read fault',
    mmap_stateWrite: 'write fault',
    mmap_stateCow: 'copied on write (private copy)',
    mmap_stateAround: 'mapped by fault-around',
    mmap_stateNone: 'never touched',
    mmap_dirty: 'dirtied',
    mmap_cached: 'read into page cache',
    mmap_major: 'major fault',
    mmap_later: 'then',
    mmap_backing_file: 'file-backed',
    mmap_backing_anon: 'anonymous',
    mmap_backing_shmem: 'shared memory (shmem)',
    'mmap_backing_sysv shm': 'System V shm',
    mmap_shmid: 'shmid {id}',
    mmap_shmKey: 'key {key}',
    mmap_shmPosix: '/dev/shm/{name} if shm_open made it',
    mmap_touched: '{n} of {total} pages touched',
    mmap_unmappedAt: 'unmapped at {t}',
    mmap_strayFaults: '{n} faults outside these mappings (libc, stack) are hidden on the timeline',
    mmap_strayFaultsShown: '{n} faults outside these mappings (libc, stack) are shown on the timeline',
    mmap_stateDirty: 'dirty (shared file page, not yet written back)',
    mmap_stateClean: 'written back',
    mmap_nowState: 'at the cursor: {state}',
    mmap_now: 'at the cursor ({t}): {n} pages touched, {d} dirty, {c} copied on write, {w} written back',
    mmap_gridNote: 'The grid shows each page at the cursor; move the cursor to watch faults, copy-on-write and writeback change it.',
  },
  zh: {
    mmap_mapping: '映射',
    mmap_legendFault: '缺页异常（读/写/写时复制）',
    mmap_legendAround: '缺页预映射（fault-around）',
    mmap_legendCache: '读入页缓存 / 变脏',
    mmap_title: '内存映射',
    mmap_moreMappings: '{n} 个未被结论引用的映射（动态链接器、libc 等）',
    mmap_otherMappings: '另有 {n} 个未被结论引用的映射',
    mmap_libMappings: '{n} 个库映射（动态链接器、libc 等共享库、locale 数据）',
    mmap_stateRead: '读缺页',
    mmap_stateWrite: '写缺页',
    mmap_stateCow: '写时复制（已成私有副本）',
    mmap_stateAround: '由缺页预映射（fault-around）映射',
    mmap_stateNone: '从未访问',
    mmap_dirty: '已变脏',
    mmap_cached: '读入页缓存',
    mmap_major: '主缺页',
    mmap_later: '之后',
    mmap_backing_file: '文件映射',
    mmap_backing_anon: '匿名映射',
    mmap_backing_shmem: '共享内存（shmem）',
    'mmap_backing_sysv shm': 'System V 共享内存',
    mmap_shmid: 'shmid {id}',
    mmap_shmKey: '键 {key}',
    mmap_shmPosix: '若由 shm_open 创建：/dev/shm/{name}',
    mmap_touched: '{total} 页中有 {n} 页被访问',
    mmap_unmappedAt: '在 {t} 解除映射',
    mmap_strayFaults: '时间线上隐藏了 {n} 个映射区以外的缺页（libc、栈）',
    mmap_strayFaultsShown: '时间线上显示了 {n} 个映射区以外的缺页（libc、栈）',
    mmap_stateDirty: '脏页（共享文件页，尚未写回）',
    mmap_stateClean: '已写回',
    mmap_nowState: '游标处：{state}',
    mmap_now: '游标处（{t}）：{n} 页已访问，{d} 页为脏页，{c} 页已写时复制，{w} 页已写回',
    mmap_gridNote: '页网格显示游标时刻各页的状态；移动游标，可以看到缺页、写时复制和写回如何改变它们。',
  },
});

// Mapping page states. A first touch is one of none..around; a page's state at a time
// can also be dirty (a shared file page dirtied) and clean (that page written back).
export const PAGE = { none: 0, read: 1, write: 2, cow: 3, around: 4, dirty: 5, clean: 6 };
export const PAGE_NAMES = ['none', 'read', 'write', 'cow', 'around', 'dirty', 'clean'];

const STATE_COLOUR = ['page-none', 'page-read', 'page-write', 'page-cow', 'page-around', 'page-dirty', 'page-clean'];
const STATE_LABEL = ['mmap_stateNone', 'mmap_stateRead', 'mmap_stateWrite', 'mmap_stateCow', 'mmap_stateAround', 'mmap_stateDirty', 'mmap_stateClean'];
// the legend's order: the way a page's state goes
const LEGEND_ORDER = [PAGE.none, PAGE.read, PAGE.around, PAGE.write, PAGE.cow, PAGE.dirty, PAGE.clean];

class MappingsPanel {
  constructor(app, models) {
    this.app = app;
    this.cards = [];
    this.el = el('section', { class: 'panel mappings-panel', id: 'mappings-panel' });
    this.models = models;
    this.build();
  }

  get empty() {
    return !this.models.some((m) => m.mech.mmap.mappings.length);
  }

  build() {
    clear(this.el);
    this.cards = [];
    if (this.empty) {
      this.el.hidden = true;
      return;
    }
    this.el.hidden = false;
    this.el.appendChild(el('h2', { text: tr('mmap_title') }));
    const legend = el('ul', { class: 'legend' });
    for (const s of LEGEND_ORDER) legend.appendChild(legendSw('page-sw ' + STATE_COLOUR[s], tr(STATE_LABEL[s]), PAGE_NAMES[s]));
    legend.appendChild(legendSw('page-sw mark-cached', tr('mmap_cached')));
    legend.appendChild(legendSw('page-sw mark-major', tr('mmap_major')));
    this.el.appendChild(legend);
    this.el.appendChild(el('p', { class: 'note map-grid-note', text: tr('mmap_gridNote') }));
    const compare = this.models.length > 1;
    this.models.forEach((m, mi) => {
      // The mappings a claim cites are shown; the others (the dynamic loader's, libc's,
      // ...) are folded away. When no claim cites one, a memory scenario or a trace of a
      // command shows its most touched mappings that do not look like the dynamic
      // loader's (MAP_DENYWRITE, MAP_FIXED, ld.so.cache); pipe and FIFO scenarios fold all.
      const cited = citedMappings(m);
      let shown = m.mech.mmap.mappings.filter((mp) => cited.has(mp.obj.id));
      const section = m.meta.section;
      if (!shown.length && section !== 'pipe' && section !== 'fifo') {
        const top = m.mech.mmap.mappings
          .filter((mp) => mp.touched > 0 && !libraryLike(mp.obj))
          .sort((a, b) => b.touched - a.touched)
          .slice(0, 4);
        shown = m.mech.mmap.mappings.filter((mp) => top.includes(mp));
      }
      const rest = m.mech.mmap.mappings.filter((mp) => !shown.includes(mp));
      for (const mp of shown) {
        const card = new MapCard(this.app, m, mi, mp, compare);
        this.cards.push(card);
        this.el.appendChild(card.el);
      }
      // What the loader and libc map in every process of a traced command (a shell
      // pipeline has dozens) is one folded row of its own; the other uncited ones another.
      const libs = rest.filter((mp) => libraryLike(mp.obj));
      const others = rest.filter((mp) => !libs.includes(mp));
      const tag = compare ? (mi ? 'B: ' : 'A: ') : '';
      if (libs.length) this.el.appendChild(this.fold(m, mi, libs, 'map-more map-libs', tag + tr('mmap_libMappings', { n: libs.length }), compare));
      if (others.length) {
        const text = tag + tr(libs.length ? 'mmap_otherMappings' : 'mmap_moreMappings', { n: others.length });
        this.el.appendChild(this.fold(m, mi, others, 'map-more', text, compare));
      }
      if (m.strayFaults > 0) {
        const txt = this.app.state.showStray ? tr('mmap_strayFaultsShown', { n: m.strayFaults }) : tr('mmap_strayFaults', { n: m.strayFaults });
        this.el.appendChild(el('p', { class: 'note stray-note', dataset: { trace: mi, n: m.strayFaults }, text: (compare ? (mi ? 'B: ' : 'A: ') : '') + txt }));
      }
    });
  }

  render() {
    for (const c of this.cards) c.render();
  }

  // A folded row of mapping cards: its summary says how many, a click unfolds them.
  fold(m, mi, mappings, cls, text, compare) {
    const more = el('details', { class: cls, dataset: { trace: mi, n: mappings.length } }, el('summary', { text }));
    for (const mp of mappings) {
      const card = new MapCard(this.app, m, mi, mp, compare);
      this.cards.push(card);
      more.appendChild(card.el);
    }
    more.addEventListener('toggle', () => this.app.invalidate());
    return more;
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

// A mapping the dynamic loader or libc made for itself: the loader's (above), a shared
// object (libc.so.6, ld-linux-x86-64.so.2), or the locale data setlocale() maps
// (LC_CTYPE, SYS_LC_MESSAGES, locale-archive, gconv-modules.cache).
function libraryLike(o) {
  const f = typeof o.file === 'string' ? o.file : '';
  return loaderLike(o) || /\.so(\.[0-9]+)*$/.test(f) || /^(SYS_)?LC_[A-Z_]+$/.test(f) || f === 'locale-archive' || f === 'gconv-modules.cache';
}

function legendSw(cls, text, state) {
  return el('li', state ? { dataset: { state } } : null, el('span', { class: 'sw ' + cls, 'aria-hidden': 'true' }), text);
}

class MapCard {
  constructor(app, m, mi, mp, compare) {
    this.app = app;
    this.m = m;
    this.mi = mi;
    this.mp = mp;
    const o = mp.obj;
    const backing = String(o.backing);
    const bKey = 'mmap_backing_' + backing;
    const bText = tr(bKey) === bKey ? backing : tr(bKey);
    const title = tr('mmap_mapping') + ' #' + o.id + (o.file ? ' ' + o.file : '');
    const start = typeof o.start === 'number' ? o.start : 0;
    const end = start + (typeof o.length === 'number' ? o.length : 0);
    const facts = [fmtHex(start) + '–' + fmtHex(end), tr('pages', { n: mp.pages })];
    if (o.prot) facts.push(String(o.prot));
    if (o.flags) facts.push(String(o.flags));
    if (o.inode !== null && o.inode !== undefined) facts.push(tr('inode') + ' ' + o.inode + (o.offset ? ' +' + o.offset : ''));
    // System V shared memory (mech/shm): the segment; a POSIX object is a tmpfs file whose
    // directory the trace does not say (shm_open's is /dev/shm)
    if (backing === 'sysv shm' && typeof o.shmid === 'number') {
      facts.push(tr('mmap_shmid', { id: o.shmid }));
      if (typeof o.shm_key === 'number') facts.push(tr('mmap_shmKey', { key: o.shm_key ? '0x' + o.shm_key.toString(16).padStart(8, '0') : 'IPC_PRIVATE' }));
    }
    if (backing === 'shmem' && typeof o.file === 'string' && o.file && !o.file.startsWith('memfd:') && o.file !== 'zero') facts.push(tr('mmap_shmPosix', { name: o.file }));
    if (typeof o.unmapped === 'number') facts.push(tr('mmap_unmappedAt', { t: fmtTime(o.unmapped) }));
    facts.push(tr('mmap_touched', { n: mp.touched, total: mp.pages }));
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
        el('span', { class: 'backing backing-' + (['file', 'anon', 'shmem'].includes(backing) ? backing : backing === 'sysv shm' ? 'shmem' : 'other'), text: bText }),
        ' ',
        title,
      ),
      el('div', { class: 'map-facts', text: facts.join(' · ') }),
      el('div', { class: 'map-grid-wrap' }, this.canvas),
      (this.nowLine = el('p', { class: 'map-now' })),
    );
    this.now = new Uint8Array(mp.pages);
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
    if (mp.major[p]) marks.push(tr('mmap_major'));
    if (mp.cached[p]) marks.push(tr('mmap_cached'));
    if (mp.dirty[p]) marks.push(tr('mmap_dirty'));
    if (mp.later[p]) marks.push(tr('mmap_later') + ': ' + tr(STATE_LABEL[mp.later[p]]) + ' #' + mp.laterEv[p]);
    if (marks.length) lines.push(marks.join(' · '));
    lines.push(tr('mmap_nowState', { state: tr(STATE_LABEL[this.now[p]]) }));
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
    const T = this.app.state.cursor;
    // the transitions up to the cursor: the grid changes only when this count does
    const upTo = upperBound(mp.tl.t, T);
    const key = (sel && sel.mi === this.mi ? sel.ev : -1) + ':' + this.el.clientWidth + ':' + upTo;
    if (key !== this.key) {
      this.key = key;
      statesAt(mp, upTo, this.now);
      this.countStates();
      this.draw(sel && sel.mi === this.mi ? sel.ev : -1);
    }
    // the line names the cursor time, which moves between transitions too
    if (T !== this.lineT || tr('mmap_now') !== this.lineLang) this.showCounts(T);
    this.canvas.dataset.t = String(T);
  }

  // the pages in each state at the cursor, and data-now
  countStates() {
    const n = (this.counts = [0, 0, 0, 0, 0, 0, 0]);
    for (let p = 0; p < this.mp.pages; p++) n[this.now[p]]++;
    if (this.mp.pages <= 65536) this.canvas.dataset.now = Array.from(this.now, (s) => PAGE_NAMES[s]).join(',');
    this.lineT = NaN;
  }

  // "at the cursor (T): N pages touched, M dirty ..."
  showCounts(T) {
    const n = this.counts;
    const touched = this.mp.pages - n[PAGE.none];
    const ds = this.nowLine.dataset;
    ds.touched = touched;
    ds.dirty = n[PAGE.dirty];
    ds.cow = n[PAGE.cow];
    ds.clean = n[PAGE.clean];
    ds.t = String(T);
    this.nowLine.textContent = tr('mmap_now', { t: fmtTime(T), n: touched, d: n[PAGE.dirty], c: n[PAGE.cow], w: n[PAGE.clean] });
    this.lineT = T;
    this.lineLang = tr('mmap_now');
  }

  draw(selEv) {
    const mp = this.mp;
    const g = (this.g = this.geometry());
    const ctx = fitCanvas(this.canvas, g.w, g.h);
    ctx.clearRect(0, 0, g.w, g.h);
    const font = getComputedStyle(document.body).fontFamily;
    ctx.font = (g.cell >= 30 ? '11px ' : '9px ') + font;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    for (let p = 0; p < mp.pages; p++) {
      const x = (p % g.cols) * g.cell;
      const y = Math.floor(p / g.cols) * g.cell;
      const s = this.now[p];
      ctx.fillStyle = colour(STATE_COLOUR[s]);
      ctx.fillRect(x + 1, y + 1, g.cell - 1, g.cell - 1);
      if (g.cell >= 18 && s !== PAGE.none) {
        if (mp.cached[p]) {
          ctx.fillStyle = colour('page-cached');
          ctx.fillRect(x + 1, y + g.cell - 3, g.cell - 1, 3);
        }
        if (mp.major[p]) {
          ctx.strokeStyle = colour('text');
          ctx.lineWidth = 1.5;
          ctx.strokeRect(x + 2.5, y + 2.5, g.cell - 4, g.cell - 4);
        }
        if (mp.order[p] && g.cell >= 30) {
          ctx.fillStyle = DARK_STATES.has(s) ? '#fff' : colour('text');
          ctx.fillText(String(mp.order[p]), x + g.cell / 2 + 0.5, y + g.cell / 2 - 1);
        }
      }
      if (selEv >= 0 && (mp.first[p] === selEv || mp.laterEv[p] === selEv)) {
        ctx.strokeStyle = colour('select');
        ctx.lineWidth = 2;
        ctx.strokeRect(x + 1.5, y + 1.5, g.cell - 2, g.cell - 2);
      }
    }
    ctx.textAlign = 'left';
  }
}

// states whose colour needs a white number
const DARK_STATES = new Set([PAGE.write, PAGE.cow, PAGE.dirty, PAGE.clean]);

// Each page's state after the first `upTo` transitions of the mapping's timeline (mp.tl):
// the page's last transition before that index, found by binary search in its own list.
function statesAt(mp, upTo, out) {
  const { off, idx, state } = mp.tl;
  for (let p = 0; p < mp.pages; p++) {
    const k = lowerBound(idx, upTo, off[p], off[p + 1]) - 1;
    out[p] = k >= off[p] ? state[idx[k]] : PAGE.none;
  }
}

// ---------------------------------------------------------------- mappings

// First touch of each page of a mapping: a read/write/cow fault, or being mapped by a
// fault-around, in trace order. `order` numbers the touching events (1, 2, ...); the
// pages of one fault-around share a number. A fault-around window also covers pages that
// were not in the page cache, which the kernel leaves alone: a later fault on such a page
// that finds it not present (`present: false`) shows it was not mapped, and the fault
// becomes its first touch. page_cache and dirty events mark the pages of their folio
// (`pages`, default 1). `list`: the mapping's events in time order; `writebacks`: the
// trace's writeback events ({t, inode, dev}, in time order). The page-state timeline
// (pageTimeline) is made in the same pass.
function buildMapping(o, ctx, list, writebacks) {
  const { cols, TY, MEM_KIND, MEM_FLAG } = ctx;
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
  let nextOrder = 1;
  let touched = 0;
  const tl = new PageTimeline(o, pages, writebacks);
  const mem = cols.mem; // by memRow (events.js)
  const okPage = (p) => Number.isInteger(p) && p >= 0 && p < pages;
  const markRange = (arr, r) => {
    const page = mem.page[r];
    if (!okPage(page)) return;
    const n = Number.isInteger(mem.pages[r]) && mem.pages[r] > 0 ? mem.pages[r] : 1;
    for (let p = page; p < Math.min(pages, page + n); p++) arr[p] = 1;
  };
  for (let k = 0; k < list.length; k++) {
    const i = list[k];
    const r = cols.memRow[i];
    const c = cols.code[i];
    tl.writebacksUpTo(ctx.ts[i]);
    if (c === TY.fault) {
      const p = mem.page[r];
      const flags = mem.flags[r];
      const kind = mem.kind[r];
      // a fault taken with page faults disabled maps nothing: the retry that follows does
      if (!okPage(p) || flags & MEM_FLAG.unhandled) continue;
      const st =
        kind === MEM_KIND.cow ? PAGE.cow : kind === MEM_KIND.write || (kind !== MEM_KIND.read && flags & MEM_FLAG.write) ? PAGE.write : PAGE.read;
      tl.fault(ctx.ts[i], p, st, flags & MEM_FLAG.notPresent);
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
      tl.around(ctx.ts[i], a, b);
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
      const page = mem.page[r];
      if (okPage(page)) tl.dirty(ctx.ts[i], page, Number.isInteger(mem.pages[r]) && mem.pages[r] > 0 ? mem.pages[r] : 1);
    } else if (c === TY.page_cache) {
      markRange(cached, r);
    }
  }
  tl.writebacksUpTo(Infinity);
  return { obj: o, pages, state, order, first, major, dirty, cached, written, later, laterEv, touched, events: list, tl: tl.finish() };
}

// A mapping's page states over time, fed its events in time order: a list of
// transitions (t, page, new state), then indexed by page (finish) so that the states at a
// time are one binary search per page (statesAt), whatever the number of events.
//   read fault:  an untouched page, or one fault-around left unmapped (not present) -> read
//   fault-around: the untouched pages of its window -> around
//   write fault: -> write (a dirty page stays dirty: the dirty event comes after the fault)
//   COW fault:   -> cow, the process's private copy
//   dirty:       a page of a MAP_SHARED file mapping -> dirty (a private mapping's page
//                is the file's only until it is copied; the file's dirt is not its state)
//   writeback of the mapping's file (same inode and dev): its dirty pages -> clean
class PageTimeline {
  constructor(o, pages, writebacks) {
    this.pages = pages;
    this.cur = new Uint8Array(pages);
    this.t = [];
    this.page = [];
    this.state = [];
    this.shared = o.backing === 'file' && /MAP_SHARED/.test(String(o.flags));
    this.wb = this.shared ? writebacks.filter((w) => w.inode === o.inode && w.dev === o.dev) : [];
    this.wbNext = 0;
  }

  set(t, p, st) {
    if (this.cur[p] === st) return;
    this.cur[p] = st;
    this.t.push(t);
    this.page.push(p);
    this.state.push(st);
  }

  fault(t, p, st, notPresent) {
    const cur = this.cur[p];
    if (st === PAGE.read) {
      if (cur === PAGE.none || (cur === PAGE.around && notPresent)) this.set(t, p, PAGE.read);
    } else if (!(st === PAGE.write && cur === PAGE.dirty)) this.set(t, p, st);
  }

  around(t, a, b) {
    for (let p = a; p <= b; p++) if (this.cur[p] === PAGE.none) this.set(t, p, PAGE.around);
  }

  dirty(t, page, n) {
    if (!this.shared) return;
    for (let p = page; p < Math.min(this.pages, page + n); p++) this.set(t, p, PAGE.dirty);
  }

  // the writebacks at or before t (a writeback at an event's time comes first)
  writebacksUpTo(t) {
    while (this.wbNext < this.wb.length && this.wb[this.wbNext].t <= t) {
      const wt = this.wb[this.wbNext++].t;
      for (let p = 0; p < this.pages; p++) if (this.cur[p] === PAGE.dirty) this.set(wt, p, PAGE.clean);
    }
  }

  // t: the transitions' times (ascending); state: their new states; per page p,
  // idx[off[p]..off[p+1]) are its transitions' indices, ascending
  finish() {
    const n = this.t.length;
    const off = new Int32Array(this.pages + 1);
    for (const p of this.page) off[p + 1]++;
    for (let p = 0; p < this.pages; p++) off[p + 1] += off[p];
    const idx = new Int32Array(n);
    const fill = off.slice(0, this.pages);
    for (let k = 0; k < n; k++) idx[fill[this.page[k]]++] = k;
    return { t: Float64Array.from(this.t), state: Uint8Array.from(this.state), off, idx };
  }
}

// ---------------------------------------------------------------- the module

function checkObject(o, bad) {
  for (const f of ['start', 'length', 'pages']) {
    if (!Number.isInteger(o[f]) && !(typeof o[f] === 'number' && o[f] >= 0)) bad(f, 'must be an integer');
  }
  if (!(Number.isInteger(o.pages) && o.pages >= 0 && o.pages <= 1 << 24)) bad('pages', 'must be an integer from 0 to 2^24');
  if (typeof o.backing !== 'string') bad('backing', 'must be a string');
}

// The memory events with a mapping are those with a row in cols.mem; each mapping gets
// its own, in time order.
function build(ctx) {
  const { cols, doc } = ctx;
  const list = [];
  for (let i = 0; i < cols.n; i++) if (cols.memRow[i] >= 0) list.push(i);
  const byMapping = new Map();
  for (const i of ctx.sortByKey(Int32Array.from(list), ctx.ts)) {
    let l = byMapping.get(cols.obj[i]);
    if (!l) byMapping.set(cols.obj[i], (l = []));
    l.push(i);
  }
  const writebacks = [];
  for (let i = 0; i < cols.n; i++) {
    if (cols.code[i] !== ctx.TY.writeback) continue;
    const e = ctx.ev(i);
    if (e) writebacks.push({ t: ctx.ts[i], inode: e.inode, dev: e.dev });
  }
  writebacks.sort((a, b) => a.t - b.t);
  const mappings = doc.objects.filter((o) => o.kind === 'mapping').map((o) => buildMapping(o, ctx, Int32Array.from(byMapping.get(o.id) || []), writebacks));
  return { lanes: [], copies: [], mappings };
}

function legend() {
  return {
    marks: [
      ['sw-fault', tr('mmap_legendFault')],
      ['sw-fault-around', tr('mmap_legendAround')],
      ['sw-cache', tr('mmap_legendCache')],
    ],
  };
}

// A memory event's marker on its process lane (x: its time; y, h: the row's bar).
function drawMarker(ctx, type, e, x, y, h) {
  const cy = y + h / 2;
  switch (type) {
    case 'fault': {
      const kind = e && e.kind;
      // no kind: a stand-in for a fault outside any mapping before the details arrive
      // (events.js EarlyEvents): grey, not a read fault's colour it may not be
      ctx.fillStyle =
        e && kind === undefined ? colour('text-dim') : colour(kind === 'cow' ? 'page-cow' : kind === 'write' ? 'page-write' : 'page-read');
      ctx.beginPath();
      ctx.arc(x, cy, 4, 0, Math.PI * 2);
      ctx.fill();
      if (e && e.major) {
        ctx.strokeStyle = colour('text');
        ctx.lineWidth = 1;
        ctx.stroke();
      }
      break;
    }
    case 'fault_around':
      ctx.fillStyle = colour('page-around');
      ctx.fillRect(x - 4, cy - 4, 8, 8);
      break;
    case 'page_cache':
      ctx.strokeStyle = colour('page-read');
      ctx.lineWidth = 2;
      ctx.strokeRect(x - 3, cy - 3, 6, 6);
      break;
    case 'dirty':
      ctx.fillStyle = colour('page-write');
      ctx.beginPath();
      ctx.moveTo(x, cy - 5);
      ctx.lineTo(x + 5, cy + 4);
      ctx.lineTo(x - 5, cy + 4);
      ctx.closePath();
      ctx.fill();
      break;
  }
}

export const mmapMechanism = {
  name: 'mmap',
  kinds: ['mapping'],
  spanTypes: [],
  checkObject,
  build,
  // in the legend when a trace has a mapping, or a fault outside them
  present: (m) => m.mech.mmap.mappings.length > 0 || m.strayFaults > 0,
  // markers on the process lanes: types the line reader knows (their page fields are in
  // its columns); `event`: the drawing needs the event's fields; `stray`: without a
  // mapping it is hidden unless "faults outside mappings" is ticked (libc, stack)
  markers: [
    { type: 'fault', event: true, stray: true },
    { type: 'fault_around' },
    { type: 'page_cache' },
    { type: 'dirty' },
  ],
  drawMarker,
  legend,
  panel: (app, models) => new MappingsPanel(app, models),
};
