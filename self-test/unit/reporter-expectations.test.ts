import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { loadExpectations, parseExpectations } from '../../reporter/expectations.ts';
import { UserError } from '../../lib/user-error.ts';
import { sampleReport } from './reporter-sample.ts';

const oneLine = (pattern: RegExp) => (e: unknown) => e instanceof UserError && pattern.test(e.message) && !e.message.includes('\n');

test('a valid file maps ids to reasons', () => {
  const e = parseExpectations('{"expectedFailures": [{"id": "cookie-secure-http", "reason": "TLS ends at the proxy"}]}', 'x.json');
  assert.deepEqual([...e], [['cookie-secure-http', 'TLS ends at the proxy']]);
});

test('an empty list is fine', () => {
  assert.equal(parseExpectations('{"expectedFailures": []}', 'x.json').size, 0);
});

test('no file means no expectations', () => {
  assert.equal(loadExpectations(undefined).size, 0);
});

const bad: Array<[string, string, RegExp]> = [
  ['not JSON', '{', /CONFORMANCE_EXPECTATIONS=x\.json is not JSON/],
  ['wrong shape', '{"expected": []}', /CONFORMANCE_EXPECTATIONS=x\.json: .*expectedFailures/],
  ['entry without a reason', '{"expectedFailures": [{"id": "cookie-path"}]}', /\/expectedFailures\/0 must have required property 'reason'/],
  ['an unknown requirement', '{"expectedFailures": [{"id": "cookie-nope", "reason": "r"}]}', /unknown requirement "cookie-nope"/],
  ['a duplicate', '{"expectedFailures": [{"id": "cookie-path", "reason": "r"}, {"id": "cookie-path", "reason": "s"}]}', /"cookie-path" is listed twice/],
];
for (const [name, text, pattern] of bad) {
  test(`one-line error: ${name}`, () => assert.throws(() => parseExpectations(text, 'x.json'), oneLine(pattern)));
}

test('an unreadable file is one line', () => {
  assert.throws(() => loadExpectations('/nonexistent/expectations.json'), oneLine(/cannot be read \(ENOENT\)/));
});

test('loadExpectations reads a file', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'expectations-'));
  try {
    const file = path.join(dir, 'e.json');
    writeFileSync(file, JSON.stringify({ expectedFailures: [{ id: 'cookie-path', reason: 'r' }] }));
    assert.deepEqual([...loadExpectations(file).keys()], ['cookie-path']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('report: a listed failure is an expected failure and leaves the gate to the rest', () => {
  const report = sampleReport(new Map([['cookie-samesite', 'tracked']]));
  const samesite = report.requirements.find((r) => r.id === 'cookie-samesite')!;
  assert.equal(samesite.status, 'fail');
  assert.equal(samesite.expected, true);
  assert.equal(samesite.expectedReason, 'tracked');
  assert.equal(samesite.unexpectedPass, false);
  assert.deepEqual(report.gate.expectedFailures, ['cookie-samesite']);
  assert.equal(report.verdict, 'non-conformant', 'the verdict itself stays honest');
});

test('report: a listed requirement that passes is an unexpected pass and fails the gate', () => {
  const report = sampleReport(new Map([['lifecycle-open', 'thought broken']]));
  const open = report.requirements.find((r) => r.id === 'lifecycle-open')!;
  assert.equal(open.status, 'pass');
  assert.equal(open.expected, true);
  assert.equal(open.unexpectedPass, true);
  assert.deepEqual(report.gate.unexpectedPasses, ['lifecycle-open']);
  assert.equal(report.gate.passed, false);
});
