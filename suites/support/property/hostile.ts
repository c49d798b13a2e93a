/**
 * Hostile inputs, as fast-check arbitraries: text for the register and login
 * fields and for the text column of an owned resource, and whole Cookie
 * headers. Pure (no HTTP), so what they
 * produce can be sampled and tested on its own.
 */
import fc from 'fast-check';
import { beyondBrowserLimits } from '../browser-limits.ts';
import { utf8Bytes } from '../forge-token.ts';

/** Text shaped to be misread by a layer that interprets instead of storing: SQL, JSON, PostgREST syntax, templates, markup, Unicode tricks. */
export const INJECTIONS = [
  "' or '1'='1",
  "'; drop table app.todos; --",
  "'); select pg_sleep(10); --",
  '"; delete from auth.sessions; --',
  "\\'",
  '\\',
  '$$; select 1; $$',
  '$1',
  '%s%s%s%n',
  '{{7*7}}${7*7}',
  '<script>alert(document.cookie)</script>',
  '{"user_id":1,"role":"postgres"}',
  '[1,2,3]',
  'null',
  'true',
  '1e400',
  'eq.1',
  'or=(user_id.gt.0)',
  '*',
  '%_%',
  '\\u0000',
  'E\'\\x41\'',
  '\u202egnp.exe',
  '\ufeff\u200b\u200d',
  'a\u0301\u0302\u0303',
  '🍪🔑👩‍💻',
  '\u{10ffff}\u{1d11e}',
  'Robert"); DROP TABLE users;--',
] as const;

/**
 * Any text: any code point (NUL and controls included), control
 * characters, injection-shaped strings, and long runs of random text (long
 * enough, and varied enough not to compress, to overflow an index entry).
 */
export const hostileText: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.string({ unit: 'binary', maxLength: 24 }), weight: 4 },
  { arbitrary: fc.string({ unit: 'binary-ascii', maxLength: 24 }), weight: 3 },
  { arbitrary: fc.constantFrom(...INJECTIONS), weight: 3 },
  { arbitrary: fc.tuple(fc.constantFrom(...INJECTIONS), fc.string({ unit: 'binary', maxLength: 8 })).map(([a, b]) => `${a}${b}`), weight: 1 },
  { arbitrary: fc.string({ unit: 'binary', minLength: 3000, maxLength: 12_000 }), weight: 1 },
);

export interface HostileAccount {
  /** raw: the text is the whole login; wrapped: it sits inside a login of this run (see hostileLogin). */
  loginShape: 'raw' | 'wrapped';
  /** The login value: an e-mail address or a user name, as the profile's identifiedBy asks. */
  login: string;
  name: string;
  /** Follows the redaction prefix (see lib/redact.ts), so even a hostile password is recognisably secret. */
  passwordTail: string;
  /** For the text column of the primary resource. */
  text: string;
}

export const hostileAccount: fc.Arbitrary<HostileAccount> = fc.record({
  loginShape: fc.constantFrom<'raw' | 'wrapped'>('wrapped', 'raw'),
  login: hostileText,
  name: hostileText,
  passwordTail: hostileText,
  text: hostileText,
});

/**
 * The login an account signs in with: the hostile text itself (raw), or
 * the text inside a login unique to this run, shaped as the deployment
 * identifies users: `cnf-<unique>-<text>@example.test` for an e-mail
 * address, `cnf_<unique>_<text>` for a user name.
 */
export function hostileLogin(a: Pick<HostileAccount, 'loginShape' | 'login'>, identifiedBy: 'email' | 'username', unique: string): string {
  if (a.loginShape === 'raw') return a.login;
  return identifiedBy === 'email' ? `cnf-${unique}-${a.login}@example.test` : `cnf_${unique}_${a.login}`;
}

/** One cookie of a hostile header; `name: null` stands for the session cookie's own name. */
export interface HostileCookie {
  name: string | null;
  value: string;
}

export interface HostileHeader {
  cookies: HostileCookie[];
  separator: string;
}

/** Printable ASCII and the UTF-8 bytes of other text: what an HTTP client can send in a header (no CR, LF, NUL or other controls). */
const headerText = (maxLength: number) =>
  fc.oneof(
    { arbitrary: fc.string({ unit: 'grapheme-ascii', maxLength }), weight: 3 },
    { arbitrary: fc.string({ unit: 'grapheme', maxLength: Math.min(maxLength, 40) }).map(utf8Bytes), weight: 2 },
  );

const TOKEN_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

const cookieValue: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: headerText(60), weight: 4 },
  // the shape of a real token, but no session's
  { arbitrary: fc.string({ unit: fc.constantFrom(...TOKEN_CHARS), minLength: 20, maxLength: 64 }), weight: 3 },
  { arbitrary: fc.constantFrom('', '""', '"', '=', ';', ',', 'deleted', '\\', "' or '1'='1", '{"a":1}', '%00', '%0d%0a'), weight: 2 },
  { arbitrary: fc.integer({ min: 4000, max: 12_000 }).chain((n) => fc.string({ unit: fc.constantFrom(...TOKEN_CHARS), minLength: n, maxLength: n })), weight: 1 },
  { arbitrary: headerText(20).map((v) => `"${v}"`), weight: 1 },
);

const cookieName: fc.Arbitrary<string | null> = fc.oneof(
  { arbitrary: fc.constant(null), weight: 4 },
  { arbitrary: fc.constantFrom('a', 'session', 'SESSION_TOKEN', '$Version', '__Host-x', ''), weight: 2 },
  { arbitrary: headerText(12), weight: 1 },
);

export const hostileHeader: fc.Arbitrary<HostileHeader> = fc.record({
  cookies: fc.oneof(
    { arbitrary: fc.array(fc.record({ name: cookieName, value: cookieValue }), { minLength: 1, maxLength: 6 }), weight: 4 },
    // many cookies
    { arbitrary: fc.array(fc.record({ name: cookieName, value: headerText(8) }), { minLength: 30, maxLength: 120 }), weight: 1 },
  ),
  separator: fc.constantFrom('; ', ';', ', ', ' ;', ';;'),
});

/** The Cookie header for a session cookie named `sessionName`. */
export function cookieHeaderOf(h: HostileHeader, sessionName: string): string {
  return h.cookies.map((c) => `${c.name ?? sessionName}=${c.value}`).join(h.separator);
}

/**
 * The header for a report: the session cookie's name as a placeholder, so redaction of its value does not hide the counterexample.
 * Says when the header is larger than a browser sends (a refusal of it is then a proper answer).
 */
export function describeHeader(h: HostileHeader, sessionName = 'session'): string {
  const show = (v: string) => (v.length > 80 ? `${JSON.stringify(v.slice(0, 80))}… (${v.length} characters)` : JSON.stringify(v));
  const oversized = beyondBrowserLimits({ Cookie: cookieHeaderOf(h, sessionName) });
  return `Cookie: ${h.cookies.length} cookie(s) joined by ${JSON.stringify(h.separator)}${oversized ? `, larger than a browser sends: ${oversized}` : ''}\n${h.cookies.map((c, i) => `  ${i + 1}. ${c.name === null ? '<session cookie>' : JSON.stringify(c.name)} = ${show(c.value)}`).join('\n')}`;
}
