// The viewer's mechanism modules (viz/js/mechanisms.js, issue #12): pipes and FIFOs
// (js/mech/pipe.js) and mappings (js/mech/mmap.js) come in through the registry as Unix
// sockets do. The core names none of their event types or object kinds, except the line
// reader, which keeps their fields in typed columns (events.js, the checks model.js
// validateEvents shares with it, scanworker.js that hands the columns over) and the UI
// strings (i18n.js).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { VIZ } from './helpers.mjs';

const READER = ['events.js', 'model.js', 'scanworker.js', 'i18n.js', 'mechanisms.js'];
const NAMES = /\b(pipe|fifo|mapping|mappings|pipe_read|pipe_write|fault|fault_around|page_cache|dirty|buffers|bufferAt)\b/i;

test('the core names no pipe, FIFO or mapping: only the registry, the line reader and js/mech/ do', () => {
  const dir = path.join(VIZ, 'js');
  const core = fs.readdirSync(dir).filter((n) => n.endsWith('.js') && !READER.includes(n));
  assert.ok(core.includes('timeline.js') && core.includes('app.js') && core.includes('copies.js'));
  for (const f of core) {
    const code = fs
      .readFileSync(path.join(dir, f), 'utf8')
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/\/\/.*$/gm, '');
    const m = NAMES.exec(code);
    assert.equal(m, null, f + ' names ' + (m && m[0]));
  }
});

test('pipes and mappings are registered modules that import only leaf modules', () => {
  const reg = fs.readFileSync(path.join(VIZ, 'js', 'mechanisms.js'), 'utf8');
  assert.match(reg, /^export const MECHANISMS = \[pipeMechanism, mmapMechanism, unixMechanism, signalMechanism, mqueueMechanism, compareMechanism\];$/m);
  const leaves = ['../dom.js', '../i18n.js', '../format.js', '../bsearch.js', '../steps.js', '../slotowners.js', '../copylist.js'];
  for (const f of fs.readdirSync(path.join(VIZ, 'js', 'mech'))) {
    const code = fs.readFileSync(path.join(VIZ, 'js', 'mech', f), 'utf8');
    for (const [, from] of code.matchAll(/^import .* from '([^']+)';$/gm)) assert.ok(leaves.includes(from), f + ' imports ' + from);
    assert.ok(code.split('\n').length < 900, f + ' stays under 900 lines');
  }
});

// Without a browser: the modules' results on the hand-made mapping trace.
test('the mmap module builds the mappings, the pipe module no lane without a pipe', async () => {
  const { parseTrace } = await import(path.join(VIZ, 'js', 'model.js'));
  const m = parseTrace(fs.readFileSync(path.join(VIZ, '..', 'tests', 'viz', 'fixtures', 'mapping_basic.json'), 'utf8'), 'mapping_basic.json');
  assert.ok(m.mech.mmap.mappings.length > 0);
  assert.equal(m.mech.pipe.buffers.length, 0);
  assert.equal(m.mechLanes.length, 0);
});
