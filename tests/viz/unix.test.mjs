// Unix domain sockets in the viewer (viz/js/mech/unix.js), on real traces made by the
// probes (tests/viz/fixtures/unix_socketpair_transfer.json and unix_dgram_blocks.json,
// copied unchanged from `ipclab run` on 6.18 x86_64, tracepoint tier): one lane per link
// with its receive queue, the queue at the cursor (bytes, skbs, the sender's charge, the
// datagram limit), the copy arrows, the wake-up of the blocked sender, what a selected
// send did and the socket's details, in English and Chinese, served and in the
// self-contained report. The hand-made tests/viz/fixtures/unix_basic.json (made by
// tests/viz/unix-fixture.mjs) stays for what the labs do not make: an unconnected sendto,
// a hostile socket path.

import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer, launchBrowser, newPage, screenshot, waitReady, afterFrames, makeReport, setHashView, VIZ, FIXTURES, TRACE_DIR, readJson } from './helpers.mjs';
import { serialize } from './synth.mjs';
import { unixTrace } from './unix-fixture.mjs';

const FILE = path.join(FIXTURES, 'unix_basic.json');
const PAIR = 'unix_socketpair_transfer.json';
const DGRAM = 'unix_dgram_blocks.json';
const pair = readJson(path.join(FIXTURES, PAIR));
const dgram = readJson(path.join(FIXTURES, DGRAM));
const find = (tr, pred) => tr.events.map((e, i) => (pred(e) ? i : -1)).filter((i) => i >= 0);
const end = (tr, i) => tr.events[i].t + tr.events[i].dur;
// socketpair: writer (pid 26749) writes 1000, 1000, 1000, 5000 B on #8; reader reads on #9
const writes = find(pair, (e) => e.type === 'sock_send' && e.obj === 8);
const [read8000, readEof] = find(pair, (e) => e.type === 'sock_recv');
// datagrams: sender on #9 connected one way to the receiver's #8 (@ipclab-dgram-PID)
const sends = find(dgram, (e) => e.type === 'sock_send' && e.obj === 9);
const blockedSend = sends[11];
const [wakingRead] = find(dgram, (e) => e.type === 'sock_recv');
const [senderBlock] = find(dgram, (e) => e.type === 'block' && e.obj === 9);

// The direction of issue #12: the viewer's core names no socket; sockets (like pipes and
// mappings) come in through js/mechanisms.js only.
test('the core names no socket: only the registry and js/mech/ do', () => {
  const dir = path.join(VIZ, 'js');
  for (const f of fs.readdirSync(dir).filter((n) => n.endsWith('.js') && n !== 'mechanisms.js')) {
    const code = fs
      .readFileSync(path.join(dir, f), 'utf8')
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/^\s*\/\/.*$/gm, '');
    const m = /unix|sock_|socket/i.exec(code);
    assert.equal(m, null, f + ' names ' + (m && m[0]));
  }
  const reg = fs.readFileSync(path.join(dir, 'mechanisms.js'), 'utf8');
  assert.match(reg, /^export const MECHANISMS = \[pipeMechanism, mmapMechanism, unixMechanism, signalMechanism, mqueueMechanism, compareMechanism\];$/m);
});

// Without a browser: the model the socket module builds (viz/js/model.js runs in node).
test('an unconnected sender (sendto, no peer) is drawn in its receiver\'s lane', async () => {
  const { parseTrace } = await import(path.join(VIZ, 'js', 'model.js'));
  const t = unixTrace();
  t.objects[3].peer = null;
  for (const e of t.events) if (e.obj === 3 && e.type === 'sock_send') [e.peer, e.syscall] = [null, 'sendto'];
  const m = parseTrace(serialize(t), 'sendto');
  assert.deepEqual(
    m.mechLanes.map((l) => [l.key, l.queues.map((q) => [q.id, q.mode, q.title(), q.maxSkbs])]),
    [
      ['unix:0,1', [[1, 'wmem', '#0 → #1', 4]]],
      ['unix:2,3', [[2, 'skbs', '#3 → #2', 11]]],
    ],
  );
  assert.equal(m.mech.unix.copies.list.length, 29);
});

// The real traces: a stream socketpair is limited by the writer's charge; the datagram
// receiver, which the sender connect()ed to one way, by its backlog. The objects name each
// other as peers in both (a connect() links both), so only the receives tell the two apart:
// the datagram receiver's read names no peer (it is not connected).
test('real traces: the stream queue is limited by the charge, the datagram queue by the backlog', async () => {
  const { parseTrace } = await import(path.join(VIZ, 'js', 'model.js'));
  const lanes = (file) =>
    parseTrace(fs.readFileSync(path.join(FIXTURES, file), 'utf8'), file).mechLanes.map((l) => [l.key, l.name(), l.queues.map((q) => [q.id, q.mode, q.title(), q.maxSkbs, q.maxOcc, q.maxQmax])]);
  assert.deepEqual(lanes(PAIR), [['unix:8,9', 'unix #8 ↔ #9', [[9, 'wmem', '#8 → #9', 4, 8000, 10]]]]);
  assert.deepEqual(lanes(DGRAM), [['unix:8,9', 'unix #9 → #8', [[8, 'skbs', '#9 → #8', 11, 1100, 10]]]]);
});

// The scenario traces ctest makes (IPCLAB_TRACE_DIR), when there: the server/client link
// (the accepted socket and the client, neither named) and the other labs' lanes.
test('scenario traces: server/client is one two-way connection; every datagram receiver is backlog-limited', async (t) => {
  const { parseTrace } = await import(path.join(VIZ, 'js', 'model.js'));
  const file = (n) => path.join(TRACE_DIR, n + '.json');
  if (!fs.existsSync(file('unix_server_client'))) return t.skip('no ' + file('unix_server_client'));
  const sc = parseTrace(fs.readFileSync(file('unix_server_client'), 'utf8'), 'sc');
  assert.equal(sc.mechLanes.length, 1);
  const l = sc.mechLanes[0];
  assert.match(l.name(), /^unix #\d+ ↔ #\d+$/);
  // its fds: each side sends and receives on its own, so one two-way line
  assert.deepEqual(l.label().subs.slice(1), ['stream · connection', 'limit: sk_sndbuf 212992 B']);
  assert.match(l.label().subs[0], /^client fd \d+ ⇄ server fd \d+$|^server fd \d+ ⇄ client fd \d+$/);
  assert.deepEqual(l.queues.map((q) => q.mode), ['wmem', 'wmem']);
  for (const n of ['unix_reliable', 'unix_nonblock', 'unix_boundaries']) {
    if (!fs.existsSync(file(n))) continue;
    const m = parseTrace(fs.readFileSync(file(n), 'utf8'), n);
    for (const lane of m.mechLanes) {
      for (const q of lane.queues) {
        // socketpair ends are never backlog-limited; a bound receiver always is
        assert.equal(q.mode, q.owner.kind === 'unix_dgram' && !q.owner.socketpair ? 'skbs' : 'wmem', n + ' queue #' + q.id);
      }
    }
  }
});

// The queue cards' state at the cursor (hash c=T).
async function cardsAt(page, T) {
  await page.evaluate((t) => {
    location.hash = 'c=' + t;
  }, T);
  await page.waitForFunction((t) => document.querySelector('.sock-card').dataset.t === String(t), T);
  return page.$$eval('.sock-card', (els) =>
    els.map((e) => ({
      obj: Number(e.dataset.obj),
      mode: e.dataset.mode,
      occ: Number(e.dataset.occBytes),
      skbs: Number(e.dataset.skbs),
      wmem: Number(e.dataset.wmem),
      wmemMax: Number(e.dataset.wmemMax),
      qmax: Number(e.dataset.queueMax),
      phase: e.dataset.phase,
      ev: Number(e.dataset.ev),
      full: e.querySelector('.sock-full').textContent,
      text: e.innerText,
    })),
  );
}

async function select(page, i) {
  await page.evaluate((j) => {
    location.hash = 'sel=' + j;
  }, i);
  await page.waitForFunction((j) => document.getElementById('selection-panel').dataset.ev === String(j), i);
  return page.locator('#selection-panel .sel-summary li').allInnerTexts();
}

async function laneLabels(page) {
  return page.$$eval('.lane-label', (els) => els.map((e) => ({ cls: e.className, obj: e.dataset.obj, text: e.innerText.replace(/\n/g, ' | ') })));
}

describe('Unix sockets, real traces', () => {
  let srv;
  let ctx;
  let page;
  let dir;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ipclab-viz-unix-'));
    srv = await startServer({ '/viz/': VIZ, '/fixtures/': FIXTURES, '/t/': dir });
    ctx = await launchBrowser();
    page = await newPage(ctx);
  });
  after(async () => {
    if (ctx) await ctx.close();
    if (srv) await srv.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  async function open(file) {
    await page.goto(srv.url + '/viz/index.html?trace=/fixtures/' + file);
    await waitReady(page);
  }

  test('socketpair: one lane between the writer and the reader', async () => {
    await open(PAIR);
    const labels = await laneLabels(page);
    const mech = labels.filter((l) => l.cls.includes('mech'));
    assert.deepEqual(
      mech.map((l) => [l.obj, l.text]),
      [['8,9', 'unix #8 ↔ #9 | writer fd 3 → reader fd 4 | stream · socketpair | limit: sk_sndbuf 212992 B']],
    );
    assert.deepEqual(
      labels.map((l) => (l.cls.includes('mech') ? 'sock' : l.text.split(' | ')[0])),
      ['writer', 'sock', 'reader'],
    );
    // 4 writes and the read of 8000 B copy bytes (the read of 0 at end of file does not)
    assert.equal(await page.locator('.tl-track').getAttribute('data-copies'), '5');
    assert.equal(await page.locator('.tl-track').getAttribute('data-copies-drawn'), '5');
    const legend = await page.locator('.timeline-panel .legend').innerText();
    for (const s of ['socket send', 'socket receive', "sender's charge (SIOCOUTQ)", 'bytes copied', 'wake-up (waker → sleeper)']) assert.ok(legend.includes(s), s + ' in the legend');
  });

  test('socketpair: a burst of writes is labelled with the queue it leaves', async () => {
    // the whole trace is 208 ms wide: the writes are one burst at this zoom; its label is
    // the fullest state, not the first write's 1 skb
    await page.locator('button', { hasText: 'Whole trace' }).click();
    await afterFrames(page);
    assert.deepEqual(await page.evaluate(() => window.ipclab.app.models[0].mechLanes[0].queues[0].labels), ['4 skb · 8000 B']);
    // zoomed in on writes 2 to 4 (8 to 10 us apart, 110 px and more here), each has its
    // own; the queue left by write 1 is where the view starts, not a change in it
    await setHashView(page, pair.events[writes[1]].t - 5e3, end(pair, writes[3]) + 60e3);
    assert.deepEqual(await page.evaluate(() => window.ipclab.app.models[0].mechLanes[0].queues[0].labels), ['2 skb · 2000 B', '3 skb · 3000 B', '4 skb · 8000 B']);
    await screenshot(page, 'unix-socketpair-writes');
  });

  test('socketpair: the queue after each write, and after the one read', async () => {
    // measured on 6.18 x86_64 (integration_unix asserts the same): one skb per write, the
    // writer charged each skb's truesize (2304 B for 1000 B of data, 6400 for 5000)
    const want = [
      [1000, 1, 2304],
      [2000, 2, 4608],
      [3000, 3, 6912],
      [8000, 4, 13312],
    ];
    for (let k = 0; k < 4; k++) {
      const [c] = await cardsAt(page, end(pair, writes[k]));
      assert.deepEqual([c.obj, c.mode, c.occ, c.skbs, c.wmem, c.wmemMax, c.phase, c.ev], [9, 'wmem', ...want[k], 212992, 'after', writes[k]], 'after write ' + (k + 1));
    }
    // the reader asleep for 200 ms first: still 8000/4, nothing read yet
    let [c] = await cardsAt(page, pair.events[read8000].t - 1000);
    assert.deepEqual([c.occ, c.skbs, c.wmem, c.phase, c.ev], [8000, 4, 13312, 'after', writes[3]]);
    assert.match(c.text, /8000 B in 4 skbs/);
    assert.match(c.text, /sender's charge 13312 B of 212992 B \(sk_sndbuf\): 6\.3 %/);
    // inside the read: its before-state; after it the queue is empty and the charge freed
    [c] = await cardsAt(page, pair.events[read8000].t + 1);
    assert.deepEqual([c.occ, c.skbs, c.wmem, c.phase, c.ev], [8000, 4, 13312, 'before', read8000]);
    [c] = await cardsAt(page, end(pair, read8000));
    assert.deepEqual([c.occ, c.skbs, c.wmem, c.phase], [0, 0, 0, 'after']);
    [c] = await cardsAt(page, end(pair, readEof));
    assert.deepEqual([c.occ, c.skbs, c.ev], [0, 0, readEof]);
  });

  test('socketpair: what the first write and the read did', async () => {
    assert.deepEqual(await select(page, writes[0]), [
      'sent 1000 of 1000 B into the receive queue of #9',
      'queue: 0 B in 0 skbs → 1000 B in 1 skbs',
      "sender's charge: 0 → 2304 B of 212992 B",
    ]);
    assert.deepEqual(await select(page, read8000), [
      'received 8000 of 65536 B from the receive queue of #9',
      'queue: 8000 B in 4 skbs → 0 B in 0 skbs',
      "sender's charge: 13312 → 0 B of 212992 B",
    ]);
    const obj = await page.locator('#selection-panel .obj-fields').innerText();
    assert.match(obj, /other end\s+#8 \(stream socket\)/);
    assert.match(obj, /address\s+socketpair/);
  });

  test('socketpair in Chinese', async () => {
    await page.locator('button[data-lang="zh"]').click();
    await afterFrames(page);
    assert.equal(await page.locator('.lane-label.mech').innerText().then((t) => t.replace(/\n/g, ' | ')), 'unix #8 ↔ #9 | writer 的 fd 3 → reader 的 fd 4 | 流式 · socketpair | sk_sndbuf 212992 字节');
    const [c] = await cardsAt(page, end(pair, writes[3]));
    assert.match(c.text, /8000 字节，4 个 skb/);
    assert.match(c.text, /发送方计费 13312 字节 \/ 212992 字节/);
    assert.match(await page.locator('.timeline-panel .legend').innerText(), /唤醒（唤醒者 → 睡眠者）/);
    await screenshot(page, 'unix-socketpair-zh');
    await page.locator('button[data-lang="en"]').click();
    await afterFrames(page);
  });

  test('datagrams: a one-way lane limited to 11 datagrams', async () => {
    await open(DGRAM);
    const labels = await laneLabels(page);
    const mech = labels.filter((l) => l.cls.includes('mech'));
    // the receiver's abstract name carries its pid (labs/unix_dgram_blocks.c)
    const pid = dgram.processes.find((p) => p.comm === 'receiver').pid;
    assert.deepEqual(
      mech.map((l) => [l.obj, l.text]),
      [['8,9', 'unix #9 → #8 | sender fd 3 → receiver fd 3 | dgram | @ipclab-dgram-' + pid + ' | limit: 11 datagrams']],
    );
    assert.deepEqual(
      labels.map((l) => (l.cls.includes('mech') ? 'sock' : l.text.split(' | ')[0])),
      ['sender', 'sock', 'receiver'],
    );
    // 12 sends and 12 reads of 100 B
    assert.equal(await page.locator('.tl-track').getAttribute('data-copies'), '24');
  });

  test('datagrams: the queue fills to queue_max + 1 = 11; the 12th send sleeps', async () => {
    for (let k = 0; k < 11; k++) {
      const [d] = await cardsAt(page, end(dgram, sends[k]));
      assert.deepEqual([d.obj, d.mode, d.occ, d.skbs, d.qmax, d.ev], [8, 'skbs', 100 * (k + 1), k + 1, 10, sends[k]], 'after send ' + (k + 1));
      assert.equal(d.full === '', k < 10, 'full after send ' + (k + 1));
    }
    let [d] = await cardsAt(page, end(dgram, sends[10]));
    assert.match(d.text, /11 of 11 datagrams \(queue_max 10 \+ 1\)/);
    assert.match(d.full, /queue full/);
    // asleep in the 12th send, 300 ms: its before-state, still full
    [d] = await cardsAt(page, dgram.events[blockedSend].t + 100e6);
    assert.deepEqual([d.occ, d.skbs, d.phase, d.ev], [1100, 11, 'before', blockedSend]);
    // the receiver's first read takes one out...
    [d] = await cardsAt(page, end(dgram, wakingRead));
    assert.deepEqual([d.occ, d.skbs, d.ev], [1000, 10, wakingRead]);
    assert.equal(d.full, '');
    // ...and the woken send puts its own in
    [d] = await cardsAt(page, end(dgram, blockedSend));
    assert.deepEqual([d.occ, d.skbs, d.ev], [1100, 11, blockedSend]);
  });

  test('datagrams: the wake-up of the sender by the receiver\'s read is drawn', async () => {
    const b = dgram.events[senderBlock];
    assert.deepEqual([b.waker.comm, b.waker.syscall, b.waker.obj], ['receiver', 'read', 8]);
    // the whole trace: three sleeps, two of them (clock_nanosleep) woken by no task
    await page.locator('button', { hasText: 'Whole trace' }).click();
    await afterFrames(page);
    assert.equal(await page.locator('.tl-track').getAttribute('data-wakes-drawn'), '1');
    // a view that ends before the wake-up has none
    await setHashView(page, 0, b.wake_t - 1e6);
    assert.equal(await page.locator('.tl-track').getAttribute('data-wakes-drawn'), '0');
    await setHashView(page, b.wake_t - 2e6, b.wake_t + 2e6);
    assert.equal(await page.locator('.tl-track').getAttribute('data-wakes-drawn'), '1');
    await screenshot(page, 'unix-dgram-wake');
  });

  test('datagrams: what the 12th send did', async () => {
    const items = await select(page, blockedSend);
    assert.deepEqual(items.slice(0, 3), [
      'sent 100 of 100 B into the receive queue of #8',
      'queue: 1100 B in 11 skbs → 1100 B in 11 skbs',
      'datagrams queued: 11 → 11, limit 11 (queue_max 10 + 1)',
    ]);
    assert.match(items[items.length - 1], /^slept inside the call/);
    assert.equal(await page.locator('#selection-panel').getAttribute('data-obj'), '9');
    const obj = await page.locator('#selection-panel .obj-fields').innerText();
    assert.match(obj, /other end\s+#8 \(datagram socket\)/);
  });

  test('datagrams: clicking the lane shows the receiver\'s socket', async () => {
    await page.locator('button', { hasText: 'Whole trace' }).click();
    await afterFrames(page);
    // the mouse clicks in the viewport: the lane must be in it
    await page.locator('.lane-label.mech[data-obj="8,9"]').scrollIntoViewIfNeeded();
    const canvas = await page.locator('canvas.tl-canvas').boundingBox();
    const lane = await page.locator('.lane-label.mech[data-obj="8,9"]').boundingBox();
    await page.mouse.click(canvas.x + canvas.width / 2, lane.y + lane.height / 2);
    await afterFrames(page);
    const panel = page.locator('#selection-panel');
    assert.equal(await panel.getAttribute('data-obj'), '8');
    const text = await panel.innerText();
    assert.match(text, /Socket #8 · datagram socket/);
    assert.match(text, /address\s+abstract name @ipclab-dgram-\d+ \(no file\)/);
    assert.match(text, /queue_max\s+10: 11 datagrams fit in its receive queue/);
  });

  test('datagrams in Chinese', async () => {
    await page.locator('button[data-lang="zh"]').click();
    await afterFrames(page);
    assert.match(await page.locator('.lane-label.mech').innerText(), /数据报\n@ipclab-dgram-\d+\n上限：11 个数据报/);
    const [d] = await cardsAt(page, end(dgram, sends[10]));
    assert.match(d.text, /11 \/ 11 个数据报（queue_max 10 \+ 1）/);
    assert.match(d.full, /队列已满/);
    await screenshot(page, 'unix-dgram-zh');
    await page.locator('button[data-lang="en"]').click();
    await afterFrames(page);
  });

  test('the self-contained report shows the same', async () => {
    const file = await makeReport(dir, [{ name: DGRAM, text: fs.readFileSync(path.join(FIXTURES, DGRAM), 'utf8') }]);
    const p = await newPage(ctx);
    await p.goto('file://' + file);
    await waitReady(p);
    assert.deepEqual(await p.$$eval('.lane-label.mech', (els) => els.map((e) => e.dataset.obj)), ['8,9']);
    const [d] = await cardsAt(p, end(dgram, sends[10]));
    assert.deepEqual([d.mode, d.occ, d.skbs], ['skbs', 1100, 11]);
    assert.deepEqual(p.ipclabLog.csp, [], 'no CSP violation');
    assert.deepEqual(p.ipclabLog.pageErrors, []);
    await screenshot(p, 'unix-report');
    await p.close();
  });
});

describe('Unix sockets, hand-made trace', () => {
  let srv;
  let ctx;
  let dir;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ipclab-viz-unix-'));
    srv = await startServer({ '/viz/': VIZ, '/fixtures/': FIXTURES, '/t/': dir });
    ctx = await launchBrowser();
  });
  after(async () => {
    if (ctx) await ctx.close();
    if (srv) await srv.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  test('the fixture is what tests/viz/unix-fixture.mjs makes', () => {
    assert.equal(fs.readFileSync(FILE, 'utf8'), serialize(unixTrace()));
  });

  test('a failed send: the error explained, no copy, no queue sample', async () => {
    const page = await newPage(ctx);
    await page.goto(srv.url + '/viz/index.html?trace=/fixtures/unix_basic.json');
    await waitReady(page);
    const trace = readJson(FILE);
    const i = trace.events.findIndex((e) => e.type === 'sock_send' && e.error === 'EPIPE');
    assert.deepEqual(await select(page, i), [
      'write failed: EPIPE: the other end is closed (SIGPIPE unless MSG_NOSIGNAL)',
      "sender's charge: 0 → 0 B of 212992 B",
    ]);
    assert.equal(await page.locator('#selection-panel').getAttribute('data-obj'), '1');
    await page.close();
  });

  test('a hostile socket path shows as text', async () => {
    const t = unixTrace();
    t.objects[2].path = '@<img src=x onerror=alert(20)>';
    fs.writeFileSync(path.join(dir, 'evil-unix.json'), serialize(t));
    const p = await newPage(ctx);
    await p.goto(srv.url + '/viz/index.html?trace=/t/evil-unix.json');
    await waitReady(p);
    assert.match(await p.locator('.lane-label.mech[data-obj="2,3"]').innerText(), /@<img src=x onerror=alert\(20\)>/);
    assert.match(await p.locator('.lane-label.mech[data-obj="2,3"]').getAttribute('title'), /abstract name @<img src=x onerror=alert\(20\)> \(no file\)/);
    assert.equal(await p.evaluate(() => document.querySelectorAll('img').length), 0);
    assert.deepEqual(p.ipclabLog.dialogs, []);
    assert.deepEqual(p.ipclabLog.pageErrors, []);
    await p.close();
  });
});
