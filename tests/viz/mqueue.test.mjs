// POSIX message queues in the viewer (viz/js/mech/mqueue.js, issue #13 section 2), on real
// traces made by the probes: tests/viz/fixtures/mq_full_blocks.json and mq_empty_blocks.json,
// copied unchanged from `ipclab run` (6.18 x86_64, tracepoint tier).
// What the traces hold (mech/mqueue/NOTES.md), and so what is asserted:
//   - mq_full_blocks: a queue of 4 x 64 B; the sender's sends m1..m4 take it 0 -> 4; the 5th
//     enters at 4 of 4 and sleeps; the receiver's first receive enters and leaves at 4 (it
//     put the sleeping sender's m5 in) and the next four drain it 4 -> 0. One lane, capacity
//     4, the message count reaching 4; 5 copies in, 5 out.
//   - mq_empty_blocks: the receive sleeps on the empty queue; the send hands "hello"
//     (priority 2) over: 0 messages before and after.

import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startServer, launchBrowser, newPage, screenshot, waitReady, afterFrames, VIZ, FIXTURES, readJson } from './helpers.mjs';

const FULL = 'mq_full_blocks.json';
const EMPTY = 'mq_empty_blocks.json';
const find = (tr, pred) => tr.events.map((e, i) => (pred(e) ? i : -1)).filter((i) => i >= 0);

async function model(file) {
  const { parseTrace } = await import(path.join(VIZ, 'js', 'model.js'));
  return parseTrace(fs.readFileSync(path.join(FIXTURES, file), 'utf8'), file);
}

// Without a browser: what the module builds (model.js runs in node).
test('full queue: one lane of capacity 4 reaching 4 messages, 5 copies in and 5 out', async () => {
  const tr = readJson(path.join(FIXTURES, FULL));
  const m = await model(FULL);
  const s = m.mech.mqueue;
  const q = tr.objects.find((o) => o.kind === 'mqueue');
  assert.equal(s.lanes.length, 1);
  assert.equal(s.lanes[0].key, 'mqueue:' + q.id);
  assert.equal(s.lanes[0].q.cap, 4);
  assert.equal(s.lanes[0].q.maxMsgs, 4);
  // who holds the queue by which fd, then its name and capacity
  assert.deepEqual(s.lanes[0].label().subs, ['sender fd 3 → receiver fd 3', '/' + q.path, 'capacity 4 messages']);
  // in the language of the moment, though the model was built in English
  const { setLang } = await import(path.join(VIZ, 'js', 'i18n.js'));
  try {
    setLang('zh');
    assert.equal(s.lanes[0].label().subs[0], 'sender 的 fd 3 → receiver 的 fd 3');
  } finally {
    setLang('en');
  }
  assert.equal(s.lanes[0].label().subs[0], 'sender fd 3 → receiver fd 3');
  const copies = s.copies.list;
  assert.equal(copies.filter((c) => c.write).length, 5);
  assert.equal(copies.filter((c) => !c.write).length, 5);
  // the first receive: the queue is 4 before and after (the sender's message went in)
  const [r0] = find(tr, (e) => e.type === 'mq_recv');
  assert.deepEqual(s.lanes[0].q.at(tr.events[r0].t + tr.events[r0].dur), { j: s.lanes[0].q.at(tr.events[r0].t + tr.events[r0].dur).j, ev: r0, msgs: 4, bytes: 8 });
});

describe('message queues, real traces, in the browser', () => {
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
  async function select(i, lang = 'en') {
    await page.evaluate(([j, l]) => {
      location.hash = 'lang=' + l + '&sel=' + j;
    }, [i, lang]);
    await page.waitForFunction((j) => document.getElementById('selection-panel').dataset.ev === String(j), i);
    return page.locator('#selection-panel .sel-summary li').allInnerTexts();
  }

  test('full queue: the lane and its legend in both languages, what the inserting receive did', async () => {
    const tr = readJson(path.join(FIXTURES, FULL));
    const q = tr.objects.find((o) => o.kind === 'mqueue');
    const [r0] = find(tr, (e) => e.type === 'mq_recv');
    for (const lang of ['en', 'zh']) {
      await open(FULL, lang);
      const label = page.locator('.lane-label.mech[data-key="mqueue:' + q.id + '"]');
      assert.equal(await label.count(), 1);
      // a queue has its lane but no card at the cursor: no empty panel beside the selection
      assert.equal(await page.locator('#buffer-panel').isHidden(), true, 'no empty buffer panel');
      assert.match(await label.innerText(), lang === 'en' ? /mqueue #\d+[\s\S]*capacity 4 messages/ : /消息队列 #\d+[\s\S]*容量 4 条消息/);
      const legend = await page.locator('.timeline-panel .legend').innerText();
      assert.match(legend, lang === 'en' ? /mq_maxmsg \(capacity\)/ : /mq_maxmsg（容量）/);
      const s = await select(r0, lang);
      assert.ok(s.some((l) => (lang === 'en' ? /^Received a 2-byte message with priority 0/ : /^收到一条 2 字节、优先级 0 的消息/).test(l)), s.join(' | '));
      assert.ok(s.some((l) => (lang === 'en' ? /put the sender's message into the queue/ : /把该发送者的消息放进队列/).test(l)), s.join(' | '));
      assert.ok(s.some((l) => (lang === 'en' ? /4 → 4 messages \(8 → 8 B\) of 4/ : /4 → 4 条消息（8 → 8 字节），容量 4/).test(l)), s.join(' | '));
      await screenshot(page, 'mqueue-full-blocks-' + lang);
    }
    assert.deepEqual(page.ipclabLog.pageErrors, []);
    assert.deepEqual(page.ipclabLog.errors, []);
  });

  test('empty queue: the send hands the message over', async () => {
    const tr = readJson(path.join(FIXTURES, EMPTY));
    const [s0] = find(tr, (e) => e.type === 'mq_send');
    await open(EMPTY, 'en');
    const s = await select(s0);
    assert.match(s[0], /^Sent a 5-byte message with priority 2\.$/);
    assert.ok(s.some((l) => /went straight to it and never entered the queue/.test(l)), s.join(' | '));
    assert.deepEqual(page.ipclabLog.pageErrors, []);
  });
});
