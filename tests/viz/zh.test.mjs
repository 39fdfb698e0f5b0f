// The lab text in Chinese (issue #14 section 4). tests/viz/fixtures/pipe_transfer.json is
// copied unchanged from `ipclab run -o DIR pipe_transfer` (6.18 x86_64, tracepoint tier): its
// meta has summary_zh/explain_zh, look/look_zh (what to look for in the page) and every claim a
// text_zh and a detail_zh. signal_coalesce.json was made
// before ipclab wrote them: in 中文 the page shows its English texts with the
// "仅有英文说明" note. A claim's detail is its detail_zh in Chinese where the trace has one.
// Screenshot: build/viz-artifacts/zh-pipe_transfer.png.

import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startServer, launchBrowser, newPage, screenshot, waitReady, VIZ, FIXTURES, readJson } from './helpers.mjs';

const ZH = 'pipe_transfer.json';
const OLD = 'signal_coalesce.json';
const NOTE = '（仅有英文说明）';

async function labAndClaims(page) {
  return page.evaluate(() => ({
    lab: document.querySelector('.lab-panel').textContent,
    look: [...document.querySelectorAll('.lab-panel .lab-look')].map((e) => ({
      heading: e.querySelector('h3').textContent,
      text: e.querySelector('.lab-look-text').textContent,
      lang: e.querySelector('.lab-look-text').lang,
    })),
    labLang: [...document.querySelectorAll('.lab-panel .lab-explain, .lab-panel .lab-summary')].map((e) => e.lang),
    claims: [...document.querySelectorAll('li.claim')].map((li) => ({
      id: li.dataset.claimId,
      text: li.querySelector('.claim-text').textContent,
      detail: li.querySelector('.claim-detail').textContent,
    })),
    claimsPanel: document.querySelector('.claims-panel').textContent,
  }));
}

describe('Chinese lab text', () => {
  let srv;
  let ctx;
  before(async () => {
    srv = await startServer({ '/viz/': VIZ, '/traces/': FIXTURES });
    ctx = await launchBrowser();
  });
  after(async () => {
    if (ctx) await ctx.close();
    if (srv) await srv.close();
  });

  test('the fixture carries both languages', () => {
    const tr = readJson(path.join(FIXTURES, ZH));
    assert.match(tr.meta.summary_zh, /[\u4e00-\u9fff]/);
    assert.match(tr.meta.explain_zh, /[\u4e00-\u9fff]/);
    assert.ok(tr.meta.look.length > 20, 'look');
    assert.match(tr.meta.look_zh, /[\u4e00-\u9fff]/);
    assert.equal(tr.claims.length, 4);
    for (const c of tr.claims) assert.match(c.text_zh, /[\u4e00-\u9fff]/, c.id);
    for (const c of tr.claims) assert.match(c.detail_zh, /[\u4e00-\u9fff]/, c.id + ' detail_zh');
  });

  test('中文: the scenario and every claim in Chinese, details as the trace gives them', async () => {
    const tr = readJson(path.join(FIXTURES, ZH));
    const page = await newPage(ctx);
    await page.setViewportSize({ width: 1400, height: 1000 });
    await page.goto(srv.url + '/viz/index.html?trace=/traces/' + ZH + '#lang=zh');
    await waitReady(page);
    const got = await labAndClaims(page);
    assert.ok(got.lab.includes(tr.meta.summary_zh), 'summary_zh shown');
    assert.ok(got.lab.includes(tr.meta.explain_zh), 'explain_zh shown');
    assert.ok(!got.lab.includes(tr.meta.explain), 'the English explanation is not shown');
    assert.ok(got.lab.includes(tr.meta.rule_zh), 'the course notes quote is kept');
    assert.ok(!got.lab.includes(NOTE) && !got.claimsPanel.includes(NOTE), 'no "English only" note');
    assert.deepEqual(got.labLang, ['zh-CN', 'zh-CN']);
    assert.deepEqual(got.look, [{ heading: '观察要点', text: tr.meta.look_zh, lang: 'zh-CN' }], 'what to look for, in Chinese');
    assert.equal(got.claims.length, tr.claims.length);
    got.claims.forEach((c, i) => {
      assert.equal(c.id, tr.claims[i].id);
      assert.ok(c.text.includes(tr.claims[i].text_zh), c.id + ' in Chinese');
      assert.ok(!c.text.includes(tr.claims[i].text), c.id + ' not in English');
      assert.equal(c.detail, tr.claims[i].detail_zh, c.id + ' detail in Chinese');
    });
    await screenshot(page, 'zh-pipe_transfer');
    assert.deepEqual(page.ipclabLog.pageErrors, []);
    await page.close();
  });

  test('EN: the English texts, no Chinese ones', async () => {
    const tr = readJson(path.join(FIXTURES, ZH));
    const page = await newPage(ctx);
    await page.goto(srv.url + '/viz/index.html?trace=/traces/' + ZH);
    await waitReady(page);
    const got = await labAndClaims(page);
    assert.ok(got.lab.includes(tr.meta.summary) && got.lab.includes(tr.meta.explain));
    assert.ok(!got.lab.includes(tr.meta.explain_zh) && !got.lab.includes(tr.meta.summary_zh));
    assert.deepEqual(got.look, [{ heading: 'What to look for', text: tr.meta.look, lang: 'en' }], 'what to look for, in English');
    got.claims.forEach((c, i) => {
      assert.ok(c.text.includes(tr.claims[i].text), c.id + ' in English');
      assert.ok(!c.text.includes(tr.claims[i].text_zh), c.id + ' not in Chinese');
      assert.equal(c.detail, tr.claims[i].detail, c.id + ' detail in English');
    });
    await page.close();
  });

  test('中文 on a trace without the Chinese texts: English with the note', async () => {
    const tr = readJson(path.join(FIXTURES, OLD));
    assert.equal(tr.meta.explain_zh, undefined, 'the old fixture has no Chinese texts');
    const page = await newPage(ctx);
    await page.goto(srv.url + '/viz/index.html?trace=/traces/' + OLD + '#lang=zh');
    await waitReady(page);
    const got = await labAndClaims(page);
    assert.ok(got.lab.includes(tr.meta.explain) && got.lab.includes(NOTE));
    assert.ok(got.claimsPanel.includes(NOTE));
    assert.deepEqual(got.look, [], 'no look in the old trace: no empty heading');
    got.claims.forEach((c, i) => assert.ok(c.text.includes(tr.claims[i].text), c.id));
    await page.close();
  });

  test('switching the language rebuilds the texts', async () => {
    const tr = readJson(path.join(FIXTURES, ZH));
    const page = await newPage(ctx);
    await page.goto(srv.url + '/viz/index.html?trace=/traces/' + ZH);
    await waitReady(page);
    await page.click('button.lang[data-lang="zh"]');
    await page.waitForFunction(() => document.querySelector('.lab-panel').dataset.lang === 'zh');
    const got = await labAndClaims(page);
    assert.ok(got.lab.includes(tr.meta.explain_zh));
    assert.equal(got.look[0].text, tr.meta.look_zh);
    assert.ok(got.claims[0].text.includes(tr.claims[0].text_zh));
    await page.close();
  });
});
