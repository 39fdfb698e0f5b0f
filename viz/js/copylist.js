// A module's copies kept as event indices (sorted by end time) rather than as objects: a
// pipe can have a million, and a million objects kept for the whole session cost the
// page's first frame (their allocation, then the garbage collector moving them). Each
// copy {ev, lane, band, write, bytes, colour?} is made when asked for (at(j)), as the
// arrows in view are drawn. Used like a read-only array: length, at(j), map, for...of.
// (A leaf module: it imports nothing.)

export class CopyList {
  // ev: Int32Array of event indices in end order; make(i): the copy of event i
  constructor(ev, make) {
    this.ev = ev;
    this.make = make;
    this.length = ev.length;
  }

  at(j) {
    return j >= 0 && j < this.length ? this.make(this.ev[j]) : undefined;
  }

  map(f) {
    const out = new Array(this.length);
    for (let j = 0; j < this.length; j++) out[j] = f(this.at(j), j);
    return out;
  }

  *[Symbol.iterator]() {
    for (let j = 0; j < this.length; j++) yield this.make(this.ev[j]);
  }
}
