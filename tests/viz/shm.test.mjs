// Shared memory in the mappings panel (viz/js/mech/mmap.js, issue #13 section 3), on a real
// trace: tests/viz/fixtures/shm_fault_around.json, copied unchanged from `ipclab run
// shm_fault_around` (6.18 x86_64, tracepoint tier; mech/shm/NOTES.md).
// What the trace holds: "around" maps an 8-page POSIX object (/dev/shm/ipclab-shm-around-0,
// mapping 8) and attaches an 8-page System V segment (mapping 9) and writes all 8 pages of
// each (8 write faults each); its child "reader" maps the POSIX object again (mapping 10) and
// attaches the segment read-only (mapping 11), and reads the 8 pages of each: one read fault
// whose fault-around maps pages 0-7 of mapping 10, eight read faults on mapping 11.

import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, newPage, screenshot, waitReady, afterFrames, VIZ, FIXTURES } from './helpers.mjs';

const EXPECT = {
  8: { backing: 'shmem', states: 'write,write,write,write,write,write,write,write' },
  9: { backing: 'sysv shm', states: 'write,write,write,write,write,write,write,write' },
  10: { backing: 'shmem', states: 'read,around,around,around,around,around,around,around' },
  11: { backing: 'sysv shm', states: 'read,read,read,read,read,read,read,read' },
};

describe('shared memory mappings', () => {
  let srv;
  let ctx;
  let page;
  before(async () => {
    srv = await startServer({ '/viz/': VIZ, '/fixtures/': FIXTURES });
    ctx = await launchBrowser({ viewport: { width: 1400, height: 1400 } });
    page = await newPage(ctx);
  });
  after(async () => {
    if (ctx) await ctx.close();
    if (srv) await srv.close();
  });

  async function open(lang) {
    await page.goto('about:blank');
    await page.goto(srv.url + '/viz/index.html?trace=/fixtures/shm_fault_around.json#lang=' + lang);
    await waitReady(page);
    await afterFrames(page);
  }

  async function cards() {
    return page.$$eval('.map-card', (els) =>
      els.map((e) => ({ ...e.dataset, title: e.querySelector('h3').textContent, facts: e.querySelector('.map-facts').textContent, states: e.querySelector('canvas.map-grid').dataset.states })),
    );
  }

  test('System V attaches are named, with their shmid; POSIX objects with their /dev/shm name; the page states', async () => {
    await open('en');
    const all = await cards();
    for (const [id, want] of Object.entries(EXPECT)) {
      const c = all.find((x) => x.mapping === id);
      assert.ok(c, 'a card for mapping ' + id);
      assert.equal(c.backing, want.backing);
      assert.equal(c.states, want.states, 'states of mapping ' + id);
      if (want.backing === 'sysv shm') {
        assert.match(c.title, /System V shm/);
        assert.match(c.title, /SYSV00000000/);
        assert.match(c.facts, /shmid \d+/);
        assert.match(c.facts, /key IPC_PRIVATE/);
      } else {
        assert.match(c.title, /shared memory \(shmem\)/);
        assert.match(c.facts, /\/dev\/shm\/ipclab-shm-around-0 if shm_open made it/);
      }
    }
    await screenshot(page, 'shm_fault_around-en');
  });

  test('the same in Chinese', async () => {
    await open('zh');
    const all = await cards();
    const sysv = all.find((x) => x.mapping === '11');
    const posix = all.find((x) => x.mapping === '10');
    assert.match(sysv.title, /System V 共享内存/);
    assert.match(sysv.facts, /键 IPC_PRIVATE/);
    assert.match(posix.facts, /若由 shm_open 创建：\/dev\/shm\/ipclab-shm-around-0/);
    await screenshot(page, 'shm_fault_around-zh');
  });
});
