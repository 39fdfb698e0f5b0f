// The selected event: all its fields, as text.

import { el, clear } from './dom.js';
import { t as tr } from './i18n.js';
import { eventLines } from './format.js';

export class SelectionPanel {
  constructor(app) {
    this.app = app;
    this.el = el('section', { class: 'panel selection-panel', id: 'selection-panel' });
    this.key = null;
  }

  render() {
    const sel = this.app.state.sel;
    const key = sel ? sel.mi + ':' + sel.ev + ':' + this.app.lang : 'none:' + this.app.lang;
    if (key === this.key) return;
    this.key = key;
    clear(this.el);
    this.el.appendChild(el('h2', { text: tr('selection') }));
    if (!sel) {
      this.el.dataset.ev = '';
      this.el.appendChild(el('p', { class: 'muted', text: tr('noSelection') }));
      return;
    }
    const m = this.app.models[sel.mi];
    this.el.dataset.ev = String(sel.ev);
    this.el.dataset.trace = String(sel.mi);
    const lines = eventLines(m, sel.ev);
    this.el.appendChild(el('div', { class: 'sel-head', text: (this.app.models.length > 1 ? (sel.mi ? 'B · ' : 'A · ') : '') + lines[0] }));
    this.el.appendChild(el('div', { class: 'sel-when', text: lines[1] }));
    const dl = el('dl', { class: 'fields' });
    for (const l of lines.slice(2)) {
      const c = l.indexOf(': ');
      dl.append(el('dt', { text: l.slice(0, c) }), el('dd', { text: l.slice(c + 2) }));
    }
    this.el.appendChild(dl);
  }
}
