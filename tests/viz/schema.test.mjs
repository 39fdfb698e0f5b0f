// Every trace in IPCLAB_TRACE_DIR validates against docs/trace.schema.json (JSON Schema
// draft 2020-12) with ajv.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import { REPO, TRACE_DIR, traceFiles } from './helpers.mjs';

const schema = JSON.parse(fs.readFileSync(path.join(REPO, 'docs', 'trace.schema.json'), 'utf8'));
const ajv = new Ajv2020({ allErrors: true, strict: false });
const validate = ajv.compile(schema);
const files = traceFiles();

test('traces to validate in ' + TRACE_DIR, () => {
  assert.ok(files.length > 0, 'no *.json in ' + TRACE_DIR);
});

for (const file of files) {
  test('schema: ' + path.basename(file), () => {
    const doc = JSON.parse(fs.readFileSync(file, 'utf8'));
    const ok = validate(doc);
    const errs = (validate.errors || []).slice(0, 8).map((e) => e.instancePath + ' ' + e.message + ' ' + JSON.stringify(e.params));
    assert.ok(ok, path.basename(file) + ':\n  ' + errs.join('\n  '));
  });
}

test('schema rejects a version 2 trace', () => {
  const doc = JSON.parse(fs.readFileSync(files[0] || path.join(REPO, 'tests', 'viz', 'fixtures', 'mapping_basic.json'), 'utf8'));
  doc.version = 2;
  assert.equal(validate(doc), false);
});
