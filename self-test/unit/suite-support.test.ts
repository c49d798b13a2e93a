import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { apiBasePath, endpointPath, pathMatches } from '../../suites/support/cookie-path.ts';
import { forgeLike, swapCase, utf8Bytes } from '../../suites/support/forge-token.ts';
import { estimateEntropy } from '../../suites/support/token-entropy.ts';

const sample = (n: number, make: () => string) => Array.from({ length: n }, make);

test('entropy: 32 random bytes as base64url is about 256 bits', () => {
  const e = estimateEntropy(sample(12, () => randomBytes(32).toString('base64url')));
  assert.equal(e.alphabet.size, 64);
  assert.ok(e.bits >= 250 && e.bits <= 258, String(e.bits));
});

test('entropy: a constant prefix and suffix are stripped before counting', () => {
  const e = estimateEntropy(sample(12, () => `sess0000${randomBytes(6).toString('hex')}-v1`));
  assert.equal(e.alphabet.name, 'hex (lower case)');
  assert.equal(e.varyingLength, 12);
  assert.equal(e.bits, 48);
});

test('entropy: 12 random bytes as hex is 96 bits; as decimal digits it counts log2(10) per digit', () => {
  assert.equal(estimateEntropy(sample(12, () => randomBytes(12).toString('hex'))).bits, 96);
  const digits = estimateEntropy(sample(12, () => String(1e9 + Math.floor(Math.random() * 9e9))));
  assert.equal(digits.alphabet.size, 10);
});

test('entropy: a repeated token means 0 bits, whatever its length', () => {
  const t = randomBytes(32).toString('base64url');
  const e = estimateEntropy([t, randomBytes(32).toString('base64url'), t]);
  assert.equal(e.distinct, false);
  assert.equal(e.bits, 0);
});

test('entropy: characters outside every named alphabet fall back to a larger one', () => {
  const e = estimateEntropy(['a b', 'c d', 'e f']);
  assert.equal(e.alphabet.name, 'any byte');
});

test('cookie path: RFC 6265 path-match', () => {
  assert.ok(pathMatches('/rpc/login', '/'));
  assert.ok(pathMatches('/api/todos', '/api'));
  assert.ok(pathMatches('/api/todos', '/api/'));
  assert.ok(pathMatches('/api', '/api'));
  assert.ok(!pathMatches('/apis/todos', '/api'));
  assert.ok(!pathMatches('/todos', '/rpc'));
});

test('cookie path: endpoints under root and sub-path deployments', () => {
  assert.equal(apiBasePath('https://example.test'), '/');
  assert.equal(apiBasePath('https://example.test/api/'), '/api');
  assert.equal(endpointPath('https://example.test', '/todos'), '/todos');
  assert.equal(endpointPath('https://example.test/api', '/todos'), '/api/todos');
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
