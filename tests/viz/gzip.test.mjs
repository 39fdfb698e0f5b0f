// gzip-compressed traces (`ipclab trace -o x.json.gz`, `run --gzip`) in the page: served by
// a server that sends the file's bytes as they are (no Content-Encoding), opened with the
// file picker, under a name that does not say gzip: the page recognises the magic bytes
// (1f 8b), decompresses with DecompressionStream, and builds the very model the plain
// trace gives. A damaged .gz is an error message, not a blank page.
//
// Traces: ipclab's own gzip output when IPCLAB_GZ_TRACE_DIR has some (ctest viz_browser
// makes them with `ipclab run --gzip`), else the plain scenario traces gzipped here; and
// a synthetic 200k-event trace that arrives in many pieces.

import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { startServer, launchBrowser, newPage, waitReady, FIXTURES, VIZ, traceFiles } from './helpers.mjs';
import { writeBigTrace } from './synth.mjs';

// What the model holds, small enough to compare: counts, meta, claims, lanes, and digests
// of the event columns.
function modelDigest() {
  const m = window.ipclab.app.models[0];
  const sum = (a) => {
    let s = 0;
    for (let i = 0; i < a.length; i++) s = (s * 31 + Number(a[i])) % 1000000007;
    return s;
  };
  return {
    n: m.n,
    meta: m.meta,
    claims: m.claims,
    duration: m.duration,
    lanes: m.lanes.map((l) => [l.pid, l.comm, l.rows, l.wBytes, l.rBytes]),
    buffers: m.mech.pipe.buffers.length,
    ts: sum(m.ts),
    te: sum(m.te),
    code: sum(m.code),
    obj: sum(m.obj),
    occ: sum(m.cols.pipe.occAfter),
  };
}

describe('gzip-compressed traces', () => {
  let srv;
  let ctx;
  let dir;
  const cases = []; // {name, plain, gz}

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ipclab-viz-gz-'));
    const gzDir = process.env.IPCLAB_GZ_TRACE_DIR;
    const made = gzDir && fs.existsSync(gzDir) ? fs.readdirSync(gzDir).filter((f) => f.endsWith('.json.gz')) : [];
    if (made.length) {
      for (const f of made) {
        const plain = path.join(dir, f.replace(/\.gz$/, ''));
        fs.writeFileSync(plain, zlib.gunzipSync(fs.readFileSync(path.join(gzDir, f))));
        cases.push({ name: f, plain, gz: path.join(gzDir, f) });
      }
    } else {
      const files = traceFiles().slice(0, 3);
      if (!files.length) files.push(path.join(FIXTURES, 'mapping_basic.json'));
      for (const plain of files) {
        const gz = path.join(dir, path.basename(plain) + '.gz');
        fs.writeFileSync(gz, zlib.gzipSync(fs.readFileSync(plain), { level: 1 }));
        cases.push({ name: path.basename(gz), plain, gz });
      }
    }
    const big = path.join(dir, 'big.json');
    writeBigTrace(big, 200000);
    fs.writeFileSync(big + '.gz', zlib.gzipSync(fs.readFileSync(big), { level: 1 }));
    cases.push({ name: 'big.json.gz', plain: big, gz: big + '.gz' });
    srv = await startServer({ '/viz/': VIZ });
    cases.forEach((c, i) => {
      srv.addFile('/plain/' + i + '.json', c.plain);
      srv.addFile('/gz/' + i + '.json.gz', c.gz);
      srv.addFile('/misnamed/' + i + '.json', c.gz); // gzip bytes under a .json name
    });
    ctx = await launchBrowser();
  });
  after(async () => {
    if (ctx) await ctx.close();
    if (srv) await srv.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  async function loadUrl(u) {
    const page = await newPage(ctx);
    await page.goto(srv.url + '/viz/index.html?trace=' + u);
    await waitReady(page, 'ready', 120000);
    const d = await page.evaluate(modelDigest);
    assert.deepEqual(page.ipclabLog.pageErrors, []);
    await page.close();
    return d;
  }

  test('a served .json.gz gives the model of the plain trace', async () => {
    assert.ok(cases.length >= 2);
    for (let i = 0; i < cases.length; i++) {
      const plain = await loadUrl('/plain/' + i + '.json');
      assert.ok(plain.n > 0, cases[i].name + ': events');
      assert.deepEqual(await loadUrl('/gz/' + i + '.json.gz'), plain, cases[i].name);
      // gzip is told by its bytes, not its name
      assert.deepEqual(await loadUrl('/misnamed/' + i + '.json'), plain, cases[i].name + ' (named .json)');
    }
  });

  test('a .json.gz opened with the file picker', async () => {
    for (let i = 0; i < cases.length; i++) {
      const plain = await loadUrl('/plain/' + i + '.json');
      const page = await newPage(ctx);
      await page.goto(srv.url + '/viz/index.html');
      await waitReady(page, 'empty');
      await page.setInputFiles('#file-input', cases[i].gz);
      await waitReady(page, 'ready', 120000);
      assert.deepEqual(await page.evaluate(modelDigest), plain, cases[i].name);
      await page.close();
    }
  });

  test('a damaged .json.gz: a message naming the file, not a blank page', async () => {
    const bytes = fs.readFileSync(cases[0].gz);
    const cut = path.join(dir, 'cut.json.gz');
    fs.writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length / 2)));
    const bad = path.join(dir, 'bad.json.gz');
    const flipped = Buffer.from(bytes);
    for (let i = 20; i < Math.min(flipped.length - 8, 200); i++) flipped[i] ^= 0x5a;
    fs.writeFileSync(bad, flipped);
    srv.addFile('/bad/cut.json.gz', cut);
    srv.addFile('/bad/bad.json.gz', bad);
    for (const f of ['cut.json.gz', 'bad.json.gz']) {
      const page = await newPage(ctx);
      await page.goto(srv.url + '/viz/index.html?trace=/bad/' + f);
      await waitReady(page, 'error');
      const msg = await page.locator('#message').textContent();
      assert.match(msg, new RegExp(f.replace('.', '\\.')));
      await page.close();
    }
  });
});
