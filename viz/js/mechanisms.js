// The registry of mechanism modules: the one list the viewer's core consults for object
// kinds, event types, lanes, copies, cards and panels. Adding a mechanism to the viewer is
// a module in js/mech/ and one line here (viz/README.md, "Mechanism modules", says what a
// module provides). The order is the order of their lanes, cards and panels: pipes first.
//
// A mechanism module imports only the leaf modules (dom.js, i18n.js, format.js,
// bsearch.js), never model.js or events.js, which import this list (the bundler refuses
// cycles); what it needs of the model (event columns, type codes, sorting) build() gets.

import { pipeMechanism } from './mech/pipe.js';
import { mmapMechanism } from './mech/mmap.js';
import { unixMechanism } from './mech/unix.js';
import { signalMechanism } from './mech/signal.js';
import { mqueueMechanism } from './mech/mqueue.js';
import { compareMechanism } from './mech/compare.js';

export const MECHANISMS = [pipeMechanism, mmapMechanism, unixMechanism, signalMechanism, mqueueMechanism, compareMechanism];

// The mechanism module that owns objects of this kind, or null.
export function mechanismOfKind(kind) {
  for (const m of MECHANISMS) if (m.kinds.includes(kind)) return m;
  return null;
}
