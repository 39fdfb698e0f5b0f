// Copies: the mechanism modules' copies (a pipe_write that copied bytes into its pipe's
// lane, a pipe_read out of it, a sock_send into a socket's receive queue...) as arrows
// between the process lane and the module's lane, labelled with the byte count. Drawn at
// the call's end (t + dur), when the bytes have been copied. Above MAX_ARROWS arrows in view, none are drawn (the note says how many
// there are; zooming in shows them).

import { colour } from './dom.js';
import { lowerBound, upperBound } from './bsearch.js';

export const MAX_ARROWS = 400;
const BAR_H = 14;

export function drawCopies(ctx, track, t0, t1, k, W) {
  const m = track.m;
  // each module's copies (m.mechCopies: {list: [{ev, lane, band, write, bytes}] or a
  // CopyList, t}) in
  // view, in the registry's order
  const ranges = m.mechCopies.map((mc) => {
    const lo = lowerBound(mc.t, t0);
    return [mc, lo, upperBound(mc.t, t1, lo)];
  });
  let n = 0;
  for (const [, lo, hi] of ranges) n += hi - lo;
  if (n > MAX_ARROWS) return { drawn: 0, hidden: n };
  // Many arrows close together: lighter, and labels only where there is room.
  const st = { dense: n > W / 12, lastLabelX: -1e9, lastLabelY: -1e9, drawn: 0 };
  ctx.save();
  ctx.font = '11px ' + getComputedStyle(document.body).fontFamily;
  ctx.textBaseline = 'middle';
  for (const [mc, lo, hi] of ranges) {
    for (let j = lo; j < hi; j++) {
      const c = mc.list.at(j); // an array or a CopyList
      const row = track.rowOfMech.get(c.lane);
      if (row) copyArrow(ctx, track, c, row, t0, k, W, st);
    }
  }
  ctx.restore();
  return { drawn: st.drawn, hidden: 0 };
}

// One arrow at copy c's event's end between its process lane and `row` (the part c.band
// of it, [top, bottom] as fractions of its height): into the row for a write, out of it
// for a read; in the colour named c.colour (colour()) when the module gives one (a pipe
// write: its writer's).
function copyArrow(ctx, track, c, row, t0, k, W, st) {
  const { ev: i, band, write, bytes } = c;
  const m = track.m;
  const box = track.eventBox(i, t0, k);
  if (!box) return;
  const x = Math.round((m.te[i] - t0) * k) + 0.5;
  if (x < -2 || x > W + 2) return;
  const procAbove = box.y < row.y;
  const near = procAbove ? row.y + band[0] * row.h + 6 : row.y + band[1] * row.h - 6;
  const far = procAbove ? box.y + BAR_H : box.y;
  const y1 = write ? far : near;
  const y2 = write ? near : far;
  const col = colour(c.colour || (write ? 'write' : 'read'));
  ctx.globalAlpha = st.dense ? 0.45 : 1;
  arrow(ctx, x, y1, y2, col);
  ctx.globalAlpha = 1;
  st.drawn++;
  const label = bytes + ' B';
  const w = ctx.measureText(label).width;
  const ly = (y1 + y2) / 2;
  if (x - st.lastLabelX > w + (st.dense ? 40 : 10) || (!st.dense && Math.abs(ly - st.lastLabelY) > 14)) {
    // at the right edge the label goes to the arrow's left, so that it is not cut
    const lx = x + w + 9 > W ? x - w - 7 : x + 3;
    ctx.fillStyle = 'rgba(255,255,255,0.85)';
    ctx.fillRect(lx, ly - 7, w + 4, 14);
    ctx.fillStyle = col;
    ctx.fillText(label, lx + 2, ly);
    st.lastLabelX = x;
    st.lastLabelY = ly;
  }
}

function arrow(ctx, x, y1, y2, col) {
  const dir = y2 > y1 ? 1 : -1;
  ctx.strokeStyle = col;
  ctx.fillStyle = col;
  ctx.lineWidth = 1.5;
  ctx.beginPath();
  ctx.moveTo(x, y1);
  ctx.lineTo(x, y2 - dir * 6);
  ctx.stroke();
  ctx.beginPath();
  ctx.moveTo(x, y2);
  ctx.lineTo(x - 4, y2 - dir * 7);
  ctx.lineTo(x + 4, y2 - dir * 7);
  ctx.closePath();
  ctx.fill();
}
