// `ipclab view` of a gzip-compressed trace (.json.gz): the server sends the file as it is
// with "Content-Encoding: gzip" (the browser decompresses it), so the page, fetching
// trace/0.json as for any trace, draws the same trace as from the uncompressed file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { spawn } from 'node:child_process';
import { chromium } from 'playwright-core';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const TRACES = process.env.IPCLAB_TRACE_DIR || '/tmp/tt';
const IPCLAB = process.env.IPCLAB_BIN || path.join(ROOT, 'build/ipclab');

async function view(file) {
  const p = spawn(IPCLAB, ['view', file], { stdio: ['ignore', 'pipe', 'ignore'] });
  const url = await new Promise((resolve, reject) => {
    p.stdout.on('data', (d) => resolve(String(d).trim()));
    p.on('exit', (code) => reject(new Error(`ipclab view exited ${code}`)));
  });
  return { p, url };
}

// What the page shows once it has drawn the trace, and the response's encoding.
async function render(browser, file) {
  const { p, url } = await view(file);
  try {
    const page = await browser.newPage();
    const errors = [];
    let encoding = null;
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('response', (r) => {
      if (r.url().includes('/trace/0.json')) encoding = r.headers()['content-encoding'] || '';
    });
    await page.goto(url);
    // drawn, and every event's details read (the compact form draws it before: app.js)
    await page.waitForFunction(() => document.body.dataset.firstRenderMs && document.body.dataset.state === 'ready', null, { timeout: 60000 });
    const text = await page.evaluate(() => document.body.innerText);
    await page.close();
    return { errors, encoding, text };
  } finally {
    p.kill('SIGTERM');
  }
}

test('a .json.gz trace is served with Content-Encoding: gzip and drawn like the plain one', async () => {
  const trace = path.join(TRACES, 'pipe_write_blocks.json');
  assert.ok(fs.existsSync(trace), `no trace ${trace}`);
  const gz = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ipclab-gz-')), 'pipe_write_blocks.json.gz');
  fs.writeFileSync(gz, zlib.gzipSync(fs.readFileSync(trace)));
  const browser = await chromium.launch({
    executablePath: process.env.IPCLAB_CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'],
  });
  try {
    const plain = await render(browser, trace);
    const packed = await render(browser, gz);
    assert.deepEqual(plain.errors, []);
    assert.deepEqual(packed.errors, []);
    assert.equal(plain.encoding, '');
    assert.equal(packed.encoding, 'gzip');
    assert.match(packed.text, /pipe_write_blocks/);
    assert.equal(packed.text, plain.text);
  } finally {
    await browser.close();
    fs.rmSync(path.dirname(gz), { recursive: true, force: true });
  }
});
