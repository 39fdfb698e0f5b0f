// The bytes of a copy (issue #14 §2): the selection panel shows what a pipe, socket or
// message-queue event sampled as a hex dump (viz/js/bytes.js), offset, 16 bytes in hex and
// as text, the first 16 bytes and, after a "…", the last 16 at their real offset. The bytes
// come from data_hex / data_tail_hex when the trace wrote them (a byte was dotted in the
// text), else from the text's character codes (docs/trace-format.md).
//
// Traces: pipe_transfer.json from IPCLAB_TRACE_DIR when there, else the fixture (printable
// data); tests/viz/fixtures/bytes_binary.json, a trace of `head -c 4000 /dev/urandom | cat`
// made by `ipclab trace` (binary data: data_hex on every copy).

import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startServer, launchBrowser, newPage, screenshot, waitReady, afterFrames, traceFiles, readJson, VIZ, FIXTURES, ARTIFACTS } from './helpers.mjs';

const TRANSFER = traceFiles().find((f) => path.basename(f) === 'pipe_transfer.json') || path.join(FIXTURES, 'pipe_transfer.json');
const BINARY = path.join(FIXTURES, 'bytes_binary.json');

const codes = (s) => Array.from(s, (c) => c.charCodeAt(0));
const fromHex = (h) => h.match(/../g).map((x) => parseInt(x, 16));
const hexOf = (bs) => bs.map((b) => b.toString(16).padStart(2, '0')).join('');
// What the text of a sample says about its bytes: dots stand for any byte outside
// 0x20..0x7e but newline and tab, which JSON keeps exactly.
const textSays = (bs) => bs.map((b) => ((b >= 0x20 && b < 0x7f) || b === 9 || b === 10 ? String.fromCharCode(b) : '.')).join('');

test('the bytes of a sample: from its hex when there, else the text', async () => {
  const { sampleBytes, copiedBytes, hexRows } = await import(path.join(VIZ, 'js', 'bytes.js'));
  assert.deepEqual(sampleBytes('hi..\n', '686901ff0a'), [0x68, 0x69, 0x01, 0xff, 0x0a]);
  assert.deepEqual(sampleBytes('a"\\\t\n', undefined), [0x61, 0x22, 0x5c, 0x09, 0x0a]);
  // a pipe write of 5000: the tail at 4984; a message of 20 bytes: the tail overlaps the head
  const w = copiedBytes({ type: 'pipe_write', bytes: 5000, data: 'd'.repeat(16), data_tail: 'e'.repeat(16) });
  assert.deepEqual([w.total, w.head.offset, w.tail.offset], [5000, 0, 4984]);
  const q = copiedBytes({ type: 'mq_recv', bytes: 20, data: 'message of 20 b', data_tail: 'ssage of 20 byte' });
  assert.equal(q.tail.offset, 4);
  assert.equal(copiedBytes({ type: 'pipe_read', bytes: 0 }), null);
  // a '.' with no hex: exact in a trace of this ipclab, maybe a dotted byte in an older one
  assert.equal(copiedBytes({ bytes: 9, data: 'hello.txt' }).unsure, true);
  assert.equal(copiedBytes({ bytes: 2, data: '..', data_hex: '0001' }).unsure, false);
  assert.equal(copiedBytes({ bytes: 20, data: 'a'.repeat(16), data_tail: 'aaa.'.repeat(4) }).unsure, true);
  assert.equal(copiedBytes({ bytes: 20, data: 'a'.repeat(16), data_tail: 'a'.repeat(16) }).unsure, false);
  assert.equal(copiedBytes({ type: 'pipe_write', bytes: 3, data: 'abc' }).tail, null);
  const [r] = hexRows(4984, [0x68, 0x69, 0x01, 0xff, 0x0a, 0x41, 0x42, 0x43, 0x44, 0x45]);
  assert.equal(r.offset, 4984);
  assert.equal(r.hex.trimEnd(), '68 69 01 ff 0a 41 42 43  44 45');
  assert.equal(r.text, 'hi...ABCDE');
});

test('the binary fixture: data_hex on every dotted sample, the exact bytes of its text', () => {
  const doc = readJson(BINARY);
  const io = doc.events.filter((e) => e.data);
  assert.ok(io.length >= 2, 'copies with data');
  let hex = 0;
  for (const e of io) {
    for (const k of ['data', 'data_tail']) {
      if (!e[k]) continue;
      if (e[k + '_hex']) {
        hex++;
        assert.equal(textSays(fromHex(e[k + '_hex'])), e[k], k + '_hex of event at ' + e.t);
      } else {
        assert.equal(textSays(codes(e[k])), e[k], k + ' without hex is exact');
      }
    }
  }
  assert.ok(hex >= 2, 'random bytes: some samples carry hex');
});

describe('the bytes copied in the selection panel', () => {
  let srv;
  let ctx;
  let page;
  before(async () => {
    srv = await startServer({ '/viz/': VIZ, '/a/': path.dirname(TRANSFER), '/fixtures/': FIXTURES });
    ctx = await launchBrowser({ viewport: { width: 1400, height: 1000 } });
    page = await newPage(ctx);
  });
  after(async () => {
    if (ctx) await ctx.close();
    if (srv) await srv.close();
  });

  async function select(url, i) {
    await page.goto('about:blank');
    await page.goto(url);
    await waitReady(page);
    await page.evaluate((j) => {
      location.hash += '&sel=' + j;
    }, i);
    await page.waitForFunction((j) => document.getElementById('selection-panel').dataset.ev === String(j), i);
    await afterFrames(page);
    await page.locator('#selection-panel').scrollIntoViewIfNeeded();
  }
  // the panel alone, where the dump can be read (the page shot is mostly timeline)
  const panelShot = (name) => page.locator('#selection-panel').screenshot({ path: path.join(ARTIFACTS, name + '.png') });
  const dump = () =>
    page.evaluate(() => {
      const p = document.getElementById('selection-panel');
      const b = p.querySelector('.bytes-block');
      if (!b) return null;
      return {
        title: b.querySelector('.bytes-title').textContent,
        gap: !!b.querySelector('.bytes-gap'),
        rows: [...b.querySelectorAll('.bytes-row[data-part]')].map((r) => ({
          part: r.dataset.part,
          offset: Number(r.dataset.offset),
          shownOffset: r.querySelector('.bytes-off').textContent.trim(),
          hex: r.querySelector('.bytes-hex').textContent.replace(/\s+/g, ''),
          text: r.querySelector('.bytes-text').textContent,
        })),
        fields: [...p.querySelectorAll('dl.fields:not(.obj-fields) dt')].map((d) => d.textContent),
        unsure: !!b.querySelector('.bytes-unsure'),
      };
    });

  test('a pipe_write of pipe_transfer: the first and last 16 bytes, hex equal to the data, in English and Chinese', async () => {
    const doc = readJson(TRANSFER);
    const i = doc.events.findIndex((e) => e.type === 'pipe_write' && e.data_tail && e.bytes > 32);
    assert.ok(i >= 0, 'a pipe_write with a tail in ' + TRANSFER);
    const e = doc.events[i];
    const titles = {
      en: `Bytes copied: the first 16 and the last 16 of ${e.bytes}`,
      zh: `拷贝的字节：${e.bytes} 字节中的前 16 个和后 16 个`,
    };
    for (const lang of ['en', 'zh']) {
      await select(srv.url + '/viz/index.html?trace=/a/' + path.basename(TRANSFER) + '#lang=' + lang, i);
      const d = await dump();
      assert.ok(d, 'a bytes block');
      assert.equal(d.title, titles[lang]);
      assert.ok(d.gap, 'a "…" between the first and the last bytes');
      assert.deepEqual(
        d.rows.map((r) => [r.part, r.offset, r.shownOffset]),
        [
          ['head', 0, '0'],
          ['tail', e.bytes - 16, String(e.bytes - 16)],
        ],
      );
      assert.equal(d.rows[0].hex, hexOf(codes(e.data)));
      assert.equal(d.rows[1].hex, hexOf(codes(e.data_tail)));
      assert.equal(d.rows[0].text, e.data.replace(/[\n\t]/g, '.'));
      assert.ok(d.fields.includes('data') && d.fields.includes('data_tail'), 'the raw fields are kept');
      assert.ok(!d.unsure, 'no dot, no note');
      await screenshot(page, 'bytes-pipe_write-' + lang);
      await panelShot('bytes-pipe_write-panel-' + lang);
    }
    assert.deepEqual(page.ipclabLog.pageErrors, []);
  });

  test('binary bytes: the dump shows data_hex exactly, not the dots of the text', async () => {
    const doc = readJson(BINARY);
    const i = doc.events.findIndex((e) => e.type === 'pipe_write' && e.data_hex && e.data_tail_hex);
    assert.ok(i >= 0, 'a pipe_write whose head and tail both carry hex');
    const e = doc.events[i];
    for (const lang of ['en', 'zh']) {
      await select(srv.url + '/viz/index.html?trace=/fixtures/bytes_binary.json#lang=' + lang, i);
      const d = await dump();
      assert.ok(d, 'a bytes block');
      const head = d.rows.filter((r) => r.part === 'head');
      const tail = d.rows.filter((r) => r.part === 'tail');
      assert.equal(head.map((r) => r.hex).join(''), e.data_hex);
      assert.equal(tail.map((r) => r.hex).join(''), e.data_tail_hex);
      assert.equal(tail[0].offset, e.bytes - 16);
      // the text column dots what is not printable, newline too (as hexdump -C)
      assert.equal(head[0].text, fromHex(e.data_hex).map((b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join(''));
      assert.ok(!d.fields.includes('data_hex') && !d.fields.includes('data_tail_hex'), 'no second copy of the hex in the fields: ' + d.fields);
      assert.ok(d.fields.includes('data'), 'data kept');
      assert.ok(!d.unsure, 'the hex says what each dot was');
      await screenshot(page, 'bytes-binary-' + lang);
      await panelShot('bytes-binary-panel-' + lang);
    }
    assert.deepEqual(page.ipclabLog.pageErrors, []);
  });
  test('a message and socket copies: all of a short message, the tail of a receive at bytes - 16, the note for dots without hex', async () => {
    const cases = [
      // file, event, title (en), title (zh), rows [part, offset], gap, note
      ['mq_empty_blocks.json', (e) => e.type === 'mq_recv' && e.data === 'hello', 'Bytes copied: all 5', '拷贝的字节：共 5 个，全部列出', [['head', 0]], false, false],
      ['unix_socketpair_transfer.json', (e) => e.type === 'sock_recv' && e.bytes === 8000, 'Bytes copied: the first 16 and the last 16 of 8000', '拷贝的字节：8000 字节中的前 16 个和后 16 个', [['head', 0], ['tail', 7984]], true, false],
      // written before data_hex: its NULs are dots, and the viewer says it cannot tell
      ['unix_dgram_blocks.json', (e) => e.type === 'sock_send' && e.bytes === 100, 'Bytes copied: the first 16 and the last 16 of 100', '拷贝的字节：100 字节中的前 16 个和后 16 个', [['head', 0], ['tail', 84]], true, true],
    ];
    for (const [file, which, en, zh, rows, gap, unsure] of cases) {
      const doc = readJson(path.join(FIXTURES, file));
      const i = doc.events.findIndex(which);
      assert.ok(i >= 0, file);
      const e = doc.events[i];
      for (const [lang, title] of [['en', en], ['zh', zh]]) {
        await select(srv.url + '/viz/index.html?trace=/fixtures/' + file + '#lang=' + lang, i);
        const d = await dump();
        assert.ok(d, file + ': a bytes block');
        assert.equal(d.title, title);
        assert.deepEqual(d.rows.map((r) => [r.part, r.offset]), rows, file);
        assert.equal(d.gap, gap, file + ': the gap');
        assert.equal(d.unsure, unsure, file + ': the note on dots');
        assert.equal(d.rows[0].hex, hexOf(codes(e.data)));
        if (e.data_tail) assert.equal(d.rows[1].hex, hexOf(codes(e.data_tail)));
      }
      await panelShot('bytes-' + e.type + '-' + path.basename(file, '.json') + '-zh');
    }
    assert.deepEqual(page.ipclabLog.pageErrors, []);
  });
});
