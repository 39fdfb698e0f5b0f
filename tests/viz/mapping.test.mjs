// The mappings panel on a hand-made trace (tests/viz/fixtures/mapping_basic.json, in the
// mapping/fault format being added to ipclab): page grids with the first-touch state and
// order of every page, file/anon/shmem, faults outside mappings hidden until asked for.

import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startServer, launchBrowser, newPage, screenshot, waitReady, afterFrames, VIZ, FIXTURES, readJson } from './helpers.mjs';

const EXPECT = {
  // page 3 is in the fault-around window but faults later, not present: not mapped by it
  0: { backing: 'file', states: 'read,around,around,read,none,write,none,none', orders: '1,2,2,4,,3,,', touched: 5 },
  1: { backing: 'anon', states: 'write,cow,none,read', orders: '1,2,,3', touched: 3 },
  2: { backing: 'shmem', states: 'none,write', orders: ',1', touched: 1 },
};

describe('mappings panel', () => {
  let srv;
  let ctx;
  let page;
  const trace = readJson(path.join(FIXTURES, 'mapping_basic.json'));
  before(async () => {
    srv = await startServer({ '/viz/': VIZ, '/fixtures/': FIXTURES });
    ctx = await launchBrowser();
    page = await newPage(ctx);
    await page.goto(srv.url + '/viz/index.html?trace=/fixtures/mapping_basic.json');
    await waitReady(page);
  });
  after(async () => {
    if (ctx) await ctx.close();
    if (srv) await srv.close();
  });

  test('a page grid per mapping, with the right cell states', async () => {
    const cards = await page.$$eval('.map-card', (els) =>
      els.map((e) => ({ ...e.dataset, title: e.querySelector('h3').textContent, grid: { ...e.querySelector('canvas.map-grid').dataset } })),
    );
    assert.equal(cards.length, 3);
    for (const c of cards) {
      const want = EXPECT[c.mapping];
      assert.ok(want, 'mapping ' + c.mapping);
      assert.equal(c.backing, want.backing);
      assert.equal(c.grid.states, want.states, 'states of mapping ' + c.mapping);
      assert.equal(c.grid.orders, want.orders, 'orders of mapping ' + c.mapping);
      assert.equal(Number(c.touched), want.touched);
    }
    assert.match(cards[0].title, /file-backed/);
    assert.match(cards[0].title, /\/tmp\/ipclab-data/);
    assert.match(cards[1].title, /anonymous/);
    assert.match(cards[2].title, /shmem/);
    assert.equal(await page.locator('.mappings-panel .legend li').count(), 9, 'legend: 7 page states (untouched, read, fault-around, write, copied on write, dirty, written back), page cache, major');
    assert.equal(await page.locator('#buffer-panel').isVisible(), false, 'no pipe: no buffer panel');
    await screenshot(page, 'mapping-fixture');
  });

  test('hovering and clicking a cell', async () => {
    const grid = page.locator('.map-card[data-mapping="0"] canvas.map-grid');
    // cells are 34 px: cell 5 of row 0
    await grid.hover({ position: { x: 5 * 34 + 17, y: 17 } });
    await page.waitForSelector('#tooltip:not([hidden])');
    const tip = await page.locator('#tooltip').textContent();
    assert.match(tip, /^page 5 .*write fault\s+#3/);
    assert.match(tip, /dirtied/);
    await grid.click({ position: { x: 5 * 34 + 17, y: 17 } });
    await afterFrames(page);
    const ev = trace.events.findIndex((e) => e.type === 'fault' && e.mapping === 0 && e.page === 5);
    assert.equal(await page.locator('#selection-panel').getAttribute('data-ev'), String(ev));
    await grid.hover({ position: { x: 17, y: 17 } }); // the selection panel grew: hover scrolls to the grid again
    await page.waitForFunction(() => document.getElementById('tooltip').textContent.startsWith('page 0 '));
    const tip0 = await page.locator('#tooltip').textContent();
    assert.match(tip0, /read fault\s+#1/);
    assert.match(tip0, /major fault/);
    assert.match(tip0, /read into page cache/);
    await grid.hover({ position: { x: 1 * 34 + 17, y: 17 } });
    await page.waitForFunction(() => document.getElementById('tooltip').textContent.startsWith('page 1 '));
    assert.match(await page.locator('#tooltip').textContent(), /mapped by fault-around\s+#2\nread into page cache/, 'page 1: in the 2-page folio read at page 0');
  });

  test('faults outside mappings: hidden by default, shown on request', async () => {
    assert.equal(await page.locator('#opt-stray').isChecked(), false);
    assert.match(await page.locator('.stray-note').textContent(), /2 faults outside these mappings .* hidden/);
    await page.locator('#opt-stray').check();
    await page.waitForFunction(() => /shown/.test(document.querySelector('.stray-note').textContent));
    await page.waitForFunction(() => location.hash.includes('stray=1'));
    // hover the stray fault at t=9500 on the mapper lane
    await page.evaluate(() => {
      location.hash = 't0=9000&t1=10000&stray=1';
    });
    await page.waitForFunction(() => document.getElementById('timeline').dataset.t0 === '9000');
    const canvas = await page.locator('.tl-canvas').boundingBox();
    const lane = await page.locator('.lane-label.proc[data-pid="100"]').boundingBox();
    await page.mouse.move(canvas.x + canvas.width * 0.5, lane.y + 19);
    await page.waitForSelector('#tooltip:not([hidden])');
    assert.match(await page.locator('#tooltip').textContent(), /fault .*\n.*\n(.*\n)*mapping: null/);
    await page.locator('#opt-stray').uncheck();
    await afterFrames(page);
  });

  test('Chinese: labels and explain_zh', async () => {
    await page.locator('button[data-lang="zh"]').click();
    await page.waitForFunction(() => document.documentElement.lang === 'zh-CN');
    assert.equal(await page.locator('.mappings-panel h2').textContent(), '内存映射');
    assert.equal(await page.locator('.lab-explain').textContent(), trace.meta.explain_zh);
    assert.match(await page.locator('.map-card[data-mapping="1"] h3').textContent(), /匿名映射/);
    await screenshot(page, 'mapping-fixture-zh');
    await page.locator('button[data-lang="en"]').click();
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    assert.equal(await page.locator('.lab-explain').textContent(), trace.meta.explain);
    assert.deepEqual(page.ipclabLog.pageErrors, []);
    assert.deepEqual(page.ipclabLog.csp, []);
  });
});
