import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertCited, cites, SuiteError } from '../../fixtures/requirements.ts';
import { ANNOTATION } from '../../lib/report-contract.ts';

test('verify refuses a requirement its test does not cite, as an error of the suite', () => {
  const { annotation } = cites('cookie-httponly', 'cookie-samesite');
  assert.doesNotThrow(() => assertCited(annotation, 'cookie-samesite'));
  assert.throws(
    () => assertCited(annotation, 'token-not-exposed'),
    (e: unknown) => e instanceof SuiteError && e.kind === 'suite' && /does not cite it: add 'token-not-exposed' to the test's cites\(\)/.test(e.message),
  );
  // Other annotations (a violation, a skip) are not citations.
  assert.throws(() => assertCited([{ type: ANNOTATION.violation, description: 'token-not-exposed' }], 'token-not-exposed'), SuiteError);
});

test('cites refuses an unknown requirement id while the file loads', () => {
  assert.throws(() => cites('no-such-requirement'));
});
