import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { checkDefectReport, defectResultOf, loadDefects, parseDefect } from '../defects.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'defect-test-'));
function defect(text: string) {
  const file = path.join(dir, `d${Math.random().toString(16).slice(2)}.sql`);
  writeFileSync(file, text);
  return parseDefect(file);
}

test('header lines declare what must fail', () => {
  const d = defect('-- about: x\n-- fails: cookie-httponly\n-- may-fail: cookie-samesite\n-- settings: sessions.idle_seconds=5\nselect 1;');
  assert.deepEqual(d.fails, ['cookie-httponly']);
  assert.deepEqual(d.mayFail, ['cookie-samesite']);
  assert.deepEqual(d.settings, { 'sessions.idle_seconds': '5' });
});

test('unknown requirement ids and missing headers are refused', () => {
  assert.throws(() => defect('-- about: x\n-- fails: no-such-thing\n'), /unknown requirement/);
  assert.throws(() => defect('-- fails: cookie-httponly\n'), /needs/);
});

test('a run matches a defect in both directions, and only a non-conformant verdict with its exit status catches it', () => {
  const d = defect('-- about: x\n-- fails: cookie-httponly\n-- may-fail: cookie-samesite\n');
  const req = (id: string, status: string, reasons: string[] = []) => ({ id, level: 'MUST', status, reasons });
  const caught = (...requirements: ReturnType<typeof req>[]) => ({ requirements, verdict: 'non-conformant', exitStatus: 1 });
  assert.deepEqual(checkDefectReport(d, caught(req('cookie-httponly', 'fail'), req('cookie-samesite', 'fail'))), []);
  assert.deepEqual(checkDefectReport(d, caught(req('cookie-httponly', 'fail'))), []);
  assert.match(checkDefectReport(d, caught(req('cookie-httponly', 'pass')))[0], /escaped/);
  assert.match(checkDefectReport(d, caught(req('cookie-httponly', 'fail'), req('token-not-exposed', 'fail')))[0], /unexpected/);
  // A timeout or a network fault leaves the requirement not verified: never a catch, and the reason is shown.
  const errored = { requirements: [req('cookie-httponly', 'not-verified', ['error: timed out after 30 s'])], verdict: 'inconclusive', exitStatus: 3 };
  assert.deepEqual(checkDefectReport(d, errored), [
    'escaped: cookie-httponly should fail but is not-verified (error: timed out after 30 s)',
    'the verdict is inconclusive with exit status 3, not non-conformant with 1',
  ]);
  assert.match(checkDefectReport(d, { ...caught(req('cookie-httponly', 'fail')), exitStatus: 0 })[0], /exit status 0/);
});

test('a result names the tests that caught each declared requirement, and a run without results is a problem', () => {
  const d = defect('-- about: x\n-- fails: cookie-httponly\n');
  const run = { ms: 5, reportDir: '/r', output: 'line 1\nboom' };
  const tests = [
    { title: 'httponly', location: 'suites/cookie-flags.spec.ts:9', status: 'fail' },
    { title: 'other', location: 'suites/x.spec.ts:1', status: 'pass' },
  ];
  const caught = defectResultOf(d, { requirements: [{ id: 'cookie-httponly', level: 'MUST', status: 'fail', tests }], verdict: 'non-conformant', exitStatus: 1 }, run);
  assert.deepEqual(caught.problems, []);
  assert.deepEqual(caught.failed, ['cookie-httponly']);
  assert.deepEqual(caught.caughtBy, { 'cookie-httponly': ['suites/cookie-flags.spec.ts:9 httponly'] });
  const none = defectResultOf(d, undefined, run);
  assert.match(none.problems[0], /no results: line 1 \| boom/);
});

test('every shipped defect parses', () => {
  for (const d of loadDefects()) assert.ok(d.fails.length > 0, d.name);
});
