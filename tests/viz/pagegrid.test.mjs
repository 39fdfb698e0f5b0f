// The page grids follow the cursor: at cursor time T each page of a mapping shows its state
// at T (untouched, read fault, fault-around, write fault, copied on write, dirty, written
// back), with a line of counts under the grid.
//
// Fixtures: tests/viz/fixtures/mmap_private_cow.json and mmap_msync.json are real traces,
// copied unchanged from a run of every scenario (`sudo ./build/ipclab run -o DIR`, a build of
// main from before this test) on the development machine (x86_64, kernel 6.18, tracepoint
// tier, 2026-12-06 22:26 UTC). In the first,
// mapping 8 (private.dat, MAP_PRIVATE) takes a read fault on page 0, fault-around maps
// pages 0-3, then a COW fault on page 0 and one on page 2. In the second, mapping 8
// (msync.dat, MAP_SHARED) takes write faults on pages 0 and 2, each followed by a dirty
// event, and msync(MS_SYNC) starts writeback of the file.
//
// Screenshots (1400 px wide, EN and ZH, cursor before and after the COW fault; msync's
// grid before and after the writeback):
// IPCLAB_SHOTS=DIR (default build/viz-artifacts).

import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startServer, launchBrowser, newPage, waitReady, afterFrames, VIZ, FIXTURES, ARTIFACTS, readJson } from './helpers.mjs';

const SHOTS = process.env.IPCLAB_SHOTS || ARTIFACTS;

// The events of mapping `id` of type `type` (and kind, for faults), in file order.
function eventsOf(trace, id, type, kind) {
  return trace.events.filter((e) => e.mapping === id && e.type === type && (!kind || e.kind === kind));
}

// Move the cursor through the URL hash and wait for the grid of mapping `id` to draw it.
async function cursorAt(page, T, id) {
  await page.evaluate((t) => {
    location.hash = 'c=' + t;
  }, T);
  const grid = '.map-card[data-mapping="' + id + '"] canvas.map-grid';
  await page.waitForFunction(([sel, t]) => document.querySelector(sel).dataset.t === String(t), [grid, T], { timeout: 5000 });
  await afterFrames(page);
  const s = await page.$eval('.map-card[data-mapping="' + id + '"]', (card) => ({
    now: card.querySelector('canvas.map-grid').dataset.now.split(','),
    counts: { ...card.querySelector('p.map-now').dataset },
    line: card.querySelector('p.map-now').textContent,
  }));
  assert.equal(s.counts.t, String(T), 'the counts line is at the cursor time');
  return s;
}

// A screenshot of the window (the sticky header stays on top) with the timeline's
// cursor and the mappings panel in view.
async function shot(page, name) {
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.evaluate(() => {
    const tl = document.getElementById('timeline').getBoundingClientRect();
    window.scrollBy(0, tl.top - 120);
  });
  await afterFrames(page);
  await page.screenshot({ path: path.join(SHOTS, name + '.png') });
}

describe('page grids at the cursor', () => {
  let srv;
  let ctx;
  let page;
  before(async () => {
    srv = await startServer({ '/viz/': VIZ, '/fixtures/': FIXTURES });
    ctx = await launchBrowser();
    page = await newPage(ctx);
    await page.setViewportSize({ width: 1400, height: 900 });
  });
  after(async () => {
    if (ctx) await ctx.close();
    if (srv) await srv.close();
  });

  test('MAP_PRIVATE: untouched, then read, then copied on write at the COW fault', async () => {
    const trace = readJson(path.join(FIXTURES, 'mmap_private_cow.json'));
    const read = eventsOf(trace, 8, 'fault', 'read')[0];
    const [cow0, cow2] = eventsOf(trace, 8, 'fault', 'cow');
    assert.ok(read && cow0 && cow2 && read.page === 0 && cow0.page === 0 && cow2.page === 2, 'the fixture: r0 c0 c2');
    await page.goto(srv.url + '/viz/index.html?trace=/fixtures/mmap_private_cow.json');
    await waitReady(page);

    let s = await cursorAt(page, read.t - 1, 8);
    assert.deepEqual(s.now, ['none', 'none', 'none', 'none'], 'before the first fault: untouched');
    assert.equal(s.counts.touched, '0');

    s = await cursorAt(page, read.t, 8);
    assert.equal(s.now[0], 'read', 'at the read fault: page 0 read');

    s = await cursorAt(page, cow0.t - 1, 8);
    assert.deepEqual(s.now, ['read', 'around', 'around', 'around'], 'before the COW fault: read, the rest mapped by fault-around');
    assert.equal(s.counts.cow, '0');
    assert.match(s.line, /4 pages touched, 0 dirty, 0 copied on write/);
    await cursorAt(page, Math.round((read.t + cow0.t) / 2), 8);
    await shot(page, 'grid-cow-before-en');

    s = await cursorAt(page, cow0.t, 8);
    assert.equal(s.now[0], 'cow', 'at the COW fault: page 0 is a private copy');
    assert.equal(s.now[2], 'around', 'page 2 not yet written');
    assert.equal(s.counts.cow, '1');
    await cursorAt(page, Math.round((cow0.t + cow2.t) / 2), 8);
    await shot(page, 'grid-cow-after-en');

    s = await cursorAt(page, cow2.t, 8);
    assert.deepEqual(s.now, ['cow', 'around', 'cow', 'around']);
    assert.equal(s.counts.dirty, '0', 'a private mapping never shows dirty pages');

    // the legend names every state, in English and Chinese
    const legend = () => page.$$eval('#mappings-panel .legend li[data-state]', (els) => els.map((e) => e.dataset.state + ':' + e.textContent));
    const en = await legend();
    assert.deepEqual(
      en.map((x) => x.split(':')[0]),
      ['none', 'read', 'around', 'write', 'cow', 'dirty', 'clean'],
    );
    assert.match(en.join('|'), /cow:copied on write/);
    assert.match(en.join('|'), /clean:written back/);
    await page.locator('button[data-lang="zh"]').click();
    await page.waitForFunction(() => document.documentElement.lang === 'zh-CN');
    s = await cursorAt(page, cow0.t - 1, 8);
    assert.match(s.line, /游标处.*4 页已访问，0 页为脏页，0 页已写时复制/);
    await cursorAt(page, Math.round((read.t + cow0.t) / 2), 8);
    await shot(page, 'grid-cow-before-zh');
    s = await cursorAt(page, cow0.t, 8);
    assert.match(s.line, /1 页已写时复制/);
    await cursorAt(page, Math.round((cow0.t + cow2.t) / 2), 8);
    const zh = await legend();
    assert.match(zh.join('|'), /cow:写时复制/);
    assert.match(zh.join('|'), /clean:已写回/);
    await shot(page, 'grid-cow-after-zh');
    await page.locator('button[data-lang="en"]').click();
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    assert.deepEqual(page.ipclabLog.pageErrors, []);
  });

  test('MAP_SHARED: written, dirty, then written back by msync', async () => {
    const trace = readJson(path.join(FIXTURES, 'mmap_msync.json'));
    const [w0] = eventsOf(trace, 8, 'fault', 'write');
    const dirty0 = eventsOf(trace, 8, 'dirty').find((e) => e.page === 0);
    const created = trace.objects.find((o) => o.id === 8).created;
    const wb = trace.events.find((e) => e.type === 'writeback' && e.t > dirty0.t);
    assert.ok(w0 && w0.page === 0 && dirty0 && wb && dirty0.t > w0.t, 'the fixture: w0, dirty page 0, writeback');
    await page.goto(srv.url + '/viz/index.html?trace=/fixtures/mmap_msync.json');
    await waitReady(page);

    let s = await cursorAt(page, created, 8);
    assert.equal(s.now[0], 'none', 'untouched before the first fault (a writeback before the mapping changes nothing)');
    s = await cursorAt(page, w0.t, 8);
    assert.equal(s.now[0], 'write', 'at the write fault');
    s = await cursorAt(page, dirty0.t, 8);
    assert.equal(s.now[0], 'dirty', 'the dirty event: page 0 dirty');
    s = await cursorAt(page, wb.t - 1, 8);
    assert.deepEqual(s.now, ['dirty', 'none', 'dirty', 'none'], 'before msync writes back: pages 0 and 2 dirty');
    assert.equal(s.counts.dirty, '2');
    await shot(page, 'grid-msync-dirty-en');
    s = await cursorAt(page, wb.t, 8);
    assert.deepEqual(s.now, ['clean', 'none', 'clean', 'none'], 'after the writeback: written back');
    assert.equal(s.counts.dirty, '0');
    assert.equal(s.counts.clean, '2');
    assert.match(s.line, /2 pages touched, 0 dirty, 0 copied on write, 2 written back/);
    await shot(page, 'grid-msync-written-back-en');
    assert.deepEqual(page.ipclabLog.pageErrors, []);
  });
});
