// Issue #14 §2 "Atomicity" and a §5 leftover: the slots of a pipe's ring at the cursor are
// coloured by the process whose write put their bytes there (the ring card's
// data-slot-owners says whose, tail to head), and a Unix socket lane is labelled by who
// holds its sockets by which fd, as the pipes are. On real traces copied unchanged:
// tests/viz/fixtures/pipe_atomic.json (`ipclab run pipe_atomic`: writers A, B and C write
// 4096-byte records into one pipe, a reader reads them), pipe_atomic_large.json (writers A
// and B each write 200000 bytes in one call; the kernel copies them page by page as the
// reader makes room, so they interleave) and unix_socketpair_transfer.json (`ipclab run`),
// 6.18 x86_64, tracepoint tier. With IPCLAB_COLOUR_SHOTS=DIR the ring's screenshots (EN and
// 中文, 1400 px wide) go there; pipe_atomic_large's always go to build/viz-artifacts.

import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startServer, launchBrowser, newPage, waitReady, afterFrames, VIZ, FIXTURES, ARTIFACTS, readJson } from './helpers.mjs';

const ATOMIC = readJson(path.join(FIXTURES, 'pipe_atomic.json'));
const LARGE = readJson(path.join(FIXTURES, 'pipe_atomic_large.json'));
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

// The viewer's own replay (model.js -> mech/pipe.js -> slotowners.js) of a fixture, in
// node: the pipe's buffer (samples sT, sOcc, sSlots, sPhase, sEv) and pagesAt.
async function viewerRing(file, objId) {
  const { parseTrace } = await import(path.join(VIZ, 'js', 'model.js'));
  const so = await import(path.join(VIZ, 'js', 'slotowners.js'));
  const m = parseTrace(fs.readFileSync(path.join(FIXTURES, file), 'utf8'), file);
  const buf = m.mech.pipe.buffers.find((b) => b.obj.id === objId);
  return { buf, so, cols: m.cols };
}

// The owner of every byte of a ring state, tail to head.
function byteOwners(pages) {
  const out = [];
  for (const p of pages) for (const [who, n] of p.pieces) for (let k = 0; k < n; k++) out.push(who);
  return out;
}

// How often the writer changes from one used slot to the next (a slot of several: its
// tail-side writer first).
function ownerChanges(pages) {
  const firsts = pages.map((p) => p.pieces.map((x) => x[0]));
  let n = 0;
  for (let k = 1; k < firsts.length; k++) if (firsts[k][0] !== firsts[k - 1].at(-1)) n++;
  return n;
}

const LARGE_PIPE = LARGE.objects.find((o) => o.kind === 'pipe').id;
const writerOf = new Map(LARGE.processes.filter((p) => p.comm.startsWith('writer-')).map((p) => [p.comm.slice(-1), p.pid]));

describe('slot owners of writes copied part by part (pipe_atomic_large)', () => {
  test('every used slot has a writer at every sample, their bytes add up to the trace\'s', async () => {
    const { buf, so } = await viewerRing('pipe_atomic_large.json', LARGE_PIPE);
    const writes = LARGE.events.filter((e) => e.type === 'pipe_write' && e.obj === LARGE_PIPE);
    assert.deepEqual(writes.map((e) => e.bytes), [200000, 200000]);
    let used = 0;
    for (let j = 0; j < buf.n; j++) {
      const pages = so.pagesAt(buf, j);
      assert.ok(pages, 'sample ' + j);
      assert.equal(pages.length, buf.sSlots[j], 'slots at sample ' + j);
      const owners = byteOwners(pages);
      assert.equal(owners.length, buf.sOcc[j], 'bytes at sample ' + j);
      for (const p of pages) assert.ok(p.len > 0 && p.off + p.len <= LARGE.meta.page_size, 'a page holds at most a page');
      // a known writer, whose write had started by then
      for (const who of new Set(owners)) assert.ok(writes.some((e) => e.pid === who && e.t <= buf.sT[j]), 'owner ' + who + ' at sample ' + j);
      used += pages.length;
    }
    assert.ok(used > 2000, 'the ring is used: ' + used + ' slot-samples');
  });

  test('the tail holds the bytes each read got: their first and last letters are their writers\'', async () => {
    const { buf, so, cols } = await viewerRing('pipe_atomic_large.json', LARGE_PIPE);
    let checked = 0;
    let mixed = 0;
    for (let j = 0; j < buf.n; j++) {
      const i = buf.sEv[j];
      const e = LARGE.events[i];
      assert.equal(cols.ts[i], e.t, 'the columns are the events\' order');
      // a read's entry, when what it reads was all there (what comes later goes to the head)
      if (!buf.sPhase[j] || e.type !== 'pipe_read' || !(e.bytes > 0) || e.occ_before < e.bytes) continue;
      const owners = byteOwners(so.pagesAt(buf, j));
      assert.equal(owners[0], writerOf.get(e.data[0]), 'first byte of read ' + i);
      assert.equal(owners[e.bytes - 1], writerOf.get(e.data_tail.at(-1)), 'last byte of read ' + i);
      if (e.data[0] !== e.data_tail.at(-1)) mixed++;
      checked++;
    }
    assert.ok(checked > 90, checked + ' reads checked');
    assert.ok(mixed >= 1, 'a read got the end of A\'s write and B\'s bytes');
  });

  test('the ring shows the two writes taking turns page by page', async () => {
    const { buf, so } = await viewerRing('pipe_atomic_large.json', LARGE_PIPE);
    let most = 0;
    for (let j = 0; j < buf.n; j++) most = Math.max(most, ownerChanges(so.pagesAt(buf, j)));
    assert.ok(most >= 14, 'owner changes along a full ring: ' + most);
  });

  // Hand-made samples: writes 1 (pid 100) and 2 (pid 200) in progress; a reader's entry
  // (call 3) sees 8192 bytes more than the 4096 of write 1 seen at write 2's entry. Both
  // threads ran in between: whose they are is not known. With write 2 asleep all the time,
  // they are write 1's.
  const handMade = async (asleep) => {
    const so = await import(path.join(VIZ, 'js', 'slotowners.js'));
    const P = 4096;
    const rows = [
      // [t, occ, slots, op, pid, bytes, call]
      [0, 0, 0, so.OP_BEGIN, 100, 4 * P, 1],
      [10, P, 1, so.OP_BEGIN, 200, 4 * P, 2],
      [20, 3 * P, 3, so.OP_NONE, 300, P, 3],
      [21, 2 * P, 2, so.OP_READ, 300, P, 3],
    ];
    const col = (k, T) => T.from(rows, (r) => r[k]);
    const buf = { n: rows.length, page: P, sT: col(0, Float64Array), sOcc: col(1, Float64Array), sSlots: col(2, Int32Array) };
    const ran = (call, t0, t1) => !(asleep && call === 2 && t0 >= 10 && t1 <= 20);
    so.buildOwners(buf, { op: col(3, Uint8Array), pid: col(4, Float64Array), bytes: col(5, Float64Array), call: col(6, Int32Array), ran });
    return rows.map((r, j) => so.ownersText(so.pagesAt(buf, j)));
  };

  test('bytes two running writers may have written stay unknown', async () => {
    assert.deepEqual(await handMade(false), ['', '100', '100,?,?', '?,?']);
  });

  test('bytes only one running writer can have written are its', async () => {
    assert.deepEqual(await handMade(true), ['', '100', '100,100,100', '100,100']);
  });
});

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

  test('pipe_atomic_large: the ring at a read\'s entry shows A\'s and B\'s pages taking turns (EN, 中文)', async () => {
    const { buf, so } = await viewerRing('pipe_atomic_large.json', LARGE_PIPE);
    // the first read entry whose full ring changes writer at every slot
    let j = 0;
    while (j < buf.n && !(buf.sPhase[j] && buf.sSlots[j] === 16 && ownerChanges(so.pagesAt(buf, j)) === 15)) j++;
    assert.ok(j < buf.n, 'a ring of alternating writers');
    const T = buf.sT[j] + 1;
    assert.ok(buf.sT[j + 1] > T);
    const want = so.ownersText(so.pagesAt(buf, j));
    assert.deepEqual(new Set(want.split(',')), new Set([...writerOf.values()].map(String)));
    const card = page.locator('.ring-card[data-obj="' + LARGE_PIPE + '"]');
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    for (const [lang, words] of [
      ['en', 'slot colours: the writing process'],
      ['zh', '槽位颜色：写入该数据的进程'],
    ]) {
      await open('pipe_atomic_large.json', 'c=' + T + (lang === 'zh' ? '&lang=zh' : ''));
      assert.equal(await card.getAttribute('data-phase'), 'before');
      assert.equal(await card.getAttribute('data-slot-owners'), want);
      assert.match(await card.locator('.ring-owners').textContent(), new RegExp('^' + words));
      await card.screenshot({ path: path.join(ARTIFACTS, 'owners-pipe_atomic_large-' + lang + '.png') });
    }
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
