// bench/viewer.mjs - viewer scale benchmark: time to first full render of a 1M-event trace
// and the frame time while panning and zooming, measured with the page's own timing
// (document.body.dataset.firstRenderMs and window.ipclab.app.perf.frames, which the viewer
// records in render()). Reuses the machinery of tests/viz: headless Chromium
// (/usr/bin/chromium via playwright-core) and its synthetic 1M-event trace.
//
//   node bench/viewer.mjs --out RESULT.json [--scratch DIR] [--events N] [--real TRACE.json]
//                         [--ipclab BIN] [--rounds N]
//
// Each trace is served by `ipclab view` (BIN, default build/ipclab) as a user opens it, and
// loaded two ways side by side, --rounds times each (default 3), alternating: "cols", the
// URL ipclab view prints (the page reads the compact form, user/cols.c), and "json", the
// same URL without &cols= (the page scans the JSON text, as for a trace opened by hand).
// Without BIN, the JSON from tests/viz's static server only. --real adds a real ipclab
// trace (e.g. evgen's). Prints a line per run and writes {runs: [...], summary} to --out.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { startServer, launchBrowser, newPage, waitReady, axisBox, VIZ, REPO } from '../tests/viz/helpers.mjs';
import { writeBigTrace } from '../tests/viz/synth.mjs';

function arg(name, dflt) {
  const i = process.argv.indexOf(name);
  return i > 0 && i + 1 < process.argv.length ? process.argv[i + 1] : dflt;
}

const OUT = arg('--out', null);
const SCRATCH = arg('--scratch', os.tmpdir());
const EVENTS = Number(arg('--events', '1000000'));
const REAL = arg('--real', null);
const ROUNDS = Number(arg('--rounds', '3'));
const IPCLAB = arg('--ipclab', path.join(REPO, 'build', 'ipclab'));

function stats(xs) {
  const s = xs.slice().sort((a, b) => a - b);
  const q = (p) => (s.length ? s[Math.min(s.length - 1, Math.floor(p * s.length))] : null);
  return {
    count: s.length,
    median_ms: q(0.5),
    p95_ms: q(0.95),
    max_ms: s.length ? s[s.length - 1] : null,
    mean_ms: s.length ? s.reduce((a, b) => a + b, 0) / s.length : null,
  };
}

// Frames the page recorded since `from` (perf.frames keeps the last 200-300).
async function framesSince(page, mark) {
  return page.evaluate((m) => {
    const f = window.ipclab.app.perf.frames;
    return f.slice(Math.max(0, f.length - (window.__benchCount - m))).map((x) => ({ timeline: x.timeline, total: x.total }));
  }, mark);
}

async function measure(ctx, name, pageUrl, events, bytes) {
  const page = await newPage(ctx);
  // Count every frame the app renders (perf.frames is trimmed, so count separately).
  await page.addInitScript(() => {
    window.__benchCount = 0;
    const iv = setInterval(() => {
      const app = window.ipclab && window.ipclab.app;
      if (!app) return;
      clearInterval(iv);
      const push = app.perf.frames.push.bind(app.perf.frames);
      app.perf.frames.push = (...a) => {
        window.__benchCount += a.length;
        return push(...a);
      };
    }, 0);
  });
  const t0 = Date.now();
  await page.goto(pageUrl);
  // Ready (and drawn once) or an error the page shows; 5 minutes at most.
  await page.waitForFunction(
    () => document.body && (document.body.dataset.state === 'error' || document.body.dataset.firstRenderMs !== undefined),
    null,
    { timeout: 300000 },
  );
  const wall = Date.now() - t0;
  const state = await page.evaluate(() => document.body.dataset.state);
  if (state === 'error') {
    const msg = await page.evaluate(() => {
      const m = document.querySelector('[data-kind]');
      return m ? m.textContent : document.body.innerText.slice(0, 500);
    });
    const errors = page.ipclabLog.errors.concat(page.ipclabLog.pageErrors);
    await page.close();
    console.log(`viewer ${name}: the page reported an error after ${wall} ms: ${msg}`);
    return { name, events, bytes, error: 'the viewer reported an error: ' + msg, wall_to_error_ms: wall, errors };
  }
  await waitReady(page, 'ready', 60000);
  const perf = await page.evaluate(() => {
    const p = window.ipclab.app.perf;
    return { firstRender: Number(document.body.dataset.firstRenderMs), fetchMs: p.fetchMs, parseMs: p.parseMs, scanMs: p.scanMs, buildMs: p.buildMs, reader: p.reader, loaded: p.loaded, first: p.frames[0], ready: p.ready, drawnBeforeText: !!p.drawnBeforeText };
  });
  const ax = await axisBox(page);
  const canvas = await page.evaluate(() => {
    const c = document.querySelector('#timeline canvas.tl-canvas');
    const r = c.getBoundingClientRect();
    return { left: r.left, top: r.top, width: r.width, height: r.height };
  });
  const cx = canvas.left + canvas.width / 2;
  const cy = canvas.top + Math.min(canvas.height / 2, 60);
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  const mark = await page.evaluate(() => window.__benchCount);
  // rAF intervals during the interaction, from the page's clock.
  await page.evaluate(() => {
    window.__gaps = [];
    let last = performance.now();
    window.__stopGaps = false;
    const f = (t) => {
      window.__gaps.push(t - last);
      last = t;
      if (!window.__stopGaps) requestAnimationFrame(f);
    };
    requestAnimationFrame(f);
  });
  const frame = () => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r())));
  // 1. zoom in around the middle with the wheel (40 steps), 2. drag-pan (40 steps),
  // 3. keyboard pan (20 x 'd'), 4. zoom back out (40 steps). A frame after each input.
  await page.mouse.move(cx, cy);
  for (let i = 0; i < 40; i++) {
    await page.mouse.wheel(0, -120);
    await frame();
  }
  await page.mouse.move(cx, cy);
  await page.mouse.down();
  for (let i = 1; i <= 40; i++) {
    await page.mouse.move(cx - i * 8, cy);
    await frame();
  }
  await page.mouse.up();
  for (let i = 0; i < 20; i++) {
    await page.keyboard.press('d');
    await frame();
  }
  await page.mouse.move(cx, cy);
  for (let i = 0; i < 40; i++) {
    await page.mouse.wheel(0, 120);
    await frame();
  }
  await frame();
  const gaps = await page.evaluate(() => {
    window.__stopGaps = true;
    return window.__gaps.slice(1);
  });
  const n = (await page.evaluate(() => window.__benchCount)) - mark;
  const frames = await framesSince(page, mark);
  const view = await page.evaluate(() => window.ipclab.app.state.view);
  const errors = page.ipclabLog.errors.concat(page.ipclabLog.pageErrors);
  const colsError = await page.evaluate(() => document.body.dataset.colsError || null);
  await page.close();
  const total = frames.map((f) => f.total);
  const run = {
    name,
    events,
    bytes,
    cols_error: colsError,
    first_render_ms: perf.firstRender,
    fetch_ms: perf.fetchMs,
    parse_ms: perf.parseMs,
    // the line reader (viz/js/events.js) scans while the file downloads: scan_ms is part
    // of fetch_ms (and of parse_ms for what was left at the end); build_ms of parse_ms
    reader: perf.reader,
    scan_ms: perf.scanMs,
    build_ms: perf.buildMs,
    loaded_ms: perf.loaded,
    // with the compact form: drawn from it alone, before the JSON text was asked for; and
    // when every event's details were there (state "ready")
    drawn_before_text: perf.drawnBeforeText,
    ready_ms: perf.ready,
    first_frame_ms: perf.first ? perf.first.total : null,
    wall_to_ready_ms: wall,
    inputs: 140,
    frames_rendered: n,
    frames: stats(total),
    timeline_frames: stats(frames.map((f) => f.timeline)),
    raf_interval: stats(gaps),
    axis_width_px: ax.width,
    final_view: view,
    errors,
  };
  console.log(
    `viewer ${name}: ${events} events, ${(bytes / 2 ** 20).toFixed(0)} MiB: first render ${perf.firstRender} ms ` +
      `(fetch ${Math.round(perf.fetchMs)} ms, parse ${Math.round(perf.parseMs)} ms; ${perf.reader || 'json'} reader: scan ${Math.round(perf.scanMs || 0)} ms, build ${Math.round(perf.buildMs || 0)} ms${perf.drawnBeforeText ? ', drawn before the text' : ''}; ready ${Math.round(perf.ready || 0)} ms); ` +
      `frames ${n}: median ${run.frames.median_ms?.toFixed(1)} ms, p95 ${run.frames.p95_ms?.toFixed(1)} ms, max ${run.frames.max_ms?.toFixed(1)} ms`,
  );
  return run;
}

// A run that throws (e.g. a timeout) is recorded as failed; the other runs still count.
async function guarded(fn, name) {
  try {
    return await fn();
  } catch (e) {
    console.error(`viewer ${name}: ${e && e.message ? e.message : String(e)}`);
    return { name, error: e && e.message ? e.message.split('\n')[0] : String(e) };
  }
}

// `ipclab view FILE` until stop(); url: the page's URL it prints (with &cols= when it
// derived the compact form), startupMs: until it printed it (the derivation is in it).
async function view(file) {
  const t0 = Date.now();
  // its cache of compact forms in the scratch directory, not the user's (a new synthetic
  // trace each run would only fill it)
  const env = { ...process.env, XDG_CACHE_HOME: path.resolve(SCRATCH, 'cache') }; // absolute, as XDG asks
  const p = spawn(IPCLAB, ['view', file], { stdio: ['ignore', 'pipe', 'inherit'], env });
  const url = await new Promise((resolve, reject) => {
    p.stdout.on('data', (d) => resolve(String(d).trim()));
    p.on('exit', (code) => reject(new Error('ipclab view exited ' + code)));
  });
  return { url, startupMs: Date.now() - t0, stop: () => p.kill('SIGTERM') };
}

// The number of events meta.events says, from the first 64 KiB of a trace.
function metaEvents(file) {
  try {
    const fd = fs.openSync(file, 'r');
    const buf = Buffer.alloc(1 << 16);
    const n = fs.readSync(fd, buf, 0, buf.length, 0);
    fs.closeSync(fd);
    const m = buf.subarray(0, n).toString('utf8').match(/"events":(\d+),"dropped"/);
    return m ? Number(m[1]) : null;
  } catch (e) {
    return null;
  }
}

// The medians over rounds of one way of loading one trace.
function summary(runs) {
  const ok = runs.filter((r) => !r.error);
  const med = (f) => {
    const xs = ok.map(f).filter((x) => typeof x === 'number').sort((a, b) => a - b);
    return xs.length ? xs[(xs.length - 1) >> 1] : null;
  };
  return {
    rounds: runs.length,
    failed: runs.length - ok.length,
    reader: ok.length ? ok[0].reader : null,
    first_render_ms: med((r) => r.first_render_ms),
    fetch_ms: med((r) => r.fetch_ms),
    parse_ms: med((r) => r.parse_ms),
    ready_ms: med((r) => r.ready_ms),
    drawn_before_text: ok.length ? ok.every((r) => r.drawn_before_text) : null,
    frame_p95_ms: med((r) => r.frames.p95_ms),
    frame_median_ms: med((r) => r.frames.median_ms),
  };
}

// Both ways of loading `file` through ipclab view, alternating, ROUNDS times.
async function viaIpclab(ctx, label, file, events) {
  const v = await view(file);
  const bytes = fs.statSync(file).size;
  const runs = { cols: [], json: [] };
  try {
    const ways = { cols: v.url, json: v.url.replace(/&cols=[^&]*/, '') };
    if (ways.cols === ways.json) console.log(`viewer ${label}: ipclab view serves no compact form`);
    for (let r = 0; r < ROUNDS; r++) {
      for (const way of ['json', 'cols']) {
        const name = `${label}, ${way}, round ${r + 1}`;
        runs[way].push(await guarded(() => measure(ctx, name, ways[way], events, bytes), name));
      }
    }
  } finally {
    v.stop();
  }
  return { name: label, events, bytes, view_startup_ms: v.startupMs, runs, summary: { json: summary(runs.json), cols: summary(runs.cols) } };
}

async function main() {
  const dir = fs.mkdtempSync(path.join(SCRATCH, 'viewer-'));
  const synth = path.join(dir, 'synthetic-1M.json');
  const t0 = Date.now();
  const info = writeBigTrace(synth, EVENTS);
  console.log(`viewer: wrote ${synth} (${info.n} events) in ${Date.now() - t0} ms`);
  const traces = [['synthetic (tests/viz/synth.mjs writeBigTrace)', synth, info.n]];
  if (REAL) traces.push(['real ipclab trace (evgen, 2 threads)', REAL, metaEvents(REAL)]);
  const ctx = await launchBrowser({ viewport: { width: 1400, height: 1000 } });
  const results = [];
  let server = null;
  try {
    if (fs.existsSync(IPCLAB)) {
      for (const [label, file, events] of traces) results.push(await viaIpclab(ctx, label, file, events));
    } else {
      console.log(`viewer: no ${IPCLAB}: the JSON from a static server only`);
      server = await startServer({ '/viz/': VIZ });
      for (const [label, file, events] of traces) {
        server.addFile('/traces/' + path.basename(file), file);
        const u = server.url + '/viz/index.html?trace=' + encodeURIComponent('/traces/' + path.basename(file));
        results.push(await guarded(() => measure(ctx, label, u, events, fs.statSync(file).size), label));
      }
    }
  } finally {
    await ctx.close();
    if (server) await server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  for (const r of results) {
    if (!r.summary) continue;
    for (const way of ['json', 'cols']) {
      const x = r.summary[way];
      console.log(`viewer ${r.name}, ${way}: median of ${x.rounds}: first render ${x.first_render_ms} ms, frame p95 ${x.frame_p95_ms} ms`);
    }
  }
  const res = {
    method:
      'Headless Chromium (' +
      'playwright-core, /usr/bin/chromium, 1400x1000) loads the URL `ipclab view TRACE` prints ("cols": the page ' +
      'reads the compact form the server derives, user/cols.c) and the same URL without &cols= ("json": the page ' +
      'scans the JSON text, as for a trace opened by hand), alternating, --rounds times each; summary = medians. ' +
      'first_render_ms = document.body.dataset.firstRenderMs (performance.now() at the end of the first render, ' +
      'from navigation start: fetch + parse + layout + draw). Frame time = app.perf.frames[].total (the duration ' +
      'of the viewer\'s render() per frame) over 140 inputs: 40 wheel zoom-ins, a 40-step drag pan, 20 "d" key ' +
      'pans, 40 wheel zoom-outs, each followed by a frame. view_startup_ms: from starting ipclab view to its URL ' +
      '(the derivation of the compact form is in it).',
    runs: results,
  };
  if (OUT) fs.writeFileSync(OUT, JSON.stringify(res, null, 1) + '\n');
}

main().catch((e) => {
  console.error(e && e.stack ? e.stack : String(e));
  process.exit(1);
});
