// Text from traced programs is attacker-controlled: process names, paths, data samples,
// claim text. It must show as text, fire no script and inject no element, both in the
// served viewer and in the self-contained report. The viewer's code never uses HTML
// sinks at all.

import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer, launchBrowser, newPage, screenshot, waitReady, makeReport, afterFrames, setHashView, VIZ } from './helpers.mjs';
import { evilTrace, serialize, EVIL_COMM, EVIL_PATH } from './synth.mjs';

const SINKS = /\b(innerHTML|outerHTML|insertAdjacentHTML|document\.write|createContextualFragment|DOMParser|srcdoc|eval\s*\(|new\s+Function|setTimeout\s*\(\s*['"`]|setInterval\s*\(\s*['"`])/;

test('viz/js uses no HTML sinks and no eval', () => {
  const dir = path.join(VIZ, 'js');
  // the core and the mechanism modules (js/mech/)
  const files = fs.readdirSync(dir, { recursive: true }).filter((f) => f.endsWith('.js'));
  assert.ok(files.includes(path.join('mech', 'unix.js')), 'mechanism modules are checked too');
  for (const f of files) {
    const src = fs.readFileSync(path.join(dir, f), 'utf8');
    const m = SINKS.exec(src);
    assert.equal(m, null, f + ' uses ' + (m && m[0]));
  }
});

test('index.html has the strict CSP', () => {
  const html = fs.readFileSync(path.join(VIZ, 'index.html'), 'utf8');
  const m = /http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(html);
  assert.ok(m, 'CSP meta tag');
  assert.equal(m[1], "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'");
  assert.ok(!/unsafe-/.test(html));
  assert.ok(!/<script>|<style>|\sstyle=|\son\w+=/i.test(html), 'no inline script, style or handler');
});

describe('hostile text in a trace', () => {
  let srv;
  let ctx;
  let dir;
  const trace = evilTrace();
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ipclab-viz-evil-'));
    fs.writeFileSync(path.join(dir, 'evil.json'), serialize(trace));
    srv = await startServer({ '/viz/': VIZ, '/t/': dir });
    ctx = await launchBrowser();
  });
  after(async () => {
    if (ctx) await ctx.close();
    if (srv) await srv.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  const exercise = async (page, label, scriptsExpected) => {
    await waitReady(page);
    // poke everything that shows trace text: claims, hover, selection, language
    await page.locator('li.claim').first().click();
    await afterFrames(page);
    await setHashView(page, 1800, 4200);
    const canvas = await page.locator('.tl-canvas').boundingBox();
    const lane = await page.locator('.lane-label.proc').first().boundingBox();
    for (let x = canvas.x + 5; x < canvas.x + canvas.width; x += 25) {
      await page.mouse.move(x, lane.y + 16);
    }
    await page.mouse.click(canvas.x + canvas.width * ((2150 - 1800) / 2400), lane.y + 16);
    await afterFrames(page);
    await page.locator('button[data-lang="zh"]').click();
    await afterFrames(page);
    await page.locator('button[data-lang="en"]').click();
    await page.waitForTimeout(300);

    assert.deepEqual(page.ipclabLog.dialogs, [], label + ': no dialog');
    assert.deepEqual(page.ipclabLog.pageErrors, [], label + ': no page error');
    const injected = await page.evaluate(() => document.querySelectorAll('img, svg, iframe, b, i, object, embed').length);
    assert.equal(injected, 0, label + ': no element injected');
    assert.equal(await page.evaluate(() => document.scripts.length), scriptsExpected, label + ': no script added');
    const flagged = await page.evaluate(() => window.__pwned || null);
    assert.equal(flagged, null);

    // the text is there, as text
    const lanes = await page.$$eval('.lane-label.proc .lane-name', (els) => els.map((e) => e.textContent));
    assert.ok(lanes.includes(EVIL_COMM), label + ': the process name shows literally: ' + lanes);
    assert.ok(lanes.includes('<svg onload=alert(3)>'));
    const body = await page.evaluate(() => document.body.innerText);
    assert.ok(body.includes('<img src=x onerror=alert(10)>'), label + ': claim text as text');
    assert.ok(body.includes('</script><script>alert(11)</script>'), label + ': claim detail as text');
    assert.ok(body.includes('sh -c "</script><script>alert(6)</script>"'), label + ': command as text');
    assert.ok(body.includes('<img src=x onerror=alert(9)>规则'), label + ': rule_zh as text');
    assert.ok(body.includes(EVIL_PATH), label + ': FIFO path as text');
    // the selected pipe_write shows its data sample
    const sel = await page.locator('#selection-panel').innerText();
    assert.ok(sel.includes('"<b>bold</b>&lt;"'), label + ': data sample as text: ' + sel);
  };

  test('served viewer', async () => {
    const page = await newPage(ctx);
    await page.goto(srv.url + '/viz/index.html?trace=/t/evil.json');
    await exercise(page, 'served', 1);
    // the tooltip holds text only
    const canvas = await page.locator('.tl-canvas').boundingBox();
    const lane = await page.locator('.lane-label.proc').first().boundingBox();
    await page.mouse.move(canvas.x + canvas.width * ((2150 - 1800) / 2400), lane.y + 16);
    await page.waitForSelector('#tooltip:not([hidden])');
    assert.equal(await page.locator('#tooltip').evaluate((e) => e.childElementCount), 0);
    assert.ok((await page.locator('#tooltip').textContent()).includes('<b>bold</b>'));
    await screenshot(page, 'security-served');
    assert.deepEqual(page.ipclabLog.csp, []);
    await page.close();
  });

  test('self-contained report', async () => {
    const file = await makeReport(dir, [{ name: 'evil "</script><img src=x onerror=alert(12)>.json', text: serialize(trace) }]);
    const page = await newPage(ctx);
    await page.goto('file://' + file);
    await exercise(page, 'report', 2);
    assert.deepEqual(page.ipclabLog.csp, [], 'no CSP violation');
    await screenshot(page, 'security-report');
    await page.close();
  });
});
