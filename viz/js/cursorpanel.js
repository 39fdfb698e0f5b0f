// The panel at the cursor ("Kernel buffer at the cursor", "Socket receive queues at the
// cursor"...): each mechanism module's cards (mechanisms.js), under the module's title
// and above its note, in the registry's order. A trace with no lane of any module gets a
// line saying so, in the first section shown.

import { el, clear } from './dom.js';
import { t as tr } from './i18n.js';
import { MECHANISMS } from './mechanisms.js';

export class CursorPanel {
  constructor(app) {
    this.app = app;
    this.el = el('section', { class: 'panel ring-panel', id: 'buffer-panel' });
    this.cards = [];
  }

  setModels(models) {
    clear(this.el);
    this.cards = [];
    const compare = models.length > 1;
    let first = true;
    for (const mc of MECHANISMS) {
      if (!mc.cards) continue;
      const w = el('div', { class: 'ring-cards', dataset: { mech: mc.name } });
      let n = 0;
      models.forEach((m, mi) => {
        if (first && !m.mechLanes.length) {
          w.appendChild(el('p', { class: 'muted', text: (compare ? (mi ? 'B: ' : 'A: ') : '') + tr('noBuffers') }));
        }
        for (const c of mc.cards(this.app, m, mi, compare)) {
          this.cards.push(c);
          w.appendChild(c.el);
          n++;
        }
      });
      if (!n) continue;
      first = false;
      this.el.append(el('h2', { class: 'mech-cards-title', text: mc.cardsTitle() }), w, el('p', { class: 'note', text: mc.cardsNote() }));
    }
  }

  render() {
    for (const c of this.cards) c.render(this.app.state.cursor);
  }
}
