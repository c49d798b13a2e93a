import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addSecret, PASSWORD_PREFIX, redact, redactDeep } from '../../lib/redact.ts';

test('known secrets, generated passwords, hashes and cookie values are masked', () => {
  addSecret('Zk3_token_value_0123456789abcdefghijklmnopq');
  const text = [
    'body: {"t":"Zk3_token_value_0123456789abcdefghijklmnopq"}',
    `password ${PASSWORD_PREFIX}abcDEF123_-`,
    'hash $2a$04$abcdefghijklmnopqrstuuABCDEFGHIJKLMNOPQRSTUVWXYZ01234',
    'Cookie: session_token=anything-at-all; other=1',
    'set-cookie: session_token=xyz; Path=/',
  ].join('\n');
  const out = redact(text);
  for (const leaked of ['Zk3_token', 'abcDEF123', '$2a$04$', 'anything-at-all', 'xyz;']) assert.ok(!out.includes(leaked), `${leaked} leaked: ${out}`);
  assert.ok(out.includes('other=1'), 'other cookies stay');
});

test('short strings are not treated as secrets', () => {
  addSecret('abc');
  assert.equal(redact('abc'), 'abc');
});

test('redactDeep masks nested strings', () => {
  addSecret('nested-secret-value-123');
  assert.deepEqual(redactDeep({ a: ['nested-secret-value-123'] }), { a: ['[redacted]'] });
});
