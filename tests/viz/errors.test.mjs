// Files that are not ipclab traces, or are of a newer format version, get a clear visible
// message — never a blank page — whether they come from ?trace=, the file picker or a
// drop; a good trace loaded before stays on screen.

import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer, launchBrowser, newPage, screenshot, waitReady, VIZ, FIXTURES } from './helpers.mjs';
import { meta, serialize } from './synth.mjs';

const good = () => ({ format: 'ipclab-trace', version: 1, meta: meta(), processes: [{ pid: 5, ppid: 1, comm: 'ok', exe: null, start: 0, exit: null, status: null }], objects: [], claims: [], events: [{ t: 1, pid: 5, tid: 5, type: 'rename', comm: 'ok' }] });

const CASES = [
  { file: 'not-json.json', text: '{"format":"ipclab-trace","version":1,\n"meta":{', expect: /not a valid ipclab trace: the file is not JSON/ },
  { file: 'empty.json', text: '', expect: /not a valid ipclab trace/ },
  { file: 'array.json', text: '[1,2,3]', expect: /not a valid ipclab trace: the document is not a JSON object/ },
  { file: 'other-format.json', text: JSON.stringify({ ...good(), format: 'chrome-trace' }), expect: /"format" is "chrome-trace", not "ipclab-trace"/ },
  { file: 'no-version.json', text: JSON.stringify({ ...good(), version: '1' }), expect: /"version" must be a positive integer/ },
  {
    file: 'version-2.json',
    text: serialize({ ...good(), version: 2 }),
    expect: /this trace is format version 2; this viewer reads version 1/,
    shot: 'error-version-2',
  },
  { file: 'no-events.json', text: JSON.stringify((({ events, ...rest }) => rest)(good())), expect: /"events" is missing/ },
  {
    file: 'bad-event.json',
    text: JSON.stringify({ ...good(), events: [{ t: 5, dur: 1, pid: 5, tid: 5, type: 'pipe_write', obj: null, bytes: 'many', occ_before: 0, occ_after: 0, slots_before: 0, slots_after: 0, slots_max: 16, ring_size: 16 }] }),
    expect: /events\[0\]\.bytes \(pipe_write\) must be an integer/,
  },
  { file: 'span-no-dur.json', text: JSON.stringify({ ...good(), events: [{ t: 5, pid: 5, tid: 5, type: 'syscall', name: 'read', args: [0, 0, 0, 0, 0, 0], ret: 0 }] }), expect: /events\[0\]\.dur \(syscall is a span\)/ },
  { file: 'bad-evidence.json', text: JSON.stringify({ ...good(), claims: [{ id: 'x', text: 'x', status: 'PASS', detail: '', evidence: [7] }] }), expect: /claims\[0\]\.evidence has 7, not an index into events/ },
  { file: 'bad-obj.json', text: JSON.stringify({ ...good(), events: [{ t: 5, dur: 1, pid: 5, tid: 5, type: 'pipe_read', obj: 3, bytes: 0, occ_before: 0, occ_after: 0, slots_before: 0, slots_after: 0, slots_max: 16, ring_size: 16 }] }), expect: /events\[0\]\.obj must be null or the id of a pipe\/FIFO object, found 3/ },
];

describe('invalid traces', () => {
  let srv;
  let ctx;
  let dir;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ipclab-viz-bad-'));
    for (const c of CASES) fs.writeFileSync(path.join(dir, c.file), c.text);
    fs.writeFileSync(path.join(dir, 'good.json'), serialize(good()));
    srv = await startServer({ '/viz/': VIZ, '/bad/': dir, '/fixtures/': FIXTURES });
    ctx = await launchBrowser();
  });
  after(async () => {
    if (ctx) await ctx.close();
    if (srv) await srv.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  const expectError = async (page, file, re) => {
    await waitReady(page, 'error');
    const msg = page.locator('#message');
    assert.ok(await msg.isVisible(), 'the message is visible');
    const text = await msg.textContent();
    assert.match(text, re);
    assert.ok(text.includes(file), 'the message names the file: ' + text);
    assert.equal(await msg.getAttribute('role'), 'alert');
    const box = await msg.boundingBox();
    assert.ok(box.width > 200 && box.height > 20, 'the message has a visible size');
    // not a blank page: the bar and something in main are shown
    assert.ok(await page.locator('.topbar').isVisible());
    assert.ok((await page.locator('#main').innerText()).trim().length > 0, 'main is not empty');
  };

  for (const c of CASES) {
    test('?trace= ' + c.file, async () => {
      const page = await newPage(ctx);
      await page.goto(srv.url + '/viz/index.html?trace=/bad/' + c.file);
      await expectError(page, c.file, c.expect);
      if (c.shot) await screenshot(page, c.shot);
      assert.deepEqual(page.ipclabLog.pageErrors, []);
      await page.close();
    });
  }

  test('a URL that does not exist', async () => {
    const page = await newPage(ctx);
    await page.goto(srv.url + '/viz/index.html?trace=/bad/missing.json');
    await expectError(page, 'missing.json', /could not load the trace: HTTP 404/);
    await page.close();
  });

  test('the version message in Chinese', async () => {
    const page = await newPage(ctx);
    await page.goto(srv.url + '/viz/index.html?trace=/bad/version-2.json#lang=zh');
    await expectError(page, 'version-2.json', /格式版本为 2；本查看器只能读取版本 1/);
    await page.close();
  });

  test('file picker and drop: a bad file keeps the good trace on screen', async () => {
    const page = await newPage(ctx);
    await page.goto(srv.url + '/viz/index.html');
    await waitReady(page, 'empty');
    assert.ok(await page.locator('#welcome').isVisible(), 'welcome card');
    await page.setInputFiles('#file-input', path.join(dir, 'good.json'));
    await waitReady(page, 'ready');
    assert.equal(await page.locator('.lane-label.proc .lane-name').first().textContent(), 'ok');
    // drop a version-2 file
    const dt = await page.evaluateHandle((text) => {
      const d = new DataTransfer();
      d.items.add(new File([text], 'dropped-v2.json', { type: 'application/json' }));
      return d;
    }, CASES.find((c) => c.file === 'version-2.json').text);
    await page.dispatchEvent('body', 'drop', { dataTransfer: dt });
    await expectError(page, 'dropped-v2.json', /format version 2/);
    assert.ok(await page.locator('.lane-label.proc').first().isVisible(), 'the good trace is still shown');
    // pick a bad file
    await page.setInputFiles('#file-input', path.join(dir, 'bad-event.json'));
    await expectError(page, 'bad-event.json', /bytes/);
    await page.close();
  });
});
