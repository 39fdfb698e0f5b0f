// Step by step (issue #14 §2): the bar above the timeline that moves the cursor from
// event to event (buttons, N/P or ./, keys), plays the events forward at a chosen speed
// (Space plays and pauses), and walks through the scenario's claims one at a time,
// showing each claim's evidence as a click on the claim does.
//
// The steps go over every process lane (both traces in compare mode, by time), or only
// over the lane of an event the student picked (clicked on the timeline, or in a claim);
// the event the stepper itself moved to keeps the scope it had. The bar says which.
//
// DOM hooks: #step-panel[data-playing][data-scope][data-speed][data-pos]; #walk-panel
// [data-trace][data-claim-id][data-index]; the buttons' ids below.

import { el, clear } from './dom.js';
import { t as tr, getLang } from './i18n.js';
import { stepOrder, positionOf, stepFrom } from './steporder.js';
import { lowerBound, upperBound } from './bsearch.js';
import { traceTitle } from './titles.js';

const SPEEDS = [0.5, 1, 2, 5, 10, 20]; // events per second
const DEFAULT_SPEED = 1;

export class Stepper {
  constructor(app) {
    this.app = app;
    this.models = [];
    this.orders = new Map(); // 'mi:lane|all:stray' -> step order
    this.scope = null; // {mi, lane} or null: all lanes
    this.own = null; // {mi, ev}: the event the stepper (or the walk) selected last
    this.speed = DEFAULT_SPEED;
    this.timer = null;
    this.walk = null; // {k}: the claim shown, an index into walkSteps()
    this.atEnd = 0; // the direction of the last step that found no event, or 0
    this.el = el('section', { class: 'panel step-panel', id: 'step-panel' });
    this.bindKeys();
  }

  // New traces reset everything; the same traces again (a language switch) keep the
  // walk, the scope and the play.
  setModels(models) {
    const same = models.length === this.models.length && models.every((m, mi) => m === this.models[mi]);
    if (!same) {
      this.pause();
      this.orders.clear();
      this.scope = null;
      this.own = null;
      this.walk = null;
      this.atEnd = 0;
    }
    this.models = models;
    this.build();
  }

  // ------------------------------------------------------------ the bar

  build() {
    clear(this.el);
    const btn = (id, text, title, onclick) => el('button', { type: 'button', class: 'btn small', id, title, onclick }, text);
    this.prevBtn = btn('step-prev', tr('step_prev'), tr('step_prevTitle'), () => this.step(-1));
    this.nextBtn = btn('step-next', tr('step_next'), tr('step_nextTitle'), () => this.step(1));
    this.playBtn = btn('step-play', '', tr('step_playTitle'), () => this.toggle());
    this.speedSel = el(
      'select',
      { id: 'step-speed', class: 'step-speed' },
      SPEEDS.map((s) => el('option', { value: String(s), selected: s === this.speed }, tr(s === 1 ? 'step_rate1' : 'step_rateN', { n: s }))),
    );
    this.speedSel.addEventListener('change', () => this.setSpeed(Number(this.speedSel.value)));
    this.scopeText = el('span', { class: 'step-scope', role: 'status' });
    this.allBtn = btn('step-all-lanes', tr('step_allLanes'), null, () => this.allLanes());
    this.posText = el('span', { class: 'step-pos' });
    const claims = this.walkSteps().length;
    this.walkBtn = btn('walk-btn', tr('walk_start'), claims ? null : tr('walk_noClaims'), () => this.walkStart());
    this.walkBtn.disabled = !claims;
    this.walkEl = el('div', { class: 'walk-panel', id: 'walk-panel', role: 'region', 'aria-live': 'polite', hidden: true });
    this.el.append(
      el(
        'div',
        { class: 'step-row' },
        el('h2', { text: tr('step_title') }),
        el('div', { class: 'step-buttons', role: 'group', 'aria-label': tr('step_title') }, this.prevBtn, this.nextBtn, this.playBtn),
        el('label', { class: 'step-speed-label' }, tr('step_speed') + ' ', this.speedSel),
        this.posText,
        el('span', { class: 'step-scope-box' }, this.scopeText, this.allBtn),
        this.walkBtn,
      ),
      el('p', { class: 'help', text: tr('step_help') }),
      this.walkEl,
    );
    this.walkKey = null;
    this.render();
  }

  render() {
    if (!this.models.length) return;
    const scope = this.currentScope();
    const playing = !!this.timer;
    const playText = tr(playing ? 'step_pause' : 'step_play');
    if (this.playBtn.textContent !== playText) this.playBtn.textContent = playText;
    this.playBtn.setAttribute('aria-pressed', playing ? 'true' : 'false');
    const ds = this.el.dataset;
    ds.playing = playing ? '1' : '0';
    ds.speed = String(this.speed);
    ds.scope = scope ? scope.mi + ':' + scope.lane : 'all';
    const scopeText = scope ? tr('step_scopeLane', this.laneNames(scope)) : tr('step_scopeAll');
    if (this.scopeText.textContent !== scopeText) this.scopeText.textContent = scopeText;
    this.allBtn.hidden = !scope;
    this.renderPosition(scope);
    this.renderWalk();
  }

  // "event 12 of 260" in the scope, "end of the trace" after a step that found none;
  // nothing before the first step (the order of a big trace is sorted only when needed).
  renderPosition(scope) {
    let text = '';
    let pos = '';
    if (this.hasOrders(scope)) {
      const cur = this.current(scope);
      const orders = this.ordersFor(scope);
      const total = orders.reduce((n, o) => n + o.order.idx.length, 0);
      if (cur.pos >= 0) {
        let before = 0;
        for (const { mi, order } of orders) {
          before += mi === cur.mi ? cur.pos : mi < cur.mi ? upperBound(order.t, cur.T) : lowerBound(order.t, cur.T);
        }
        pos = String(before + 1);
        text = tr('step_pos', { k: before + 1, n: total });
      }
      if (this.atEnd) text += (text ? ' · ' : '') + tr(this.atEnd > 0 ? 'step_end' : 'step_start');
    }
    this.el.dataset.pos = pos;
    if (this.posText.textContent !== text) this.posText.textContent = text;
  }

  laneNames(scope) {
    const lane = this.models[scope.mi].lanes[scope.lane];
    const tag = this.models.length > 1 ? (scope.mi ? 'B · ' : 'A · ') : '';
    return { comm: tag + lane.comm, pid: lane.pid };
  }

  // ------------------------------------------------------------ stepping

  // The lane the steps are confined to: that of an event the student picked, kept while
  // the stepper moves from it; none when nothing is selected.
  currentScope() {
    const sel = this.app.state.sel;
    if (!sel || !this.models[sel.mi]) {
      this.scope = null;
      return null;
    }
    if (this.own && this.own.mi === sel.mi && this.own.ev === sel.ev) return this.scope;
    this.scope = { mi: sel.mi, lane: this.models[sel.mi].laneOf[sel.ev] };
    this.own = { mi: sel.mi, ev: sel.ev };
    return this.scope;
  }

  allLanes() {
    this.currentScope();
    this.scope = null;
    this.app.invalidate();
  }

  orderKey(scope, mi) {
    return mi + ':' + (scope ? scope.lane : 'all') + ':' + !!this.app.state.showStray;
  }

  hasOrders(scope) {
    const mis = scope ? [scope.mi] : this.models.map((m, mi) => mi);
    return mis.every((mi) => this.orders.has(this.orderKey(scope, mi)));
  }

  ordersFor(scope) {
    const stray = !!this.app.state.showStray;
    const mis = scope ? [scope.mi] : this.models.map((m, mi) => mi);
    return mis.map((mi) => {
      const key = this.orderKey(scope, mi);
      if (!this.orders.has(key)) this.orders.set(key, stepOrder(this.models[mi], scope ? [scope.lane] : null, stray));
      return { mi, order: this.orders.get(key) };
    });
  }

  // Where the steps start: the selected event when the cursor is at its start, else the
  // cursor time alone.
  current(scope) {
    const st = this.app.state;
    const T = st.cursor;
    const sel = st.sel;
    const m = sel && this.models[sel.mi];
    if (!m || m.ts[sel.ev] !== T) return { T, mi: -1, pos: -1 };
    const o = this.ordersFor(scope).find((x) => x.mi === sel.mi);
    return { T, mi: sel.mi, pos: o ? positionOf(o.order, sel.ev, T) : -1 };
  }

  // One step (+1 next, -1 previous); false when there is no event that way.
  step(dir) {
    if (!this.models.length) return false;
    const scope = this.currentScope();
    const to = stepFrom(this.ordersFor(scope), this.current(scope), dir);
    this.atEnd = to ? 0 : dir;
    if (!to) {
      this.app.invalidate();
      return false;
    }
    this.goTo(to.mi, to.ev, dir);
    return true;
  }

  // Select event ev, put the cursor at its start, and pan the view to it if it is not
  // well inside (ahead of it when going forward, behind it when going back).
  goTo(mi, ev, dir) {
    const app = this.app;
    const st = app.state;
    const T = this.models[mi].ts[ev];
    st.sel = { mi, ev };
    st.selObj = null;
    this.own = { mi, ev };
    const { t0, t1 } = st.view;
    const span = t1 - t0;
    const margin = span * 0.08;
    if (T < t0 + margin || T > t1 - margin) {
      const from = T - span * (dir > 0 ? 0.3 : 0.7);
      app.setView(from, from + span);
    }
    app.setCursor(T);
  }

  // ------------------------------------------------------------ play

  toggle() {
    if (this.timer) this.pause();
    else this.play();
  }

  play() {
    if (this.timer || !this.step(1)) return;
    this.timer = setInterval(() => this.tick(), 1000 / this.speed);
    this.app.invalidate();
  }

  tick() {
    if (!this.step(1)) this.pause();
  }

  pause() {
    if (!this.timer) return;
    clearInterval(this.timer);
    this.timer = null;
    this.app.invalidate();
  }

  setSpeed(s) {
    if (!SPEEDS.includes(s)) return;
    this.speed = s;
    if (this.timer) {
      clearInterval(this.timer);
      this.timer = setInterval(() => this.tick(), 1000 / this.speed);
    }
    this.app.invalidate();
  }

  // ------------------------------------------------------------ keys

  bindKeys() {
    document.addEventListener('keydown', (ev) => {
      if (!this.models.length || ev.ctrlKey || ev.metaKey || ev.altKey) return;
      if (inField(ev.target) || (ev.key === ' ' && isButton(ev.target))) return;
      let handled = true;
      switch (ev.key) {
        case 'n':
        case 'N':
        case '.':
          this.step(1);
          break;
        case 'p':
        case 'P':
        case ',':
          this.step(-1);
          break;
        case ' ':
          this.toggle();
          break;
        default:
          handled = false;
      }
      if (handled) ev.preventDefault();
    });
  }

  // ------------------------------------------------------------ the claims walk

  // Every claim of every trace, trace A's first.
  walkSteps() {
    return this.models.flatMap((m, mi) => m.claims.map((c, ci) => ({ mi, ci })));
  }

  walkStart() {
    if (!this.walkSteps().length) return;
    this.pause();
    this.walk = { k: 0 };
    this.walkGo(0);
    this.el.scrollIntoView({ block: 'start', behavior: 'instant' });
  }

  // Claim k of the walk: highlighted as a click on it would, its first evidence event
  // selected with the cursor at its start.
  walkGo(k) {
    const steps = this.walkSteps();
    if (!this.walk || k < 0 || k >= steps.length) return;
    this.walk.k = k;
    const { mi, ci } = steps[k];
    const app = this.app;
    app.showClaim(mi, ci);
    const m = this.models[mi];
    const first = m.claims[ci].evidence[0];
    const st = app.state;
    st.sel = first === undefined ? null : { mi, ev: first };
    if (first !== undefined) st.cursor = m.ts[first];
    this.own = st.sel;
    this.scope = null;
    this.atEnd = 0;
    this.ordersFor(null); // for "event k of n"
    app.invalidate();
  }

  walkClose() {
    this.walk = null;
    this.app.invalidate();
  }

  renderWalk() {
    const steps = this.walkSteps();
    const w = this.walk;
    this.walkEl.hidden = !w;
    this.walkBtn.setAttribute('aria-expanded', w ? 'true' : 'false');
    if (!w) {
      this.walkKey = null;
      return;
    }
    const key = w.k + ':' + getLang();
    if (key === this.walkKey) return;
    this.walkKey = key;
    const { mi, ci } = steps[w.k];
    const m = this.models[mi];
    const c = m.claims[ci];
    const ds = this.walkEl.dataset;
    ds.trace = String(mi);
    ds.claimId = c.id;
    ds.index = String(w.k);
    clear(this.walkEl);
    this.walkEl.append(this.walkHead(mi, ci, m), this.walkBody(c), this.walkNav(w.k, steps.length));
  }

  // Two traces side by side: the claim's trace by its letter (as on its track and its
  // claims panel) and its title, since both may have claims of one name.
  walkHead(mi, ci, m) {
    const compare = this.models.length > 1;
    const pass = m.claims[ci].status === 'PASS';
    return el(
      'div',
      { class: 'walk-head' },
      compare ? el('span', { class: 'trace-tag', text: mi ? 'B' : 'A' }) : null,
      compare ? el('span', { class: 'walk-trace', text: traceTitle(m) }) : null,
      el('span', { class: 'walk-title', text: tr('walk_title', { k: ci + 1, n: m.claims.length }) }),
      el('span', { class: 'badge ' + (pass ? 'pass' : 'fail'), text: String(m.claims[ci].status) }),
      el('code', { class: 'claim-id', text: m.claims[ci].id }),
    );
  }

  // In 中文 the claim's text_zh and detail_zh, each where the trace has it (its English one
  // otherwise), as in the claims panel.
  walkBody(c) {
    const zh = getLang() === 'zh' && typeof c.text_zh === 'string' && c.text_zh.length > 0;
    const zhDetail = getLang() === 'zh' && typeof c.detail_zh === 'string' && c.detail_zh.length > 0;
    const n = c.evidence.length;
    const ev = n === 0 ? tr('walk_noEvidence') : n === 1 ? tr('walk_evidence1') : tr('walk_evidenceN', { n });
    return el(
      'div',
      { class: 'walk-body' },
      el('p', { class: 'walk-text', lang: zh ? 'zh-CN' : 'en', text: zh ? c.text_zh : c.text }),
      el('p', { class: 'walk-detail', lang: zhDetail ? 'zh-CN' : 'en', text: zhDetail ? c.detail_zh : c.detail }),
      el('p', { class: 'walk-ev', text: ev }),
    );
  }

  walkNav(k, n) {
    const prev = el('button', { type: 'button', class: 'btn small', id: 'walk-prev', onclick: () => this.walkGo(this.walk.k - 1) }, tr('walk_prev'));
    const next = el('button', { type: 'button', class: 'btn small primary', id: 'walk-next', onclick: () => this.walkGo(this.walk.k + 1) }, tr('walk_next'));
    const close = el('button', { type: 'button', class: 'btn small', id: 'walk-close', onclick: () => this.walkClose() }, tr('walk_close'));
    prev.disabled = k === 0;
    next.disabled = k === n - 1;
    return el('div', { class: 'walk-nav' }, prev, next, close);
  }
}

// A focused field takes every key; a focused button (a claim, a <summary>, a link) takes
// Space for itself.
function inField(target) {
  const tag = target && target.tagName;
  return tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || !!(target && target.isContentEditable);
}

function isButton(target) {
  const tag = target && target.tagName;
  if (!tag) return false;
  return tag === 'BUTTON' || tag === 'SUMMARY' || tag === 'A' || target.getAttribute('role') === 'button';
}
