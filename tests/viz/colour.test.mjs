// Issue #14 §2 "Atomicity" and a §5 leftover: the slots of a pipe's ring at the cursor are
// coloured by the process whose write put their bytes there (the ring card's
// data-slot-owners says whose, tail to head), and a Unix socket lane is labelled by who
// holds its sockets by which fd, as the pipes are. On real traces copied unchanged:
// tests/viz/fixtures/pipe_atomic.json (`ipclab run pipe_atomic`: writers A, B and C write
// 4096-byte records into one pipe, a reader reads them) and unix_socketpair_transfer.json
// (`ipclab run`), 6.18 x86_64, tracepoint tier. With IPCLAB_COLOUR_SHOTS=DIR the ring's
// screenshots (EN and 中文, 1400 px wide) go there.

import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startServer, launchBrowser, newPage, waitReady, afterFrames, VIZ, FIXTURES, readJson } from './helpers.mjs';

const ATOMIC = readJson(path.join(FIXTURES, 'pipe_atomic.json'));
const PAIR = readJson(path.join(FIXTURES, 'unix_socketpair_transfer.json'));
const SHOTS = process.env.IPCLAB_COLOUR_SHOTS;
const PAGE = ATOMIC.meta.page_size;

// The writer of every page in the pipe after each call, as the test sees it: the calls in
// the order they return, a write of whole records adding a page per record, a read of
// whole records taking pages from the tail. [{t: end time, owners: [pid, ...]}].
function ownersByEnd(trace) {
  const calls = trace.events
    .map((e, i) => ({ e, i }))
    .filter(({ e }) => (e.type === 'pipe_write' || e.type === 'pipe_read') && e.bytes > 0)
    .sort((a, b) => a.e.t + a.e.dur - (b.e.t + b.e.dur) || a.i - b.i);
  const pages = [];
  const out = [];
  for (const { e } of calls) {
    assert.equal(e.bytes % PAGE, 0, 'the records are whole pages');
    for (let n = 0; n < e.bytes / PAGE; n++) {
      if (e.type === 'pipe_write') pages.push(e.pid);
      else pages.shift();
    }
    assert.equal(pages.length, e.slots_after, 'a page a slot');
    out.push({ t: e.t + e.dur, owners: [...pages] });
  }
  return out;
}

describe('ring slots by writer, socket lanes by fd', () => {
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
  const open = async (file, hash = '') => {
    await page.goto('about:blank'); // a new page load, not a hash change
    await page.goto(srv.url + '/viz/index.html?trace=/fixtures/' + file + '#' + hash);
    await waitReady(page);
    await afterFrames(page);
  };

  test('pipe_atomic: the ring holds whole slots of two writers, each slot its writer', async () => {
    const states = ownersByEnd(ATOMIC);
    // the first state with B's and C's records both in the ring, and one with A's and B's
    const mixed = states.filter((s) => new Set(s.owners).size >= 2);
    assert.ok(mixed.length > 4, 'the trace has states of several writers');
    const picks = [mixed[0], mixed.find((s) => new Set(s.owners).size === 2 && !s.owners.includes(ATOMIC.processes[1].pid)) || mixed[1]];
    const card = page.locator('.ring-card[data-obj="8"]');
    for (const s of picks) {
      await open('pipe_atomic.json', 'c=' + (s.t + 1));
      assert.equal(await card.getAttribute('data-t'), String(s.t + 1));
      assert.equal(await card.getAttribute('data-slot-owners'), s.owners.join(','), 'at ' + s.t);
    }
    // before any write: no slot, no owner
    await open('pipe_atomic.json', 'c=1');
    assert.equal(await card.getAttribute('data-slot-owners'), '');
  });

  test('the legend names the writers, in English and Chinese, with their colours', async () => {
    const writers = ATOMIC.processes.filter((p) => p.comm.startsWith('writer-'));
    // all three writers in the ring, A's last records at the tail
    const s = ownersByEnd(ATOMIC).find((x) => new Set(x.owners).size === 3 && x.owners.filter((o) => o === writers[0].pid).length <= 6);
    for (const [lang, words] of [
      ['', 'slot colours: the writing process'],
      ['&lang=zh', '槽位颜色：写入该数据的进程'],
    ]) {
      await open('pipe_atomic.json', 'c=' + (s.t + 1) + lang);
      const legend = page.locator('.ring-card[data-obj="8"] .ring-owners');
      assert.match(await legend.textContent(), new RegExp('^' + words));
      const items = await legend.locator('.ring-owner').evaluateAll((els) => els.map((e) => [Number(e.dataset.pid), e.textContent, getComputedStyle(e.firstChild).backgroundColor]));
      assert.deepEqual(
        items.map((x) => [x[0], x[1]]),
        writers.map((p) => [p.pid, p.comm]),
      );
      assert.equal(new Set(items.map((x) => x[2])).size, writers.length, 'a colour each');
      if (SHOTS) await page.locator('.ring-card[data-obj="8"]').screenshot({ path: path.join(SHOTS, 'pipe_atomic_ring' + (lang ? '_zh' : '') + '.png') });
    }
    // the canvas shows those colours: at least two writers' colours in the ring
    const seen = await page.evaluate((cols) => {
      const c = document.querySelector('.ring-card[data-obj="8"] canvas');
      const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      const want = cols.map((s) => s.match(/\d+/g).map(Number));
      const hit = new Set();
      for (let p = 0; p < d.length; p += 4) want.forEach((w, k) => d[p] === w[0] && d[p + 1] === w[1] && d[p + 2] === w[2] && hit.add(k));
      return hit.size;
    }, await page.locator('.ring-owner-sw').evaluateAll((els) => els.map((e) => getComputedStyle(e).backgroundColor)));
    assert.equal(seen, 3, 'the three writers\' colours drawn');
  });

  test('a write\'s copy arrow is drawn in its writer\'s colour', async () => {
    // B's and C's first writes (they waited for room) return between 104 and 108 ms
    await open('pipe_atomic.json', 't0=103900000&t1=108000000');
    const sw = await page.locator('.ring-owner-sw').evaluateAll((els) => els.map((e) => [Number(e.parentNode.dataset.pid), getComputedStyle(e).backgroundColor]));
    const counts = await page.evaluate((cols) => {
      const c = document.querySelector('.tl-canvas');
      const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      const want = cols.map(([, s]) => s.match(/\d+/g).map(Number));
      const n = want.map(() => 0);
      for (let p = 0; p < d.length; p += 4) want.forEach((w, k) => d[p] === w[0] && d[p + 1] === w[1] && d[p + 2] === w[2] && n[k]++);
      return n;
    }, sw);
    const byComm = new Map(sw.map(([pid], k) => [ATOMIC.processes.find((p) => p.pid === pid).comm, counts[k]]));
    assert.ok(byComm.get('writer-B') > 20, 'B\'s arrows: ' + byComm.get('writer-B'));
    assert.ok(byComm.get('writer-C') > 20, 'C\'s arrows: ' + byComm.get('writer-C'));
    assert.equal(byComm.get('writer-A'), 0, 'A wrote nothing then');
  });

  test('a socket lane is labelled by who holds its sockets by which fd', async () => {
    const sides = [new Map(), new Map()];
    for (const e of PAIR.events) {
      if (e.type !== 'sock_send' && e.type !== 'sock_recv') continue;
      const side = sides[e.type === 'sock_send' ? 0 : 1];
      if (!side.has(e.pid)) side.set(e.pid, new Set());
      side.get(e.pid).add(e.fd);
    }
    const name = (pid) => PAIR.processes.find((p) => p.pid === pid).comm;
    const text = (sep) => sides.map((m) => [...m].map(([pid, fds]) => name(pid) + sep + [...fds].join(', ')).join(', ')).join(' → ');
    assert.equal(text(' fd '), 'writer fd 3 → reader fd 4');
    await open('unix_socketpair_transfer.json');
    const subs = () => page.$$eval('.lane-label.mech[data-key^="unix:"] .lane-sub', (els) => els.map((e) => e.textContent));
    assert.equal((await subs())[0], text(' fd '));
    await open('unix_socketpair_transfer.json', 'lang=zh');
    assert.equal((await subs())[0], text(' 的 fd '));
  });
});
