import assert from 'node:assert/strict';
import os from 'node:os';
import { test } from 'node:test';
import { browserWsEndpoint, cacheDir, chromiumPath, loadConfig, pgBin, postgrestBin, SETTINGS, workerCount } from '../../lib/config.ts';

test('CONFORMANCE_WORKERS: a whole number wins; otherwise one per core, 2 to 4; a bad value stops loadConfig with one line', () => {
  assert.equal(workerCount({ CONFORMANCE_WORKERS: '7' }), 7);
  const fallback = Math.min(4, Math.max(2, os.cpus().length));
  for (const value of [undefined, '', '0', 'two', '1.5']) assert.equal(workerCount({ CONFORMANCE_WORKERS: value }), fallback, String(value));
  assert.throws(() => loadConfig({ CONFORMANCE_WORKERS: 'two' }), /^Error: CONFORMANCE_WORKERS="two" is not valid|CONFORMANCE_WORKERS="two" is not valid/);
  assert.doesNotThrow(() => loadConfig({ CONFORMANCE_WORKERS: '3' }));
});

test('the settings read on their own have their documented defaults, and an empty value counts as unset', () => {
  assert.equal(chromiumPath({ CHROMIUM_PATH: '' }), undefined);
  assert.equal(chromiumPath({ CHROMIUM_PATH: '/opt/chrome' }), '/opt/chrome');
  assert.equal(browserWsEndpoint({ BROWSER_WS_ENDPOINT: '' }), undefined);
  assert.equal(pgBin({ PG_BIN: '' }), undefined);
  assert.equal(postgrestBin({ POSTGREST_BIN: '/bin/pgrst' }), '/bin/pgrst');
  assert.ok(cacheDir({}).endsWith('.cache/postgrest-cookie-conformance'));
  assert.equal(cacheDir({ CONFORMANCE_CACHE_DIR: '/tmp/c' }), '/tmp/c');
});

test('every setting read through lib/config.ts is listed in SETTINGS, once', () => {
  const names = SETTINGS.map((s) => s.name);
  assert.equal(new Set(names).size, names.length);
  for (const name of ['CONFORMANCE_WORKERS', 'CHROMIUM_PATH', 'BROWSER_WS_ENDPOINT', 'PG_BIN', 'POSTGREST_BIN', 'CONFORMANCE_CACHE_DIR', 'STACK', 'FC_BUDGET']) {
    assert.ok(names.includes(name), name);
  }
});
