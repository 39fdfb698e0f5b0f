// Signals in the viewer (viz/js/mech/signal.js, issue #13 section 1), on real traces made by
// the probes: tests/viz/fixtures/signal_coalesce.json, signal_eintr.json,
// signal_rt_queue.json and signal_kill_handler.json, copied unchanged from `ipclab run`
// (6.18 x86_64, tracepoint tier).
// What the traces hold (mech/signal/NOTES.md, sections 2-4), and so what is asserted:
//   - signal_coalesce: the sender's five kill(SIGUSR1) while the receiver blocks it: one
//     "delivered", four "already_pending"; the sender's exit sends SIGCHLD, "ignored"; after
//     the SIG_UNBLOCK one signal_deliver. Six arrows: 4 coalesced, 1 ignored.
//   - signal_eintr: two rounds, each a kill from a new signaller to the reader asleep in
//     read(); both reads end -ERESTARTSYS; round 1 (no SA_RESTART) rt_sigreturn -EINTR,
//     round 2 (SA_RESTART) the read is issued again. Each signaller's exit: SIGCHLD ignored.
//   - signal_rt_queue: five sigqueue(SIGRTMIN, 1..5), all queued, five deliveries in order.
//   - signal_kill_handler: the receiver blocks SIGUSR1 and waits in sigsuspend (which
//     unblocks it while it sleeps); the kill ends it with -ERESTARTNOHAND, rt_sigreturn -EINTR.

import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startServer, launchBrowser, newPage, screenshot, waitReady, afterFrames, setHashView, VIZ, FIXTURES, readJson } from './helpers.mjs';

const COALESCE = 'signal_coalesce.json';
const EINTR = 'signal_eintr.json';
const RTQ = 'signal_rt_queue.json';
const KILL = 'signal_kill_handler.json';
const SHOTS = process.env.IPCLAB_SIGNAL_SHOTS || '';
const find = (tr, pred) => tr.events.map((e, i) => (pred(e) ? i : -1)).filter((i) => i >= 0);

async function model(file) {
  const { parseTrace } = await import(path.join(VIZ, 'js', 'model.js'));
  return parseTrace(fs.readFileSync(path.join(FIXTURES, file), 'utf8'), file);
}

// Without a browser: what the module builds (model.js runs in node).
test('coalesce: 5 SIGUSR1 generations (1 pending, 4 coalesced), SIGCHLD ignored, 1 delivery, SIGUSR1 blocked until the unblock', async () => {
  const tr = readJson(path.join(FIXTURES, COALESCE));
  const m = await model(COALESCE);
  const s = m.mech.signal;
  assert.deepEqual(
    s.gens.map((g) => [g.name, g.result]),
    [['SIGUSR1', 'delivered'], ...Array(4).fill(['SIGUSR1', 'already_pending']), ['SIGCHLD', 'ignored']],
  );
  const [receiver, sender] = [tr.processes[0].pid, tr.processes[1].pid];
  assert.ok(s.gens.every((g) => g.from === sender && g.to === receiver));
  assert.equal(s.dels.length, 1);
  assert.equal(s.dels[0].gen, 0, 'the delivery takes the first, the one made pending');
  assert.equal(s.gens[0].del, 0);
  const [block, unblock] = find(tr, (e) => e.name === 'rt_sigprocmask' && Array.isArray(e.set) && e.set.includes('SIGUSR1'));
  assert.deepEqual(
    s.bands.map((b) => [b.set, b.t0, b.t1]),
    [[['SIGUSR1'], tr.events[block].t + tr.events[block].dur, tr.events[unblock].t + tr.events[unblock].dur]],
  );
});

test('eintr: both reads interrupted (-ERESTARTSYS); round 1 gets -EINTR, round 2 (SA_RESTART) reads again', async () => {
  const tr = readJson(path.join(FIXTURES, EINTR));
  const m = await model(EINTR);
  const s = m.mech.signal;
  const reads = find(tr, (e) => e.type === 'pipe_read' && e.error === 'ERESTARTSYS');
  assert.equal(reads.length, 2);
  assert.deepEqual(
    s.dels.map((d) => [d.intr, d.intrErr, d.intrCall, d.eintr, d.restart >= 0]),
    [
      [reads[0], 'ERESTARTSYS', 'read', true, false],
      [reads[1], 'ERESTARTSYS', 'read', false, true],
    ],
  );
  const again = tr.events[s.dels[1].restart];
  assert.equal(again.type, 'pipe_read');
  assert.equal(again.obj, tr.events[reads[1]].obj, 'the same pipe, read again');
  assert.equal(tr.events[s.dels[0].ret].ret, -4);
  assert.deepEqual(
    s.gens.map((g) => [g.name, g.result]),
    [['SIGUSR1', 'delivered'], ['SIGCHLD', 'ignored'], ['SIGUSR1', 'delivered'], ['SIGCHLD', 'ignored']],
  );
});

test('rt queue: five SIGRTMIN queued, delivered in order with values 1..5', async () => {
  const m = await model(RTQ);
  const s = m.mech.signal;
  const rt = s.gens.filter((g) => g.name === 'SIGRTMIN');
  assert.equal(rt.length, 5);
  assert.ok(rt.every((g) => g.result === 'delivered'));
  assert.deepEqual(
    s.dels.map((d) => [d.name, d.value, s.gens[d.gen].i]),
    rt.map((g, k) => ['SIGRTMIN', k + 1, g.i]),
  );
});

test('kill → handler: the receiver blocks SIGUSR1 but takes it inside rt_sigsuspend (a gap in the band); -ERESTARTNOHAND, then -EINTR', async () => {
  const tr = readJson(path.join(FIXTURES, KILL));
  const m = await model(KILL);
  const s = m.mech.signal;
  const [suspend] = find(tr, (e) => e.name === 'rt_sigsuspend');
  assert.deepEqual(
    s.bands.map((b) => [b.set, b.holes]),
    [[['SIGUSR1'], [[tr.events[suspend].t, tr.events[suspend].t + tr.events[suspend].dur]]]],
  );
  assert.deepEqual(
    s.dels.map((d) => [d.name, d.intr, d.intrErr, d.eintr, d.gen]),
    [['SIGUSR1', suspend, 'ERESTARTNOHAND', true, 0]],
  );
});

// The canvas pixels of column x (CSS px = device px: deviceScaleFactor 1) that have colour
// rgb, within 6 of each channel.
async function columnPixels(page, x, rgb) {
  return page.evaluate(
    ([x, rgb]) => {
      const c = document.querySelector('.tl-track canvas.tl-canvas');
      const d = c.getContext('2d').getImageData(x, 0, 1, c.height).data;
      let n = 0;
      for (let y = 0; y < c.height; y++) if (Math.abs(d[4 * y] - rgb[0]) <= 6 && Math.abs(d[4 * y + 1] - rgb[1]) <= 6 && Math.abs(d[4 * y + 2] - rgb[2]) <= 6) n++;
      return n;
    },
    [x, rgb],
  );
}

async function select(page, i) {
  await page.evaluate((j) => {
    location.hash = 'sel=' + j;
  }, i);
  await page.waitForFunction((j) => document.getElementById('selection-panel').dataset.ev === String(j), i);
  return page.locator('#selection-panel .sel-summary li').allInnerTexts();
}

const counts = (page) =>
  page.evaluate(() => {
    const d = document.querySelector('.tl-track').dataset;
    return { arrows: +d.signalArrows, coalesced: +d.signalCoalesced, ignored: +d.signalIgnored, deliveries: +d.signalDeliveries, interrupted: +d.signalInterrupted };
  });

describe('signals, real traces, in the browser', () => {
  let srv;
  let ctx;
  let page;
  before(async () => {
    srv = await startServer({ '/viz/': VIZ, '/fixtures/': FIXTURES });
    ctx = await launchBrowser({ viewport: { width: 1500, height: 1100 } });
    page = await newPage(ctx);
  });
  after(async () => {
    if (ctx) await ctx.close();
    if (srv) await srv.close();
  });

  async function open(file, lang) {
    await page.goto('about:blank'); // a new load, not a change of hash
    await page.goto(srv.url + '/viz/index.html?trace=/fixtures/' + file + '#lang=' + lang);
    await waitReady(page);
    await afterFrames(page);
  }
  async function shot(name) {
    await screenshot(page, name);
    if (SHOTS) {
      fs.mkdirSync(SHOTS, { recursive: true });
      await page.locator('#timeline').screenshot({ path: path.join(SHOTS, name + '.png') });
    }
  }

  test('coalesce: 6 arrows, 4 coalesced drawn grey and dashed, 1 ignored, 1 delivery; the legend in both languages', async () => {
    const tr = readJson(path.join(FIXTURES, COALESCE));
    for (const lang of ['en', 'zh']) {
      await open(COALESCE, lang);
      assert.deepEqual(await counts(page), { arrows: 6, coalesced: 4, ignored: 1, deliveries: 1, interrupted: 0 });
      const legend = await page.locator('.timeline-panel .legend').innerText();
      const want = lang === 'en' ? ['signal sent (sender → target)', 'coalesced: already pending, dropped', 'ignored by the target', 'signals blocked (rt_sigprocmask)'] : ['发送信号（发送者 → 目标）', '合并：已处于未决状态，被丢弃', '被目标忽略', '被阻塞的信号（rt_sigprocmask）'];
      for (const s of want) assert.ok(legend.includes(s), s + ' in the ' + lang + ' legend');
      await shot('signal_coalesce-' + lang);
      // zoomed on the five kills: the delivered arrow magenta, the coalesced ones grey
      const gens = find(tr, (e) => e.type === 'signal' && e.signal === 'SIGUSR1');
      const v = await setHashView(page, tr.events[gens[0]].t - 80000, tr.events[gens[4]].t + 400000);
      await afterFrames(page);
      const W = Number(await page.locator('#timeline').getAttribute('data-width'));
      const xOf = (i) => Math.round((tr.events[i].t - v.t0) * (W / (v.t1 - v.t0)));
      assert.ok((await columnPixels(page, xOf(gens[0]), [0xc0, 0x26, 0xd3])) >= 10, 'the first kill: a solid magenta arrow');
      for (const i of gens.slice(1)) {
        assert.ok((await columnPixels(page, xOf(i), [0x9c, 0xa3, 0xaf])) >= 6, 'event ' + i + ': a grey dashed arrow');
        assert.ok((await columnPixels(page, xOf(i), [0xc0, 0x26, 0xd3])) <= 2, 'event ' + i + ': not magenta');
      }
      await shot('signal_coalesce-' + lang + '-zoom');
    }
    assert.deepEqual(page.ipclabLog.pageErrors, []);
    assert.deepEqual(page.ipclabLog.errors, []);
  });

  test('coalesce: what a coalesced generation, the delivery and the unblock did, in English and Chinese', async () => {
    const tr = readJson(path.join(FIXTURES, COALESCE));
    const gens = find(tr, (e) => e.type === 'signal' && e.signal === 'SIGUSR1');
    const [del] = find(tr, (e) => e.type === 'signal_deliver');
    const [, unblock] = find(tr, (e) => e.name === 'rt_sigprocmask' && Array.isArray(e.set));
    await open(COALESCE, 'en');
    let s = await select(page, gens[1]);
    assert.match(s[0], /^sender \(\d+\) sent SIGUSR1 to receiver \(\d+\) \(in its kill\)$/);
    assert.match(s[1], /^already pending: dropped/);
    s = await select(page, gens[0]);
    assert.match(s[2], new RegExp('^taken by pid \\d+ at .* after it was sent \\(event #' + del + '\\)$'));
    s = await select(page, del);
    assert.match(s[0], /^receiver \(\d+\) took SIGUSR1 \(SI_USER\) from pid sender \(\d+\)$/);
    assert.match(s[1], /^action: its handler at 0x[0-9a-f]+$/);
    assert.ok(s.some((x) => x.startsWith('sent at ') && x.includes('(event #' + gens[0] + ')')));
    s = await select(page, unblock);
    assert.deepEqual(s, ['SIG_UNBLOCK SIGUSR1: blocked SIGUSR1 → none']);
    await open(COALESCE, 'zh');
    s = await select(page, gens[1]);
    assert.match(s[1], /^已处于未决状态：被丢弃/);
    s = await select(page, unblock);
    assert.deepEqual(s, ['SIG_UNBLOCK SIGUSR1：阻塞集 SIGUSR1 → 无']);
  });

  test('eintr: 4 arrows (2 ignored SIGCHLD), 2 deliveries, 2 interrupted reads; what the deliveries did', async () => {
    const tr = readJson(path.join(FIXTURES, EINTR));
    const dels = find(tr, (e) => e.type === 'signal_deliver');
    for (const lang of ['en', 'zh']) {
      await open(EINTR, lang);
      assert.deepEqual(await counts(page), { arrows: 4, coalesced: 0, ignored: 2, deliveries: 2, interrupted: 2 });
      await shot('signal_eintr-' + lang);
      const d = tr.events[dels[0]];
      await setHashView(page, d.t - 250000, d.t + 550000);
      await afterFrames(page);
      assert.deepEqual(await counts(page), { arrows: 2, coalesced: 0, ignored: 1, deliveries: 1, interrupted: 1 });
      await shot('signal_eintr-' + lang + '-zoom');
    }
    await open(EINTR, 'en');
    let s = await select(page, dels[0]);
    assert.ok(s.some((x) => /^it ended the sleeping read \(event #\d+\): its sys_exit returned ERESTARTSYS/.test(x)), s.join('\n'));
    assert.ok(s.some((x) => /rt_sigreturn \(event #\d+\) returned -EINTR: that is what read returns to the program$/.test(x)), s.join('\n'));
    s = await select(page, dels[1]);
    assert.ok(s.includes('flags: SA_RESTORER | SA_RESTART'));
    assert.ok(s.some((x) => /^SA_RESTART: after the handler the kernel issued read again \(event #\d+\)$/.test(x)), s.join('\n'));
    await open(EINTR, 'zh');
    s = await select(page, dels[0]);
    assert.ok(s.some((x) => x.includes('返回 -EINTR')), s.join('\n'));
    assert.deepEqual(page.ipclabLog.pageErrors, []);
  });

  test('rt queue: 6 arrows (5 SIGRTMIN queued, SIGCHLD ignored), 5 deliveries with their values', async () => {
    const tr = readJson(path.join(FIXTURES, RTQ));
    await open(RTQ, 'en');
    assert.deepEqual(await counts(page), { arrows: 6, coalesced: 0, ignored: 1, deliveries: 5, interrupted: 0 });
    const dels = find(tr, (e) => e.type === 'signal_deliver');
    const s = await select(page, dels[2]);
    assert.ok(s.includes('value (sigqueue): 3'), s.join('\n'));
    assert.ok(s.includes('still pending after this: SIGRTMIN'), s.join('\n'));
    await shot('signal_rt_queue-en');
  });
});
