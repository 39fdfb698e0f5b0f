// Homework traces (issue #14 §5): lanes of processes with one name told apart, pipes
// labelled by the fds each process holds on them, the loader's and libc's mappings folded
// into one row, and the ring's full and empty states told apart by the head and tail
// counters. On two real traces copied unchanged: tests/viz/fixtures/hw_twopipes.json
// (`ipclab trace -- ./twopipes`, built from hw_twopipes.c beside it: a parent and its child,
// both "twopipes", talking through two pipes) and pipe_write_blocks.json (`ipclab run`),
// 6.18 x86_64, tracepoint tier. With IPCLAB_LANES_SHOTS=DIR the screenshots go there.

import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startServer, launchBrowser, newPage, waitReady, afterFrames, screenshot, VIZ, FIXTURES, readJson } from './helpers.mjs';

const HW = readJson(path.join(FIXTURES, 'hw_twopipes.json'));
const [PARENT, CHILD] = HW.processes.map((p) => p.pid);
const SHOTS = process.env.IPCLAB_LANES_SHOTS;

async function shot(page, name) {
  if (SHOTS) await page.screenshot({ path: path.join(SHOTS, name + '.png'), fullPage: true });
  else await screenshot(page, name);
}

describe('homework traces: lane labels, fd labels, library folding, full vs empty', () => {
  let srv;
  let ctx;
  let page;
  before(async () => {
    srv = await startServer({ '/viz/': VIZ, '/fixtures/': FIXTURES });
    ctx = await launchBrowser();
    page = await newPage(ctx);
  });
  after(async () => {
    if (ctx) await ctx.close();
    if (srv) await srv.close();
  });
  const open = async (file, hash = '') => {
    await page.goto('about:blank'); // a new page load, not a hash change
    await page.goto(srv.url + '/viz/index.html?trace=/fixtures/' + file + '#' + hash);
    await waitReady(page);
    await afterFrames(page);
  };
  const laneNames = () => page.$$eval('.lane-label.proc', (els) => els.map((e) => [Number(e.dataset.pid), e.querySelector('.lane-name').textContent]));

  test('two processes of one name get the name and their pid; a scenario keeps its roles', async () => {
    assert.equal(HW.processes[0].comm, HW.processes[1].comm, 'the fixture has two processes of one name');
    await open('hw_twopipes.json');
    const names = new Map(await laneNames());
    assert.equal(names.get(PARENT), 'twopipes (pid ' + PARENT + ')');
    assert.equal(names.get(CHILD), 'twopipes (pid ' + CHILD + ')');
    await open('pipe_write_blocks.json');
    assert.deepEqual((await laneNames()).map((l) => l[1]).sort(), ['reader', 'writer']);
  });

  test('a pipe is labelled by who holds it by which fd', async () => {
    await open('hw_twopipes.json');
    const subs = await page.$$eval('.lane-label.buffer', (els) => els.map((e) => [e.dataset.obj, [...e.querySelectorAll('.lane-sub')].map((s) => s.textContent)]));
    const byObj = new Map(subs);
    // pipe 8: the child writes its fd 4, the parent reads its fd 3; pipe 9 the other way
    assert.equal(byObj.get('8')[0], 'twopipes (pid ' + CHILD + ') fd 4 → twopipes (pid ' + PARENT + ') fd 3');
    assert.equal(byObj.get('9')[0], 'twopipes (pid ' + PARENT + ') fd 6 → twopipes (pid ' + CHILD + ') fd 5');
    assert.equal(await page.locator('.ring-card[data-obj="8"] .ring-fds').textContent(), byObj.get('8')[0]);
    await open('pipe_write_blocks.json', 'lang=zh');
    assert.equal(await page.locator('.lane-label.buffer .lane-sub').first().textContent(), 'writer 的 fd 4 → reader 的 fd 3');
    // three writers: a list, with the Chinese enumeration comma in Chinese
    await open('pipe_atomic.json');
    const three = 'writer-A fd 5, writer-B fd 5, writer-C fd 5 → reader fd 4';
    assert.equal(await page.locator('.lane-label.buffer .lane-sub').first().textContent(), three);
    await open('pipe_atomic.json', 'lang=zh');
    assert.equal(await page.locator('.lane-label.buffer .lane-sub').first().textContent(), 'writer-A 的 fd 5、writer-B 的 fd 5、writer-C 的 fd 5 → reader 的 fd 4');
  });

  test('the fd label follows the language switch (EN → 中文 → EN), on the lane and the ring card', async () => {
    await open('pipe_write_blocks.json');
    const fds = async () => [await page.locator('.lane-label.buffer .lane-sub').first().textContent(), await page.locator('.ring-card .ring-fds').first().textContent()];
    const en = 'writer fd 4 → reader fd 3';
    const zh = 'writer 的 fd 4 → reader 的 fd 3';
    assert.deepEqual(await fds(), [en, en]);
    const switchTo = async (lang) => {
      const btn = page.locator('button.lang[data-lang="' + lang + '"]');
      await btn.scrollIntoViewIfNeeded();
      await btn.click();
      await page.waitForFunction((l) => document.documentElement.dataset.lang === l, lang);
      await afterFrames(page);
    };
    await switchTo('zh');
    assert.deepEqual(await fds(), [zh, zh], 'in Chinese after the switch');
    await switchTo('en');
    assert.deepEqual(await fds(), [en, en], 'in English again');
  });

  test('the loader\'s and libc\'s mappings are one folded row that unfolds on a click', async () => {
    await open('hw_twopipes.json');
    const libs = page.locator('details.map-libs');
    assert.equal(await libs.count(), 1);
    // ld.so.cache, four of libc.so.6, and the loader's MAP_FIXED anonymous part of it
    assert.equal(await libs.getAttribute('data-n'), '6');
    assert.equal(await libs.locator('summary').textContent(), '6 library mappings (the dynamic loader, libc and other shared libraries, locale data)');
    assert.equal(await libs.locator('.map-card').first().isVisible(), false, 'folded');
    const files = await libs.locator('.map-card h3').allTextContents();
    assert.equal(files.filter((f) => /libc\.so\.6/.test(f)).length, 4);
    assert.equal(files.filter((f) => /ld\.so\.cache/.test(f)).length, 1);
    // the shown cards are none of them
    for (const t of await page.$$eval('.mappings-panel > .map-card h3', (els) => els.map((e) => e.textContent))) assert.doesNotMatch(t, /libc|ld\.so/);
    await libs.locator('summary').click();
    assert.equal(await libs.locator('.map-card').first().isVisible(), true, 'unfolded');
    await open('hw_twopipes.json', 'lang=zh');
    assert.equal(await page.locator('details.map-libs summary').textContent(), '6 个库映射（动态链接器、libc 等共享库、locale 数据）');
  });

  test('full and empty both draw head = tail; the counters tell them apart', async () => {
    const card = page.locator('.ring-card[data-obj="8"]');
    // the 17th write sleeps on the full pipe from 4.325 ms
    await open('pipe_write_blocks.json', 'c=4400000');
    assert.equal(await card.getAttribute('data-head'), await card.getAttribute('data-tail'), 'one slot in the drawing');
    assert.equal(await card.getAttribute('data-ring-state'), 'full');
    assert.equal(await card.locator('.ring-counters').textContent(), 'head 16, tail 0: 16 slots used (full)');
    assert.match(await card.locator('.ring-wrap-note').textContent(), /Empty: head = tail; full: head − tail ≥ max_usage \(16\)/);
    await shot(page, 'lanes-ring-full');
    // at the start: empty, the same drawing
    await open('pipe_write_blocks.json', 'c=0');
    assert.equal(await card.getAttribute('data-head'), await card.getAttribute('data-tail'));
    assert.equal(await card.getAttribute('data-ring-state'), 'empty');
    assert.equal(await card.locator('.ring-counters').textContent(), 'head 0, tail 0: 0 slots used (empty)');
    // at the end, drained: empty again, the counters moved on
    const end = await page.evaluate(() => window.ipclab.app.models[0].duration);
    await open('pipe_write_blocks.json', 'c=' + end);
    assert.equal(await card.getAttribute('data-ring-state'), 'empty');
    const head = Number(await card.getAttribute('data-head-count'));
    assert.ok(head >= 17, 'head counted on past the ring: ' + head);
    assert.equal(await card.getAttribute('data-tail-count'), String(head));
    assert.equal(await card.locator('.ring-counters').textContent(), 'head ' + head + ', tail ' + head + ': 0 slots used (empty)');
    await open('pipe_write_blocks.json', 'lang=zh&c=4400000');
    assert.equal(await card.locator('.ring-counters').textContent(), '写指针 head 16，读指针 tail 0：已用 16 个槽位（满）');
    // half full (after the 8th write): head and tail apart, no note
    await open('pipe_write_blocks.json', 'c=4250000');
    assert.equal(await card.getAttribute('data-ring-state'), 'part');
    assert.equal(await card.locator('.ring-counters').textContent(), 'head 8, tail 0: 8 slots used (8 free)');
    assert.equal(await card.locator('.ring-wrap-note').textContent(), '');
  });
});
