// View state and navigation: zoom and pan with wheel, drag and keys; the URL hash keeps
// the time window, cursor, selection and language so a reload reopens the same view;
// compare mode (?trace=&trace2=, the Compare button, two dropped files) shares one time
// axis; the language toggle switches the UI labels.

import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startServer, launchBrowser, newPage, screenshot, waitReady, axisBox, afterFrames, traceFiles, readJson, VIZ, FIXTURES, TRACE_DIR } from './helpers.mjs';

const files = traceFiles();
const pick = (name) => files.find((f) => path.basename(f) === name) || files[0] || path.join(FIXTURES, 'mapping_basic.json');
const A = pick('pipe_write_blocks.json');
const B = files.find((f) => f !== A) || path.join(FIXTURES, 'mapping_basic.json');

const view = (page) =>
  page.evaluate(() => {
    const d = document.getElementById('timeline').dataset;
    return { t0: Number(d.t0), t1: Number(d.t1), cursor: Number(d.cursor), selected: d.selected };
  });

describe('view state', () => {
  let srv;
  let ctx;
  before(async () => {
    srv = await startServer({ '/viz/': VIZ, '/a/': path.dirname(A), '/b/': path.dirname(B) });
    ctx = await launchBrowser();
  });
  after(async () => {
    if (ctx) await ctx.close();
    if (srv) await srv.close();
  });
  const urlA = () => srv.url + '/viz/index.html?trace=/a/' + path.basename(A);

  test('wheel zooms at the pointer, drag pans, keys zoom and pan', async () => {
    const page = await newPage(ctx);
    await page.goto(urlA());
    await waitReady(page);
    let v = await view(page);
    const ax = await axisBox(page);
    const canvas = await page.locator('.tl-canvas').first().boundingBox();
    // wheel at 30% of the width: the time under the pointer stays put
    const x = canvas.x + canvas.width * 0.3;
    const tAt = (vv) => vv.t0 + 0.3 * (vv.t1 - vv.t0);
    const before = tAt(v);
    await page.mouse.move(x, canvas.y + 10);
    await page.mouse.wheel(0, -400);
    await page.waitForFunction((w) => Number(document.getElementById('timeline').dataset.t1) - Number(document.getElementById('timeline').dataset.t0) < w, v.t1 - v.t0);
    await afterFrames(page);
    let z = await view(page);
    assert.ok(z.t1 - z.t0 < (v.t1 - v.t0) * 0.9, 'zoomed in');
    assert.ok(Math.abs(tAt(z) - before) < (v.t1 - v.t0) * 0.005, 'time under the pointer kept: ' + before + ' vs ' + tAt(z));
    // drag right by 200 px: the window moves left by 200 px worth of time
    v = z;
    await page.mouse.move(x, canvas.y + 10);
    await page.mouse.down();
    await page.mouse.move(x + 100, canvas.y + 10);
    await page.mouse.move(x + 200, canvas.y + 10);
    await page.mouse.up();
    await afterFrames(page);
    z = await view(page);
    const perPx = (v.t1 - v.t0) / ax.width;
    assert.ok(Math.abs(v.t0 - z.t0 - 200 * perPx) < 3 * perPx, 'dragged by 200 px');
    assert.equal(z.selected, '', 'a drag does not select');
    // keys
    const keys = [
      ['w', (a, b) => b.t1 - b.t0 < a.t1 - a.t0],
      ['s', (a, b) => b.t1 - b.t0 > a.t1 - a.t0],
      ['ArrowUp', (a, b) => b.t1 - b.t0 < a.t1 - a.t0],
      ['ArrowDown', (a, b) => b.t1 - b.t0 > a.t1 - a.t0],
      ['d', (a, b) => b.t0 > a.t0 && Math.abs(b.t1 - b.t0 - (a.t1 - a.t0)) <= 2],
      ['a', (a, b) => b.t0 < a.t0],
      ['ArrowRight', (a, b) => b.t0 > a.t0],
      ['ArrowLeft', (a, b) => b.t0 < a.t0],
    ];
    await page.mouse.move(0, 0);
    for (const [key, ok] of keys) {
      const a = await view(page);
      await page.keyboard.press(key);
      await afterFrames(page);
      const b = await view(page);
      assert.ok(ok(a, b), key + ': ' + JSON.stringify([a, b]));
    }
    await page.keyboard.press('0');
    await afterFrames(page);
    const whole = await view(page);
    const trace = readJson(A);
    const last = Math.max(...trace.events.map((e) => e.t + (e.dur || 0)));
    assert.ok(whole.t0 <= 0 && whole.t1 >= last, '0 shows the whole trace');
    await page.close();
  });

  test('the URL hash reopens the same view', async () => {
    const page = await newPage(ctx);
    await page.goto(urlA());
    await waitReady(page);
    const trace = readJson(A);
    // pick the longest span and click it
    let best = 0;
    trace.events.forEach((e, i) => {
      if ((e.dur || 0) > (trace.events[best].dur || 0)) best = i;
    });
    const e = trace.events[best];
    await page.evaluate(([a, b]) => {
      location.hash = 't0=' + a + '&t1=' + b;
    }, [Math.round(e.t - e.dur * 0.1), Math.round(e.t + e.dur * 1.1)]);
    await page.waitForFunction((a) => document.getElementById('timeline').dataset.t0 === String(a), Math.round(e.t - e.dur * 0.1));
    const ax = await axisBox(page);
    const lane = await page.locator('.lane-label.proc[data-pid="' + e.pid + '"]').boundingBox();
    const canvas = await page.locator('.tl-canvas').first().boundingBox();
    const xMid = canvas.x + ((e.t + e.dur / 2 - ax.t0) / (ax.t1 - ax.t0)) * canvas.width;
    await page.mouse.click(xMid, lane.y + 12 + (e.type === 'block' ? 11 : 3));
    await page.mouse.click(ax.left + ax.width * 0.6, ax.top + 10);
    await page.locator('button[data-lang="zh"]').click();
    await afterFrames(page);
    const v = await view(page);
    assert.ok(v.selected.startsWith('0:'), 'something selected');
    await page.waitForFunction(() => /sel=/.test(location.hash) && /lang=zh/.test(location.hash) && /c=/.test(location.hash));
    const hash = await page.evaluate(() => location.hash);
    await page.reload();
    await waitReady(page);
    await afterFrames(page);
    const w = await view(page);
    assert.equal(w.t0, v.t0);
    assert.equal(w.t1, v.t1);
    assert.equal(w.cursor, v.cursor);
    assert.equal(w.selected, v.selected);
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'zh-CN');
    assert.equal(await page.locator('#timeline h2').textContent(), '时间线');
    assert.equal(await page.evaluate(() => location.hash), hash);
    // a claim in the hash highlights its evidence
    if (trace.claims.length) {
      const c = trace.claims.find((x) => x.evidence.length) || trace.claims[0];
      await page.goto(urlA() + '#claim=' + encodeURIComponent(c.id));
      await waitReady(page);
      await afterFrames(page);
      assert.equal(await page.locator('#timeline').getAttribute('data-highlighted'), c.evidence.join(','));
      assert.equal(await page.locator('li.claim.active').getAttribute('data-claim-id'), c.id);
    }
    await page.close();
  });

  test('compare two traces on one time axis', async () => {
    const page = await newPage(ctx);
    await page.goto(urlA() + '&trace2=/b/' + path.basename(B));
    await waitReady(page);
    assert.equal(await page.locator('.tl-track').count(), 2);
    assert.equal(await page.locator('canvas.tl-axis').count(), 1, 'one shared axis');
    const widths = await page.$$eval('.tl-canvas', (els) => els.map((e) => e.getBoundingClientRect().width));
    const ax = await axisBox(page);
    assert.ok(widths.every((w) => Math.abs(w - ax.width) < 1), 'tracks as wide as the axis');
    const lefts = await page.$$eval('.tl-canvas', (els) => els.map((e) => e.getBoundingClientRect().left));
    assert.ok(lefts.every((l) => Math.abs(l - ax.left) < 1), 'tracks aligned with the axis');
    const ta = readJson(A);
    const tb = readJson(B);
    assert.equal(await page.locator('.tl-track[data-trace="0"] .lane-label.proc').count(), ta.processes.length);
    assert.equal(await page.locator('.tl-track[data-trace="1"] .lane-label.proc').count(), tb.processes.length);
    assert.equal(await page.locator('.claims-panel').count(), 2);
    assert.equal(await page.locator('.trace-name').count(), 2);
    // one zoom moves both
    await page.keyboard.press('w');
    await afterFrames(page);
    // a claim of B highlights in B's track
    if (tb.claims.some((c) => c.evidence.length)) {
      const ci = tb.claims.findIndex((c) => c.evidence.length);
      await page.locator('.claims-panel[data-trace="1"] li.claim').nth(ci).click();
      await page.waitForFunction(() => document.getElementById('timeline').dataset.highlightTrace === '1');
      await afterFrames(page);
      assert.equal(await page.locator('#timeline').getAttribute('data-highlighted'), tb.claims[ci].evidence.join(','));
      assert.equal(await page.locator('#timeline').getAttribute('data-selected'), '1:' + tb.claims[ci].evidence[0]);
      await page.waitForFunction(() => /sel2=/.test(location.hash) && /claim2=/.test(location.hash));
    }
    await screenshot(page, 'compare');
    // back to one
    await page.locator('#single-btn').click();
    await afterFrames(page);
    assert.equal(await page.locator('.tl-track').count(), 1);
    await page.close();
  });

  test('file picker, Compare button and two dropped files', async () => {
    const page = await newPage(ctx);
    await page.goto(srv.url + '/viz/index.html');
    await waitReady(page, 'empty');
    await page.setInputFiles('#file-input', A);
    await waitReady(page);
    assert.equal(await page.locator('.tl-track').count(), 1);
    assert.ok(await page.locator('#compare-btn').isVisible());
    await page.setInputFiles('#file-input2', B);
    await page.waitForFunction(() => document.querySelectorAll('.tl-track').length === 2);
    // each named by its scenario, and by its file's name where that says more (titles.js)
    const label = (f) => readJson(f).meta.scenario + (path.basename(f) === readJson(f).meta.scenario + '.json' ? '' : path.basename(f));
    assert.deepEqual(await page.$$eval('.trace-name', (els) => els.map((e) => e.textContent.replace(/^[AB]/, ''))), [label(A), label(B)]);
    // drop two files: compare them
    const dt = await page.evaluateHandle(
      ([ta, na, tb, nb]) => {
        const d = new DataTransfer();
        d.items.add(new File([ta], na, { type: 'application/json' }));
        d.items.add(new File([tb], nb, { type: 'application/json' }));
        return d;
      },
      [fs.readFileSync(B, 'utf8'), 'first-' + path.basename(B), fs.readFileSync(A, 'utf8'), 'second-' + path.basename(A)],
    );
    await page.dispatchEvent('body', 'drop', { dataTransfer: dt });
    await page.waitForFunction(() => document.querySelector('.trace-name') && document.querySelector('.trace-name').textContent.includes('first-'));
    assert.equal(await page.locator('.tl-track').count(), 2);
    assert.deepEqual(page.ipclabLog.pageErrors, []);
    await page.close();
  });

  test('language toggle switches the UI labels', async () => {
    const page = await newPage(ctx);
    await page.goto(urlA());
    await waitReady(page);
    const en = await page.$$eval('h2', (els) => els.map((e) => e.textContent));
    assert.ok(en.includes('Timeline') && en.includes('Claims'));
    await page.locator('button[data-lang="zh"]').click();
    await page.waitForFunction(() => document.documentElement.lang === 'zh-CN');
    const zh = await page.$$eval('h2', (els) => els.map((e) => e.textContent));
    assert.ok(zh.includes('时间线') && zh.includes('结论检查'), zh.join(','));
    assert.equal(await page.locator('button[data-lang="zh"]').getAttribute('aria-pressed'), 'true');
    assert.equal(await page.locator('#open-btn').textContent(), '打开跟踪文件…');
    const trace = readJson(A);
    if (trace.meta.rule_zh) assert.equal(await page.locator('.lab-rule blockquote').textContent(), trace.meta.rule_zh);
    await screenshot(page, 'lang-zh');
    await page.close();
  });
});

test('trace directory in use: ' + TRACE_DIR, () => {
  assert.ok(fs.existsSync(A));
});
