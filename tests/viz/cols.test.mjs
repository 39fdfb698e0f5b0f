// The compact form `ipclab view` serves beside each trace (trace/N.cols, user/cols.c) against
// the JSON: for every trace (IPCLAB_TRACE_DIR, the fixtures, synthetic ones) the model read
// through the compact form is the model the line reader builds from the JSON, field by field
// (samemodel.mjs); a trace the line reader leaves to JSON.parse gets no compact form; a damaged
// form or one of another trace is refused with one line, and the page then reads the JSON.
// Needs build/ipclab (IPCLAB_BIN); the last test needs Chromium.

import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { FIXTURES, REPO, VIZ, traceFiles, startServer, launchBrowser, newPage, setHashView, clickAxisAt, axisBox, afterFrames } from './helpers.mjs';
import { evilTrace, serialize, writeBigTrace } from './synth.mjs';
import { parseTrace, parseEarly, upgradeEarly } from '../../viz/js/model.js';
import { TraceScanner, Chunks, CompactError, CompactDownload, NeedText, compactColumns, compactDocument, scannerOfCompact } from '../../viz/js/events.js';
import { sameModel } from './samemodel.mjs';

const IPCLAB = process.env.IPCLAB_BIN || path.join(REPO, 'build', 'ipclab');
const SCRATCH = fs.mkdtempSync(path.join(os.tmpdir(), 'ipclab-cols-'));
after(() => fs.rmSync(SCRATCH, { recursive: true, force: true }));

// `ipclab view` of up to two files; the compact forms it serves (ArrayBuffer, or null for a
// 404), and its stderr.
async function compactForms(files, env) {
  const p = spawn(IPCLAB, ['view', ...files], { stdio: ['ignore', 'pipe', 'pipe'], env: env ? { ...process.env, ...env } : process.env });
  let err = '';
  p.stderr.on('data', (d) => (err += d));
  try {
    const url = await new Promise((resolve, reject) => {
      p.stdout.on('data', (d) => resolve(String(d).trim()));
      p.on('exit', (code) => reject(new Error(`ipclab view exited ${code}: ${err}`)));
    });
    const base = url.split('?')[0];
    const forms = [];
    for (let i = 0; i < files.length; i++) {
      const res = await fetch(base + 'trace/' + i + '.cols');
      const advertised = url.includes('cols' + (i ? '2' : '') + '=trace/' + i + '.cols');
      assert.equal(res.ok, advertised, files[i] + ': the URL names the compact form exactly when it is served');
      forms.push(res.ok ? await res.arrayBuffer() : null);
    }
    return { forms, url, stderr: err };
  } finally {
    p.kill('SIGTERM');
  }
}

// The trace's bytes as pieces of `piece` bytes, as a download gives them.
function chunksOf(bytes, piece = 65536) {
  const c = new Chunks();
  for (let i = 0; i < bytes.length; i += piece) c.add(bytes.subarray(i, Math.min(bytes.length, i + piece)));
  return c;
}

function viaLines(bytes) {
  const s = new TraceScanner(bytes.length);
  for (const piece of chunksOf(bytes).list) s.push(piece);
  return parseTrace(s, 'x', null);
}

// Where a compact form's records start (its header says).
const recordsAt = (buf) => Number(new DataView(buf).getBigUint64(56, true));

function viaCompact(bytes, buf) {
  const chunks = chunksOf(bytes);
  const got = compactColumns(buf, chunks);
  assert.ok(got, 'the compact form gives columns');
  return parseTrace(scannerOfCompact(chunks, got), 'x', null);
}

// The form as a download gives it: in pieces of 1 byte to 64 KiB, its records read as
// they come (`size`: its length, or 0 when the download does not say).
const PIECES = [1, 3, 97, 4096, 65536, 250, 7];
function inPieces(buf, size) {
  const d = new CompactDownload(size);
  const all = new Uint8Array(buf);
  for (let at = 0, k = 0; at < all.length; k++) {
    const n = Math.min(PIECES[k % PIECES.length], all.length - at);
    d.add(all.slice(at, at + n)); // a copy, as a download's pieces are
    at += n;
  }
  return d.end();
}

function sameDocument(a, b, what) {
  assert.ok(a, what);
  for (const k of ['start', 'end', 'names']) assert.deepEqual(a[k], b[k], what + ': ' + k);
  assert.deepEqual(a.columns, b.columns, what + ': columns');
  assert.deepEqual([...a.details], [...b.details], what + ': details');
  assert.deepEqual(a.header, b.header, what + ': header');
  assert.deepEqual(new Uint8Array(a.buf), new Uint8Array(b.buf), what + ': bytes');
}

// The model from the compact form alone (before the JSON text), when its build can do
// without the text: the same as the line reader's, and the events the form has the text
// of the same; then, with the text, the same model with every event's details.
function checkEarly(file, bytes, buf, lines) {
  const doc = compactDocument(buf);
  assert.ok(doc, file + ': the compact form is read alone');
  sameDocument(inPieces(buf, 0), doc, file + ' (in pieces, size unknown)');
  sameDocument(inPieces(buf, buf.byteLength), doc, file + ' (in pieces)');
  const m = parseEarly(doc, 'x', null);
  if (!m) return false;
  assert.equal(m.partial, true);
  // a pipe's slot owners wait for the page's first frame (model.js finishLater)
  assert.ok(m.mech.pipe.buffers.every((b) => !b.own && !b.writers), file + ': owners before the first frame');
  assert.equal(m.later.length, m.mech.pipe.buffers.length, file + ': later work');
  sameModel(m, lines, false);
  for (const i of doc.details.keys()) assert.deepEqual(m.early[0].parse(i), lines.ev(i), file + ': event ' + i + ' from the form');
  // what a panel gets of an event the form has no text of: what is known of it, exactly
  for (let i = 0; i < Math.min(m.n, 2000); i++) {
    if (doc.details.has(i)) continue;
    const e = m.ev(i);
    const want = lines.ev(i);
    for (const k of ['type', 't', 'pid', 'tid', 'name', 'obj', 'mapping', 'kind', 'major', 'bytes', 'occ_before', 'occ_after', 'slots_before', 'slots_after', 'slots_max', 'ring_size']) if (k in e) assert.equal(e[k], want[k], file + ': event ' + i + '.' + k);
    // a fault in a mapping: its kind (read, write, cow) is known before the text (the marker's colour)
    if (want.type === 'fault' && want.mapping != null && ['read', 'write', 'cow'].includes(want.kind)) {
      assert.equal(e.kind, want.kind, file + ': event ' + i + ' kind');
      checkEarly.kinds = (checkEarly.kinds || 0) + 1;
    }
    assert.throws(() => m.early[0].parse(i).fd, NeedText);
  }
  const full = upgradeEarly(m, scannerOfCompact(chunksOf(bytes), doc).result.events);
  assert.equal(full.partial, false);
  assert.ok(full.mech.pipe.buffers.every((b) => b.own && b.writers), file + ': owners once upgraded');
  assert.ok(lines.mech.pipe.buffers.every((b) => b.own && b.writers), file + ': owners from the line reader at once');
  sameModel(full, lines, m.n <= 20000);
  return true;
}

// Both readings of each file agree; returns how many had a compact form (and, in
// checkFiles.early, how many of them gave the model before the text).
async function checkFiles(files) {
  let withForm = 0;
  checkFiles.early = 0;
  for (let i = 0; i < files.length; i += 2) {
    const pair = files.slice(i, i + 2);
    const { forms } = await compactForms(pair);
    pair.forEach((file, k) => {
      const bytes = new Uint8Array(fs.readFileSync(file));
      const lines = viaLines(bytes);
      if (!forms[k]) {
        assert.notEqual(lines.reader, 'lines', file + ': no compact form, yet the line reader reads it');
        return;
      }
      withForm++;
      assert.equal(lines.reader, 'lines', file);
      const m = viaCompact(bytes, forms[k]);
      assert.equal(m.reader, 'cols');
      sameModel(m, lines, m.n <= 20000);
      if (checkEarly(file, bytes, forms[k], lines)) checkFiles.early++;
      else if (process.env.IPCLAB_COLS_VERBOSE) console.log('not early: ' + file);
    });
  }
  return withForm;
}

function writeTrace(name, text) {
  const f = path.join(SCRATCH, name);
  fs.writeFileSync(f, text);
  return f;
}

describe('the compact form gives the line reader\'s model', () => {
  test('real traces (IPCLAB_TRACE_DIR) and the fixtures', async () => {
    const files = traceFiles().concat(fs.readdirSync(FIXTURES).filter((f) => f.endsWith('.json')).map((f) => path.join(FIXTURES, f)));
    assert.ok(traceFiles().length > 0, 'no traces: set IPCLAB_TRACE_DIR');
    const n = await checkFiles(files);
    assert.ok(n >= traceFiles().length, `only ${n} of ${files.length} files had a compact form`);
    if (process.env.IPCLAB_COLS_VERBOSE) console.log(`${files.length} files, ${n} with a compact form, ${checkFiles.early} built from it alone`);
    assert.ok(checkEarly.kinds > 0, 'no fault in a mapping among the stand-ins checked');
    // most real traces are drawn before their text arrives (the others wait for it)
    assert.ok(checkFiles.early >= n / 2, `only ${checkFiles.early} of ${n} were built before the text`);
  });

  test('synthetic traces: 30000 events, hostile strings, CRLF lines, a gzip file', async () => {
    const big = path.join(SCRATCH, 'big.json');
    writeBigTrace(big, 30000);
    const evil = writeTrace('evil.json', serialize(evilTrace()));
    const crlf = writeTrace('crlf.json', serialize(evilTrace()).replace(/\n/g, '\r\n'));
    assert.equal(await checkFiles([big, evil, crlf]), 3);
    assert.equal(checkFiles.early, 3, 'all three are built from the compact form alone');
    // a .json.gz: the form is of the decompressed text, which the page receives
    const zlib = await import('node:zlib');
    const gz = path.join(SCRATCH, 'big.json.gz');
    fs.writeFileSync(gz, zlib.gzipSync(fs.readFileSync(big)));
    const { forms } = await compactForms([gz]);
    sameModel(viaCompact(new Uint8Array(fs.readFileSync(big)), forms[0]), viaLines(new Uint8Array(fs.readFileSync(big))), false);
  });

  test('a trace not in the writer\'s layout gets no compact form', async () => {
    const doc = JSON.parse(serialize(evilTrace()));
    const oneLine = writeTrace('oneline.json', JSON.stringify(doc));
    const { forms } = await compactForms([oneLine]);
    assert.equal(forms[0], null);
  });
});

describe('the cache of compact forms ($XDG_CACHE_HOME/ipclab)', () => {
  test('a trace of 16 MiB or more: its form kept, used again, derived again once the trace changes; an unwritable cache is no error', async () => {
    const file = path.join(SCRATCH, 'cached.json');
    writeBigTrace(file, 100000);
    assert.ok(fs.statSync(file).size >= 16 << 20);
    const cache = path.join(SCRATCH, 'cache');
    const dir = path.join(cache, 'ipclab');
    const env = { XDG_CACHE_HOME: cache };
    // a form of the version before (another layout): no reader uses it, so it goes
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'cols2-fe00-1-2-3.4'), 'IPCLABC2');
    const first = await compactForms([file], env);
    const kept = fs.readdirSync(dir);
    assert.equal(kept.length, 1);
    assert.match(kept[0], /^cols3-/);
    assert.deepEqual(new Uint8Array(fs.readFileSync(path.join(dir, kept[0]))), new Uint8Array(first.forms[0]));
    // used again as it is: a changed value in the kept copy is what is served
    const poisoned = Buffer.from(new Uint8Array(first.forms[0])); // a copy
    poisoned[69] ^= 1;
    fs.writeFileSync(path.join(dir, kept[0]), poisoned);
    const again = await compactForms([file], env);
    assert.deepEqual(new Uint8Array(again.forms[0]), new Uint8Array(poisoned));
    // the trace changed (its mtime): derived again, the older copy gone
    const later = new Date(Date.now() + 5000);
    fs.utimesSync(file, later, later);
    const changed = await compactForms([file], env);
    assert.deepEqual(new Uint8Array(changed.forms[0]), new Uint8Array(first.forms[0]));
    assert.equal(fs.readdirSync(dir).length, 1);
    assert.notEqual(fs.readdirSync(dir)[0], kept[0]);
    // a cache that cannot be made (a file where its directory would be): derived, no error
    const notDir = path.join(SCRATCH, 'not-a-dir');
    fs.writeFileSync(notDir, '');
    const none = await compactForms([file], { XDG_CACHE_HOME: notDir });
    assert.deepEqual(new Uint8Array(none.forms[0]), new Uint8Array(first.forms[0]));
    assert.doesNotMatch(none.stderr, /no compact form|error/i);
  });
});

describe('a wrong compact form is refused', () => {
  const file = path.join(SCRATCH, 'wrong.json');
  writeBigTrace(file, 2000);
  const bytes = new Uint8Array(fs.readFileSync(file));

  test('one changed value makes the models differ (the comparison can fail)', async () => {
    const { forms } = await compactForms([file]);
    const buf = forms[0].slice(0);
    const dv = new DataView(buf);
    // the first record's first field: its kind byte after the record's start, end and
    // mask (the records are last: the header's u64 at 56 says where they start), then its
    // value (t)
    const at = recordsAt(buf) + 12;
    const kind = dv.getUint8(at);
    if (kind === 7) dv.setInt32(at + 1, dv.getInt32(at + 1, true) + 1, true);
    else dv.setFloat64(at + 1, dv.getFloat64(at + 1, true) + 1, true);
    assert.throws(() => sameModel(viaCompact(bytes, buf), viaLines(bytes), false), /ts|te/);
  });

  test('damaged, cut short, or of another trace: CompactError, one line', async () => {
    const other = path.join(SCRATCH, 'other.json');
    writeBigTrace(other, 2001);
    const { forms } = await compactForms([file, other]);
    const cases = {
      magic: (() => {
        const b = forms[0].slice(0);
        new Uint8Array(b)[0] = 0x58;
        return b;
      })(),
      short: forms[0].slice(0, forms[0].byteLength - 100),
      kind: (() => {
        const b = forms[0].slice(0);
        new Uint8Array(b)[recordsAt(b) + 12] = 99;
        return b;
      })(),
      other: forms[1],
    };
    for (const [label, buf] of Object.entries(cases)) {
      const chunks = chunksOf(bytes);
      assert.throws(
        () => scannerOfCompact(chunks, compactColumns(buf, chunks)),
        (e) => e instanceof CompactError && !e.message.includes('\n'),
        label,
      );
      // read as it downloads: refused as well (another trace's form is only found out
      // against the text)
      if (label !== 'other') assert.throws(() => inPieces(buf, buf.byteLength), (e) => e instanceof CompactError && !e.message.includes('\n'), label + ' (download)');
    }
  });

  test('the page reads the JSON when the compact form is damaged, and says so once', async () => {
    const bad = path.join(SCRATCH, 'bad.cols');
    const { forms } = await compactForms([file]);
    fs.writeFileSync(bad, Buffer.from(forms[0]).subarray(0, 1000));
    const good = path.join(SCRATCH, 'good.cols');
    fs.writeFileSync(good, Buffer.from(forms[0]));
    const server = await startServer({ '/viz/': VIZ, '/t/': SCRATCH });
    const ctx = await launchBrowser();
    try {
      const load = async (cols) => {
        const page = await newPage(ctx);
        const warnings = [];
        page.on('console', (m) => m.type() === 'warning' && warnings.push(m.text()));
        await page.goto(server.url + '/viz/index.html?trace=/t/wrong.json&cols=/t/' + cols);
        await page.waitForFunction(() => document.body.dataset.state === 'ready', null, { timeout: 60000 });
        const r = await page.evaluate(() => ({ reader: window.ipclab.app.models[0].reader, n: window.ipclab.app.models[0].n, partial: window.ipclab.app.models[0].partial || false, note: document.body.dataset.colsError || null }));
        // drawn before the JSON text was asked for (app.js loadEarly)
        const drawnEarly = await page.evaluate(() => window.ipclab.app.perf.drawnBeforeText || false);
        const ev = await page.evaluate(() => window.ipclab.app.models[0].ev(5));
        await page.close();
        return { ...r, warnings, drawnEarly, ev };
      };
      const ok = await load('good.cols');
      // drawn from the form alone ("details": the text still downloading), then the same
      // model with every event's details
      assert.equal(ok.drawnEarly, true);
      assert.deepEqual(ok.ev, viaLines(bytes).ev(5));
      delete ok.drawnEarly;
      delete ok.ev;
      assert.deepEqual(ok, { reader: 'cols', n: 2000, partial: false, note: null, warnings: [] });
      // while the text is held back the page shows the model and answers: zoomed in (span
      // labels from the stand-ins), a click, hovering; no error, then the same "ready" page
      {
        const page = await newPage(ctx);
        let release;
        const held = new Promise((r) => (release = r));
        await page.route('**/t/wrong.json', async (route) => {
          await held;
          await route.continue();
        });
        await page.goto(server.url + '/viz/index.html?trace=/t/wrong.json&cols=/t/good.cols');
        await page.waitForFunction(() => document.body.dataset.state === 'details' && document.body.dataset.firstRenderMs, null, { timeout: 60000 });
        const m = await page.evaluate(() => ({ n: window.ipclab.app.models[0].n, partial: window.ipclab.app.models[0].partial, t: window.ipclab.app.models[0].ts[100] }));
        assert.deepEqual([m.n, m.partial], [2000, true]);
        await setHashView(page, m.t - 2000, m.t + 6000);
        await clickAxisAt(page, m.t + 300);
        const ax = await axisBox(page);
        await page.mouse.move(ax.left + ax.width / 2, ax.top + ax.height + 40);
        await afterFrames(page);
        assert.equal(await page.evaluate(() => document.body.dataset.state), 'details');
        // the "loading the details" line follows a switch of language while it shows
        const line = () => page.evaluate(() => document.querySelector('.message').textContent);
        assert.match(await line(), /^Showing wrong\.json; loading the details/);
        await page.click('button.lang[data-lang=zh]');
        assert.match(await line(), /^已显示 wrong\.json；正在加载/);
        await page.click('button.lang[data-lang=en]');
        release();
        await page.waitForFunction(() => document.body.dataset.state === 'ready', null, { timeout: 60000 });
        assert.equal(await page.evaluate(() => window.ipclab.app.models[0].partial), false);
        assert.deepEqual(page.ipclabLog.pageErrors, []);
        assert.deepEqual(page.ipclabLog.errors, []);
        await page.close();
      }
      const damaged = await load('bad.cols');
      assert.equal(damaged.drawnEarly, false);
      delete damaged.drawnEarly;
      assert.equal(damaged.reader, 'lines');
      assert.equal(damaged.n, 2000);
      assert.match(damaged.note, /^ipclab: the compact form of wrong\.json is not used \(.+\); reading the JSON$/);
      assert.deepEqual(damaged.warnings, [damaged.note]);
    } finally {
      await ctx.close();
      await server.close();
    }
  });
});
