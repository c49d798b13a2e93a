import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { loadVariants, parseVariant } from '../variants.ts';

test('every conforming variant has an about line and only known suite settings', () => {
  const variants = loadVariants();
  assert.ok(variants.length > 0);
  for (const v of variants) {
    assert.ok(v.about.length > 20, v.name);
    for (const sql of [v.env.EXPIRE_SESSION_SQL, v.env.SESSION_EXPIRES_SQL].filter(Boolean)) assert.match(sql, /\$1/, v.name);
  }
});

test('a variant header: env values keep their spaces and = signs; settings are NAME=VALUE lists', () => {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'variant-unit-')), 'shape.sql');
  writeFileSync(
    file,
    [
      '-- about: a shape',
      "-- env: EXPIRE_SESSION_SQL=update s set expires = now() where h = sha256(convert_to($1, 'UTF8'))",
      '-- settings: sessions.idle_seconds=5 sessions.absolute_seconds=9',
      'select 1;',
    ].join('\n'),
  );
  const v = parseVariant(file);
  assert.equal(v.env.EXPIRE_SESSION_SQL, "update s set expires = now() where h = sha256(convert_to($1, 'UTF8'))");
  assert.deepEqual(v.settings, { 'sessions.idle_seconds': '5', 'sessions.absolute_seconds': '9' });
  writeFileSync(file, '-- about: a shape\n-- env: EXPIRE_SESSION=update\n');
  assert.throws(() => parseVariant(file), /EXPIRE_SESSION is not one of the suite's settings/);
});
