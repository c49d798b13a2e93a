import assert from 'node:assert/strict';
import { test } from 'node:test';
import { beyondBrowserLimits, oversizeRefusal } from '../../suites/support/browser-limits.ts';

const cookie = (value: string) => ({ Cookie: value });

// [headers, oversized?]
const SIZES: Array<[string, Record<string, string>, boolean]> = [
  ['no headers', {}, false],
  ['a session cookie of a normal size', cookie(`session_token=${'a'.repeat(43)}`), false],
  ['name plus value of exactly 4096 bytes', cookie(`s=${'a'.repeat(4095)}`), false],
  ['name plus value of 4097 bytes', cookie(`s=${'a'.repeat(4096)}`), true],
  ['the big cookie among small ones', cookie(`a=1; s=${'a'.repeat(5000)}; b=2`), true],
  ['a cookie with no name, too long', cookie('x'.repeat(4097)), true],
  ['spaces around the pair do not count', cookie(`   s=${'a'.repeat(4095)}   `), false],
  ['many small cookies, one header under 8 KiB', cookie(Array.from({ length: 500 }, (_, i) => `c${i}=v`).join('; ')), false],
  ['many small cookies, one header over 8 KiB', cookie(Array.from({ length: 1500 }, (_, i) => `c${i}=v`).join('; ')), true],
  ['another header over 8 KiB', { 'X-Junk': 'j'.repeat(9000) }, true],
  ['UTF-8 bytes count as bytes', cookie(`s=${Buffer.from('€'.repeat(1400)).toString('latin1')}`), true],
];

test('beyondBrowserLimits: a cookie over 4096 bytes or a header line over 8 KiB', () => {
  for (const [name, headers, oversized] of SIZES) {
    const why = beyondBrowserLimits(headers);
    assert.equal(why !== undefined, oversized, `${name}: ${why}`);
  }
  assert.match(beyondBrowserLimits(cookie(`s=${'a'.repeat(5000)}`))!, /cookie of 5001 bytes/);
});

test('oversizeRefusal: only a 4xx refusal of an oversized request is excused', () => {
  const big = cookie(`s=${'a'.repeat(5000)}`);
  for (const status of [400, 413, 414, 431, 494]) assert.ok(oversizeRefusal(status, big), String(status));
  for (const status of [200, 204, 401, 403, 404, 500, 502]) assert.equal(oversizeRefusal(status, big), undefined, String(status));
  assert.equal(oversizeRefusal(431, cookie('s=small')), undefined);
});
