// The viewer's entry point: builds the page, loads traces (embedded, ?trace=, file
// picker, drag and drop), keeps the view state (time window, cursor, selection,
// highlighted claim, language) and the URL hash in step, and redraws the panels.

import { el, clear } from './dom.js';
import { t as tr, setLang } from './i18n.js';
import { parseTrace, parseEarly, upgradeEarly, finishLater, TraceError, SUPPORTED_VERSION } from './model.js';
import { embeddedSources, urlSources, fileSource, LoadError, claimsFile } from './loader.js';
import { TraceScanner } from './events.js';
import { Timeline } from './timeline.js';
import { CursorPanel } from './cursorpanel.js';
import { ClaimsPanel, applyClaimsFile } from './claims.js';
import { LabPanel } from './labtext.js';
import { MECHANISMS } from './mechanisms.js';
import { SelectionPanel } from './selection.js';
import { Stepper } from './stepper.js';
import { fmtSize } from './format.js';
import { traceTitle, traceFile } from './titles.js';
import { addExportButtons, installPrint } from './export.js';

class App {
  constructor(root) {
    this.root = root;
    this.models = [];
    this.lang = 'en';
    this.state = {
      view: { t0: 0, t1: 1 },
      cursor: 0,
      sel: null, // {mi, ev}
      selObj: null, // {mi, id}: an object chosen in its lane (mechanism modules' lanes)
      highlight: null, // {mi, claim, list}
      showCopies: true,
      showStray: false,
    };
    this.perf = { start: performance.now(), loaded: null, parseMs: null, bytes: 0, firstRender: null, frames: [] };
    this.pending = false;
    this.hashTimer = null;
    this.buildChrome();
    this.timeline = new Timeline(this);
    this.ring = new CursorPanel(this);
    this.selection = new SelectionPanel(this);
    this.stepper = new Stepper(this);
    this.claims = [];
    this.labs = [];
    this.panels = []; // the mechanism modules' own panels (the mappings')
  }

  // ------------------------------------------------------------ page chrome

  buildChrome() {
    clear(this.root);
    this.fileInput = el('input', { type: 'file', accept: '.json,.gz,application/json,application/gzip', multiple: true, hidden: true, id: 'file-input' });
    this.fileInput2 = el('input', { type: 'file', accept: '.json,.gz,application/json,application/gzip', hidden: true, id: 'file-input2' });
    this.fileInput.addEventListener('change', () => {
      const files = Array.from(this.fileInput.files || []).slice(0, 2);
      this.fileInput.value = '';
      if (files.length) this.load(files.map(fileSource), { fromFiles: true });
    });
    this.fileInput2.addEventListener('change', () => {
      const f = this.fileInput2.files && this.fileInput2.files[0];
      this.fileInput2.value = '';
      if (f && this.models.length) this.load([fileSource(f)], { fromFiles: true, keepFirst: true });
    });
    this.openBtn = el('button', { type: 'button', class: 'btn', id: 'open-btn', onclick: () => this.fileInput.click() });
    this.compareBtn = el('button', { type: 'button', class: 'btn', id: 'compare-btn', hidden: true, onclick: () => this.fileInput2.click() });
    this.singleBtn = el('button', { type: 'button', class: 'btn', id: 'single-btn', hidden: true, onclick: () => this.setModels(this.models.slice(0, 1), false) });
    this.langBtns = ['en', 'zh'].map((l) =>
      el('button', { type: 'button', class: 'btn lang', dataset: { lang: l }, 'aria-pressed': 'false', onclick: () => this.setLanguage(l) }, l === 'en' ? 'EN' : '中文'),
    );
    this.names = el('div', { class: 'trace-names', id: 'trace-names' });
    this.brand = el('div', { class: 'brand' });
    this.langGroup = el('div', { class: 'lang-toggle', role: 'group' }, this.langBtns);
    const bar = el('header', { class: 'topbar' }, this.brand, this.names, el('div', { class: 'actions' }, this.openBtn, this.compareBtn, this.singleBtn, this.langGroup), this.fileInput, this.fileInput2);
    this.message = el('div', { class: 'message', id: 'message', role: 'alert', hidden: true });
    this.main = el('main', { id: 'main' });
    this.tooltip = el('div', { class: 'tooltip', id: 'tooltip', role: 'tooltip', hidden: true });
    this.dropOverlay = el('div', { class: 'drop-overlay', hidden: true });
    this.root.append(bar, this.message, this.main, this.tooltip, this.dropOverlay);
    this.bindDrop();
    this.updateChromeText();
  }

  updateChromeText() {
    document.documentElement.lang = this.lang === 'zh' ? 'zh-CN' : 'en';
    document.documentElement.dataset.lang = this.lang;
    clear(this.brand);
    this.brand.append(el('span', { class: 'logo', text: 'ipclab' }), ' ', el('span', { class: 'brand-sub', text: tr('title').replace(/^ipclab\s*/, '') }));
    this.openBtn.textContent = tr('open');
    this.compareBtn.textContent = tr('compare');
    this.singleBtn.textContent = tr('closeCompare');
    this.langGroup.setAttribute('aria-label', tr('langLabel'));
    for (const b of this.langBtns) b.setAttribute('aria-pressed', b.dataset.lang === this.lang ? 'true' : 'false');
    this.dropOverlay.textContent = tr('welcomeTitle');
    this.compareBtn.hidden = this.models.length !== 1;
    this.singleBtn.hidden = this.models.length !== 2;
    clear(this.names);
    document.title = this.models.length ? 'ipclab — ' + this.models.map(traceTitle).join(' · ') : 'ipclab viewer';
    this.models.forEach((m, mi) => {
      const file = traceFile(m);
      this.names.appendChild(
        el(
          'span',
          { class: 'trace-name' },
          this.models.length > 1 ? el('span', { class: 'trace-tag', text: mi ? 'B' : 'A' }) : null,
          el('span', { class: 'trace-title', text: traceTitle(m) }),
          file ? el('span', { class: 'trace-file', text: file }) : null,
        ),
      );
    });
  }

  bindDrop() {
    let depth = 0;
    const hasFiles = (ev) => ev.dataTransfer && Array.from(ev.dataTransfer.types || []).includes('Files');
    document.addEventListener('dragenter', (ev) => {
      if (!hasFiles(ev)) return;
      depth++;
      this.dropOverlay.hidden = false;
      ev.preventDefault();
    });
    document.addEventListener('dragover', (ev) => {
      if (!hasFiles(ev)) return;
      ev.preventDefault();
      ev.dataTransfer.dropEffect = 'copy';
    });
    document.addEventListener('dragleave', () => {
      depth = Math.max(0, depth - 1);
      if (!depth) this.dropOverlay.hidden = true;
    });
    document.addEventListener('drop', (ev) => {
      ev.preventDefault();
      depth = 0;
      this.dropOverlay.hidden = true;
      const files = Array.from((ev.dataTransfer && ev.dataTransfer.files) || []).slice(0, 2);
      if (files.length) this.load(files.map(fileSource), { fromFiles: true });
    });
  }

  // A message in the page's language (i18n key and its parameters): said again in the
  // other language when the reader switches while it shows (a long load's "loading...").
  showTr(key, params, kind) {
    this.showMessage(tr(key, params), kind);
    this.messageSource = { key, params };
  }

  showMessage(text, kind) {
    this.messageSource = null;
    this.message.textContent = text;
    this.message.className = 'message ' + (kind || 'info');
    this.message.dataset.kind = kind || 'info';
    this.message.hidden = !text;
  }

  welcome() {
    clear(this.main);
    this.main.appendChild(
      el(
        'section',
        { class: 'panel welcome', id: 'welcome' },
        el('h1', { text: tr('welcomeTitle') }),
        el('p', { text: tr('welcomeText') }),
        el('p', null, el('button', { type: 'button', class: 'btn primary', onclick: () => this.fileInput.click() }, tr('open'))),
        el('p', { class: 'muted', text: tr('welcomeUrl') }),
      ),
    );
  }

  // ------------------------------------------------------------ loading

  async start() {
    const hash = readHash();
    if (hash.lang) this.setLanguage(hash.lang, true);
    let sources = embeddedSources();
    if (!sources.length) sources = urlSources(location.search);
    if (!sources.length) {
      this.welcome();
      document.body.dataset.state = 'empty';
      return;
    }
    await this.load(sources.slice(0, 2), { initial: true });
  }

  // Load 1 or 2 sources. On any failure the message says which file and why, and the
  // page keeps what it showed before (the welcome card or the previous traces).
  async load(sources, opts) {
    document.body.dataset.state = 'loading';
    let early = null;
    if (sources.length === 1 && sources[0].early && !opts.keepFirst) {
      early = await this.loadEarly(sources[0], opts);
      if (early === true) return;
    }
    const models = opts.keepFirst ? [this.models[0]] : [];
    for (const src of sources) {
      this.showTr('loading', { name: src.name }, 'info');
      // the source hands its bytes to the scanner (a URL's as they download)
      let scanner = new TraceScanner(0);
      const tl = performance.now();
      try {
        scanner = await src.load(scanner, early);
      } catch (e) {
        return this.fail(src.name, e);
      }
      this.perf.fetchMs = (this.perf.fetchMs || 0) + (performance.now() - tl);
      const size = scanner.chunks.length;
      this.perf.bytes += size;
      this.showTr('parsing', { name: src.name, size: fmtSize(size) }, 'info');
      await nextFrame();
      const t0 = performance.now();
      try {
        const m = parseTrace(scanner, src.name, this.perf);
        // an embedded trace without a data-name has no file name of its own (titles.js
        // calls it after its scenario or command, not "trace 1")
        if (src.named === false) m.name = typeof m.meta.scenario === 'string' ? m.meta.scenario + '.json' : '';
        models.push(m);
      } catch (e) {
        return this.fail(src.name, e);
      }
      if (src.claimsUrl) {
        try {
          applyClaimsFile(models[models.length - 1], await claimsFile(src.claimsUrl));
        } catch (e) {
          this.showMessage(tr('errClaims', { name: src.name, detail: e && e.message ? e.message : String(e) }), 'error');
          document.body.dataset.state = 'error';
          if (!this.models.length && !this.main.firstChild) this.welcome();
          return;
        }
      }
      this.perf.parseMs = (this.perf.parseMs || 0) + (performance.now() - t0);
      scanner = null;
    }
    this.perf.loaded = performance.now();
    this.showMessage('', 'info');
    if (opts.fromFiles) {
      try {
        history.replaceState(null, '', location.pathname);
      } catch (e) {
        /* file:// pages may refuse */
      }
      this.lastHash = location.hash;
    }
    this.setModels(models, !!opts.initial);
  }

  // `ipclab view`'s compact form alone (loader.js, model.js parseEarly): the model drawn
  // before the JSON text is asked for, then the text downloaded for the events' details
  // and the model given them (state "details" meanwhile, "ready" after). Returns true when
  // done so, else what it read of the form (or null) for load() to go on with.
  async loadEarly(src, opts) {
    this.showTr('loading', { name: src.name }, 'info');
    const tl = performance.now();
    let doc = null;
    try {
      doc = await src.early();
    } catch (e) {
      doc = null;
    }
    if (!doc) return null;
    const t0 = performance.now();
    this.perf.fetchMs = (this.perf.fetchMs || 0) + (t0 - tl);
    this.perf.bytes += doc.buf.byteLength;
    let m = null;
    try {
      m = parseEarly(doc, src.name, this.perf);
    } catch (e) {
      console.warn('ipclab: the model is not built from the compact form of ' + src.name + ' (' + (e && e.message) + '); reading the JSON');
    }
    if (!m) return doc;
    if (src.claimsUrl) {
      try {
        applyClaimsFile(m, await claimsFile(src.claimsUrl));
      } catch (e) {
        return doc; // load() says why, as without the compact form
      }
    }
    this.perf.parseMs = (this.perf.parseMs || 0) + (performance.now() - t0);
    this.perf.loaded = performance.now();
    this.setModels([m], !!opts.initial);
    document.body.dataset.state = 'details';
    this.showTr('detailsLoading', { name: src.name }, 'info');
    // draw first; the text's download and reading then share the page with nothing
    await nextFrame();
    await nextFrame();
    this.perf.drawnBeforeText = this.perf.firstRender !== null;
    // what the panels alone need (a pipe's slot owners), now that the page is drawn
    if (finishLater(m)) this.invalidate();
    let scanner;
    try {
      scanner = await src.load(new TraceScanner(0), doc);
    } catch (e) {
      this.fail(src.name, e);
      return true;
    }
    let full;
    try {
      // the text is the form's (else read as it is: the model from the text counts)
      const same = scanner.reader === 'cols';
      full = same ? upgradeEarly(m, scanner.result.events) : parseTrace(scanner, src.name, null);
      if (!same && m.claimsFile) applyClaimsFile(full, { file: m.claimsFile, claims: m.claims });
    } catch (e) {
      this.fail(src.name, e);
      return true;
    }
    // in place of the partial model, wherever it is now (a second trace may have been
    // opened beside it meanwhile; none if another one replaced it)
    const at = this.models.indexOf(m);
    if (at < 0) return true;
    this.models[at] = full;
    this.buildLayout();
    this.showMessage('', 'info');
    document.body.dataset.state = 'ready';
    this.perf.ready = performance.now();
    this.invalidate();
    return true;
  }

  fail(name, e) {
    let text;
    let kind = 'error';
    if (e instanceof TraceError) {
      if (e.kind === 'version') {
        text = tr('errVersion', { name, version: e.version, supported: SUPPORTED_VERSION });
        kind = 'error version';
      } else if (e.kind === 'json') text = tr('errJson', { name, detail: e.detail });
      else text = tr('errNotTrace', { name, detail: e.detail });
    } else if (e instanceof LoadError) {
      text = tr(e.kind === 'read' ? 'errRead' : 'errFetch', { name, detail: e.detail });
    } else {
      text = tr('errNotTrace', { name, detail: e && e.message ? e.message : String(e) });
    }
    this.showMessage(text, kind);
    document.body.dataset.state = 'error';
    if (!this.models.length && !this.main.firstChild) this.welcome();
  }

  setModels(models, applyHash) {
    this.models = models;
    const st = this.state;
    st.sel = null;
    st.selObj = null;
    st.highlight = null;
    st.cursor = 0;
    this.fullView();
    this.buildLayout();
    if (applyHash) this.applyHash(readHash());
    document.body.dataset.state = 'ready';
    if (this.perf.ready === undefined) this.perf.ready = performance.now();
    document.body.dataset.traces = String(models.length);
    this.invalidate();
  }

  buildLayout() {
    const models = this.models;
    const compare = models.length > 1;
    clear(this.main);
    this.main.className = compare ? 'compare' : 'single';
    this.labs = models.map((m, mi) => new LabPanel(this, m, mi, compare));
    this.claims = models.map((m, mi) => new ClaimsPanel(this, m, mi, compare));
    const intro = el('div', { class: 'intro' + (compare ? ' cols-2' : '') });
    if (compare) {
      models.forEach((m, mi) => intro.appendChild(el('div', { class: 'col' }, this.labs[mi].el, this.claims[mi].el)));
    } else {
      intro.append(this.labs[0].el, this.claims[0].el);
    }
    this.timeline.setModels(models);
    addExportButtons(this);
    this.ring.setModels(models);
    this.selection.key = null;
    this.stepper.setModels(models);
    this.panels = MECHANISMS.filter((mc) => mc.panel).map((mc) => mc.panel(this, models));
    const details = el('div', { class: 'details' }, this.ring.el, this.selection.el);
    // a module's lane may have no card at the cursor (a message queue): no empty panel then
    const anyBuffer = this.ring.cards.length > 0;
    this.ring.el.hidden = !anyBuffer;
    details.classList.toggle('no-buffer', !anyBuffer);
    this.main.append(intro, this.stepper.el, this.timeline.el, details, ...this.panels.map((p) => p.el));
    this.updateChromeText();
  }

  setLanguage(l, quiet) {
    this.lang = setLang(l);
    const said = this.messageSource;
    if (said && !this.message.hidden) this.showTr(said.key, said.params, this.message.dataset.kind);
    if (!quiet && this.models.length) this.buildLayout();
    else if (!this.models.length && this.main.querySelector('#welcome')) this.welcome();
    this.updateChromeText();
    this.invalidate();
  }

  // ------------------------------------------------------------ view state

  get duration() {
    return Math.max(1, ...this.models.map((m) => m.duration));
  }

  fullView() {
    const d = this.duration;
    this.state.view = { t0: -d * 0.01, t1: d * 1.01 };
  }

  resetView() {
    this.fullView();
    this.invalidate();
  }

  setView(t0, t1) {
    const d = this.duration;
    let span = t1 - t0;
    if (!(span > 0) || !Number.isFinite(span)) return;
    span = Math.max(20, Math.min(span, d * 1.5));
    const c = (t0 + t1) / 2;
    t0 = c - span / 2;
    const lo = -d * 0.25;
    const hi = d * 1.25;
    if (t0 < lo) t0 = lo;
    if (t0 + span > hi) t0 = Math.max(lo, hi - span);
    this.state.view = { t0, t1: t0 + span };
    this.invalidate();
  }

  setCursor(T, reveal) {
    if (!Number.isFinite(T)) return;
    this.state.cursor = T;
    if (reveal) this.reveal(T, T);
    this.invalidate();
  }

  reveal(a, b) {
    const { t0, t1 } = this.state.view;
    if (a >= t0 && b <= t1) return;
    const span = Math.max(t1 - t0, (b - a) * 1.3);
    const c = (a + b) / 2;
    this.setView(c - span / 2, c + span / 2);
  }

  select(mi, ev, reveal) {
    const m = this.models[mi];
    if (!m || !(ev >= 0 && ev < m.n)) return;
    this.state.sel = { mi, ev };
    this.state.selObj = null;
    if (reveal) this.reveal(m.ts[ev], m.te[ev]);
    this.invalidate();
  }

  // An object clicked in its lane: its details in the selection panel, the cursor at T.
  selectObject(mi, id, T) {
    const m = this.models[mi];
    if (!m || !m.objById.has(id)) return;
    this.state.sel = null;
    this.state.selObj = { mi, id };
    this.setCursor(T);
  }

  clearSelection() {
    this.state.sel = null;
    this.state.selObj = null;
    this.state.highlight = null;
    this.invalidate();
  }

  // Jump to a claim's evidence: the view covers the cited events, which are highlighted;
  // the first is selected and the cursor goes to the end of the last.
  showClaim(mi, ci) {
    const m = this.models[mi];
    const c = m && m.claims[ci];
    if (!c) return;
    const list = c.evidence.slice();
    this.state.highlight = { mi, claim: ci, list };
    if (list.length) {
      let a = Infinity;
      let b = -Infinity;
      for (const i of list) {
        a = Math.min(a, m.ts[i]);
        b = Math.max(b, m.te[i]);
      }
      const span = Math.max(b - a, 2000);
      const pad = span * 0.12;
      this.setView(a - pad, a + span + pad);
      this.state.sel = { mi, ev: list[0] };
      this.state.cursor = b;
    }
    this.invalidate();
  }

  setOption(name, value) {
    this.state[name] = value;
    // the mappings panel's note on the faults outside mappings follows showStray
    if (name === 'showStray') for (const p of this.panels) p.build();
    this.invalidate();
  }

  // ------------------------------------------------------------ tooltip

  showTooltip(lines, x, y) {
    const tip = this.tooltip;
    tip.textContent = lines.join('\n');
    tip.hidden = false;
    const w = tip.offsetWidth;
    const h = tip.offsetHeight;
    let left = x + 14;
    let top = y + 14;
    if (left + w > window.innerWidth - 8) left = Math.max(8, x - w - 14);
    if (top + h > window.innerHeight - 8) top = Math.max(8, y - h - 14);
    tip.style.left = left + 'px';
    tip.style.top = top + 'px';
  }

  hideTooltip() {
    this.tooltip.hidden = true;
  }

  // ------------------------------------------------------------ drawing

  invalidate() {
    if (this.pending) return;
    this.pending = true;
    requestAnimationFrame(() => {
      this.pending = false;
      this.render();
    });
  }

  render() {
    if (!this.models.length) return;
    const t0 = performance.now();
    this.timeline.render();
    const t1 = performance.now();
    this.ring.render();
    for (const c of this.claims) c.render();
    for (const p of this.panels) p.render();
    this.selection.render();
    this.stepper.render();
    const t2 = performance.now();
    const perf = this.perf;
    perf.frames.push({ timeline: t1 - t0, total: t2 - t0 });
    if (perf.frames.length > 300) perf.frames.splice(0, 100);
    if (perf.firstRender === null) {
      perf.firstRender = t2;
      document.body.dataset.firstRenderMs = String(Math.round(t2));
    }
    this.scheduleHash();
  }

  // ------------------------------------------------------------ URL hash

  scheduleHash() {
    clearTimeout(this.hashTimer);
    this.hashTimer = setTimeout(() => this.writeHash(), 120);
  }

  writeHash() {
    const st = this.state;
    const p = new URLSearchParams();
    p.set('t0', String(Math.round(st.view.t0)));
    p.set('t1', String(Math.round(st.view.t1)));
    p.set('c', String(Math.round(st.cursor)));
    if (st.sel) p.set(st.sel.mi ? 'sel2' : 'sel', String(st.sel.ev));
    if (st.highlight) {
      const c = this.models[st.highlight.mi] && this.models[st.highlight.mi].claims[st.highlight.claim];
      if (c) p.set(st.highlight.mi ? 'claim2' : 'claim', c.id);
    }
    if (this.lang !== 'en') p.set('lang', this.lang);
    if (st.showStray) p.set('stray', '1');
    if (!st.showCopies) p.set('copies', '0');
    const h = '#' + p.toString();
    // The hash was changed from outside (edited, or a link) since our last write: its
    // hashchange event has not been handled yet, so leave it for that handler.
    if (this.lastHash !== undefined && location.hash !== this.lastHash) return;
    if (location.hash === h) {
      this.lastHash = h;
      return;
    }
    try {
      history.replaceState(null, '', location.pathname + location.search + h);
    } catch (e) {
      /* some file:// contexts refuse; the view still works */
    }
    this.lastHash = location.hash;
  }

  applyHash(h) {
    const st = this.state;
    const num = (k) => (h[k] !== undefined && h[k] !== '' && Number.isFinite(Number(h[k])) ? Number(h[k]) : null);
    const t0 = num('t0');
    const t1 = num('t1');
    if (t0 !== null && t1 !== null && t1 > t0) this.setView(t0, t1);
    const c = num('c');
    if (c !== null) st.cursor = c;
    for (const [key, mi] of [
      ['claim', 0],
      ['claim2', 1],
    ]) {
      if (h[key] && this.models[mi]) {
        const ci = this.models[mi].claims.findIndex((x) => x.id === h[key]);
        if (ci >= 0) st.highlight = { mi, claim: ci, list: this.models[mi].claims[ci].evidence.slice() };
      }
    }
    for (const [key, mi] of [
      ['sel', 0],
      ['sel2', 1],
    ]) {
      const v = num(key);
      if (v !== null && this.models[mi] && v >= 0 && v < this.models[mi].n && Number.isInteger(v)) st.sel = { mi, ev: v };
    }
    if (h.stray === '1') st.showStray = true;
    if (h.copies === '0') st.showCopies = false;
    if (h.stray === '1' || h.copies === '0') this.buildLayout();
    this.invalidate();
  }
}

function readHash() {
  const out = {};
  const s = location.hash.replace(/^#/, '');
  if (!s) return out;
  for (const [k, v] of new URLSearchParams(s)) out[k] = v;
  return out;
}

function nextFrame() {
  return new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
}

function main() {
  const root = document.getElementById('app');
  if (!root) return;
  const app = new App(root);
  // Test and debugging hook (read-only use): window.ipclab.app
  window.ipclab = { app };
  installPrint(app);
  window.addEventListener('error', (ev) => {
    app.showMessage('internal error: ' + (ev.message || 'unknown'), 'error');
  });
  window.addEventListener('hashchange', () => {
    app.lastHash = location.hash;
    if (app.models.length) app.applyHash(readHash());
  });
  app.start().catch((e) => app.showMessage('internal error: ' + (e && e.message ? e.message : String(e)), 'error'));
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', main);
else main();
