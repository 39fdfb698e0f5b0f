// Copies: an arrow from each pipe_write that copied bytes (bytes > 0) into its pipe's
// buffer lane, and from the buffer lane to each pipe_read that copied bytes out,
// labelled with the byte count. Drawn at the call's end (t + dur), when the bytes have
// been copied. Above MAX_ARROWS arrows in view, none are drawn (the note says how many
// there are; zooming in shows them).

import { colour } from './dom.js';
import { TY, lowerBound, upperBound } from './model.js';

export const MAX_ARROWS = 400;
const BAR_H = 14;

export function drawCopies(ctx, track, t0, t1, k, W) {
  const m = track.m;
  const { idx, t } = m.copies;
  const lo = lowerBound(t, t0);
  const hi = upperBound(t, t1, lo);
  const n = hi - lo;
  if (n > MAX_ARROWS) return { drawn: 0, hidden: n };
  let drawn = 0;
  // Many arrows close together: lighter, and labels only where there is room.
  const dense = n > W / 12;
  let lastLabelX = -1e9;
  let lastLabelY = -1e9;
  ctx.save();
  ctx.font = '11px ' + getComputedStyle(document.body).fontFamily;
  ctx.textBaseline = 'middle';
  for (let j = lo; j < hi; j++) {
    const i = idx[j];
    const box = track.eventBox(i, t0, k);
    const bufRow = track.rowOfBuf.get(m.obj[i]);
    if (!box || !bufRow) continue;
    const x = Math.round((m.te[i] - t0) * k) + 0.5;
    if (x < -2 || x > W + 2) continue;
    const procAbove = box.y < bufRow.y;
    let y1;
    let y2;
    if (m.code[i] === TY.pipe_write) {
      y1 = procAbove ? box.y + BAR_H : box.y;
      y2 = procAbove ? bufRow.y + 6 : bufRow.y + bufRow.h - 6;
    } else {
      y1 = procAbove ? bufRow.y + 6 : bufRow.y + bufRow.h - 6;
      y2 = procAbove ? box.y + BAR_H : box.y;
    }
    const col = m.code[i] === TY.pipe_write ? colour('write') : colour('read');
    ctx.globalAlpha = dense ? 0.45 : 1;
    arrow(ctx, x, y1, y2, col);
    ctx.globalAlpha = 1;
    drawn++;
    const label = m.cols.pipe.bytes[m.cols.pipeRow[i]] + ' B';
    const w = ctx.measureText(label).width;
    const ly = (y1 + y2) / 2;
    if (x - lastLabelX > w + (dense ? 40 : 10) || (!dense && Math.abs(ly - lastLabelY) > 14)) {
      ctx.fillStyle = 'rgba(255,255,255,0.85)';
      ctx.fillRect(x + 3, ly - 7, w + 4, 14);
      ctx.fillStyle = col;
      ctx.fillText(label, x + 5, ly);
      lastLabelX = x;
      lastLabelY = ly;
    }
  }
  ctx.restore();
  return { drawn, hidden: 0 };
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
