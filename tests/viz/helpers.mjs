// Shared helpers for the viewer tests: a tiny static server (node:http on 127.0.0.1,
// port 0), a headless Chromium (Debian's /usr/bin/chromium driven by playwright-core;
// no browser is ever downloaded), trace discovery and screenshots.

import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const VIZ = path.join(REPO, 'viz');
export const FIXTURES = path.join(REPO, 'tests', 'viz', 'fixtures');
export const TRACE_DIR = process.env.IPCLAB_TRACE_DIR || '/tmp/tt';
export const ARTIFACTS = path.join(REPO, 'build', 'viz-artifacts');
export const CHROMIUM = process.env.IPCLAB_CHROMIUM || '/usr/bin/chromium';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.png': 'image/png',
};

// Serve `mounts` ({'/viz/': dir, '/traces/': dir, ...}) on 127.0.0.1. Returns
// {url, close(), addFile(urlPath, absPath)}.
export async function startServer(mounts) {
  const files = new Map();
  const server = http.createServer((req, res) => {
    const u = new URL(req.url, 'http://x');
    let p = decodeURIComponent(u.pathname);
    let file = files.get(p);
    if (!file) {
      for (const [prefix, dir] of Object.entries(mounts)) {
        if (p.startsWith(prefix)) {
          const rel = p.slice(prefix.length) || 'index.html';
          const abs = path.resolve(dir, rel);
          if (abs.startsWith(path.resolve(dir) + path.sep) || abs === path.resolve(dir)) file = abs;
          break;
        }
      }
    }
    if (!file || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
      return;
    }
    const type = TYPES[path.extname(file)] || 'application/octet-stream';
    res.writeHead(200, { 'content-type': type, 'content-length': fs.statSync(file).size, 'cache-control': 'no-store' });
    fs.createReadStream(file, { highWaterMark: 1 << 20 }).pipe(res);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address();
  return {
    url: 'http://127.0.0.1:' + port,
    addFile(urlPath, abs) {
      files.set(urlPath, abs);
    },
    close: () =>
      new Promise((r) => {
        server.closeAllConnections && server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

// A fresh headless Chromium profile. Returns a playwright BrowserContext.
export async function launchBrowser(opts = {}) {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(CHROMIUM + ' not found: apt-get install -y chromium');
  }
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ipclab-viz-chromium-'));
  const ctx = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: opts.viewport || { width: 1400, height: 1000 },
    deviceScaleFactor: 1,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      ...(opts.args || []),
    ],
  });
  const close = ctx.close.bind(ctx);
  ctx.close = async () => {
    await close();
    fs.rmSync(userDataDir, { recursive: true, force: true });
  };
  return ctx;
}

// A page that records console errors, CSP violations, dialogs and page errors.
export async function newPage(ctx) {
  const page = await ctx.newPage();
  const log = { errors: [], csp: [], dialogs: [], pageErrors: [] };
  page.on('console', (msg) => {
    const text = msg.text();
    if (/Content Security Policy|Refused to/i.test(text)) log.csp.push(text);
    if (msg.type() === 'error') log.errors.push(text);
  });
  page.on('pageerror', (e) => log.pageErrors.push(String(e)));
  page.on('dialog', async (d) => {
    log.dialogs.push(d.type() + ': ' + d.message());
    await d.dismiss().catch(() => {});
  });
  page.ipclabLog = log;
  return page;
}

export function traceFiles() {
  if (!fs.existsSync(TRACE_DIR)) return [];
  return fs
    .readdirSync(TRACE_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => path.join(TRACE_DIR, f));
}

export function readJson(file) {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

export async function screenshot(page, name, opts = {}) {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, name + '.png');
  await page.screenshot({ path: file, fullPage: opts.fullPage !== false });
  return file;
}

// Wait until the viewer has finished loading (ready or error) and drawn once.
export async function waitReady(page, state = 'ready', timeout = 30000) {
  await page.waitForFunction((s) => document.body && document.body.dataset.state === s, state, { timeout });
  if (state === 'ready') {
    await page.waitForFunction(() => document.body.dataset.firstRenderMs !== undefined, null, { timeout });
  }
}

// The time axis geometry of the timeline: {left, top, width, height, t0, t1}.
export async function axisBox(page) {
  return page.evaluate(() => {
    const tl = document.getElementById('timeline');
    const r = tl.querySelector('canvas.tl-axis').getBoundingClientRect();
    return { left: r.left, top: r.top, width: r.width, height: r.height, t0: Number(tl.dataset.t0), t1: Number(tl.dataset.t1) };
  });
}

// Move the view through the URL hash, as a shared link would, and wait for the redraw.
// The viewer may clamp the window (it keeps the view near the trace); returns the view
// it took: {t0, t1}.
let hashNonce = 0;
export async function setHashView(page, t0, t1) {
  hashNonce++;
  await page.evaluate(
    ([a, b, n]) =>
      new Promise((resolve) => {
        window.addEventListener('hashchange', () => requestAnimationFrame(() => requestAnimationFrame(() => resolve())), { once: true });
        location.hash = 't0=' + Math.round(a) + '&t1=' + Math.round(b) + '&n=' + n;
      }),
    [t0, t1, hashNonce],
  );
  return page.evaluate(() => {
    const tl = document.getElementById('timeline');
    return { t0: Number(tl.dataset.t0), t1: Number(tl.dataset.t1) };
  });
}

// Resolve after the page has drawn two more frames (the viewer redraws on rAF).
export async function afterFrames(page) {
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r()))));
}

// Click the time axis at time T (the view must contain T); returns the cursor time the
// viewer took, once it has redrawn.
export async function clickAxisAt(page, T) {
  const ax = await axisBox(page);
  const x = ax.left + ((T - ax.t0) / (ax.t1 - ax.t0)) * ax.width;
  await page.mouse.click(x, ax.top + ax.height / 2);
  await afterFrames(page);
  return Number(await page.locator('#timeline').getAttribute('data-cursor'));
}

// A self-contained report, made the way the C side makes it: build the viewer
// (viz/build.mjs OUTDIR), then fill report-template.html in one left-to-right pass over
// its placeholders (replacement text is never scanned again). Each trace is put in a
// <script type="application/json" class="ipclab-trace"> with every "<" written \u003c.
// Returns the path of the HTML file.
export async function makeReport(outDir, traces) {
  const { build } = await import(path.join(VIZ, 'build.mjs'));
  const { js, css, html, hashes } = build(path.join(outDir, 'viz'));
  const policy = hashes
    .split('\n')
    .find((l) => l.startsWith('policy '))
    .slice('policy '.length);
  const scripts = traces
    .map((t) => '<script type="application/json" class="ipclab-trace" data-name="' + escapeAttr(t.name) + '">' + t.text.replace(/</g, '\\u003c') + '</script>')
    .join('\n');
  const values = { '@@CSP@@': policy, '@@CSS@@': css, '@@JS@@': js, '@@TRACES@@': scripts };
  const out = html.replace(/@@(?:CSP|CSS|JS|TRACES)@@/g, (m) => values[m]);
  const file = path.join(outDir, 'report.html');
  fs.writeFileSync(file, out);
  return file;
}

function escapeAttr(s) {
  return String(s).replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
