// Tiny DOM helpers. Everything that comes from a trace is inserted as text
// (text nodes / textContent), never parsed as HTML.

// el('div', {class: 'x', text: 'hello', dataset: {a: 1}, onclick: fn}, child, 'text', ...)
export function el(tag, props, ...children) {
  const e = document.createElement(tag);
  if (props) {
    for (const k of Object.keys(props)) {
      const v = props[k];
      if (v === undefined || v === null || v === false) continue;
      if (k === 'class') e.className = v;
      else if (k === 'text') e.textContent = String(v);
      else if (k === 'dataset') {
        for (const d of Object.keys(v)) e.dataset[d] = String(v[d]);
      } else if (k.startsWith('on') && typeof v === 'function') {
        e.addEventListener(k.slice(2), v);
      } else {
        e.setAttribute(k, v === true ? '' : String(v));
      }
    }
  }
  append(e, children);
  return e;
}

function append(parent, children) {
  for (const c of children) {
    if (c === undefined || c === null || c === false) continue;
    if (Array.isArray(c)) append(parent, c);
    else if (c instanceof Node) parent.appendChild(c);
    else parent.appendChild(document.createTextNode(String(c)));
  }
}

export function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
}

// Size a canvas for its CSS box and the device pixel ratio; returns a 2D context whose
// units are CSS pixels.
export function fitCanvas(canvas, cssW, cssH) {
  const dpr = window.devicePixelRatio || 1;
  const w = Math.max(1, Math.round(cssW * dpr));
  const h = Math.max(1, Math.round(cssH * dpr));
  if (canvas.width !== w) canvas.width = w;
  if (canvas.height !== h) canvas.height = h;
  canvas.style.width = cssW + 'px';
  canvas.style.height = cssH + 'px';
  const ctx = canvas.getContext('2d');
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  return ctx;
}

// Colours are defined once, as CSS custom properties in style.css, and read here for
// the canvases.
let colours = null;
export function colour(name) {
  if (!colours) colours = new Map();
  let c = colours.get(name);
  if (c === undefined) {
    c = getComputedStyle(document.documentElement).getPropertyValue('--c-' + name).trim() || '#888';
    colours.set(name, c);
  }
  return c;
}

// The name (for colour()) of the colour of the process at place n of the trace's
// processes: proc-0 .. proc-7, then again from the first. A name, not the colour, so
// that a model can be built where there is no style (node).
const PROC_COLOURS = 8;
export function procColourName(n) {
  return 'proc-' + (((n % PROC_COLOURS) + PROC_COLOURS) % PROC_COLOURS);
}

// Draw text cut to maxWidth with an ellipsis (canvas fillText: never HTML).
export function fillTextFit(ctx, text, x, y, maxWidth) {
  if (maxWidth <= 4) return;
  let s = String(text);
  if (ctx.measureText(s).width <= maxWidth) {
    ctx.fillText(s, x, y);
    return;
  }
  let lo = 0;
  let hi = s.length;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (ctx.measureText(s.slice(0, mid) + '…').width <= maxWidth) lo = mid;
    else hi = mid - 1;
  }
  if (lo > 0) ctx.fillText(s.slice(0, lo) + '…', x, y);
}
