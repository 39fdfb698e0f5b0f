// Step by step (issue #14 §2): the next/previous event keys and buttons move the cursor
// and the selection through the events in time (every lane, or the picked event's lane
// only), play steps forward until paused or at the end, and the claims walk visits each
// claim's first evidence event in order, in English and in Chinese.
//
// The expected orders are computed here from the trace's JSON: every event the timeline
// draws in a process lane (not the faults outside mappings, hidden by default) by time,
// ties by index. On tests/viz/fixtures/pipe_transfer.json, and the walk on every trace in
// IPCLAB_TRACE_DIR too. With IPCLAB_STEP_SHOTS=DIR it saves the walk's screenshots there.

import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startServer, launchBrowser, newPage, waitReady, afterFrames, traceFiles, readJson, VIZ, FIXTURES, TRACE_DIR } from './helpers.mjs';

const FIX = 'pipe_transfer.json';
const SHOTS = process.env.IPCLAB_STEP_SHOTS || '';

// Event indices in step order (of process `pid` only, when given).
function stepOrder(doc, pid) {
  const keep = (e) => !(e.type === 'fault' && (e.mapping === null || e.mapping === undefined)) && (pid === undefined || e.pid === pid);
  return doc.events
    .map((e, i) => i)
    .filter((i) => keep(doc.events[i]))
    .sort((a, b) => doc.events[a].t - doc.events[b].t || a - b);
}

const state = (page) =>
  page.evaluate(() => {
    const d = document.getElementById('timeline').dataset;
    const s = document.getElementById('step-panel').dataset;
    return {
      t0: Number(d.t0),
      t1: Number(d.t1),
      cursor: Number(d.cursor),
      selected: d.selected,
      highlighted: d.highlighted,
      panelEv: document.getElementById('selection-panel').dataset.ev,
      playing: s.playing,
      scope: s.scope,
      pos: s.pos,
      posText: document.querySelector('#step-panel .step-pos').textContent,
    };
  });

async function press(page, key) {
  await page.keyboard.press(key);
  await afterFrames(page);
  return state(page);
}

function assertAt(s, doc, i, what) {
  assert.equal(s.selected, '0:' + i, what + ': selected');
  assert.equal(s.cursor, doc.events[i].t, what + ': cursor at the start of event ' + i);
  assert.equal(s.panelEv, String(i), what + ': the selected-event panel shows it');
  assert.ok(s.t0 <= s.cursor && s.cursor <= s.t1, what + ': the cursor is in view');
}

describe('step by step', () => {
  let srv;
  let ctx;
  const doc = readJson(path.join(FIXTURES, FIX));
  before(async () => {
    srv = await startServer({ '/viz/': VIZ, '/fx/': FIXTURES, '/tr/': fs.existsSync(TRACE_DIR) ? TRACE_DIR : FIXTURES });
    ctx = await launchBrowser();
  });
  after(async () => {
    if (ctx) await ctx.close();
    if (srv) await srv.close();
  });
  const open = async (hash = '', trace2 = '') => {
    const page = await newPage(ctx);
    await page.goto(srv.url + '/viz/index.html?trace=/fx/' + FIX + trace2 + hash);
    await waitReady(page);
    await afterFrames(page);
    return page;
  };

  test('next and previous over every lane: keys and buttons, the view follows', async () => {
    const order = stepOrder(doc);
    assert.ok(order.length > 100 && order.length < doc.events.length, 'the fixture has hidden faults');
    const page = await open();
    let s = await state(page);
    assert.equal(s.scope, 'all');
    // zoomed in, so that the view has to pan to keep up
    for (let z = 0; z < 12; z++) await press(page, 'w');
    for (let j = 0; j < order.length; j++) {
      s = await press(page, j % 2 ? '.' : 'n');
      assertAt(s, doc, order[j], 'step ' + j);
      assert.equal(s.pos, String(j + 1));
    }
    s = await press(page, 'n');
    assertAt(s, doc, order[order.length - 1], 'past the end');
    assert.match(s.posText, /end of the trace/);
    for (let j = order.length - 2; j >= order.length - 40; j--) {
      s = await press(page, j % 2 ? ',' : 'p');
      assertAt(s, doc, order[j], 'back ' + j);
    }
    await page.click('#step-next');
    await afterFrames(page);
    assertAt(await state(page), doc, order[order.length - 39], 'next button');
    await page.click('#step-prev');
    await page.click('#step-prev');
    await afterFrames(page);
    assertAt(await state(page), doc, order[order.length - 41], 'previous button');
    assert.deepEqual(page.ipclabLog.pageErrors, []);
    await page.close();
  });

  test('from the cursor: the first event at or after it, the last at or before it', async () => {
    const order = stepOrder(doc);
    const mid = order[Math.floor(order.length / 2)];
    const T = doc.events[mid].t;
    let page = await open('#c=' + T);
    assertAt(await press(page, 'n'), doc, mid, 'n from the cursor');
    await page.close();
    page = await open('#c=' + (T + 1));
    const after = order.filter((i) => doc.events[i].t > T)[0];
    assertAt(await press(page, 'n'), doc, after, 'n from just after');
    await page.close();
    page = await open('#c=' + (T + 1));
    const atOrBefore = order.filter((i) => doc.events[i].t <= T + 1).pop();
    assertAt(await press(page, 'p'), doc, atOrBefore, 'p from just after');
    await page.close();
  });

  test('a picked event confines the steps to its lane, until "All lanes"', async () => {
    // the reader's first pipe_read, picked (as a shared link picks it)
    const first = doc.events.findIndex((e) => e.type === 'pipe_read');
    const pid = doc.events[first].pid;
    const lane = stepOrder(doc, pid);
    const all = stepOrder(doc);
    assert.ok(lane.length < all.length);
    const page = await open('#sel=' + first + '&c=' + doc.events[first].t);
    let s = await state(page);
    assert.equal(s.scope, '0:' + (doc.processes.findIndex((p) => p.pid === pid)), 'the lane of the picked event');
    assert.match(await page.locator('#step-panel .step-scope').textContent(), new RegExp('pid ' + pid + '\\) only'));
    let j = lane.indexOf(first);
    for (let k = 0; k < 8 && j + 1 < lane.length; k++) {
      s = await press(page, 'n');
      assertAt(s, doc, lane[++j], 'lane step ' + k);
      assert.equal(doc.events[lane[j]].pid, pid);
    }
    s = await press(page, 'p');
    assertAt(s, doc, lane[--j], 'lane back');
    // every lane again: the next event in time, of whichever process
    await page.click('#step-all-lanes');
    await afterFrames(page);
    assert.equal((await state(page)).scope, 'all');
    s = await press(page, 'n');
    assertAt(s, doc, all[all.indexOf(lane[j]) + 1], 'all lanes again');
    // Esc clears the selection and the scope
    s = await press(page, 'Escape');
    assert.equal(s.scope, 'all');
    await page.close();
  });

  test('play steps forward, Space pauses, and it stops at the end', async () => {
    const order = stepOrder(doc);
    let page = await open();
    // Space on a focused claim shows the claim, and does not play
    await page.focus('li.claim');
    let s = await press(page, ' ');
    assert.equal(s.playing, '0', 'Space on a claim');
    assert.equal(s.highlighted, doc.claims[0].evidence.join(','));
    s = await press(page, 'Escape');
    const k0 = order.findIndex((i) => doc.events[i].t >= s.cursor); // play starts there
    await page.selectOption('#step-speed', '20');
    // Space on the focused Play button presses it (once), Space elsewhere toggles too
    await page.focus('#step-play');
    s = await press(page, ' ');
    assert.equal(s.playing, '1');
    assert.equal(await page.locator('#step-play').textContent(), '❚❚ Pause');
    await page.evaluate(() => document.activeElement && document.activeElement.blur());
    await page.waitForTimeout(700);
    s = await press(page, ' ');
    assert.equal(s.playing, '0');
    const k = Number(s.pos);
    assert.ok(k - k0 >= 3 && k - k0 <= 20, 'about 20 steps a second: ' + (k - k0) + ' in 0.7 s');
    assertAt(s, doc, order[k - 1], 'paused');
    await page.waitForTimeout(400);
    assert.equal((await state(page)).cursor, s.cursor, 'paused: the cursor stays');
    assert.deepEqual(page.ipclabLog.pageErrors, []);
    await page.close();
    // from 4 events before the end (picked, then every lane), the button: it stops there
    const near = order[order.length - 5];
    page = await open('#sel=' + near + '&c=' + doc.events[near].t);
    await page.click('#step-all-lanes');
    await page.selectOption('#step-speed', '20');
    await page.click('#step-play');
    // (data-playing is drawn on the next frame: wait for the cursor on the last event too)
    await page.waitForFunction(
      (T) => document.getElementById('step-panel').dataset.playing === '0' && document.getElementById('timeline').dataset.cursor === String(T),
      doc.events[order[order.length - 1]].t,
      { timeout: 5000 },
    );
    await afterFrames(page);
    s = await state(page);
    assertAt(s, doc, order[order.length - 1], 'played to the end');
    assert.match(s.posText, /end of the trace/);
    assert.equal(await page.locator('#step-play').textContent(), '▶ Play');
    assert.deepEqual(page.ipclabLog.pageErrors, []);
    await page.close();
  });

  test('compare mode: both traces by time, A before B at equal times', async () => {
    const order = stepOrder(doc);
    const page = await open('', '&trace2=/fx/' + FIX);
    for (let j = 0; j < 13; j++) {
      const s = await press(page, 'n');
      const i = order[j >> 1];
      assert.equal(s.selected, (j & 1) + ':' + i, 'step ' + j);
      assert.equal(s.cursor, doc.events[i].t);
    }
    // back from A's 7th event: B's 6th, then A's 6th
    assert.equal((await press(page, 'p')).selected, '1:' + order[5]);
    assert.equal((await press(page, 'p')).selected, '0:' + order[5]);
    await page.close();
  });

  // The walk on one trace, in English and then (switching the language on the way) in
  // Chinese, backwards. The buttons are clicked in the page (one round trip a claim).
  async function walk(page, tr, name) {
    const n = tr.claims.length;
    for (let k = 0; k < n; k++) checkClaim(await clickAndRead(page, k ? '#walk-next' : '#walk-btn'), tr, k, 'en', name);
    assert.ok(await page.locator('#walk-next').isDisabled(), 'no next claim after the last');
    await page.click('button.lang[data-lang="zh"]');
    await page.waitForFunction(() => document.documentElement.lang === 'zh-CN');
    for (let k = n - 1; k >= 0; k--) checkClaim(await clickAndRead(page, k < n - 1 ? '#walk-prev' : null), tr, k, 'zh', name);
    assert.ok(await page.locator('#walk-prev').isDisabled(), 'no previous claim before the first');
    await page.click('#walk-close');
    await afterFrames(page);
    assert.ok(await page.locator('#walk-panel').isHidden());
  }

  // Click `sel` (if given), let the page draw, and read the walk panel and the view.
  async function clickAndRead(page, sel) {
    return page.evaluate(async (q) => {
      if (q) document.querySelector(q).click();
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      const p = document.getElementById('walk-panel');
      const d = document.getElementById('timeline').dataset;
      const active = [...document.querySelectorAll('li.claim[aria-pressed="true"]')].map((li) => li.dataset.claimId);
      return {
        walk: { ...p.dataset, hidden: p.hidden, title: p.querySelector('.walk-title').textContent, text: p.querySelector('.walk-text').textContent, detail: p.querySelector('.walk-detail').textContent },
        active,
        s: {
          t0: Number(d.t0),
          t1: Number(d.t1),
          cursor: Number(d.cursor),
          selected: d.selected,
          highlighted: d.highlighted,
          panelEv: document.getElementById('selection-panel').dataset.ev,
        },
      };
    }, sel);
  }

  function checkClaim({ walk: w, active, s }, tr, k, lang, name) {
    const c = tr.claims[k];
    const n = tr.claims.length;
    const what = name + ' ' + lang + ' claim ' + (k + 1) + ' ' + c.id;
    assert.equal(w.hidden, false, what);
    assert.equal(w.index, String(k), what);
    assert.equal(w.claimId, c.id, what);
    assert.equal(w.title, lang === 'zh' ? '结论 ' + (k + 1) + ' / ' + n : 'Claim ' + (k + 1) + ' of ' + n, what);
    const zhText = typeof c.text_zh === 'string' && c.text_zh ? c.text_zh : c.text;
    assert.equal(w.text, lang === 'zh' ? zhText : c.text, what);
    const zhDetail = typeof c.detail_zh === 'string' && c.detail_zh ? c.detail_zh : c.detail;
    assert.equal(w.detail, lang === 'zh' ? zhDetail : c.detail, what + ': its detail');
    assert.equal(s.highlighted, c.evidence.join(','), what + ': its evidence highlighted');
    assert.deepEqual(active, [c.id], what + ': active in the claims panel');
    if (c.evidence.length) assertAt(s, tr, c.evidence[0], what);
    else assert.equal(s.selected, '', what + ': nothing selected');
  }

  test('the claims walk on the fixture, in English and Chinese', async () => {
    const page = await open();
    await walk(page, doc, FIX);
    assert.deepEqual(page.ipclabLog.pageErrors, []);
    await page.close();
  });

  // Two traces side by side: the walk visits A's claims, then B's, each tagged with its
  // trace, its evidence selected in that trace, and back again in 中文.
  test('the claims walk in compare mode: every claim of A, then of B, each with its trace', async () => {
    const OTHER = 'pipe_write_blocks.json';
    const docB = readJson(path.join(FIXTURES, OTHER));
    const steps = [...doc.claims.map((c, ci) => ({ mi: 0, ci, c, tr: doc })), ...docB.claims.map((c, ci) => ({ mi: 1, ci, c, tr: docB }))];
    const page = await open('', '&trace2=/fx/' + OTHER);
    const walkBtn = page.locator('#walk-btn');
    await walkBtn.scrollIntoViewIfNeeded();
    const read = async (sel) => {
      const r = await clickAndRead(page, sel);
      r.activeTrace = await page.$$eval('li.claim[aria-pressed="true"]', (els) => els.map((li) => li.dataset.trace));
      r.selTrace = await page.locator('#selection-panel').getAttribute('data-trace');
      r.head = (await page.locator('#walk-panel .walk-head').evaluate((h) => [...h.children].slice(0, 3).map((c) => c.textContent))).join(' ');
      return r;
    };
    const check = ({ walk: w, active, activeTrace, selTrace, head, s }, k, lang) => {
      const { mi, ci, c, tr } = steps[k];
      const what = lang + ' walk step ' + k + ' (' + 'AB'[mi] + ' claim ' + c.id + ')';
      assert.equal(w.hidden, false, what);
      assert.equal(w.index, String(k), what);
      assert.equal(w.trace, String(mi), what + ': its trace');
      assert.equal(w.claimId, c.id, what);
      const n = tr.claims.length;
      assert.equal(w.title, lang === 'zh' ? '结论 ' + (ci + 1) + ' / ' + n : 'Claim ' + (ci + 1) + ' of ' + n, what);
      assert.equal(head, 'AB'[mi] + ' ' + tr.meta.scenario + ' ' + w.title, what + ': the head says the trace, by its letter and its scenario');
      assert.deepEqual(active, [c.id], what + ': the one active claim');
      assert.deepEqual(activeTrace, [String(mi)], what + ": active in its trace's claims panel");
      assert.equal(s.highlighted, c.evidence.join(','), what + ': its evidence highlighted');
      if (c.evidence.length) {
        assert.equal(s.selected, mi + ':' + c.evidence[0], what + ': its first evidence selected, in its trace');
        assert.equal(s.cursor, tr.events[c.evidence[0]].t, what + ': the cursor at its start');
        assert.ok(s.t0 <= s.cursor && s.cursor <= s.t1, what + ': the cursor is in view');
        assert.equal(s.panelEv, String(c.evidence[0]), what + ': the selected-event panel shows it');
        assert.equal(selTrace, String(mi), what + ': from its trace');
      } else assert.equal(s.selected, '', what + ': nothing selected');
    };
    for (let k = 0; k < steps.length; k++) check(await read(k ? '#walk-next' : '#walk-btn'), k, 'en');
    assert.ok(await page.locator('#walk-next').isDisabled(), 'no next claim after the last of B');
    const zh = page.locator('button.lang[data-lang="zh"]');
    await zh.scrollIntoViewIfNeeded();
    await zh.click();
    await page.waitForFunction(() => document.documentElement.lang === 'zh-CN');
    for (let k = steps.length - 1; k >= 0; k--) check(await read(k < steps.length - 1 ? '#walk-prev' : null), k, 'zh');
    assert.ok(await page.locator('#walk-prev').isDisabled(), 'no previous claim before the first of A');
    assert.deepEqual(page.ipclabLog.pageErrors, []);
    await page.close();
  });

  test('the claims walk on every trace in IPCLAB_TRACE_DIR', { timeout: 600000 }, async (t) => {
    const files = traceFiles();
    if (!files.length) return t.skip('no traces in ' + TRACE_DIR);
    let walked = 0;
    for (const f of files) {
      const tr = readJson(f);
      const page = await newPage(ctx);
      await page.goto(srv.url + '/viz/index.html?trace=/tr/' + path.basename(f));
      await waitReady(page, 'ready', 60000);
      if (tr.claims.length) {
        await walk(page, tr, path.basename(f));
        walked++;
      } else {
        assert.ok(await page.locator('#walk-btn').isDisabled(), path.basename(f) + ': no claims, no walk');
      }
      assert.deepEqual(page.ipclabLog.pageErrors, [], path.basename(f));
      await page.close();
    }
    assert.ok(walked > 0);
  });

  test('screenshots of the walk (IPCLAB_STEP_SHOTS)', async (t) => {
    if (!SHOTS) return t.skip('IPCLAB_STEP_SHOTS not set');
    const name = traceFiles().find((f) => path.basename(f) === 'pipe_write_blocks.json') ? 'pipe_write_blocks.json' : null;
    fs.mkdirSync(SHOTS, { recursive: true });
    for (const width of [1400, 1000]) {
      for (const lang of ['en', 'zh']) {
        const page = await newPage(ctx);
        await page.setViewportSize({ width, height: 1000 });
        await page.goto(srv.url + '/viz/index.html?trace=' + (name ? '/tr/' + name : '/fx/' + FIX) + (lang === 'zh' ? '#lang=zh' : ''));
        await waitReady(page);
        await page.click('#walk-btn');
        await page.click('#walk-next');
        await afterFrames(page);
        await page.screenshot({ path: path.join(SHOTS, 'walk-' + width + '-' + lang + '.png') });
        await page.close();
      }
    }
  });
});
