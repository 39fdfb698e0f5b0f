// Blocked tasks in the viewer (issue #14, section 1): a task waiting on an object (a read
// on an empty pipe, a send to a full queue, the open of a FIFO) and a task asleep of its
// own accord (nanosleep, wait4, sigsuspend...) are drawn differently, with a legend entry
// each, and the tooltip and the selection panel say what a block waited for. The class
// comes from one list (viz/js/blocks.js SLEEP_SYSCALLS). And errors the trace could not
// name ("E?" in traces written before user/names.c named the kernel's -ERESTART*) are
// named by the viewer (format.js errorName).
//
// Real traces: tests/viz/fixtures/signal_eintr.json (the reader asleep in read on a pipe
// while a signaller sleeps in clock_nanosleep) and compare.json.gz (reads, writes, sends on
// pipes, FIFOs, sockets and queues, a FIFO's open, futex, wait4). With
// IPCLAB_WAIT_SHOTS=DIR the browser test also saves its screenshots there.

import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { startServer, launchBrowser, newPage, screenshot, waitReady, afterFrames, setHashView, VIZ, FIXTURES, readJson } from './helpers.mjs';

const EINTR = 'signal_eintr.json';
const SHOTS = process.env.IPCLAB_WAIT_SHOTS || '';
const SLEEPS = ['nanosleep', 'clock_nanosleep', 'pause', 'rt_sigsuspend', 'rt_sigtimedwait', 'wait4', 'waitid'];

const fixtureText = (f) => (f.endsWith('.gz') ? zlib.gunzipSync(fs.readFileSync(path.join(FIXTURES, f))) : fs.readFileSync(path.join(FIXTURES, f))).toString('utf8');
const blocksOf = (doc) => doc.events.map((e, i) => [e, i]).filter(([e]) => e.type === 'block');

async function model(file) {
  const { parseTrace } = await import(path.join(VIZ, 'js', 'model.js'));
  return parseTrace(fixtureText(file), file);
}

test('the sleep list is the one in blocks.js', async () => {
  const { SLEEP_SYSCALLS, isSleepSyscall } = await import(path.join(VIZ, 'js', 'blocks.js'));
  assert.deepEqual(SLEEP_SYSCALLS, SLEEPS);
  for (const s of SLEEPS) assert.ok(isSleepSyscall(s), s);
  for (const s of ['read', 'write', 'openat', 'mq_timedsend', 'recvfrom', 'futex', 'accept', null, undefined, 'syscall_35']) assert.ok(!isSleepSyscall(s), String(s));
});

test('the sleep column: 1 for exactly the blocks in a sleep syscall, by the line reader and by JSON.parse alike', async () => {
  const { columnsOfObjects, objectKinds } = await import(path.join(VIZ, 'js', 'events.js'));
  for (const f of [EINTR, 'compare.json.gz']) {
    const doc = JSON.parse(fixtureText(f));
    const want = doc.events.map((e) => (e.type === 'block' && SLEEPS.includes(e.syscall) ? 1 : 0));
    const m = await model(f);
    assert.ok(!m.events.array, f + ': read by the line reader');
    assert.deepEqual(Array.from(m.sleep), want, f + ' (line reader)');
    const cols = columnsOfObjects(doc.events, objectKinds(doc.objects));
    assert.deepEqual(Array.from(cols.sleep), want, f + ' (JSON.parse)');
    const n = want.reduce((a, b) => a + b, 0);
    assert.ok(n > 0 && n < blocksOf(doc).length, f + ': both kinds');
  }
});

test('what a block waited for: the object by its name, from the block or the call it slept in, in English and Chinese', async () => {
  const { setLang } = await import(path.join(VIZ, 'js', 'i18n.js'));
  const { blockText } = await import(path.join(VIZ, 'js', 'blocks.js'));
  try {
    setLang('en');
    let m = await model(EINTR);
    const doc = readJson(path.join(FIXTURES, EINTR));
    for (const [e, i] of blocksOf(doc)) {
      const want = e.syscall === 'clock_nanosleep' ? 'asleep in clock_nanosleep' : 'blocked in read on pipe #' + e.obj;
      assert.equal(blockText(m, i), want, 'event ' + i);
    }
    // compare: every kind of object, a FIFO's open (obj null on the block, on the openat
    // span), futex (no object), wait4 (a sleep)
    m = await model('compare.json.gz');
    const texts = new Set();
    for (let i = 0; i < m.n; i++) if (m.code[i] === 4) texts.add(blockText(m, i).replace(/#\d+/, '#N'));
    for (const s of ['blocked in read on pipe #N', 'blocked in write on FIFO #N', 'blocked in openat on FIFO #N', 'blocked in recvfrom on socket #N', 'blocked in mq_timedsend on mqueue #N', 'blocked in futex', 'asleep in wait4']) {
      assert.ok(texts.has(s), s + ' among ' + [...texts].join(', '));
    }
    setLang('zh');
    m = await model(EINTR);
    const [[, read]] = blocksOf(doc).filter(([e]) => e.syscall === 'read');
    const [[, nap]] = blocksOf(doc).filter(([e]) => e.syscall === 'clock_nanosleep');
    assert.equal(blockText(m, read), '在 read 中阻塞（等待的对象：管道 #8）');
    assert.equal(blockText(m, nap), '在 clock_nanosleep 中主动睡眠');
    assert.equal(blockText(m, read - 1), null, 'not a block');
  } finally {
    setLang('en');
  }
});

test('errors by name: the kernel\'s own 512..516 where the trace says "E?" or nothing', async () => {
  const { errorName, eventLines } = await import(path.join(VIZ, 'js', 'format.js'));
  const kernel = ['ERESTARTSYS', 'ERESTARTNOINTR', 'ERESTARTNOHAND', 'ENOIOCTLCMD', 'ERESTART_RESTARTBLOCK'];
  kernel.forEach((name, k) => {
    assert.equal(errorName({ type: 'syscall', ret: -(512 + k), error: 'E?' }), name);
    assert.equal(errorName({ type: 'pipe_read', bytes: -(512 + k), error: 'E?' }), name);
    assert.equal(errorName({ type: 'syscall', ret: -(512 + k) }), name);
  });
  assert.equal(errorName({ ret: -4, error: 'EINTR' }), 'EINTR');
  assert.equal(errorName({ ret: -517, error: 'E?' }), 'E?');
  assert.equal(errorName({ ret: 0 }), null);
  const m = { ev: () => ({ t: 0, dur: 5, type: 'syscall', pid: 1, tid: 1, name: 'nanosleep', ret: -516, error: 'E?' }), procByPid: new Map() };
  assert.ok(eventLines(m, 0).includes('error: "E?" (ERESTART_RESTARTBLOCK)'));
});

// The pixels of column x of the timeline canvas between rows y0 and y1 (CSS px = device
// px: deviceScaleFactor 1) within 6 of each channel of rgb.
async function pixels(page, x, y0, y1, rgb) {
  return page.evaluate(
    ([x, y0, y1, rgb]) => {
      const c = document.querySelector('.tl-track canvas.tl-canvas');
      const d = c.getContext('2d').getImageData(x, y0, 1, y1 - y0).data;
      let n = 0;
      for (let k = 0; k < y1 - y0; k++) if (Math.abs(d[4 * k] - rgb[0]) <= 6 && Math.abs(d[4 * k + 1] - rgb[1]) <= 6 && Math.abs(d[4 * k + 2] - rgb[2]) <= 6) n++;
      return n;
    },
    [x, y0, y1, rgb],
  );
}

const RED = [0xdc, 0x26, 0x26]; // --c-block: the hatching of a wait
const SLEEP_BG = [0xd6, 0xe4, 0xf5]; // --c-sleep-bg: the fill of a sleep

describe('blocked tasks, in the browser', () => {
  let srv;
  let ctx;
  let page;
  before(async () => {
    srv = await startServer({ '/viz/': VIZ, '/fixtures/': FIXTURES });
    ctx = await launchBrowser({ viewport: { width: 1400, height: 1000 } });
    page = await newPage(ctx);
  });
  after(async () => {
    if (ctx) await ctx.close();
    if (srv) await srv.close();
  });

  async function open(file, lang) {
    await page.goto('about:blank');
    await page.goto(srv.url + '/viz/index.html?trace=/fixtures/' + file + '#lang=' + lang);
    await waitReady(page);
    await afterFrames(page);
  }
  async function shot(name, what) {
    await screenshot(page, name);
    if (!SHOTS) return;
    fs.mkdirSync(SHOTS, { recursive: true });
    if (what) await page.locator(what).screenshot({ path: path.join(SHOTS, name + '.png') });
    else await page.screenshot({ path: path.join(SHOTS, name + '.png'), fullPage: true });
  }
  // The canvas box of the first row's bar in the lane of `pid`: {left, top (page), y0, y1
  // (canvas rows)}; the bar is 14 px under 12 px of padding.
  async function laneBox(pid) {
    // the mouse moves in the viewport: the timeline must be in it (a taller page above it,
    // more claims or lab text, put it below the fold)
    await page.locator('.tl-track canvas.tl-canvas').first().scrollIntoViewIfNeeded();
    return page.evaluate((p) => {
      const c = document.querySelector('.tl-track canvas.tl-canvas').getBoundingClientRect();
      const l = document.querySelector('.tl-track .lane-label.proc[data-pid="' + p + '"]');
      return { left: c.left, top: c.top, y0: l.offsetTop + 12, y1: l.offsetTop + 12 + 14 };
    }, pid);
  }

  test('a wait on a pipe hatched red, a clock_nanosleep light and dotted; two legend entries in English and Chinese', async () => {
    const doc = readJson(path.join(FIXTURES, EINTR));
    const [[read]] = blocksOf(doc).filter(([e]) => e.syscall === 'read');
    const [[nap]] = blocksOf(doc).filter(([e]) => e.syscall === 'clock_nanosleep');
    for (const lang of ['en', 'zh']) {
      await open(EINTR, lang);
      const legend = await page.locator('.timeline-panel .legend').innerText();
      const want = lang === 'en' ? ['blocked on an object (IPC, lock, I/O…)', 'sleeping (nanosleep, wait4…)'] : ['阻塞等待对象（IPC、锁、I/O 等）', '主动睡眠（nanosleep、wait4 等）'];
      for (const s of want) assert.ok(legend.includes(s), s + ' in the ' + lang + ' legend: ' + legend);
      assert.equal(await page.locator('.legend .sw-block').count(), 1);
      assert.equal(await page.locator('.legend .sw-sleep').count(), 1);
      const v = await setHashView(page, 0, doc.events.reduce((a, e) => Math.max(a, e.t + (e.dur || 0)), 0));
      await afterFrames(page);
      const W = Number(await page.locator('#timeline').getAttribute('data-width'));
      const xMid = (e) => Math.round((e.t + e.dur / 2 - v.t0) * (W / (v.t1 - v.t0)));
      const r = await laneBox(read.pid);
      assert.ok((await pixels(page, xMid(read), r.y0, r.y1, RED)) >= 3, 'the read: red hatching');
      assert.equal(await pixels(page, xMid(read), r.y0, r.y1, SLEEP_BG), 0, 'the read: not a sleep');
      const s = await laneBox(nap.pid);
      assert.ok((await pixels(page, xMid(nap), s.y0, s.y1, SLEEP_BG)) >= 3, 'the nanosleep: the light fill');
      assert.equal(await pixels(page, xMid(nap), s.y0, s.y1, RED), 0, 'the nanosleep: no red');
      await shot('blocks-signal_eintr-' + lang);
      await shot('blocks-signal_eintr-timeline-' + lang, '#timeline');
    }
    assert.deepEqual(page.ipclabLog.pageErrors, []);
    assert.deepEqual(page.ipclabLog.errors, []);
  });

  test('the tooltip and the selection panel say what a block waited for', async () => {
    const doc = readJson(path.join(FIXTURES, EINTR));
    const [[read, ri]] = blocksOf(doc).filter(([e]) => e.syscall === 'read');
    const [[nap, ni]] = blocksOf(doc).filter(([e]) => e.syscall === 'clock_nanosleep');
    const cases = {
      en: [`blocked in read on pipe #${read.obj}`, 'asleep in clock_nanosleep'],
      zh: [`在 read 中阻塞（等待的对象：管道 #${read.obj}）`, '在 clock_nanosleep 中主动睡眠'],
    };
    for (const lang of ['en', 'zh']) {
      await open(EINTR, lang);
      const v = await setHashView(page, 0, doc.events.reduce((a, e) => Math.max(a, e.t + (e.dur || 0)), 0));
      await afterFrames(page);
      const W = Number(await page.locator('#timeline').getAttribute('data-width'));
      for (const [e, text, k] of [
        [read, cases[lang][0], 0],
        [nap, cases[lang][1], 1],
      ]) {
        const b = await laneBox(e.pid);
        // the lower half of the bar: the block
        const x = b.left + (e.t + e.dur / 2 - v.t0) * (W / (v.t1 - v.t0));
        await page.mouse.move(x, b.top + b.y0 + 10);
        await page.waitForFunction(() => !document.getElementById('tooltip').hidden);
        const tip = (await page.locator('#tooltip').innerText()).split('\n');
        assert.match(tip[0], /block/);
        assert.equal(tip[1], text);
        if (lang === 'en' && k === 0) await shot('blocks-tooltip-read-en', '#timeline');
        if (lang === 'zh' && k === 0) await shot('blocks-tooltip-read-zh', '#timeline');
      }
      await page.mouse.move(1, 1);
      for (const [i, text] of [
        [ri, cases[lang][0]],
        [ni, cases[lang][1]],
      ]) {
        await page.evaluate((j) => {
          location.hash = 'sel=' + j;
        }, i);
        await page.waitForFunction((j) => document.getElementById('selection-panel').dataset.ev === String(j), i);
        const s = await page.locator('#selection-panel .sel-summary li').allInnerTexts();
        assert.equal(s[0], text);
      }
    }
    assert.deepEqual(page.ipclabLog.pageErrors, []);
  });
});
