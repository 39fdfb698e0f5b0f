// A stand-in for a canvas 2D context that writes SVG elements instead of pixels, so that
// the timeline's own drawing code (timeline.js, the mechanism modules' lanes, copies,
// wake-ups, overlays) draws a vector copy of itself for "Save as SVG" (export.js).
//
// It knows the part of the 2D API the viewer uses: fillStyle, strokeStyle, lineWidth,
// globalAlpha, font, textBaseline, textAlign, setLineDash, save/restore, paths (beginPath,
// moveTo, lineTo, rect, arc, closePath, fill, stroke), fillRect, strokeRect, clearRect
// (nothing: the export has a white background), fillText, measureText (a real context
// measures) and createPattern (a tile that says how it is drawn, `ipclabTile`, is drawn
// again as an SVG pattern; any other as an image of the tile). Text goes in as text nodes.
// Consecutive fillRects of one colour become one path, as the dense views draw thousands.

const NS = 'http://www.w3.org/2000/svg';
const TEXT_BASELINE = { middle: 'central', top: 'text-before-edge', hanging: 'hanging', bottom: 'text-after-edge', ideographic: 'ideographic' };
const TEXT_ANCHOR = { center: 'middle', right: 'end', end: 'end' };

const num = (v) => String(Math.round(v * 100) / 100);

let measurer = null;

export class SvgRecorder {
  constructor(svg, defs) {
    this.svg = svg;
    this.defs = defs;
    this.parent = svg;
    this.parents = [];
    this.stack = [];
    this.fillStyle = '#000';
    this.strokeStyle = '#000';
    this.lineWidth = 1;
    this.globalAlpha = 1;
    this.font = '10px sans-serif';
    this.textBaseline = 'alphabetic';
    this.textAlign = 'start';
    this.dash = [];
    this.d = '';
    this.run = null; // fillRects being merged: {key, el, parts}
    this.patterns = 0;
  }

  // ---- where the drawing goes: a nested <svg> is a viewport that clips like a canvas
  beginViewport(x, y, w, h) {
    this.flush();
    const v = this.node('svg', { x: num(x), y: num(y), width: num(w), height: num(h), viewBox: '0 0 ' + num(w) + ' ' + num(h), overflow: 'hidden' });
    this.parents.push(this.parent);
    this.parent = v;
  }

  endViewport() {
    this.flush();
    this.parent = this.parents.pop() || this.svg;
  }

  // ---- state
  save() {
    this.stack.push([this.fillStyle, this.strokeStyle, this.lineWidth, this.globalAlpha, this.font, this.textBaseline, this.textAlign, this.dash]);
  }

  restore() {
    const s = this.stack.pop();
    if (s) [this.fillStyle, this.strokeStyle, this.lineWidth, this.globalAlpha, this.font, this.textBaseline, this.textAlign, this.dash] = s;
  }

  setLineDash(a) {
    this.dash = Array.isArray(a) ? a.slice() : [];
  }

  getLineDash() {
    return this.dash.slice();
  }

  setTransform() {} // only fitCanvas sets one (the device pixel ratio), never on a recorder

  // ---- paths
  beginPath() {
    this.d = '';
  }

  moveTo(x, y) {
    this.d += 'M' + num(x) + ' ' + num(y);
  }

  lineTo(x, y) {
    this.d += (this.d ? 'L' : 'M') + num(x) + ' ' + num(y);
  }

  closePath() {
    if (this.d) this.d += 'Z';
  }

  rect(x, y, w, h) {
    this.d += 'M' + num(x) + ' ' + num(y) + 'h' + num(w) + 'v' + num(h) + 'h' + num(-w) + 'Z';
  }

  arc(x, y, r, a0, a1, ccw) {
    const pt = (a) => num(x + r * Math.cos(a)) + ' ' + num(y + r * Math.sin(a));
    this.d += (this.d ? 'L' : 'M') + pt(a0);
    let delta = ccw ? a0 - a1 : a1 - a0;
    if (delta >= 2 * Math.PI || delta <= -2 * Math.PI) {
      // a whole circle: two half arcs
      const sweep = ccw ? 0 : 1;
      const mid = a0 + (ccw ? -Math.PI : Math.PI);
      this.d += 'A' + num(r) + ' ' + num(r) + ' 0 0 ' + sweep + ' ' + pt(mid) + 'A' + num(r) + ' ' + num(r) + ' 0 0 ' + sweep + ' ' + pt(a0);
      return;
    }
    delta = ((delta % (2 * Math.PI)) + 2 * Math.PI) % (2 * Math.PI);
    this.d += 'A' + num(r) + ' ' + num(r) + ' 0 ' + (delta > Math.PI ? 1 : 0) + ' ' + (ccw ? 0 : 1) + ' ' + pt(ccw ? a0 - delta : a0 + delta);
  }

  fill() {
    if (this.d) this.shape('path', { d: this.d }, true);
  }

  stroke() {
    if (this.d) this.shape('path', { d: this.d }, false);
  }

  fillRect(x, y, w, h) {
    if (!w || !h || !Number.isFinite(x + y + w + h)) return;
    const part = 'M' + num(x) + ' ' + num(y) + 'h' + num(w) + 'v' + num(h) + 'h' + num(-w) + 'Z';
    const key = this.paint(this.fillStyle) + '|' + this.globalAlpha;
    if (this.run && this.run.key === key && this.run.parent === this.parent) {
      this.run.parts.push(part);
      return;
    }
    this.flush();
    const el = this.shape('path', {}, true);
    this.run = { key, el, parts: [part], parent: this.parent };
  }

  strokeRect(x, y, w, h) {
    this.shape('rect', { x: num(x), y: num(y), width: num(Math.abs(w)), height: num(Math.abs(h)) }, false);
  }

  clearRect() {}

  // ---- text
  fillText(text, x, y) {
    const f = parseFont(this.font);
    const attrs = { x: num(x), y: num(y), 'font-size': f.size, 'font-family': f.family };
    if (f.weight) attrs['font-weight'] = f.weight;
    if (TEXT_BASELINE[this.textBaseline]) attrs['dominant-baseline'] = TEXT_BASELINE[this.textBaseline];
    if (TEXT_ANCHOR[this.textAlign]) attrs['text-anchor'] = TEXT_ANCHOR[this.textAlign];
    const el = this.shape('text', attrs, true);
    el.setAttribute('xml:space', 'preserve');
    el.textContent = String(text);
  }

  measureText(text) {
    if (!measurer) measurer = document.createElement('canvas').getContext('2d');
    measurer.font = this.font;
    return measurer.measureText(text);
  }

  // ---- patterns: {svgPattern: id}, defined once per use in <defs>
  createPattern(image) {
    if (!this.patternIds) this.patternIds = new Map();
    if (this.patternIds.has(image)) return { svgPattern: this.patternIds.get(image) };
    const id = 'ipclab-pattern-' + this.patterns++;
    this.patternIds.set(image, id);
    const w = image.width || 8;
    const h = image.height || 8;
    const p = document.createElementNS(NS, 'pattern');
    for (const [k, v] of Object.entries({ id, width: w, height: h, patternUnits: 'userSpaceOnUse' })) p.setAttribute(k, String(v));
    if (typeof image.ipclabTile === 'function') {
      const sub = new SvgRecorder(p, this.defs);
      image.ipclabTile(sub);
      sub.flush();
    } else {
      const img = document.createElementNS(NS, 'image');
      for (const [k, v] of Object.entries({ width: w, height: h, href: image.toDataURL('image/png') })) img.setAttribute(k, String(v));
      p.appendChild(img);
    }
    this.defs.appendChild(p);
    return { svgPattern: id };
  }

  // ---- output
  flush() {
    if (!this.run) return;
    this.run.el.setAttribute('d', this.run.parts.join(''));
    this.run = null;
  }

  paint(style) {
    if (style && typeof style === 'object' && style.svgPattern) return 'url(#' + style.svgPattern + ')';
    return String(style);
  }

  node(tag, attrs) {
    const el = document.createElementNS(NS, tag);
    for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
    this.parent.appendChild(el);
    return el;
  }

  shape(tag, attrs, filled) {
    this.flush();
    const el = this.node(tag, attrs);
    if (filled) {
      el.setAttribute('fill', this.paint(this.fillStyle));
    } else {
      el.setAttribute('fill', 'none');
      el.setAttribute('stroke', this.paint(this.strokeStyle));
      el.setAttribute('stroke-width', num(this.lineWidth));
      if (this.dash.length) el.setAttribute('stroke-dasharray', this.dash.map(num).join(' '));
    }
    if (this.globalAlpha < 1) el.setAttribute('opacity', num(this.globalAlpha));
    return el;
  }
}

// "600 13px Noto Sans, sans-serif" -> {weight: '600', size: '13', family: 'Noto Sans, sans-serif'}
function parseFont(font) {
  const m = /^\s*(?:(normal|bold|bolder|lighter|\d{3})\s+)?(\d+(?:\.\d+)?)px\s+(.+)$/.exec(String(font));
  if (!m) return { weight: '', size: '10', family: 'sans-serif' };
  return { weight: m[1] || '', size: m[2], family: m[3] };
}
