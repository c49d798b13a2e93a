import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cookieDate, cookiesNamed, isDeletion, isValidCookieValue, lifetimeSeconds, parseSetCookie } from '../../lib/set-cookie.ts';

const now = Date.parse('2026-01-01T00:00:00Z');

// [line, expected fields] — what a user agent would take from the raw line.
const cases: Array<[string, Record<string, unknown> | undefined]> = [
  ['a=b', { name: 'a', value: 'b', httpOnly: false, secure: false, sameSite: undefined, path: undefined }],
  ['s=tok; Path=/; HttpOnly; Secure; SameSite=Lax', { httpOnly: true, secure: true, sameSite: 'Lax', path: '/' }],
  ['s=tok; httponly; SECURE; samesite=strict', { httpOnly: true, secure: true, sameSite: 'strict' }],
  ['s=tok; SameSite', { sameSite: '' }],
  ['s=tok; Domain=example.com; Path=/rpc', { domain: 'example.com', path: '/rpc' }],
  ['s=tok; Max-Age=60; Max-Age=0', { maxAge: 0 }],
  ['s=tok; Max-Age=1e3', { maxAge: Number.NaN }],
  [' s = tok ; Path=/', { name: 's', value: 'tok' }],
  ['s="quoted"', { value: '"quoted"' }],
  ['novalue', undefined],
];

test('parseSetCookie reads what the server declared', () => {
  for (const [line, expected] of cases) {
    const parsed = parseSetCookie(line);
    if (expected === undefined) {
      assert.equal(parsed, undefined, line);
      continue;
    }
    for (const [key, value] of Object.entries(expected)) assert.deepEqual((parsed as unknown as Record<string, unknown>)[key], value, `${line}: ${key}`);
  }
});

test('deletion: Max-Age <= 0 or a past Expires; Max-Age wins', () => {
  const del = (l: string) => isDeletion(parseSetCookie(l)!, now);
  assert.equal(del('s=; Max-Age=0'), true);
  assert.equal(del('s=; Max-Age=-1'), true);
  assert.equal(del('s=; Expires=Thu, 01 Jan 1970 00:00:00 GMT'), true);
  assert.equal(del('s=x; Max-Age=10; Expires=Thu, 01 Jan 1970 00:00:00 GMT'), false);
  assert.equal(del('s=x'), false);
});

test('lifetime in seconds from Max-Age or Expires', () => {
  assert.equal(lifetimeSeconds(parseSetCookie('s=x; Max-Age=899')!, now), 899);
  assert.equal(lifetimeSeconds(parseSetCookie('s=x; Expires=Thu, 01 Jan 2026 00:10:00 GMT')!, now), 600);
  assert.equal(lifetimeSeconds(parseSetCookie('s=x')!, now), undefined);
});

// [Expires text, the instant a browser reads (ISO), or undefined when it ignores the attribute] — RFC 6265 section 5.1.1.
const dates: Array<[string, string | undefined]> = [
  ['Sat, 31 Jan 2026 17:45:00 GMT', '2026-01-31T17:45:00.000Z'],
  ['Saturday, 31-Jan-26 17:45:00 GMT', '2026-01-31T17:45:00.000Z'], // RFC 850 form; a two-digit year below 70 is 20xx
  ['Sat, 31 Jan 70 17:45:00 GMT', '1970-01-31T17:45:00.000Z'], // 70 to 99 are 19xx
  ['Sat Jan 31 17:45:00 2026', '2026-01-31T17:45:00.000Z'], // asctime form
  ['Sat, 31 Jan 2026 17:45:00 +0100', '2026-01-31T17:45:00.000Z'], // a zone is not a token the algorithm reads: always UTC
  ['2026-01-31 17:45:00.123+00', undefined], // PostgreSQL's timestamp text: no month name
  ['2026-01-31T17:45:00Z', undefined], // ISO 8601: no month name either
  ['Sat, 32 Jan 2026 17:45:00 GMT', undefined], // day of month above 31
  ['Sat, 31 Jan 2026 24:00:00 GMT', undefined], // hour above 23
  ['Sat, 31 Jan 1600 17:45:00 GMT', undefined], // year before 1601
  ['', undefined],
];

test('Expires is read as a browser reads it, an unreadable one kept as an invalid Date', () => {
  for (const [text, iso] of dates) {
    const fromLine = parseSetCookie(`s=x; Expires=${text}`)!.expires!;
    for (const date of [cookieDate(text), fromLine]) {
      if (iso === undefined) assert.ok(Number.isNaN(date.getTime()), `${text}: read as ${String(date)}`);
      else assert.equal(date.toISOString(), iso, text);
    }
  }
  // An Expires a browser ignores gives no lifetime and removes nothing: the cookie lasts as long as the browser.
  const unreadable = parseSetCookie('s=x; Expires=2026-01-31 17:45:00.123+00')!;
  assert.equal(lifetimeSeconds(unreadable, now), undefined);
  assert.equal(isDeletion(unreadable, now), false);
});

test('cookie-octets', () => {
  for (const ok of ['abc', 'A-Z_09', '"quoted"', '', 'a+b/c=']) assert.equal(isValidCookieValue(ok), true, ok);
  for (const bad of ['a b', 'a,b', 'a;b', 'a\\b', 'a"b', 'é']) assert.equal(isValidCookieValue(bad), false, bad);
});

test('cookiesNamed keeps every line of one name', () => {
  const lines = ['a=1; Path=/', 'b=2', 'a=3'];
  assert.deepEqual(cookiesNamed(lines, 'a').map((c) => c.value), ['1', '3']);
});
