// The comparison scenario in the viewer (viz/js/mech/compare.js, issue #13 section 4), on a
// real trace: tests/viz/fixtures/compare.json.gz is `ipclab run -o DIR compare` (default
// sizes 64 B, 4 KiB, 64 KiB; six mechanisms, no queue pair at 64 KiB; 6.18 x86_64,
// tracepoint tier; 26336 events), gzip-compressed unchanged (8.6 MB of JSON, 537 KB packed:
// the viewer reads gzip by its first two bytes).
// The numbers the panel shows are computed again here from the JSON, independently of the
// viewer's columns: per message (messages = max(128 KiB, size) / size) the two exit records'
// `syscalls`, the `bytes` of the pair's pipe and socket records, its `block` records; the
// exits' nvcsw/nivcsw, the pair's `fault` records, and its time (first start to last end).
// tests/viz/fixtures/compare_1m.json.gz is `ipclab run --sizes 1M -o DIR compare` (the same
// machine; 2388 events): one message of 1 MiB per pair, and no datagram or queue pair (the
// lab skips datagrams over 64 KiB and queue messages over 8 KiB).
// What this trace showed (and the claims of `ipclab run` said): every copying mechanism
// copies 2 bytes per byte moved (128 B per 64 B message), the shared mapping none.

import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import os from 'node:os';
import { startServer, launchBrowser, newPage, screenshot, waitReady, afterFrames, makeReport, VIZ, FIXTURES } from './helpers.mjs';

const FIXTURE = 'compare.json.gz';
const OTHER = 'signal_coalesce.json'; // not the compare scenario
const TOTAL = 128 * 1024;
const MECHS = ['pipe', 'fifo', 'ustrm', 'udgrm', 'mq', 'shm'];
const SIZES = [[64, '64'], [4096, '4K'], [65536, '64K']];

const FIXTURE_1M = 'compare_1m.json.gz';
const text = (file = FIXTURE) => zlib.gunzipSync(fs.readFileSync(path.join(FIXTURES, file))).toString('utf8');
const trace = JSON.parse(text());
const trace1M = JSON.parse(text(FIXTURE_1M));

// The expected cells of one pair, from the JSON alone.
// null when the lab did not run that pair (no such processes).
function expected(mech, size, label, doc = trace) {
  const proc = (end) => doc.processes.find((p) => p.comm === `${mech}.${label}.${end}`);
  if (!proc('w') || !proc('r')) return null;
  const pids = new Set([proc('w').pid, proc('r').pid]);
  const evs = doc.events.filter((e) => pids.has(e.pid));
  const of = (type) => evs.filter((e) => e.type === type);
  const exits = of('exit');
  const msgs = Math.max(TOTAL, size) / size;
  // a queue send that returned 0 moved its message (`requested` bytes), as claims.c counts it
  const moved = (e) => (e.type === 'mq_send' && e.bytes === 0 && !e.error ? e.requested : Math.max(0, e.bytes));
  const bytes = evs.filter((e) => ['pipe_read', 'pipe_write', 'sock_send', 'sock_recv', 'mq_send', 'mq_recv'].includes(e.type)).reduce((s, e) => s + moved(e), 0);
  const t0 = Math.min(...evs.map((e) => e.t));
  const t1 = Math.max(...evs.map((e) => e.t + (e.dur || 0)));
  assert.equal(exits.length, 2, `${mech}.${label}: two exits`);
  return {
    calls: (exits[0].syscalls + exits[1].syscalls) / msgs,
    bytes: bytes / msgs,
    sleeps: of('block').length / msgs,
    nvcsw: exits[0].nvcsw + exits[1].nvcsw,
    nivcsw: exits[0].nivcsw + exits[1].nivcsw,
    faults: of('fault').length,
    time: (t1 - t0) / 1e6,
    mbps: (msgs * size) / 1e6 / ((t1 - t0) / 1e9),
  };
}

const close = (a, b) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));

// Without a browser: what the module builds (model.js runs in node).
test('the module finds the 17 pairs and counts what the JSON says', async () => {
  const { parseTrace } = await import(path.join(VIZ, 'js', 'model.js'));
  const c = parseTrace(text(), 'compare.json').mech.compare;
  assert.equal(c.active, true);
  assert.deepEqual(c.sizes.map((s) => [s.size, s.msgs]), [[64, 2048], [4096, 32], [65536, 2]]);
  for (const [k, [size, label]] of SIZES.entries()) {
    assert.deepEqual(c.sizes[k].rows.map((r) => r.mech), MECHS);
    for (const r of c.sizes[k].rows) {
      const want = expected(r.mech, size, label);
      // the lab skips queue messages over 8 KiB (msgsize_max)
      assert.equal(r.present, !(r.mech === 'mq' && size > 8192), `${r.mech} ${label}`);
      if (!want) {
        assert.equal(r.present, false);
        continue;
      }
      for (const col of Object.keys(want)) assert.ok(close(r[col], want[col]), `${r.mech} ${label} ${col}: ${r[col]} != ${want[col]}`);
      // two copies per byte through the kernel, none through the mapping
      assert.equal(r.copiesPerByte, r.mech === 'shm' ? 0 : 2, `${r.mech} ${label}`);
    }
  }
});

test('1 MiB: one message per pair, no datagram or queue pair', async () => {
  const { parseTrace } = await import(path.join(VIZ, 'js', 'model.js'));
  const c = parseTrace(text(FIXTURE_1M), 'compare_1m.json').mech.compare;
  assert.deepEqual(c.sizes.map((s) => [s.size, s.msgs]), [[1048576, 1]]);
  assert.deepEqual(c.sizes[0].rows.map((r) => [r.mech, r.present]), [['pipe', true], ['fifo', true], ['ustrm', true], ['udgrm', false], ['mq', false], ['shm', true]]);
  for (const r of c.sizes[0].rows.filter((x) => x.present)) {
    const want = expected(r.mech, 1048576, '1M', trace1M);
    for (const col of Object.keys(want)) assert.ok(close(r[col], want[col]), `${r.mech} 1M ${col}: ${r[col]} != ${want[col]}`);
  }
});

test('a trace of another scenario gives the module nothing to show', async () => {
  const { parseTrace } = await import(path.join(VIZ, 'js', 'model.js'));
  const c = parseTrace(fs.readFileSync(path.join(FIXTURES, OTHER), 'utf8'), OTHER).mech.compare;
  assert.equal(c.active, false);
  assert.deepEqual(c.sizes, []);
});

describe('compare panel in the browser', () => {
  let srv;
  let browser;
  let page;
  before(async () => {
    srv = await startServer({ '/viz/': VIZ, '/fixtures/': FIXTURES });
    browser = await launchBrowser();
    page = await newPage(browser);
  });
  after(async () => {
    await browser.close();
    await srv.close();
  });

  async function open(file, lang) {
    await page.goto('about:blank'); // a new load, not a change of hash
    await page.goto(srv.url + '/viz/index.html?trace=/fixtures/' + file + '#lang=' + lang);
    await waitReady(page);
    await afterFrames(page);
  }

  // The whole page, and the panel cut from a full-page shot (an element shot scrolls, and
  // the page's sticky header would cover the panel's top).
  async function shots(lang) {
    const file = await screenshot(page, 'compare-' + lang);
    const box = await page.locator('#compare-panel').evaluate((e) => {
      const r = e.getBoundingClientRect();
      return { x: r.left + scrollX, y: r.top + scrollY, width: r.width, height: r.height };
    });
    await page.screenshot({ path: path.join(path.dirname(file), 'compare-panel-' + lang + '.png'), fullPage: true, clip: box });
  }

  // The cells of the table of one size, as {mech: {col: {text, value}}}.
  const cells = (size) =>
    page.evaluate((sz) => {
      const out = {};
      for (const tr of document.querySelectorAll(`#compare-panel table.cmp-table[data-size="${sz}"] tbody tr`)) {
        out[tr.dataset.mech] = {};
        for (const td of tr.querySelectorAll('td[data-col]')) out[tr.dataset.mech][td.dataset.col] = { text: td.textContent, value: Number(td.dataset.value) };
      }
      return out;
    }, size);

  test('EN: the panel, a table per size with the numbers of the JSON, the charts and the notes\' table', async () => {
    await open(FIXTURE, 'en');
    const panel = page.locator('#compare-panel');
    assert.equal(await panel.isVisible(), true);
    assert.equal(await panel.locator('h2').textContent(), 'Mechanisms side by side');
    assert.deepEqual(await panel.locator('table.cmp-table').evaluateAll((ts) => ts.map((t) => t.dataset.size)), ['64', '4096', '65536']);
    for (const [size, label] of SIZES) {
      const got = await cells(size);
      assert.deepEqual(Object.keys(got), MECHS);
      for (const mech of MECHS) {
        const want = expected(mech, size, label);
        if (!want) {
          assert.deepEqual(got[mech], {}, `${mech} ${label}: a row with no numbers`);
          continue;
        }
        for (const col of Object.keys(want)) assert.ok(close(got[mech][col].value, want[col]), `${mech} ${label} ${col}: ${got[mech][col].value} != ${want[col]}`);
      }
    }
    // a few cells as text: exact counts of this trace
    const at64 = await cells(64);
    assert.equal(at64.pipe.bytes.text, '128', 'a 64 B message: 64 B in and 64 B out');
    assert.equal(at64.shm.bytes.text, '0', 'the mapping: no byte through a call');
    assert.equal(at64.pipe.calls.text, String(expected('pipe', 64, '64').calls.toFixed(2)));
    const at64K = await cells(65536);
    assert.equal(at64K.udgrm.bytes.text, '131072');
    assert.equal(at64K.shm.faults.text, String(expected('shm', 65536, '64K').faults));
    // charts: a time chart per size (6 bars at 64 B), one chart of the copies (17 bars, 2 or
    // 0: no queue pair at 64 KiB)
    assert.equal(await panel.locator('svg.cmp-chart[data-chart="time"]').count(), 3);
    assert.equal(await panel.locator('svg.cmp-chart[data-chart="time"]').first().locator('rect.cmp-bar').count(), 6);
    const copies = await panel.locator('svg.cmp-chart[data-chart="copies"] g').evaluateAll((gs) => gs.map((g) => [g.dataset.mech, g.querySelector('.cmp-bar-value').textContent]));
    assert.equal(copies.length, 17, 'six mechanisms at three sizes, less the queue at 64 KiB');
    assert.match(await panel.locator('table.cmp-table[data-size="65536"] tr[data-mech="mq"] td').textContent(), /skips queue messages over 8 KiB/);
    for (const [mech, v] of copies) assert.equal(v, mech === 'shm' ? '0' : '2');
    // the notes' table beside it
    const notes = await panel.locator('.cmp-notes').textContent();
    for (const s of ['写入内存', '17 ms', '写入mmap', '18 ms', '写入文件', '2685 ms', 'OS X', 'probes\' overhead']) assert.ok(notes.includes(s), s + ' in ' + notes);
    assert.deepEqual(page.ipclabLog.pageErrors, []);
    assert.deepEqual(page.ipclabLog.csp, []);
    await shots('en');
  });

  test('中文: the labels in Chinese, the same numbers', async () => {
    await open(FIXTURE, 'zh');
    const panel = page.locator('#compare-panel');
    assert.equal(await panel.locator('h2').textContent(), '各机制对比');
    const heads = await panel.locator('table.cmp-table').first().locator('thead th').allTextContents();
    for (const s of ['机制', '每条消息', '系统调用', '拷贝字节', '睡眠', '自愿切换', '非自愿切换', '缺页', '时间（ms）']) assert.ok(heads.includes(s), s + ' in ' + heads.join('|'));
    const rows = await panel.locator('table.cmp-table').first().locator('tbody th').allTextContents();
    assert.deepEqual(rows, ['管道', 'FIFO', 'Unix 流式套接字', 'Unix 数据报套接字', '消息队列', '共享映射区']);
    assert.ok((await panel.locator('.cmp-notes h3').textContent()).includes('讲义中的速度表'));
    assert.ok((await panel.locator('svg.cmp-chart[data-chart="copies"]').getAttribute('aria-label')).includes('每传送一个字节内核拷贝的字节数'));
    assert.equal((await cells(64)).pipe.bytes.text, '128');
    assert.deepEqual(page.ipclabLog.pageErrors, []);
    await shots('zh');
  });

  test('1 MiB: "1 message", the datagram and queue rows say why they are missing, 4 bars', async () => {
    await open(FIXTURE_1M, 'en');
    const panel = page.locator('#compare-panel');
    assert.equal(await panel.locator('h3').first().textContent(), '1 MiB per message: 1 message');
    const absent = panel.locator('tr[data-mech="udgrm"]');
    assert.equal(await absent.getAttribute('data-present'), '0');
    assert.match(await absent.locator('td').textContent(), /skips datagrams over 64 KiB/);
    assert.match(await panel.locator('tr[data-mech="mq"] td').textContent(), /skips queue messages over 8 KiB/);
    const got = await cells(1048576);
    assert.equal(got.pipe.bytes.text, '2097152', 'one MiB in and one out');
    assert.equal(got.shm.bytes.text, '0');
    assert.equal(await panel.locator('svg.cmp-chart[data-chart="time"] rect.cmp-bar').count(), 4);
    assert.equal(await panel.locator('svg.cmp-chart[data-chart="copies"] g').count(), 4);
    await open(FIXTURE_1M, 'zh');
    assert.match(await panel.locator('tr[data-mech="udgrm"] td').textContent(), /跳过大于 64 KiB 的数据报/);
    assert.equal(await panel.locator('h3').first().textContent(), '每条消息 1 MiB：共 1 条');
    assert.deepEqual(page.ipclabLog.pageErrors, []);
  });

  test('a trace of another scenario shows no such panel', async () => {
    await open(OTHER, 'en');
    assert.equal(await page.locator('#compare-panel').isVisible(), false);
    assert.equal(await page.getByText('Mechanisms side by side').count(), 0);
    assert.deepEqual(page.ipclabLog.pageErrors, []);
  });

  test('two traces side by side: the panel shows the compare trace only, as B', async () => {
    await page.goto('about:blank');
    await page.goto(srv.url + '/viz/index.html?trace=/fixtures/' + OTHER + '&trace2=/fixtures/' + FIXTURE + '#lang=en');
    await waitReady(page);
    await afterFrames(page);
    const panel = page.locator('#compare-panel');
    assert.equal(await panel.isVisible(), true);
    assert.deepEqual(await panel.locator('table.cmp-table').evaluateAll((ts) => ts.map((t) => t.dataset.trace)), ['1', '1', '1']);
    assert.match(await panel.locator('h3').first().textContent(), /^B: 64 B per message: 2048 messages$/);
    assert.deepEqual(page.ipclabLog.pageErrors, []);
  });

  test('the self-contained report (the bundle, from file://) has the panel too', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ipclab-viz-compare-'));
    try {
      const file = await makeReport(dir, [{ name: 'compare', text: text() }]);
      await page.goto('about:blank');
      await page.goto('file://' + file);
      await waitReady(page);
      await afterFrames(page);
      assert.equal(await page.locator('#compare-panel h2').textContent(), 'Mechanisms side by side');
      const got = await cells(64);
      assert.ok(close(got.shm.sleeps.value, expected('shm', 64, '64').sleeps));
      assert.equal(got.pipe.bytes.text, '128');
      assert.deepEqual(page.ipclabLog.pageErrors, []);
      assert.deepEqual(page.ipclabLog.csp, []);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
