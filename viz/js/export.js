// The timeline as a picture a student can hand in, and the page on paper.
//
// "Save timeline as PNG": one image of the timeline as it is drawn now (view, cursor,
// selection, highlighted claim): a title line (the traces' titles and the time window),
// the time axis, and per trace its lane labels beside its lanes, copied from the canvases
// the timeline drew (at their device pixel ratio) and downloaded as TITLE-timeline.png.
// "Save as SVG": the same picture as a vector drawing, TITLE-timeline.svg: the timeline's
// drawing code runs again with an SvgRecorder (svgrec.js) in place of each canvas.
//
// Printing (style.css @media print lays the page out for A4): the canvases were drawn for
// the screen's width, and nothing redraws while the browser prints, so before it prints
// the timeline is drawn again at a width that fits an A4 page (PRINT_TRACKS_W), and at
// the screen's width again afterwards.

import { el, colour, fillTextFit } from './dom.js';
import { t as tr, addStrings } from './i18n.js';
import { fmtTime } from './format.js';
import { traceTitle } from './titles.js';
import { SvgRecorder } from './svgrec.js';

const SVG_NS = 'http://www.w3.org/2000/svg';

export const TITLE_H = 28; // the title line of the exported image, CSS px
const TRACK_TITLE_H = 20; // a trace's title above its lanes in compare mode
// A4 is 210 mm wide; less the page margins (12 mm each, style.css @page) and the
// timeline panel's border and padding in print, 680 CSS px of lanes and labels fit.
export const PRINT_TRACKS_W = 680;
// The highest picture of a track on paper (a page of A4 has about 1030 px).
const PRINT_SLICE_MAX = 600;

addStrings({
  en: {
    export_png: 'Save as PNG',
    export_pngTitle: 'Save the timeline as drawn now (view, cursor, selection) as a PNG image',
    export_svg: 'Save as SVG',
    export_svgTitle: 'Save the timeline as drawn now as an SVG vector drawing (sharp at any size, editable)',
    export_window: 'time {t0} … {t1}',
  },
  zh: {
    export_png: '保存为 PNG',
    export_pngTitle: '把时间线按当前显示（时间范围、游标、选中的事件）保存为 PNG 图片',
    export_svg: '保存为 SVG',
    export_svgTitle: '把时间线按当前显示保存为 SVG 矢量图（任意缩放都清晰，可编辑）',
    export_window: '时间 {t0} … {t1}',
  },
});

// The export button, in the timeline's controls (rebuilt with them).
export function addExportButtons(app) {
  const controls = app.timeline.head.querySelector('.tl-controls');
  if (!controls) return;
  const png = el('button', { type: 'button', class: 'btn small', id: 'export-png', title: tr('export_pngTitle') }, tr('export_png'));
  png.addEventListener('click', () => savePng(app));
  const svg = el('button', { type: 'button', class: 'btn small', id: 'export-svg', title: tr('export_svgTitle') }, tr('export_svg'));
  svg.addEventListener('click', () => saveSvg(app));
  controls.append(png, svg);
}

async function savePng(app) {
  const canvas = timelineCanvas(app);
  const blob = await new Promise((resolve) => canvas.toBlob(resolve, 'image/png'));
  if (blob) download(blob, fileStem(app) + '-timeline.png');
}

function download(blob, name) {
  const url = URL.createObjectURL(blob);
  const a = el('a', { href: url, download: name, hidden: true });
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

function fileStem(app) {
  const s = app.models.map(traceTitle).join('-vs-');
  return s.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._]+/, '').slice(0, 80) || 'ipclab';
}

// The whole timeline in one canvas, at the canvases' pixel ratio: their pixels copied.
export function timelineCanvas(app) {
  const g = geometry(app);
  const out = document.createElement('canvas');
  out.width = Math.round(g.width * g.ratio);
  out.height = Math.round(g.height * g.ratio);
  const ctx = out.getContext('2d');
  ctx.setTransform(g.ratio, 0, 0, g.ratio, 0, 0);
  drawTimeline(app, ctx, g, (canvas, x, y, w, h) => ctx.drawImage(canvas, x, y, w, h));
  return out;
}

// The same in SVG: the timeline's drawing code draws again, into an SvgRecorder.
export function timelineSvg(app) {
  const g = geometry(app);
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('xmlns', SVG_NS);
  svg.setAttribute('width', String(g.width));
  svg.setAttribute('height', String(g.height));
  svg.setAttribute('viewBox', '0 0 ' + g.width + ' ' + g.height);
  const defs = document.createElementNS(SVG_NS, 'defs');
  svg.appendChild(defs);
  const rec = new SvgRecorder(svg, defs);
  const tl = app.timeline;
  const st = app.state;
  drawTimeline(app, rec, g, (canvas, x, y, w, h, tk) => {
    rec.beginViewport(x, y, w, h);
    if (tk) tk.render(tl.width, st.view.t0, st.view.t1, st, rec);
    else tl.renderAxis(tl.width, st.view.t0, st.view.t1, st.cursor, rec);
    rec.endViewport();
  });
  rec.flush();
  return new XMLSerializer().serializeToString(svg);
}

async function saveSvg(app) {
  const text = '<?xml version="1.0" encoding="UTF-8"?>\n' + timelineSvg(app) + '\n';
  download(new Blob([text], { type: 'image/svg+xml' }), fileStem(app) + '-timeline.svg');
}

function geometry(app) {
  const tl = app.timeline;
  const tracks = tl.tracks;
  const compare = tracks.length > 1;
  const gutter = tracks.length ? tracks[0].gutter.offsetWidth : 168;
  const W = tl.width;
  const ratio = tl.axis.width / W || 1;
  const axisH = tl.axis.height / ratio || 30;
  const height = TITLE_H + axisH + tracks.reduce((s, tk) => s + tk.height + (compare ? TRACK_TITLE_H : 0), 0);
  return { compare, gutter, W, ratio, axisH, width: gutter + W, height };
}

// The title line, the axis, and per trace its labels and lanes; paste(canvas, x, y, w, h,
// track) puts a canvas's drawing (the axis when track is undefined) at x, y.
function drawTimeline(app, ctx, g, paste) {
  const tl = app.timeline;
  const { gutter, W, axisH } = g;
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, g.width, g.height);
  const font = getComputedStyle(document.body).fontFamily || 'sans-serif';
  const mono = getComputedStyle(document.documentElement).getPropertyValue('--mono').trim() || 'monospace';
  const { t0, t1 } = app.state.view;
  ctx.textBaseline = 'middle';
  ctx.textAlign = 'left';
  ctx.fillStyle = colour('text');
  ctx.font = '600 14px ' + font;
  const title = app.models.map(traceTitle).join('  ·  ');
  const titleW = ctx.measureText(title).width;
  fillTextFit(ctx, title, 8, TITLE_H / 2, g.width - 16);
  const when = tr('export_window', { t0: fmtTime(Math.max(0, t0)), t1: fmtTime(t1) });
  ctx.font = '12px ' + font;
  ctx.fillStyle = colour('text-dim');
  const tw = ctx.measureText(when).width;
  if (tw < g.width - titleW - 40) ctx.fillText(when, g.width - tw - 8, TITLE_H / 2);
  let y = TITLE_H;
  ctx.fillStyle = colour('axis-bg');
  ctx.fillRect(0, y, gutter, axisH);
  ctx.fillStyle = colour('cursor');
  ctx.font = '12px ' + mono;
  fillTextFit(ctx, tl.axisLabel.textContent, 8, y + axisH / 2, gutter - 16);
  paste(tl.axis, gutter, y, W, axisH);
  y += axisH;
  tl.tracks.forEach((tk, mi) => {
    if (g.compare) {
      ctx.fillStyle = colour('text');
      ctx.font = '600 12px ' + mono;
      ctx.textBaseline = 'middle';
      ctx.textAlign = 'left';
      fillTextFit(ctx, (mi ? 'B  ' : 'A  ') + traceTitle(tk.m), 8, y + TRACK_TITLE_H / 2, g.width - 16);
      y += TRACK_TITLE_H;
    }
    drawLabels(ctx, tk.gutter, y, gutter, font, mono);
    paste(tk.canvas, gutter, y, W, tk.height, tk);
    y += tk.height;
  });
}

// The lane labels (DOM elements in the gutter) as text: the name, then the lines under it.
function drawLabels(ctx, gutterEl, y0, gutter, font, mono) {
  for (const label of gutterEl.querySelectorAll('.lane-label')) {
    const top = y0 + label.offsetTop;
    const h = label.offsetHeight;
    ctx.fillStyle = label.classList.contains('proc') ? colour('lane-bg') : colour('buffer-bg');
    ctx.fillRect(0, top, gutter, h);
    ctx.fillStyle = colour('border');
    ctx.fillRect(0, top + h - 1, gutter, 1);
    ctx.fillRect(gutter - 1, top, 1, h);
    ctx.textBaseline = 'middle';
    ctx.textAlign = 'left';
    const lines = [];
    const name = label.querySelector('.lane-name');
    if (name) lines.push({ text: name.textContent, font: '600 13px ' + (label.classList.contains('proc') ? mono : font), fill: colour('text'), h: 16 });
    for (const sub of label.querySelectorAll('.lane-sub')) lines.push({ text: sub.textContent, font: '11px ' + font, fill: colour('text-dim'), h: 14 });
    let ly = top + (h - lines.reduce((s, l) => s + l.h, 0)) / 2;
    for (const l of lines) {
      if (ly + l.h > top + h + 1) break;
      ctx.font = l.font;
      ctx.fillStyle = l.fill;
      fillTextFit(ctx, l.text, 8, ly + l.h / 2, gutter - 16);
      ly += l.h;
    }
  }
}

// ---------------------------------------------------------------- printing

// Draw the timeline for the page before the browser prints (beforeprint; and when the
// print media starts to apply, as in a print preview or an emulated print), and for the
// screen after.
export function installPrint(app) {
  let printing = false;
  const redraw = (on) => {
    if (on === printing) return;
    printing = on;
    app.timeline.tracksEl.style.width = on ? PRINT_TRACKS_W + 'px' : '';
    for (const tk of app.timeline.tracks) removeSlices(tk);
    if (app.models.length) app.render();
    if (on) for (const tk of app.timeline.tracks) if (tk.height > PRINT_SLICE_MAX) addSlices(app, tk);
    document.body.dataset.printLayout = on ? 'print' : 'screen';
  };
  window.addEventListener('beforeprint', () => redraw(true));
  window.addEventListener('afterprint', () => redraw(matchMedia('print').matches));
  const mq = matchMedia('print');
  mq.addEventListener('change', () => redraw(mq.matches));
}

// A canvas cannot be split across pages: the browser moves a track taller than what is left
// of the page whole to the next one (leaving the rest blank) and slices it there, through
// the lanes. So on paper a tall track is printed as pictures of at most PRINT_SLICE_MAX px,
// cut between lanes, each its labels and lanes as drawn (style.css hides the track's own).
function addSlices(app, tk) {
  const tl = app.timeline;
  const W = tl.width;
  const gutter = tk.gutter.offsetWidth;
  const ratio = tk.canvas.width / W || 1;
  const full = document.createElement('canvas');
  full.width = Math.round((gutter + W) * ratio);
  full.height = Math.round(tk.height * ratio);
  const ctx = full.getContext('2d');
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  const f = fonts();
  drawLabels(ctx, tk.gutter, 0, gutter, f.font, f.mono);
  ctx.drawImage(tk.canvas, gutter, 0, W, tk.height);
  const box = el('div', { class: 'tl-print-slices' });
  for (const [y0, y1] of bands(tk.rows, tk.height)) {
    const c = el('canvas', { class: 'tl-print-slice' });
    c.width = full.width;
    c.height = Math.max(1, Math.round((y1 - y0) * ratio));
    c.getContext('2d').drawImage(full, 0, Math.round(y0 * ratio), full.width, c.height, 0, 0, full.width, c.height);
    c.style.width = gutter + W + 'px';
    c.style.height = y1 - y0 + 'px';
    box.appendChild(c);
  }
  tk.el.appendChild(box);
  tk.el.classList.add('print-sliced');
}

function removeSlices(tk) {
  for (const b of tk.el.querySelectorAll('.tl-print-slices')) b.remove();
  tk.el.classList.remove('print-sliced');
}

// [y0, y1) bands of whole lanes (rows: {y, h}), each at most PRINT_SLICE_MAX high unless
// one lane is higher.
function bands(rows, height) {
  const out = [];
  let y0 = 0;
  for (const r of rows) {
    if (r.y + r.h - y0 > PRINT_SLICE_MAX && r.y > y0) {
      out.push([y0, r.y]);
      y0 = r.y;
    }
  }
  if (height > y0) out.push([y0, height]);
  return out;
}

function fonts() {
  return {
    font: getComputedStyle(document.body).fontFamily || 'sans-serif',
    mono: getComputedStyle(document.documentElement).getPropertyValue('--mono').trim() || 'monospace',
  };
}
