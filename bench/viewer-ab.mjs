// bench/viewer-ab.mjs - the viewer's first render with two ipclab builds side by side: each
// build's `ipclab view` serves the same traces (its own viewer and compact form), and the
// page is loaded from each in turn, alternating, --rounds times (default 5).
//
//   node bench/viewer-ab.mjs --old BIN --new BIN [--rounds N] [--cache DIR] TRACE...
//
// BIN: an ipclab binary whose build directory's viewer it serves (e.g. a worktree of an
// older commit, built with `cmake --build build --target ipclab`). Prints, per trace and
// build, the median first render and each round's {first, fetch, scan, build} (ms, the
// page's own perf: app.perf, document.body.dataset.firstRenderMs).

import { spawn } from 'node:child_process';
import path from 'node:path';
import os from 'node:os';
import { launchBrowser, newPage } from '../tests/viz/helpers.mjs';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  if (i < 0) return dflt;
  const v = args[i + 1];
  args.splice(i, 2);
  return v;
};
const builds = { old: opt('--old', null), new: opt('--new', null) };
const ROUNDS = Number(opt('--rounds', '5'));
const CACHE = opt('--cache', path.join(os.tmpdir(), 'ipclab-viewer-ab'));
const traces = args;
if (!builds.old || !builds.new || !traces.length || !(ROUNDS > 0)) {
  console.error('usage: node bench/viewer-ab.mjs --old BIN --new BIN [--rounds N] [--cache DIR] TRACE...');
  process.exit(2);
}

// `ipclab view FILE` with its own cache of compact forms; its URL once it prints it
async function view(bin, file, cache) {
  const p = spawn(bin, ['view', file], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, XDG_CACHE_HOME: cache } });
  const url = await new Promise((resolve, reject) => {
    p.stdout.on('data', (d) => resolve(String(d).trim()));
    p.on('exit', (code) => reject(new Error(bin + ' view exited ' + code)));
  });
  return { url, stop: () => p.kill('SIGTERM') };
}

async function firstRender(ctx, url) {
  const page = await newPage(ctx);
  try {
    await page.goto(url);
    await page.waitForFunction(() => document.body.dataset.firstRenderMs !== undefined, null, { timeout: 120000 });
    const perf = await page.evaluate(() => {
      const p = window.ipclab.app.perf;
      return { first: Number(document.body.dataset.firstRenderMs), fetch: Math.round(p.fetchMs), scan: Math.round(p.scanMs), build: Math.round(p.buildMs) };
    });
    // the next round starts on an idle machine: once this page has all its details
    await page.waitForFunction(() => document.body.dataset.state === 'ready', null, { timeout: 120000 });
    return perf;
  } finally {
    await page.close();
  }
}

const median = (xs) => xs.slice().sort((a, b) => a - b)[(xs.length - 1) >> 1];
const ctx = await launchBrowser({ viewport: { width: 1400, height: 1000 } });
try {
  for (const file of traces) {
    const servers = {};
    for (const [k, bin] of Object.entries(builds)) servers[k] = await view(bin, file, path.join(CACHE, k));
    const runs = { old: [], new: [] };
    try {
      for (let r = 0; r < ROUNDS; r++) for (const k of r % 2 ? ['new', 'old'] : ['old', 'new']) runs[k].push(await firstRender(ctx, servers[k].url));
    } finally {
      for (const s of Object.values(servers)) s.stop();
    }
    for (const k of ['old', 'new']) console.log(`${file} ${k}: first render median ${median(runs[k].map((x) => x.first))} ms; rounds ${JSON.stringify(runs[k])}`);
  }
} finally {
  await ctx.close();
}
