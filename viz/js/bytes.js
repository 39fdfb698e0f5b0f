// The bytes a copy moved (issue #14 §2): the first and last 16 bytes that a pipe, socket or
// message-queue event sampled, as a hex dump for the selection panel. The trace's `data`
// and `data_tail` are text with unprintable bytes dotted; when a byte was dotted the exact
// bytes are in `data_hex` / `data_tail_hex`, otherwise the text is exact and its character
// codes are the bytes (docs/trace-format.md, "Bytes as text and hex").

import { el } from './dom.js';
import { t as tr } from './i18n.js';

export const ROW = 16;

// The bytes of one sample: from its hex when the trace wrote one, else the text's codes.
export function sampleBytes(text, hex) {
  if (typeof hex === 'string' && /^([0-9a-f]{2})+$/i.test(hex)) {
    const out = [];
    for (let i = 0; i < hex.length; i += 2) out.push(parseInt(hex.slice(i, i + 2), 16));
    return out;
  }
  return Array.from(text, (c) => c.charCodeAt(0) & 0xff);
}

// What an event sampled: {total, head: {offset, bytes}, tail: {offset, bytes} | null}, or
// null when it has no sample. `bytes` is the copy's size (for mq_send and mq_recv the
// message's), and the tail is its last 16 bytes, so it starts at bytes - 16.
// `unsure`: a sample with a '.' and no hex, which a trace written before data_hex existed
// may have put for any unprintable byte (the dump then shows 2e for it).
export function copiedBytes(e) {
  if (typeof e.data !== 'string' || !e.data.length) return null;
  const total = Number.isInteger(e.bytes) && e.bytes > 0 ? e.bytes : e.data.length;
  const head = { offset: 0, bytes: sampleBytes(e.data, e.data_hex) };
  let unsure = !e.data_hex && e.data.includes('.');
  let tail = null;
  if (typeof e.data_tail === 'string' && e.data_tail.length) {
    const bytes = sampleBytes(e.data_tail, e.data_tail_hex);
    tail = { offset: Math.max(0, total - bytes.length), bytes };
    unsure = unsure || (!e.data_tail_hex && e.data_tail.includes('.'));
  }
  return { total, head, tail, unsure };
}

const hex2 = (b) => (b < 16 ? '0' : '') + b.toString(16);
// as hexdump -C prints text: printable ASCII, every other byte (newline too) a dot
const shown = (b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.');

// Rows of at most 16 bytes from `offset`: {offset, hex: '68 69 01 …', text: 'hi.'}; a gap
// after the eighth byte, as hexdump -C has, and a short row padded so the text lines up.
export function hexRows(offset, bytes) {
  const rows = [];
  for (let i = 0; i < bytes.length; i += ROW) {
    const part = bytes.slice(i, i + ROW);
    const cells = [];
    for (let k = 0; k < ROW; k++) cells.push(k < part.length ? hex2(part[k]) : '  ');
    const hex = (cells.slice(0, 8).join(' ') + '  ' + cells.slice(8).join(' ')).trimEnd();
    rows.push({ offset: offset + i, hex: hex.padEnd(ROW * 3, ' '), text: part.map(shown).join('') });
  }
  return rows;
}

function title(c) {
  const first = c.head.bytes.length;
  if (c.tail) return tr('bytes_headTail', { first, last: c.tail.bytes.length, n: c.total });
  if (first >= c.total) return tr('bytes_all', { n: c.total });
  return tr('bytes_head', { first, n: c.total });
}

// offsets right-aligned to the widest one of this dump
function rowEl(r, part, width) {
  return el('div', { class: 'bytes-row', 'data-part': part, 'data-offset': String(r.offset) }, [
    el('span', { class: 'bytes-off', text: String(r.offset).padStart(width, ' ') }),
    el('span', { class: 'bytes-hex', text: r.hex }),
    el('span', { class: 'bytes-text', text: r.text }),
  ]);
}

// The "bytes copied" block for event e, or null when it sampled none.
export function bytesBlock(e) {
  const c = copiedBytes(e);
  if (!c) return null;
  const dump = el('div', { class: 'bytes-dump' });
  const head = hexRows(c.head.offset, c.head.bytes);
  const tail = c.tail ? hexRows(c.tail.offset, c.tail.bytes) : [];
  const width = String([...head, ...tail].pop().offset).length;
  for (const r of head) dump.append(rowEl(r, 'head', width));
  // bytes between the two samples were copied but not sampled
  if (c.tail && c.tail.offset > c.head.bytes.length) {
    dump.append(el('div', { class: 'bytes-row bytes-gap' }, el('span', { class: 'bytes-off', text: '…'.padStart(width, ' ') })));
  }
  for (const r of tail) dump.append(rowEl(r, 'tail', width));
  return el('div', { class: 'bytes-block', 'data-total': String(c.total) }, [
    el('div', { class: 'obj-head bytes-title', text: title(c) }),
    el('div', { class: 'bytes-legend', text: tr('bytes_legend') }),
    dump,
    c.unsure ? el('div', { class: 'bytes-legend bytes-unsure', text: tr('bytes_unsure') }) : null,
  ]);
}
