// The report on paper and the timeline as an image (issue #14 §5, "Report"): the print
// stylesheet (A4, no controls, every claim with its detail, the timeline redrawn for the
// page's width), the PNG export of the timeline (a valid PNG of the timeline's size), the
// SVG export (vector, no raster image, drawn it looks like the PNG), and
// the titles (the scenario or the traced command, never "trace 1").
// With IPCLAB_REPORT_SHOTS=DIR the print screenshots (EN, 中文) and a PDF go there.

import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer, launchBrowser, newPage, waitReady, afterFrames, makeReport, readJson, VIZ, FIXTURES } from './helpers.mjs';

const TRACE = 'pipe_transfer.json';
const SHOTS = process.env.IPCLAB_REPORT_SHOTS || '';
const A4 = { width: 794, height: 1123 }; // 210 x 297 mm at 96 px per inch
const PRINT_TRACKS_W = 680; // export.js
const GUTTER = 168;
const TITLE_H = 28; // export.js: the exported image's title line
const AXIS_H = 30;

function shot(name) {
  if (!SHOTS) return null;
  fs.mkdirSync(SHOTS, { recursive: true });
  return path.join(SHOTS, name);
}

async function printMedia(page, on) {
  await page.emulateMedia({ media: on ? 'print' : 'screen' });
  await page.waitForFunction((want) => document.body.dataset.printLayout === want, on ? 'print' : 'screen');
  await afterFrames(page);
}

// {width, height} from a PNG's IHDR, after checking the signature.
function pngSize(buf) {
  assert.deepEqual([...buf.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'PNG signature');
  assert.equal(buf.subarray(12, 16).toString('latin1'), 'IHDR');
  return { width: buf.readUInt32BE(16), height: buf.readUInt32BE(20) };
}

// A report whose traces carry no data-name, as `ipclab run --html` writes it.
async function unnamedReport(dir, traces) {
  const file = await makeReport(dir, traces.map((t) => ({ name: 'x', text: JSON.stringify(t) })));
  fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/ data-name="x"/g, ''));
  return file;
}

describe('print, PNG export and titles', () => {
  let srv;
  let ctx;
  let dir;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ipclab-viz-print-'));
    srv = await startServer({ '/viz/': VIZ, '/traces/': FIXTURES });
    ctx = await launchBrowser({ viewport: { width: 1400, height: 1000 } });
  });
  after(async () => {
    if (ctx) await ctx.close();
    if (srv) await srv.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  for (const lang of ['en', 'zh']) {
    test('print media (' + lang + '): no controls, every claim with its detail, the timeline at the page width', async () => {
      const trace = readJson(path.join(FIXTURES, TRACE));
      const page = await newPage(ctx);
      await page.setViewportSize(A4);
      await page.goto(srv.url + '/viz/index.html?trace=/traces/' + TRACE + (lang === 'zh' ? '#lang=zh' : ''));
      await waitReady(page);
      assert.ok(await page.locator('#export-png').isVisible(), 'the export button shows on screen');
      // each claim's evidence line: the count, and on screen only the hint to click it
      const count = (n) => (lang === 'zh' ? '证据：' + (n ? n + ' 个事件' : '未引用事件') : 'evidence: ' + (n === 1 ? '1 event' : n ? n + ' events' : 'no events cited'));
      const hint = (n) => (n ? (lang === 'zh' ? '——点击查看' : ' — click to show') : '');
      const evLines = () => page.$$eval('li.claim .claim-ev', (els) => els.map((e) => e.innerText));
      assert.deepEqual(await evLines(), trace.claims.map((c) => count(c.evidence.length) + hint(c.evidence.length)), 'on screen: count and hint');
      await printMedia(page, true);
      assert.deepEqual(await evLines(), trace.claims.map((c) => count(c.evidence.length)), 'in print: the count, no "click to show"');
      for (const sel of ['#open-btn', '.lang-toggle', '#reset-view', '#export-png', '#opt-copies', '.tl-controls', '.timeline-panel .help']) {
        for (const e of await page.locator(sel).all()) assert.equal(await e.isVisible(), false, sel + ' hidden in print');
      }
      assert.equal(await page.locator('button:visible, input:visible').count(), 0, 'no button or input in print');
      assert.equal(await page.locator('li.claim:visible').count(), trace.claims.length, 'every claim');
      assert.equal(await page.locator('.claim-detail:visible').count(), trace.claims.length, 'every claim detail');
      assert.equal(await page.locator('.lab-title').textContent(), trace.meta.scenario);
      // redrawn for the page: lanes and labels fit in PRINT_TRACKS_W
      assert.equal(Number(await page.locator('#timeline').getAttribute('data-width')), PRINT_TRACKS_W - GUTTER);
      const right = await page.evaluate(() => Math.max(...[...document.querySelectorAll('#timeline canvas')].map((c) => c.getBoundingClientRect().right)));
      assert.ok(right <= A4.width, 'the canvases fit the page: ' + right);
      assert.equal(await page.evaluate(() => getComputedStyle(document.body).backgroundColor), 'rgb(255, 255, 255)');
      if (SHOTS) await page.screenshot({ path: shot('print-' + lang + '.png'), fullPage: true });
      await printMedia(page, false);
      assert.ok(Number(await page.locator('#timeline').getAttribute('data-width')) > PRINT_TRACKS_W - GUTTER, 'back to the screen width');
      assert.deepEqual(page.ipclabLog.pageErrors, []);
      await page.close();
    });
  }

  test('print media: a tall track is printed as pictures of whole lanes, at most 600 px each', async () => {
    const page = await newPage(ctx);
    await page.setViewportSize(A4);
    await page.goto(srv.url + '/viz/index.html?trace=/traces/compare.json.gz');
    await waitReady(page, 'ready', 60000);
    assert.equal(await page.locator('.tl-print-slice').count(), 0, 'none on screen');
    await printMedia(page, true);
    const got = await page.evaluate(() => {
      const tk = window.ipclab.app.timeline.tracks[0];
      return {
        height: tk.height,
        cuts: tk.rows.map((r) => r.y),
        slices: [...document.querySelectorAll('.tl-print-slice')].map((c) => ({ h: c.getBoundingClientRect().height, w: c.getBoundingClientRect().width, visible: c.offsetParent !== null })),
        scrollShown: document.querySelector('.tl-scroll').offsetParent !== null,
      };
    });
    assert.ok(got.slices.length >= 2, 'several pictures: ' + got.slices.length);
    assert.equal(got.scrollShown, false, "the track's own canvas is not printed");
    let y = 0;
    for (const sl of got.slices) {
      assert.ok(sl.visible && sl.h <= 600 && sl.w === PRINT_TRACKS_W, JSON.stringify(sl));
      assert.ok(got.cuts.includes(y), 'cut between lanes at ' + y);
      y += sl.h;
    }
    assert.equal(y, got.height, 'the pictures are the whole track');
    if (SHOTS) await page.locator('#timeline').screenshot({ path: shot('print-compare-timeline.png') });
    await printMedia(page, false);
    assert.equal(await page.locator('.tl-print-slice').count(), 0, 'gone after printing');
    assert.deepEqual(page.ipclabLog.pageErrors, []);
    await page.close();
  });

  test('page.pdf (A4) prints the page', async () => {
    const page = await newPage(ctx);
    await page.goto(srv.url + '/viz/index.html?trace=/traces/' + TRACE);
    await waitReady(page);
    // the timeline is redrawn for the page when the browser prints (export.js)
    await page.evaluate(() => {
      window.printWidths = [];
      addEventListener('beforeprint', () => window.printWidths.push(document.getElementById('timeline').dataset.width));
    });
    const pdf = await page.pdf({ format: 'A4', path: shot('report.pdf') || undefined });
    assert.deepEqual(await page.evaluate(() => window.printWidths), [String(PRINT_TRACKS_W - GUTTER)]);
    assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
    assert.ok(pdf.length > 10000, 'a PDF with content: ' + pdf.length);
    assert.deepEqual(page.ipclabLog.pageErrors, []);
    await page.close();
  });

  test('Save as PNG downloads the timeline as drawn, at its size', async () => {
    const page = await newPage(ctx);
    await page.goto(srv.url + '/viz/index.html?trace=/traces/' + TRACE);
    await waitReady(page);
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#export-png').click()]);
    assert.equal(download.suggestedFilename(), 'pipe_transfer-timeline.png');
    const buf = fs.readFileSync(await download.path());
    const size = pngSize(buf);
    const W = Number(await page.locator('#timeline').getAttribute('data-width'));
    const bodyH = await page.locator('.tl-body').evaluate((e) => e.offsetHeight);
    assert.deepEqual(size, { width: GUTTER + W, height: TITLE_H + AXIS_H + bodyH });
    // the picture is the timeline: decode it and compare a lane pixel with the canvas
    const same = await page.evaluate(async (b64) => {
      const img = new Image();
      img.src = 'data:image/png;base64,' + b64;
      await img.decode();
      const c = document.createElement('canvas');
      c.width = img.width;
      c.height = img.height;
      const g = c.getContext('2d');
      g.drawImage(img, 0, 0);
      const tl = document.querySelector('.tl-canvas');
      const src = tl.getContext('2d').getImageData(0, 0, tl.width, tl.height).data;
      const out = g.getImageData(168, 28 + 30, tl.width, tl.height).data;
      let diff = 0;
      for (let i = 0; i < src.length; i++) diff += Math.abs(src[i] - out[i]) > 2 ? 1 : 0;
      return diff / src.length;
    }, buf.toString('base64'));
    assert.ok(same < 0.01, 'the lanes are the canvas: ' + same);
    if (SHOTS) fs.copyFileSync(await download.path(), shot('timeline-export.png'));
    await page.close();
  });

  test('Save as SVG downloads a vector drawing of the same picture', async () => {
    const page = await newPage(ctx);
    await page.goto(srv.url + '/viz/index.html?trace=/traces/' + TRACE);
    await waitReady(page);
    const trace = readJson(path.join(FIXTURES, TRACE));
    const [png] = await Promise.all([page.waitForEvent('download'), page.locator('#export-png').click()]);
    const [svgDl] = await Promise.all([page.waitForEvent('download'), page.locator('#export-svg').click()]);
    assert.equal(svgDl.suggestedFilename(), 'pipe_transfer-timeline.svg');
    const svg = fs.readFileSync(await svgDl.path(), 'utf8');
    const size = pngSize(fs.readFileSync(await png.path()));
    assert.match(svg, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<svg /);
    const root = /<svg [^>]*>/.exec(svg)[0];
    assert.ok(root.includes('width="' + size.width + '"') && root.includes('height="' + size.height + '"'), root);
    assert.ok(!/<image/.test(svg), 'no raster image in the SVG');
    assert.ok((svg.match(/<path /g) || []).length > 20, 'paths');
    assert.ok(/<pattern /.test(svg), 'the hatching of a wait as a pattern');
    for (const p of trace.processes) assert.ok(svg.includes('>' + p.comm + '</text>'), p.comm + ' as text');
    // drawn by the browser, it looks like the PNG
    const diff = await page.evaluate(
      async ([svgText, pngB64]) => {
        const load = async (src) => {
          const img = new Image();
          img.src = src;
          await img.decode();
          const c = document.createElement('canvas');
          c.width = img.naturalWidth;
          c.height = img.naturalHeight;
          const g = c.getContext('2d');
          g.drawImage(img, 0, 0);
          return g.getImageData(0, 0, c.width, c.height).data;
        };
        const a = await load('data:image/svg+xml;charset=utf-8,' + encodeURIComponent(svgText)); // the page's CSP allows data: images
        const b = await load('data:image/png;base64,' + pngB64);
        if (a.length !== b.length) return 1;
        let bad = 0;
        for (let i = 0; i < a.length; i += 4) {
          if (Math.abs(a[i] - b[i]) + Math.abs(a[i + 1] - b[i + 1]) + Math.abs(a[i + 2] - b[i + 2]) > 120) bad++;
        }
        return bad / (a.length / 4);
      },
      [svg, fs.readFileSync(await png.path()).toString('base64')],
    );
    assert.ok(diff < 0.03, 'SVG and PNG differ in ' + (diff * 100).toFixed(2) + '% of the pixels');
    if (SHOTS) fs.copyFileSync(await svgDl.path(), shot('timeline-export.svg'));
    await page.close();
  });

  test('the SVG export draws every fixture, compare mode too', async () => {
    const page = await newPage(ctx);
    const files = fs.readdirSync(FIXTURES).filter((f) => /\.json(\.gz)?$/.test(f));
    for (const f of files) {
      await page.goto(srv.url + '/viz/index.html?trace=/traces/' + f + '&trace2=/traces/' + TRACE);
      await waitReady(page, 'ready', 60000);
      const [dl] = await Promise.all([page.waitForEvent('download'), page.locator('#export-svg').click()]);
      const svg = fs.readFileSync(await dl.path(), 'utf8');
      assert.ok(svg.includes('</svg>') && !/<image/.test(svg), f);
    }
    assert.deepEqual(page.ipclabLog.pageErrors, []);
    await page.close();
  });

  test('titles come from the scenario or the command, not "trace 1"', async () => {
    const scen = readJson(path.join(FIXTURES, TRACE));
    const cmd = readJson(path.join(FIXTURES, TRACE));
    cmd.meta.scenario = null;
    for (const k of ['section', 'summary', 'explain', 'rule_zh', 'summary_zh', 'explain_zh']) delete cmd.meta[k];
    cmd.claims = [];
    cmd.meta.command = '/usr/bin/sort -n /tmp/numbers.txt';
    const page = await newPage(ctx);
    for (const [name, traces, want] of [
      ['scenario', [scen], ['pipe_transfer']],
      ['command', [cmd], ['sort -n /tmp/numbers.txt']],
      ['compare', [scen, cmd], ['pipe_transfer', 'sort -n /tmp/numbers.txt']],
    ]) {
      const file = await unnamedReport(path.join(dir, name), traces);
      await page.goto('file://' + file);
      await waitReady(page);
      const got = await page.evaluate(() => ({
        title: document.title,
        heading: [...document.querySelectorAll('.trace-name .trace-title')].map((e) => e.textContent),
        tracks: [...document.querySelectorAll('.tl-track-title')].map((e) => e.textContent),
        labs: [...document.querySelectorAll('.lab-title')].map((e) => e.textContent),
        text: document.body.innerText,
      }));
      assert.deepEqual(got.heading, want, name + ': heading');
      assert.deepEqual(got.labs, want, name + ': lab titles');
      assert.equal(got.title, 'ipclab — ' + want.join(' · '), name + ': window title');
      if (want.length > 1) assert.deepEqual(got.tracks, want.map((w, i) => (i ? 'B' : 'A') + w), name + ': track titles');
      assert.ok(!/trace \d/.test(got.text), name + ': no "trace N" on the page');
    }
    // a file opened from disk: its name beside the title
    await page.goto(srv.url + '/viz/index.html');
    await waitReady(page, 'empty');
    const f = path.join(dir, 'run-on-6.18.json');
    fs.writeFileSync(f, JSON.stringify(scen));
    await page.setInputFiles('#file-input', f);
    await waitReady(page);
    assert.equal(await page.locator('.trace-name .trace-title').textContent(), 'pipe_transfer');
    assert.equal(await page.locator('.trace-name .trace-file').textContent(), 'run-on-6.18.json');
    await page.close();
  });
});
