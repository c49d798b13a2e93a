import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Requirement } from '../../spec/registry.ts';
import { capabilityMismatches } from '../../self-test/capabilities.ts';

const req = (id: string, capabilities: Requirement['capabilities']): Requirement =>
  ({ id, level: 'MUST', category: 'x', title: id, statement: 'MUST', rationale: '', references: [], capabilities }) as Requirement;
const status = (id: string, s: string, reason?: string) => ({ id, level: 'MUST', status: s, reasons: reason ? [reason] : [] });

test('declarations that match the run: nothing to say', () => {
  const reqs = [req('a', ['http']), req('b', ['http', 'browser']), req('c', ['http'])];
  assert.deepEqual(capabilityMismatches(reqs, [status('a', 'pass'), status('b', 'not-verified'), status('c', 'not-applicable')], ['browser']), []);
});

test('a test needing more than its requirement declares, a declaration no test needs, and a failure are each named', () => {
  const reqs = [req('needs-more', ['http', 'browser']), req('declares-more', ['http', 'database']), req('fails', ['http'])];
  const found = capabilityMismatches(
    reqs,
    [status('needs-more', 'not-verified', 'needs DATABASE_URL'), status('declares-more', 'pass'), status('fails', 'fail')],
    ['database', 'expiry'],
  );
  assert.equal(found.length, 3);
  assert.match(found[0], /^needs-more is not verified without database and expiry \(needs DATABASE_URL\): declare/);
  assert.match(found[1], /^declares-more declares database but is pass without it/);
  assert.match(found[2], /^fails fails without/);
});
