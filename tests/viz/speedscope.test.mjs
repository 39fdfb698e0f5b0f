// The Chrome Trace Event Format export opens in speedscope: `ipclab export --chrome` of a
// scenario trace is loaded into speedscope's own web app (from npm, served on 127.0.0.1)
// in headless Chromium, which must import it and draw it, not show an import error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { chromium } from 'playwright-core';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const SPEEDSCOPE = path.join(ROOT, 'node_modules/speedscope/dist/release');
const TRACES = process.env.IPCLAB_TRACE_DIR || '/tmp/tt';
const IPCLAB = process.env.IPCLAB_BIN || path.join(ROOT, 'build/ipclab');
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css',
  '.json': 'application/json', '.png': 'image/png', '.txt': 'text/plain' };

function serve(profile) {
  const server = http.createServer((req, res) => {
    const url = decodeURIComponent(req.url.split('?')[0].split('#')[0]);
    const file = url === '/profile.json' ? profile
      : path.join(SPEEDSCOPE, path.normalize(url === '/' ? '/index.html' : url));
    if (!file.startsWith(SPEEDSCOPE) && file !== profile) { res.writeHead(404); return res.end(); }
    fs.readFile(file, (err, data) => {
      if (err) { res.writeHead(404); return res.end(); }
      res.writeHead(200, { 'Content-Type': TYPES[path.extname(file)] || 'application/octet-stream' });
      res.end(data);
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

for (const scenario of ['pipe_write_blocks', 'mmap_msync']) {
  test(`${scenario}: the Chrome export imports and renders in speedscope`, async () => {
    const trace = path.join(TRACES, `${scenario}.json`);
    assert.ok(fs.existsSync(trace), `no trace ${trace}`);
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ipclab-ss-')), 'profile.json');
    execFileSync(IPCLAB, ['export', '-q', '--chrome', trace, '-o', out]);
    const server = await serve(out);
    const browser = await chromium.launch({
      executablePath: process.env.IPCLAB_CHROMIUM || '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    try {
      const page = await browser.newPage();
      const errors = [];
      page.on('pageerror', (e) => errors.push(String(e)));
      const { port } = server.address();
      await page.goto(`http://127.0.0.1:${port}/#profileURL=/profile.json`);
      // speedscope names the document after the imported profile once it has loaded it
      await page.waitForFunction(() => document.title.includes('profile.json'), null,
        { timeout: 60000 });
      const body = await page.evaluate(() => document.body.innerText);
      assert.doesNotMatch(body, /(could not|failed to|unable to) (import|load)|something went wrong/i);
      assert.ok(await page.locator('canvas').count() > 0, 'speedscope drew nothing');
      assert.deepEqual(errors, []);
      await page.screenshot({ path: path.join(ROOT, 'build/viz-artifacts', `speedscope-${scenario}.png`) });
    } finally {
      await browser.close();
      server.close();
    }
  });
}
