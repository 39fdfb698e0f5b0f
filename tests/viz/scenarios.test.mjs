// Every scenario trace in IPCLAB_TRACE_DIR (default /tmp/tt) opened in headless Chromium:
// lanes, kernel buffer capacity and peak, copies, claims, the ring at scrubbed cursor
// times, claim evidence highlighting, the tooltip. Screenshots go to build/viz-artifacts/:
// scenario-NAME.png, and scenario-NAME-zh.png of the same page switched to 中文.

import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startServer, launchBrowser, newPage, traceFiles, readJson, screenshot, waitReady, axisBox, setHashView, afterFrames, VIZ, TRACE_DIR } from './helpers.mjs';
import { occupancyAt, maxOccupancy, copies, pipeObjects, duration } from './reference.mjs';

const { MAX_ARROWS } = await import(path.join(VIZ, 'js', 'copies.js'));

const files = traceFiles();

// Press the language button and wait for the redraw, in one round trip to the page (a
// DOM click: Playwright's click with its checks took three times as long, ~150 ms a switch).
async function switchLanguage(page, lang) {
  const got = await page.evaluate(async (l) => {
    document.querySelector('button.lang[data-lang="' + l + '"]').click();
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    return document.documentElement.dataset.lang;
  }, lang);
  assert.equal(got, lang, 'switched to ' + lang);
}

describe('scenario traces from ' + TRACE_DIR, () => {
  let srv;
  let ctx;
  let zhMs = 0; // what the Chinese screenshots cost, in all
  before(async () => {
    srv = await startServer({ '/viz/': VIZ, '/traces/': TRACE_DIR });
    ctx = await launchBrowser();
  });
  after(async () => {
    if (ctx) await ctx.close();
    if (srv) await srv.close();
    console.log('# the 中文 screenshots took ' + zhMs + ' ms for ' + files.length + ' scenarios');
  });

  test('there are traces to test', () => {
    assert.ok(files.length > 0, 'no *.json in ' + TRACE_DIR + ' (make them with: build/ipclab run -o ' + TRACE_DIR + ')');
  });

  for (const file of files) {
    const name = path.basename(file, '.json');
    test(name, { timeout: 180000 }, async () => {
      const trace = readJson(file);
      const page = await newPage(ctx);
      await page.goto(srv.url + '/viz/index.html?trace=/traces/' + encodeURIComponent(path.basename(file)));
      await waitReady(page);

      // no error, the panels are there
      assert.equal(await page.locator('#message').isVisible(), false, 'an error message is shown');
      for (const sel of ['.lab-panel', '.claims-panel', '#timeline canvas.tl-canvas', '#timeline canvas.tl-axis']) {
        assert.ok(await page.locator(sel).first().isVisible(), sel + ' is visible');
      }

      // lanes: one per process, with its name and pid
      const lanes = await page.$$eval('.tl-track .lane-label.proc', (els) => els.map((e) => ({ pid: Number(e.dataset.pid), text: e.textContent })));
      assert.equal(lanes.length, trace.processes.length, 'one lane per process');
      for (const p of trace.processes) {
        const lane = lanes.find((l) => l.pid === p.pid);
        assert.ok(lane, 'lane for pid ' + p.pid);
        assert.ok(lane.text.includes(p.comm), 'lane ' + p.pid + ' shows "' + p.comm + '"');
        assert.ok(lane.text.includes(String(p.pid)), 'lane shows the pid');
      }

      // kernel buffer: capacity and peak per pipe
      for (const o of pipeObjects(trace)) {
        const card = page.locator('.ring-card[data-obj="' + o.id + '"]');
        const ds = await card.evaluate((e) => ({ ...e.dataset }));
        const peak = maxOccupancy(trace, o.id);
        assert.equal(Number(ds.capacity), o.capacity, 'pipe ' + o.id + ' capacity');
        assert.equal(Number(ds.maxOcc), peak.occ, 'pipe ' + o.id + ' peak bytes');
        assert.equal(Number(ds.maxSlots), peak.slots, 'pipe ' + o.id + ' peak slots');
        assert.ok(await page.locator('.lane-label.buffer[data-obj="' + o.id + '"]').isVisible(), 'buffer lane for pipe ' + o.id);
      }

      // copies: one arrow per positive-byte read/write; all drawn in the whole-trace view,
      // unless there are more than MAX_ARROWS (unix_capacity, unix_reliable: the view
      // says how many, zooming in shows them)
      const track = await page.locator('.tl-track').first().evaluate((e) => ({ ...e.dataset }));
      const n = copies(trace);
      assert.equal(Number(track.copies), n, 'copies');
      assert.equal(Number(track.copiesDrawn), n <= MAX_ARROWS ? n : 0, 'copy arrows drawn in the whole view');

      // claims: every claim with its status
      const claims = await page.$$eval('li.claim', (els) => els.map((e) => ({ id: e.dataset.claimId, status: e.dataset.status, text: e.textContent, badge: e.querySelector('.badge').textContent })));
      assert.equal(claims.length, trace.claims.length, 'claims listed');
      trace.claims.forEach((c, i) => {
        assert.equal(claims[i].id, c.id);
        assert.equal(claims[i].status, c.status);
        assert.equal(claims[i].badge, c.status);
        assert.ok(claims[i].text.includes(c.text), 'claim text of ' + c.id);
      });

      await screenshot(page, 'scenario-' + name);
      // the same page in 中文 (the language switch rebuilds the panels, the trace stays
      // loaded), then back to English for the checks below
      const zhStart = Date.now();
      await switchLanguage(page, 'zh');
      assert.equal(await page.locator('.claims-panel h2').first().textContent(), '结论检查', 'the claims panel in Chinese');
      await screenshot(page, 'scenario-' + name + '-zh');
      await switchLanguage(page, 'en');
      zhMs += Date.now() - zhStart;

      // scrub the cursor: whole view at several fractions of the axis, then zoomed in
      // around interesting pipe events (at, just before and inside them)
      const checkRing = async (label) => {
        await afterFrames(page);
        const T = Number(await page.locator('#timeline').getAttribute('data-cursor'));
        for (const o of pipeObjects(trace)) {
          const ds = await page.locator('.ring-card[data-obj="' + o.id + '"]').evaluate((e) => ({ ...e.dataset }));
          assert.equal(Number(ds.t), T, label + ': the ring shows the cursor time');
          const want = occupancyAt(trace, o.id, T);
          assert.equal(Number(ds.occBytes), want.occ, label + ': bytes in pipe ' + o.id + ' at ' + T + ' ns');
          assert.equal(Number(ds.slots), want.slots, label + ': slots of pipe ' + o.id + ' at ' + T + ' ns');
          assert.equal(Number(ds.ev), want.ev, label + ': state taken from event ' + want.ev);
        }
        return T;
      };
      // the mouse acts only inside the viewport: bring the timeline up (unix_server_client's
      // eight claims push it below the fold of the 1000 px window)
      await page.locator('#timeline canvas.tl-axis').scrollIntoViewIfNeeded();
      let ax = await axisBox(page);
      for (const f of [0.05, 0.25, 0.5, 0.75, 0.95]) {
        await page.mouse.click(ax.left + ax.width * f, ax.top + ax.height / 2);
        await checkRing('whole view ' + f);
      }
      // drag along the axis
      await page.mouse.move(ax.left + ax.width * 0.2, ax.top + 10);
      await page.mouse.down();
      for (let k = 1; k <= 8; k++) await page.mouse.move(ax.left + ax.width * (0.2 + k * 0.07), ax.top + 10);
      await page.mouse.up();
      const dragged = await checkRing('after dragging the cursor');
      assert.ok(dragged > ax.t0 + (ax.t1 - ax.t0) * 0.7, 'the cursor followed the drag');

      const pipeEv = trace.events.map((e, i) => [e, i]).filter(([e]) => (e.type === 'pipe_read' || e.type === 'pipe_write') && e.obj !== null);
      const picks = new Set([0, pipeEv.length - 1, Math.floor(pipeEv.length / 2)]);
      pipeEv.forEach(([e], k) => {
        if (e.dur > 1000000) picks.add(k); // calls that slept
      });
      let checked = 0;
      for (const k of [...picks].filter((k) => k >= 0 && k < pipeEv.length).slice(0, 6)) {
        const [e] = pipeEv[k];
        for (const T of [e.t - 1, e.t + e.dur / 2, e.t + e.dur]) {
          const w = Math.max(400, e.dur * 0.6);
          const view = await setHashView(page, T - w, T + w);
          assert.ok(view.t0 < T && T < view.t1, 'view ' + view.t0 + '..' + view.t1 + ' shows ' + T);
          ax = await axisBox(page);
          const x = ax.left + ((T - ax.t0) / (ax.t1 - ax.t0)) * ax.width;
          await page.mouse.click(x, ax.top + ax.height / 2);
          const got = await checkRing('around event at ' + e.t);
          assert.ok(Math.abs(got - T) <= (ax.t1 - ax.t0) / ax.width + 1, 'cursor placed at ' + T + ' (got ' + got + ')');
          checked++;
        }
      }
      assert.ok(checked > 0 || pipeEv.length === 0);

      // hover a pipe event: the tooltip shows its fields
      if (pipeEv.length) {
        const [e, i] = pipeEv[0];
        const mid = e.t + e.dur / 2;
        await setHashView(page, mid - Math.max(e.dur, 2000), mid + Math.max(e.dur, 2000));
        // a lane below the fold (unix_capacity: a pipe and a socket lane) is scrolled up first
        await page.locator('.tl-track .lane-label.proc[data-pid="' + e.pid + '"]').scrollIntoViewIfNeeded();
        ax = await axisBox(page);
        const lane = await page.locator('.tl-track .lane-label.proc[data-pid="' + e.pid + '"]').boundingBox();
        await page.mouse.move(ax.left + ((mid - ax.t0) / (ax.t1 - ax.t0)) * ax.width, lane.y + 12 + 4);
        await page.waitForSelector('#tooltip:not([hidden])');
        const tip = await page.locator('#tooltip').textContent();
        assert.ok(tip.startsWith('#' + i + '  ' + e.type), 'tooltip names event #' + i + ': ' + tip.slice(0, 80));
        assert.ok(tip.includes('occ_after: ' + e.occ_after), 'tooltip lists occ_after');
        await page.mouse.move(0, 0);
      }

      // clicking a claim jumps to and highlights its evidence
      let shot = false;
      for (let ci = 0; ci < trace.claims.length; ci++) {
        const c = trace.claims[ci];
        await page.locator('li.claim').nth(ci).click();
        await page.waitForFunction((id) => document.querySelector('li.claim.active') && document.querySelector('li.claim.active').dataset.claimId === id, c.id);
        const want = c.evidence.join(',');
        await page.waitForFunction((w) => document.getElementById('timeline').dataset.highlighted === w, want);
        if (c.evidence.length) {
          const tl = await page.locator('#timeline').evaluate((e) => ({ t0: Number(e.dataset.t0), t1: Number(e.dataset.t1), sel: e.dataset.selected }));
          const lo = Math.min(...c.evidence.map((i) => trace.events[i].t));
          const hi = Math.max(...c.evidence.map((i) => trace.events[i].t + (trace.events[i].dur || 0)));
          assert.ok(tl.t0 <= lo && tl.t1 >= hi, 'view ' + tl.t0 + '..' + tl.t1 + ' covers the evidence ' + lo + '..' + hi);
          assert.equal(tl.sel, '0:' + c.evidence[0], 'first evidence event selected');
          assert.equal(await page.locator('#selection-panel').getAttribute('data-ev'), String(c.evidence[0]));
          if (!shot) {
            await page.waitForTimeout(50);
            await screenshot(page, 'scenario-' + name + '-claim-' + c.id.replace(/[^\w-]/g, '_'));
            shot = true;
          }
        }
      }

      assert.deepEqual(page.ipclabLog.pageErrors, [], 'page errors');
      assert.deepEqual(page.ipclabLog.csp, [], 'CSP violations');
      assert.deepEqual(page.ipclabLog.dialogs, [], 'dialogs');
      assert.ok(duration(trace) > 0);
      await page.close();
    });
  }
});
