// The line reader (viz/js/events.js TraceScanner) against JSON.parse: for every trace
// (fixtures, IPCLAB_TRACE_DIR, synthetic ones, and damaged copies of them) the model built
// from the event lines is the one built from JSON.parse, or the reader leaves the file to
// JSON.parse, which then gives the same verdict. Runs in node, no browser.

import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FIXTURES, traceFiles } from './helpers.mjs';
import { evilTrace, serialize, writeBigTrace, meta } from './synth.mjs';
import { parseTrace } from '../../viz/js/model.js';
import { TraceScanner } from '../../viz/js/events.js';
import { sameModel } from './samemodel.mjs';

// Parse with the line reader (fed in pieces of `chunk` bytes, or whole) and with
// JSON.parse only (a scanner that has given up).
function both(text, chunk = 0) {
  const bytes = new TextEncoder().encode(text);
  const scanner = new TraceScanner(bytes.length);
  const step = chunk > 0 ? chunk : bytes.length || 1;
  for (let n = 0; n < bytes.length; n += step) scanner.push(bytes.subarray(n, Math.min(bytes.length, n + step)));
  const off = new TraceScanner(0);
  off.fail();
  off.push(bytes);
  const run = (s) => {
    try {
      return { m: parseTrace(s, 'x', null) };
    } catch (e) {
      return { error: e.kind + ': ' + e.message };
    }
  };
  return { fast: run(scanner), slow: run(off) };
}

function check(text, label, expectFast) {
  for (const chunk of text.length < 100000 ? [0, 1, 7, 4096] : [0, 65536]) {
    const { fast, slow } = both(text, chunk);
    if (slow.error) {
      assert.equal(fast.error, slow.error, label);
      continue;
    }
    assert.ok(fast.m, label + ': ' + fast.error);
    if (expectFast !== undefined) assert.equal(fast.m.reader, expectFast ? 'lines' : 'json', label + ' reader');
    sameModel(fast.m, slow.m, fast.m.n <= 20000);
  }
}

const good = () => ({
  format: 'ipclab-trace',
  version: 1,
  meta: meta(),
  processes: [{ pid: 5, ppid: 1, comm: 'ok', exe: null, start: 0, exit: null, status: null }],
  objects: [
    { id: 0, kind: 'pipe', inode: 9, dev: 1, path: null, capacity: 65536, slots: 16, ring_size: 16, created: 0, creator: 5 },
    { id: 1, kind: 'mapping', start: 4096, length: 16384, pages: 4, prot: 'rw-', flags: 'MAP_PRIVATE', backing: 'anon', file: null, inode: null, dev: null, offset: 0, created: 0, creator: 5 },
  ],
  claims: [{ id: 'c', text: 't', status: 'PASS', detail: '', evidence: [0] }],
  events: [
    { t: 1, pid: 5, tid: 5, type: 'rename', comm: 'ok' },
    { t: 2, dur: 3, pid: 5, tid: 6, type: 'pipe_write', obj: 0, bytes: 10, occ_before: 0, occ_after: 10, slots_before: 0, slots_after: 1, slots_max: 16, ring_size: 16, data: 'a\\"b\u00e9\u4e2d' },
    { t: 4, dur: 1, pid: 5, tid: 5, type: 'syscall', name: 'fcntl', obj: 0, slots_max: 32, args: [1, 2, { x: [] }, 18446744073709551615, -1.5e3, 0], ret: 0 },
    { t: 5, pid: 5, tid: 5, type: 'fault', addr: 12288, mapping: 1, page: 2, write: true, present: false, kind: 'write', major: null, user_mode: true, handled: true },
    { t: 6, pid: 5, tid: 5, type: 'fault_around', inode: 1, dev: 2, start_index: 0, end_index: 3, mapping: 1, first_page: 0, last_page: 3 },
    { t: 7, pid: 5, tid: 5, type: 'fault', addr: 4096, mapping: 1, page: 0, write: 0, present: false, kind: 'cow', major: true, user_mode: true, handled: true },
    { t: 9, pid: 5, tid: 5, type: 'exit', status: 0, code: 0, signal: null, thread: false },
  ],
});

describe('line reader = JSON.parse', () => {
  test('fixtures and scenario traces', () => {
    const files = fs.readdirSync(FIXTURES).filter((f) => f.endsWith('.json')).map((f) => path.join(FIXTURES, f)).concat(traceFiles());
    for (const f of files) check(fs.readFileSync(f, 'utf8'), f);
  });

  test('synthetic traces', () => {
    check(serialize(evilTrace()), 'evil', true);
    check(serialize(good()), 'good', true);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ipclab-reader-'));
    try {
      writeBigTrace(path.join(dir, 'big.json'), 30000);
      check(fs.readFileSync(path.join(dir, 'big.json'), 'utf8'), 'big', true);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('other layouts fall back to JSON.parse', () => {
    check(JSON.stringify(good()), 'one line', false);
    check(JSON.stringify(good(), null, 2), 'indented', false);
    check(serialize(good()).replace(/\n/g, '\r\n'), 'CRLF', true);
    check(serialize(good()).replace(/\n$/, ''), 'no final newline', true);
    check(serialize({ ...good(), events: [] }), 'no events', true);
  });

  test('damaged lines get the JSON.parse verdict', () => {
    const text = serialize(good());
    const lines = text.split('\n');
    const ev = lines.findIndex((l) => l.includes('"pipe_write"'));
    const edits = [
      (l) => l.replace('"t":2', '"t":02'),
      (l) => l.replace('"t":2', '"t":-2'),
      (l) => l.replace('"t":2', '"t":"2"'),
      (l) => l.replace('"t":2', '"t":2.5'),
      (l) => l.replace('"t":2', '"t":1e400'),
      (l) => l.replace('"bytes":10', '"bytes":10.5'),
      (l) => l.replace('"bytes":10', '"bytes":null'),
      (l) => l.replace('"obj":0', '"obj":7'),
      (l) => l.replace('"obj":0', '"obj":0,"obj":null'),
      (l) => l.replace('"pid":5', '"pid":5,"pid":"x"'),
      (l) => l.replace('"dur":3', '"dur":-3'),
      (l) => l.replace('"type":"pipe_write"', '"type":"pipe_\\u0077rite"'),
      (l) => l.replace('"type"', '"typ\\u0065"'),
      (l) => l.replace('"data":"', '"data":"\t'),
      (l) => l.replace('"data":"', '"data":"\\x'),
      (l) => l.replace('}', '}}'),
      (l) => l.replace(/,$/, ''),
      (l) => l + ',',
      (l) => l.replace('{', '{ '),
      (l) => l.replace('"obj":0', '"obj" : 0'),
      (l) => l.replace('"occ_before":0', '"occ_before":true'),
    ];
    const fault = lines.findIndex((l) => l.includes('"kind":"write"'));
    for (const [from, to] of [
      ['"kind":"write"', '"kind":"wr\\u0069te"'],
      ['"kind":"write"', '"kind":"other"'],
      ['"kind":"write"', '"kind":7'],
      ['"write":true', '"write":"yes"'],
      ['"write":true', '"write":[]'],
      ['"page":2', '"page":2.5'],
      ['"page":2', '"page":null'],
      ['"handled":true', '"handled":false'],
      ['"mapping":1', '"mapping":0'],
    ]) {
      const copy = lines.slice();
      copy[fault] = copy[fault].replace(from, to);
      check(copy.join('\n'), 'fault edit ' + to);
    }
    edits.forEach((edit, k) => {
      const copy = lines.slice();
      copy[ev] = edit(copy[ev]);
      check(copy.join('\n'), 'edit ' + k);
    });
    check(text + 'x', 'trailing garbage');
    check(text.replace(']}', ']} \n\n'), 'trailing whitespace', true);
    check(text.replace('\n]}', ',\n]}'), 'trailing comma');
    check(text.replace('"version":1', '"version":2'), 'version 2');
    check(text.replace('"evidence":[0]', '"evidence":[4]'), 'evidence out of range');
  });
});
