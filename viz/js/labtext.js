// Lab text: what the scenario is about (meta.summary, meta.explain), what the course
// notes say (meta.rule_zh) and, when the trace has them, the same texts in Chinese
// (meta.summary_zh, meta.explain_zh), shown for the language chosen with the EN/中文 toggle;
// then what to look for in the page to see the lesson (meta.look, meta.look_zh).

import { el, clear } from './dom.js';
import { t as tr, getLang } from './i18n.js';
import { traceTitle } from './titles.js';

export class LabPanel {
  constructor(app, m, mi, compare) {
    this.app = app;
    this.m = m;
    this.mi = mi;
    this.compare = compare;
    this.el = el('section', { class: 'panel lab-panel', dataset: { trace: mi } });
    this.build();
  }

  // What made a trace that is not a scenario's: a lab folder, a command judged by a claims
  // file, or a command alone.
  origin(meta, str) {
    if (str(meta.lab)) return tr('labRun', { name: meta.lab, file: str(meta.claims_file) || meta.lab + '.claims' });
    if (str(meta.claims_file)) return tr('judgedBy', { file: meta.claims_file });
    return tr('noScenario');
  }

  build() {
    const m = this.m;
    const meta = m.meta;
    const zh = getLang() === 'zh';
    clear(this.el);
    this.el.dataset.lang = zh ? 'zh' : 'en';
    const title = traceTitle(m);
    this.el.appendChild(
      el('div', { class: 'panel-title' }, this.compare ? el('span', { class: 'trace-tag', text: this.mi ? 'B' : 'A' }) : null, el('h2', { class: 'lab-title', text: title })),
    );
    const str = (v) => (typeof v === 'string' && v.length ? v : null);
    if (typeof meta.scenario !== 'string') this.el.appendChild(el('p', { class: 'muted lab-origin', text: this.origin(meta, str) }));
    const en = () => {
      if (str(meta.summary)) this.el.appendChild(el('p', { class: 'lab-summary', lang: 'en', text: meta.summary }));
      if (str(meta.explain)) this.el.appendChild(el('p', { class: 'lab-explain', lang: 'en', text: meta.explain }));
    };
    if (zh && (str(meta.summary_zh) || str(meta.explain_zh))) {
      // the trace carries the scenario in Chinese (ipclab writes summary_zh and explain_zh)
      if (str(meta.summary_zh)) this.el.appendChild(el('p', { class: 'lab-summary', lang: 'zh-CN', text: meta.summary_zh }));
      if (str(meta.explain_zh)) this.el.appendChild(el('p', { class: 'lab-explain', lang: 'zh-CN', text: meta.explain_zh }));
    } else {
      en();
      // an older trace without the Chinese texts: say so rather than pass English off as all there is
      if (zh && (str(meta.summary) || str(meta.explain))) this.el.appendChild(el('p', { class: 'muted small', text: tr('englishOnly') }));
    }
    this.appendLook(meta, zh, str);
    if (str(meta.rule_zh)) {
      this.el.appendChild(
        el(
          'figure',
          { class: 'lab-rule' },
          el('figcaption', { text: zh ? tr('courseNotesZh') : tr('courseNotes') }),
          el('blockquote', { lang: 'zh-CN', text: meta.rule_zh }),
        ),
      );
    }
    const facts = [];
    if (str(meta.command)) facts.push([tr('command'), meta.command]);
    facts.push([tr('kernel'), String(meta.kernel) + ' · ' + String(meta.machine)]);
    facts.push([tr('tier'), String(meta.tier)]);
    facts.push([tr('started'), String(meta.start_time)]);
    facts.push([tr('events'), String(m.n)]);
    const dl = el('dl', { class: 'facts' });
    for (const [k, v] of facts) dl.append(el('dt', { text: k }), el('dd', { text: v }));
    this.el.appendChild(dl);
  }

  // "What to look for": where in the page the lesson shows (lanes, blocked bars, wake-up arrows,
  // slots, faults). A trace without look_zh shows look in Chinese mode rather than nothing.
  appendLook(meta, zh, str) {
    const text = zh && str(meta.look_zh) ? meta.look_zh : str(meta.look);
    if (!text) return;
    const lang = zh && str(meta.look_zh) ? 'zh-CN' : 'en';
    this.el.appendChild(
      el('section', { class: 'lab-look' }, el('h3', { text: tr('lookFor') }), el('p', { class: 'lab-look-text', lang, text })),
    );
  }
}
