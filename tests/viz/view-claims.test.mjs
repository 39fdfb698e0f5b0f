// `ipclab view TRACE --claims FILE` (issue #15): the server judges the trace with FILE and
// serves the verdicts as claims/0.json; the page shows them in its claims panel in place of
// the trace's own claims, under a note naming FILE, and a claim's evidence and the claims
// walk work on them as on a trace's own. In English and in Chinese, for a file whose claims
// all PASS (docs/labs/pipe_write_blocks/pipe_write_blocks.claims) and one with a FAIL.
// Screenshots: build/viz-artifacts/view-claims-{pass-en,pass-zh,fail-en,fail-zh}.png.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { launchBrowser, newPage, waitReady, afterFrames, REPO, TRACE_DIR, ARTIFACTS } from './helpers.mjs';

const IPCLAB = process.env.IPCLAB_BIN || path.join(REPO, 'build/ipclab');
const TRACE = path.join(TRACE_DIR, 'pipe_write_blocks.json');
const LAB = path.join(REPO, 'docs/labs/pipe_write_blocks/pipe_write_blocks.claims');
const FAILING = `claim writes-18
  text    "The writer writes 18 times"
  text_zh "写者写了 18 次"
  let w = pipe_write where role == "writer"
  expect count(w) >= 18

claim blocks
  text    "The 17th write blocks"
  text_zh "第 17 次写入阻塞"
  let w = pipe_write where role == "writer"
  expect w[17].blocked
`;

// ipclab view with its stdout read for the URL; stop() ends it
async function view(args) {
  const p = spawn(IPCLAB, ['view', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  p.stderr.on('data', (d) => (err += d));
  const url = await new Promise((resolve, reject) => {
    p.stdout.on('data', (d) => resolve(String(d).trim()));
    p.on('exit', (code) => reject(new Error(`ipclab view exited ${code}: ${err}`)));
  });
  return { url, stop: () => p.kill('SIGTERM') };
}

// What the claims panel shows
async function panel(page) {
  return page.evaluate(() => ({
    note: (document.querySelector('.claims-panel .claims-file') || {}).textContent || null,
    summary: document.querySelector('.claims-panel .claims-summary').textContent,
    claims: [...document.querySelectorAll('.claims-panel li.claim')].map((li) => ({
      id: li.dataset.claimId,
      status: li.dataset.status,
      badge: li.querySelector('.badge').textContent,
      text: li.querySelector('.claim-text').textContent,
      detail: li.querySelector('.claim-detail').textContent,
    })),
  }));
}

function sameClaims(got, verdicts, lang, what) {
  assert.deepEqual(
    got.claims.map((c) => c.id),
    verdicts.claims.map((c) => c.id),
    what + ': the file claims, in its order',
  );
  got.claims.forEach((c, i) => {
    const v = verdicts.claims[i];
    assert.equal(c.status, v.status, what + ' ' + c.id);
    assert.equal(c.badge, v.status, what + ' ' + c.id);
    assert.ok(c.text.includes(lang === 'zh' ? v.text_zh : v.text), what + ' ' + c.id + ' text');
    assert.equal(c.detail, lang === 'zh' ? v.detail_zh : v.detail, what + ' ' + c.id + ' detail');
  });
}

// The claims panel alone: what the test is about
async function screenshot(page, name) {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  // clear of the page's sticky header, which would cover the panel's title
  await page.evaluate(() => {
    document.querySelector('.claims-panel').scrollIntoView();
    window.scrollBy(0, -80);
  });
  await page.locator('.claims-panel').screenshot({ path: path.join(ARTIFACTS, name + '.png') });
}

async function toChinese(page) {
  await page.click('button.lang[data-lang="zh"]');
  await page.waitForFunction(() => document.documentElement.lang === 'zh-CN');
  await afterFrames(page);
}

describe('view --claims', () => {
  let ctx;
  let dir;
  before(async () => {
    assert.ok(fs.existsSync(TRACE), `no trace ${TRACE} (IPCLAB_TRACE_DIR)`);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ipclab-view-claims-'));
    fs.writeFileSync(path.join(dir, 'failing.claims'), FAILING);
    ctx = await launchBrowser();
  });
  after(async () => {
    if (ctx) await ctx.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  test("a passing file: its verdicts in place of the trace's claims, evidence and walk", async () => {
    const stored = JSON.parse(fs.readFileSync(TRACE, 'utf8')).claims;
    const v = await view([TRACE, '--claims', LAB]);
    try {
      assert.match(v.url, /\?trace=trace\/0\.json&claims=claims\/0\.json&cols=trace\/0\.cols$/);
      const verdicts = await (await fetch(v.url.replace(/\?.*/, '') + 'claims/0.json')).json();
      assert.equal(verdicts.file, 'pipe_write_blocks.claims');
      assert.equal(verdicts.claims.length, 4);
      assert.match(verdicts.claims[3].detail, /^max\(w\.occ_after\) = 65536; max\(w\.slots_after\) = 16$/);
      const page = await newPage(ctx);
      await page.goto(v.url);
      await waitReady(page);
      let got = await panel(page);
      sameClaims(got, verdicts, 'en', 'EN');
      assert.equal(got.summary, '4 PASS · 0 FAIL');
      assert.equal(
        got.note,
        'Verdicts of the claims file pipe_write_blocks.claims, judged on this trace by ipclab view. ' +
          `The trace's own ${stored.length} claims (${stored.filter((c) => c.status === 'PASS').length} PASS · ${stored.filter((c) => c.status !== 'PASS').length} FAIL) are not shown.`,
      );
      // a click on a claim highlights the file's evidence for it
      const full = verdicts.claims.findIndex((c) => c.id === 'full-blocks');
      await page.click('li.claim[data-claim-id="full-blocks"]');
      await afterFrames(page);
      assert.equal(await page.evaluate(() => document.getElementById('timeline').dataset.highlighted), verdicts.claims[full].evidence.join(','));
      // and the URL names it (written a moment later)
      await page.waitForFunction(() => location.hash.includes('claim=full-blocks'), null, { timeout: 5000 });
      // the walk visits the file's claims
      await page.click('#walk-btn');
      await afterFrames(page);
      const walk = await page.evaluate(() => {
        const p = document.getElementById('walk-panel');
        return { id: p.dataset.claimId, detail: p.querySelector('.walk-detail').textContent };
      });
      assert.deepEqual(walk, { id: verdicts.claims[0].id, detail: verdicts.claims[0].detail });
      await page.click('#walk-close');
      await afterFrames(page);
      await screenshot(page, 'view-claims-pass-en');
      await toChinese(page);
      got = await panel(page);
      sameClaims(got, verdicts, 'zh', '中文');
      assert.equal(got.summary, '4 通过 · 0 失败');
      assert.match(got.note, /^以下是结论文件 pipe_write_blocks\.claims 的判定结果，由 ipclab view 在本跟踪记录上检查得出。跟踪记录自带的 \d+ 条结论（\d+ 通过 · \d+ 失败）未显示。$/);
      await screenshot(page, 'view-claims-pass-zh');
      assert.deepEqual(page.ipclabLog.pageErrors, []);
      assert.deepEqual(page.ipclabLog.csp, []);
      await page.close();
    } finally {
      v.stop();
    }
  });

  test('a file with a FAIL: FAIL and its detail, in both languages', async () => {
    const v = await view([TRACE, '--claims', path.join(dir, 'failing.claims')]);
    try {
      const verdicts = await (await fetch(v.url.replace(/\?.*/, '') + 'claims/0.json')).json();
      const page = await newPage(ctx);
      await page.goto(v.url);
      await waitReady(page);
      let got = await panel(page);
      sameClaims(got, verdicts, 'en', 'EN');
      assert.equal(got.summary, '1 PASS · 1 FAIL');
      assert.deepEqual(
        got.claims.map((c) => [c.id, c.status, c.detail]),
        [
          ['writes-18', 'FAIL', 'count(w) = 17, expected >= 18'],
          ['blocks', 'PASS', 'w[17].blocked'],
        ],
      );
      assert.ok(got.note.startsWith('Verdicts of the claims file failing.claims,'), got.note);
      await screenshot(page, 'view-claims-fail-en');
      await toChinese(page);
      got = await panel(page);
      assert.equal(got.summary, '1 通过 · 1 失败');
      assert.deepEqual(
        got.claims.map((c) => [c.id, c.text.includes('写者写了 18 次'), c.detail]),
        [
          ['writes-18', true, 'count(w) = 17，应为 >= 18'],
          ['blocks', false, 'w[17].blocked'],
        ],
      );
      await screenshot(page, 'view-claims-fail-zh');
      assert.deepEqual(page.ipclabLog.pageErrors, []);
      await page.close();
    } finally {
      v.stop();
    }
  });

  test('two traces side by side: each panel shows the file judged on its own trace', async () => {
    const other = path.join(TRACE_DIR, 'pipe_transfer.json');
    const v = await view([TRACE, other, '--claims', LAB]);
    try {
      assert.match(v.url, /\?trace=trace\/0\.json&trace2=trace\/1\.json&claims=claims\/0\.json&claims2=claims\/1\.json&cols=trace\/0\.cols&cols2=trace\/1\.cols$/);
      const page = await newPage(ctx);
      await page.goto(v.url);
      await waitReady(page);
      const got = await page.evaluate(() =>
        [...document.querySelectorAll('.claims-panel')].map((p) => ({
          note: p.querySelector('.claims-file') !== null,
          statuses: [...p.querySelectorAll('li.claim')].map((li) => li.dataset.claimId + ' ' + li.dataset.status),
        })),
      );
      const ids = ['fills-slot-by-slot', 'full-blocks', 'read-wakes-writer', 'capacity'];
      assert.deepEqual(got, [
        { note: true, statuses: ids.map((id) => id + ' PASS') },
        { note: true, statuses: ids.map((id) => id + ' FAIL') },
      ]);
      assert.deepEqual(page.ipclabLog.pageErrors, []);
      await page.close();
    } finally {
      v.stop();
    }
  });

  test("without --claims: the trace's own claims, no note", async () => {
    const stored = JSON.parse(fs.readFileSync(TRACE, 'utf8')).claims;
    const v = await view([TRACE]);
    try {
      assert.doesNotMatch(v.url, /claims=/);
      const page = await newPage(ctx);
      await page.goto(v.url);
      await waitReady(page);
      const got = await panel(page);
      assert.equal(got.note, null);
      assert.deepEqual(
        got.claims.map((c) => [c.id, c.detail]),
        stored.map((c) => [c.id, c.detail]),
      );
      await page.close();
    } finally {
      v.stop();
    }
  });
  test('a lab\'s trace (run --lab) is named by its lab, with the claims file it was judged by', async () => {
    const t = JSON.parse(fs.readFileSync(TRACE, 'utf8'));
    for (const k of ['section', 'summary', 'explain', 'rule_zh', 'summary_zh', 'explain_zh', 'look', 'look_zh']) delete t.meta[k];
    Object.assign(t.meta, { scenario: null, lab: 'my_lab', claims_file: 'my_lab.claims' });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ipclab-lab-meta-'));
    const file = path.join(dir, 'my_lab.json');
    fs.writeFileSync(file, JSON.stringify(t));
    const v = await view([file]);
    try {
      const page = await newPage(ctx);
      await page.goto(v.url);
      await waitReady(page);
      const shown = () =>
        page.evaluate(() => ({
          title: document.querySelector('.lab-title').textContent,
          origin: document.querySelector('.lab-origin').textContent,
        }));
      assert.deepEqual(await shown(), {
        title: 'my_lab',
        origin: 'A lab (ipclab run --lab): the program my_lab.c, judged by its claims file my_lab.claims.',
      });
      await page.click('button.lang[data-lang="zh"]');
      await page.waitForFunction(() => document.documentElement.lang === 'zh-CN');
      assert.equal((await shown()).origin, '这是一个实验（ipclab run --lab）：程序 my_lab.c，由它的结论文件 my_lab.claims 判定。');
      assert.deepEqual(page.ipclabLog.pageErrors, []);
      await page.close();
    } finally {
      v.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
