import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { pathMatches } from '../../suites/support/cookie-path.ts';
import { forgeLike, swapCase, utf8Bytes } from '../../suites/support/forge-token.ts';

test('cookie path: RFC 6265 path-match', () => {
  assert.ok(pathMatches('/rpc/login', '/'));
  assert.ok(pathMatches('/api/todos', '/api'));
  assert.ok(pathMatches('/api/todos', '/api/'));
  assert.ok(pathMatches('/api', '/api'));
  assert.ok(!pathMatches('/apis/todos', '/api'));
  assert.ok(!pathMatches('/todos', '/rpc'));
});

test('forged tokens keep the shape and differ', () => {
  const real = 'Ab3_-xYz09';
  const forged = forgeLike(real);
  assert.equal(forged.length, real.length);
  assert.notEqual(forged, real);
  assert.equal(forged[3], '_');
  assert.match(forged, /^[A-Z][a-z][0-9]_-[a-z][A-Z][a-z][0-9]{2}$/);
  assert.equal(swapCase('aB1-'), 'Ab1-');
  assert.equal(utf8Bytes('é'), '\u00c3\u00a9');
});
