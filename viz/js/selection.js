// The selected event: all its fields, as text. For an event of a mechanism module (a
// socket send...) first what it did in sentences, for a copy the bytes it moved as a hex
// dump (bytes.js), and for an event on, or a lane click of, an object a mechanism module
// owns, that object's details.

import { el, clear } from './dom.js';
import { t as tr } from './i18n.js';
import { eventLines } from './format.js';
import { MECHANISMS, mechanismOfKind } from './mechanisms.js';
import { blockText } from './blocks.js';
import { bytesBlock } from './bytes.js';

const HEX_FIELDS = ['data_hex', 'data_tail_hex'];

export class SelectionPanel {
  constructor(app) {
    this.app = app;
    this.el = el('section', { class: 'panel selection-panel', id: 'selection-panel' });
    this.key = null;
  }

  render() {
    const sel = this.app.state.sel;
    const so = this.app.state.selObj;
    const key = (sel ? sel.mi + ':' + sel.ev : so ? 'obj:' + so.mi + ':' + so.id : 'none') + ':' + this.app.lang;
    if (key === this.key) return;
    this.key = key;
    clear(this.el);
    this.el.appendChild(el('h2', { text: tr('selection') }));
    this.el.dataset.obj = '';
    if (!sel && so) {
      this.el.dataset.ev = '';
      this.el.dataset.trace = String(so.mi);
      this.objectBlock(this.app.models[so.mi], so.id);
      return;
    }
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
    const e = m.ev(sel.ev);
    const o = Number.isInteger(e.obj) ? m.objById.get(e.obj) : null;
    const mc = o ? mechanismOfKind(o.kind) : null;
    // an event on no object: the module that says it explains events of that type
    const mt = mc || MECHANISMS.find((x) => x.summaryTypes && x.summaryTypes.includes(e.type));
    let summary = mt && mt.eventSummary ? mt.eventSummary(e, m.objById, m, sel.ev) : null;
    // a block: first what it waited for (blocks.js)
    const what = blockText(m, sel.ev);
    if (what) summary = [what, ...(summary || [])];
    if (summary) this.el.append(el('div', { class: 'obj-head', text: tr('whatHappened') }), el('ul', { class: 'sel-summary' }, summary.map((s) => el('li', { text: s }))));
    const dl = el('dl', { class: 'fields' });
    const dump = bytesBlock(e);
    for (const l of lines.slice(2)) {
      const c = l.indexOf(': ');
      // the dump below shows the exact bytes: a second line of hex digits would only repeat it
      if (dump && HEX_FIELDS.includes(l.slice(0, c))) continue;
      dl.append(el('dt', { text: l.slice(0, c) }), el('dd', { text: l.slice(c + 2) }));
    }
    this.el.appendChild(dl);
    if (dump) this.el.appendChild(dump);
    if (mc) this.objectBlock(m, o.id);
  }

  // The details of object `id`, as its mechanism module describes it.
  objectBlock(m, id) {
    const o = m.objById.get(id);
    const mc = o ? mechanismOfKind(o.kind) : null;
    if (!mc || !mc.objectTitle) return;
    this.el.dataset.obj = String(id);
    this.el.appendChild(el('div', { class: 'obj-head', text: mc.objectTitle(o) }));
    const dl = el('dl', { class: 'fields obj-fields' });
    for (const [k, v] of mc.objectRows(o, m.objById)) dl.append(el('dt', { text: k }), el('dd', { text: v }));
    this.el.appendChild(dl);
  }
}
