// Claims: the scenario's claims with PASS/FAIL. Clicking one jumps the timeline to the
// events in its `evidence` and highlights them.
//
// DOM hooks: li.claim[data-claim-id][data-status][data-trace]; the active claim has the
// class "active" and aria-pressed="true".

import { el, clear } from './dom.js';
import { t as tr, getLang } from './i18n.js';

// `ipclab view --claims FILE`: FILE's verdicts (loader.js claimsFile) take the place of
// the trace's own claims, everywhere claims are used (this panel, the walk, the URL's
// #claim=); the trace's are kept as m.storedClaims, counted in the panel's note. A TA
// grading a student's trace wants the verdicts of the TA's own file, and one list to walk.
// Throws an Error saying which claim is malformed (nothing is replaced then).
export function applyClaimsFile(m, v) {
  v.claims.forEach((c, i) => {
    const w = 'claims[' + i + ']';
    const isStr = (x) => typeof x === 'string';
    if (!c || !isStr(c.id) || !isStr(c.text) || !isStr(c.status) || !Array.isArray(c.evidence)) throw new Error(w + ' is not a claim');
    if (c.evidence.some((x) => !Number.isInteger(x) || x < 0 || x >= m.n)) throw new Error(w + '.evidence is not a list of indices into events');
  });
  m.storedClaims = m.claims;
  m.claims = v.claims;
  m.claimsFile = v.file;
}

export class ClaimsPanel {
  constructor(app, m, mi, compare) {
    this.app = app;
    this.m = m;
    this.mi = mi;
    this.items = [];
    this.el = el('section', { class: 'panel claims-panel', dataset: { trace: mi } });
    this.build(compare);
  }

  build(compare) {
    const m = this.m;
    clear(this.el);
    const claims = m.claims;
    const pass = claims.filter((c) => c.status === 'PASS').length;
    const fail = claims.length - pass;
    const head = el('div', { class: 'panel-title' }, compare ? el('span', { class: 'trace-tag', text: this.mi ? 'B' : 'A' }) : null, el('h2', { text: tr('claims') }));
    if (claims.length) {
      head.appendChild(el('span', { class: 'claims-summary' + (fail ? ' has-fail' : ''), text: tr('passFail', { pass, fail }) }));
    }
    this.el.appendChild(head);
    if (m.claimsFile !== undefined) {
      // whose verdicts these are, and that the trace's own are not shown
      const stored = m.storedClaims || [];
      const sp = stored.filter((c) => c.status === 'PASS').length;
      const note = stored.length ? tr('claimsFileStored', { n: stored.length, pass: sp, fail: stored.length - sp }) : tr('claimsFileNoStored');
      this.el.appendChild(
        el('p', { class: 'claims-file', role: 'note' }, el('span', { text: tr('claimsFile') }), el('code', { class: 'claims-file-name', text: m.claimsFile }), el('span', { text: tr('claimsFileBy') + note })),
      );
    }
    const meta = m.meta;
    const warns = [];
    if (meta.dropped > 0) warns.push(tr('warnDropped', { n: meta.dropped }));
    if (meta.lost > 0) warns.push(tr('warnLost', { n: meta.lost }));
    if (meta.interrupted === true) warns.push(tr('warnInterrupted', { reason: String(meta.end_reason) }));
    for (const w of warns) this.el.appendChild(el('p', { class: 'warn', role: 'note', text: w }));
    if (!claims.length) {
      this.el.appendChild(el('p', { class: 'muted', text: tr('noClaims') }));
      return;
    }
    const list = el('ol', { class: 'claim-list' });
    // In 中文 the statement is the trace's text_zh and the detail (what the trace showed) its
    // detail_zh, each where the trace has it. A trace without text_zh says so once.
    const zh = getLang() === 'zh';
    const zhMissing = zh && claims.some((c) => typeof c.text_zh !== 'string' || !c.text_zh);
    if (zhMissing) this.el.appendChild(el('p', { class: 'muted small claims-english-only', text: tr('englishOnly') }));
    claims.forEach((c, ci) => {
      const hasZh = zh && typeof c.text_zh === 'string' && c.text_zh.length > 0;
      const hasDetailZh = zh && typeof c.detail_zh === 'string' && c.detail_zh.length > 0;
      const ok = c.status === 'PASS';
      const n = c.evidence.length;
      const evText = n === 0 ? tr('evidenceNone') : n === 1 ? tr('evidence1') : tr('evidenceN', { n });
      const li = el(
        'li',
        {
          class: 'claim ' + (ok ? 'pass' : 'fail') + (n ? ' has-evidence' : ''),
          dataset: { claimId: c.id, status: String(c.status), trace: this.mi, index: ci },
          tabindex: '0',
          role: 'button',
          'aria-pressed': 'false',
        },
        el('span', { class: 'badge ' + (ok ? 'pass' : 'fail'), text: String(c.status) }),
        el(
          'div',
          { class: 'claim-body' },
          el('div', { class: 'claim-text', lang: hasZh ? 'zh-CN' : 'en' }, el('code', { class: 'claim-id', text: c.id }), ' ', hasZh ? c.text_zh : c.text),
          el('div', { class: 'claim-detail', lang: hasDetailZh ? 'zh-CN' : 'en', text: hasDetailZh ? c.detail_zh : c.detail }),
          // the count, then the hint to click, which print hides
          el(
            'div',
            { class: 'claim-ev' },
            el('span', { class: 'claim-ev-count', text: tr('evidence', { what: evText }) }),
            n ? el('span', { class: 'claim-ev-hint', text: tr('evidenceHint') }) : null,
          ),
        ),
      );
      const activate = () => this.app.showClaim(this.mi, ci);
      li.addEventListener('click', activate);
      li.addEventListener('keydown', (ev) => {
        if (ev.key === 'Enter' || ev.key === ' ') {
          ev.preventDefault();
          activate();
        }
      });
      this.items.push(li);
      list.appendChild(li);
    });
    this.el.appendChild(list);
  }

  render() {
    const h = this.app.state.highlight;
    this.items.forEach((li, ci) => {
      const on = !!h && h.mi === this.mi && h.claim === ci;
      li.classList.toggle('active', on);
      li.setAttribute('aria-pressed', on ? 'true' : 'false');
    });
  }
}
