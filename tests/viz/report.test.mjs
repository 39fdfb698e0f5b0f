// The self-contained report: viz/build.mjs's bundle, stylesheet and template, filled in
// the way the C side fills it, opened from a file:// URL with no server: the panels
// show, the strict hash-based CSP holds, nothing is fetched.

import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { launchBrowser, newPage, screenshot, waitReady, makeReport, traceFiles, readJson, VIZ, FIXTURES } from './helpers.mjs';
import { copies } from './reference.mjs';

const sha = (s) => "'sha256-" + crypto.createHash('sha256').update(s, 'utf8').digest('base64') + "'";

describe('self-contained report', () => {
  let ctx;
  let dir;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ipclab-viz-report-'));
    ctx = await launchBrowser();
  });
  after(async () => {
    if (ctx) await ctx.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  test('node viz/build.mjs OUTDIR writes the four files', () => {
    const out = path.join(dir, 'cli');
    execFileSync(process.execPath, [path.join(VIZ, 'build.mjs'), out], { stdio: 'pipe' });
    const names = fs.readdirSync(out).sort();
    assert.deepEqual(names, ['csp-hashes.txt', 'report-template.html', 'viewer.bundle.js', 'viewer.css']);
    const js = fs.readFileSync(path.join(out, 'viewer.bundle.js'), 'utf8');
    const css = fs.readFileSync(path.join(out, 'viewer.css'), 'utf8');
    const html = fs.readFileSync(path.join(out, 'report-template.html'), 'utf8');
    const hashes = fs.readFileSync(path.join(out, 'csp-hashes.txt'), 'utf8');
    assert.ok(hashes.includes('script ' + sha(js) + '\n'), 'script hash');
    assert.ok(hashes.includes('style ' + sha(css) + '\n'), 'style hash');
    assert.ok(hashes.includes("policy default-src 'none'; script-src " + sha(js) + '; style-src ' + sha(css) + '; img-src data:\n'), 'policy line');
    for (const p of ['@@CSP@@', '@@CSS@@', '@@JS@@', '@@TRACES@@']) {
      assert.equal(html.split(p).length - 1, 1, p + ' once in the template');
      assert.ok(!js.includes(p) && !css.includes(p), p + ' not in the bundle or CSS');
    }
    assert.ok(/^[\x00-\x7e]*$/.test(js), 'the bundle is ASCII');
    assert.ok(/^[\x00-\x7e]*$/.test(css), 'the CSS is ASCII');
    assert.ok(!/<\/script|<!--|<script/i.test(js), 'nothing in the bundle can end the inline script');
    assert.ok(!/^\s*(import|export)\b/m.test(js), 'no module syntax left');
    // it is a classic script that parses
    new Function(js); // eslint-disable-line no-new-func
    // the template carries the CSP placeholder in a meta tag, the traces before the script
    assert.match(html, /<meta http-equiv="Content-Security-Policy" content="@@CSP@@">/);
    assert.ok(html.indexOf('@@TRACES@@') < html.indexOf('<script>@@JS@@</script>'));
    assert.match(html, /<style>@@CSS@@<\/style>/);
  });

  test('opens from file:// with every panel', async () => {
    const files = traceFiles();
    const src = files.find((f) => f.endsWith('pipe_write_blocks.json')) || files[0] || path.join(FIXTURES, 'mapping_basic.json');
    const trace = readJson(src);
    const file = await makeReport(path.join(dir, 'one'), [{ name: path.basename(src), text: fs.readFileSync(src, 'utf8') }]);
    const page = await newPage(ctx);
    const requests = [];
    page.on('request', (r) => requests.push(r.url()));
    await page.goto('file://' + file);
    await waitReady(page);
    assert.equal(await page.locator('#message').isVisible(), false);
    for (const sel of ['.lab-panel', '.claims-panel', '#timeline canvas.tl-canvas', '#timeline canvas.tl-axis', '#selection-panel']) {
      assert.ok(await page.locator(sel).first().isVisible(), sel + ' is visible');
    }
    assert.equal(await page.locator('.lane-label.proc').count(), trace.processes.length);
    assert.equal(await page.locator('li.claim').count(), trace.claims.length);
    assert.equal(Number(await page.locator('.tl-track').first().getAttribute('data-copies')), copies(trace));
    if (trace.objects.some((o) => o.kind === 'pipe' || o.kind === 'fifo')) assert.ok(await page.locator('.ring-card').first().isVisible());
    // the heading is the scenario (titles.js); the file name adds nothing here
    assert.equal(await page.locator('.trace-name .trace-title').first().textContent(), trace.meta.scenario);
    assert.equal(path.basename(src), trace.meta.scenario + '.json');
    assert.equal(await page.locator('.trace-name .trace-file').count(), 0);
    // interactions work in the report too
    if (trace.claims.length) {
      await page.locator('li.claim').first().click();
      await page.waitForFunction((w) => document.getElementById('timeline').dataset.highlighted === w, trace.claims[0].evidence.join(','));
    }
    await page.keyboard.press('w');
    await page.locator('button[data-lang="zh"]').click();
    await page.waitForFunction(() => document.documentElement.lang === 'zh-CN');
    assert.deepEqual(page.ipclabLog.csp, [], 'no CSP violation');
    assert.deepEqual(page.ipclabLog.errors, [], 'no console error');
    assert.deepEqual(page.ipclabLog.pageErrors, []);
    assert.deepEqual(requests.filter((u) => !u.startsWith('file://') && !u.startsWith('data:')), [], 'nothing fetched');
    await screenshot(page, 'report-single');
    await page.close();
  });

  test('two traces in a report open in compare mode', async () => {
    const files = traceFiles();
    const pick = files.length >= 2 ? files.slice(0, 2) : [path.join(FIXTURES, 'mapping_basic.json'), path.join(FIXTURES, 'mapping_basic.json')];
    const file = await makeReport(
      path.join(dir, 'two'),
      pick.map((f) => ({ name: path.basename(f), text: fs.readFileSync(f, 'utf8') })),
    );
    const page = await newPage(ctx);
    await page.goto('file://' + file);
    await waitReady(page);
    assert.equal(await page.locator('.tl-track').count(), 2);
    assert.equal(await page.locator('.claims-panel').count(), 2);
    const lanes = pick.reduce((s, f) => s + readJson(f).processes.length, 0);
    assert.equal(await page.locator('.lane-label.proc').count(), lanes);
    assert.deepEqual(page.ipclabLog.csp, []);
    await screenshot(page, 'report-compare');
    await page.close();
  });

  test('a report whose trace is a newer version shows the message', async () => {
    const t = readJson(path.join(FIXTURES, 'mapping_basic.json'));
    t.version = 2;
    const file = await makeReport(path.join(dir, 'v2'), [{ name: 'future.json', text: JSON.stringify(t) }]);
    const page = await newPage(ctx);
    await page.goto('file://' + file);
    await waitReady(page, 'error');
    assert.match(await page.locator('#message').textContent(), /future\.json: this trace is format version 2; this viewer reads version 1/);
    assert.deepEqual(page.ipclabLog.csp, []);
    await page.close();
  });
});
