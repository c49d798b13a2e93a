/**
 * The Cookie header is attacker-controlled input to the pre-request hook.
 * Each row of the table below is one hostile Cookie header; one driver sends
 * it to current user and with an anonymous register and login.
 *
 * What "right" means, precisely. A user's token is PRESENTED INTACT when it
 * is, byte for byte, the whole value of a cookie with the session's name in
 * the header (optionally inside the double quotes RFC 6265 allows around a
 * cookie value). Then:
 *   - no answer is a 5xx (an exception in the hook is a denial of service);
 *   - current user answers as nobody (anonymous), or as a user whose token
 *     was presented intact -- never as anyone else (a forged, truncated,
 *     extended or re-cased token that matches a session is an account
 *     takeover). With two session cookies a server may pick either intact
 *     one: PostgREST itself keeps only the last, and SQL cannot see the rest;
 *     a forged token beside a live one therefore may yield the live user;
 *   - when the header leaves the caller anonymous, register and login still
 *     succeed with a new session cookie (junk in the browser must not lock a
 *     user out). When it makes the caller a presented user, a deployment may
 *     refuse to register or log in someone already signed in;
 *   - a header larger than a browser ever sends (support/browser-limits.ts)
 *     may be refused with a 4xx (400, 413, 431...) by the deployment or a
 *     proxy in front of it; such a refusal must only open no session.
 *
 * Non-ASCII is sent as the UTF-8 bytes of the text. Bytes that are not valid
 * UTF-8 are left out: PostgREST 11 and 12 answer 500 to them in ANY request
 * header, before the hook runs, so they say nothing about the deployment's
 * session handling.
 */
import { singleObject, type Row, type Session } from '../fixtures/api.ts';
import type { HttpResponse } from '../fixtures/http.ts';
import { newIdentity } from '../fixtures/identities.ts';
import { cites, notVerifiedUnless, precondition, verify } from '../fixtures/requirements.ts';
import { test } from '../fixtures/test.ts';
import { isDeletion } from '../lib/set-cookie.ts';
import { oversizeRefusal } from './support/browser-limits.ts';
import { forgeLike, swapCase, utf8Bytes } from './support/forge-token.ts';

type LiveUser = 'B' | 'D';

interface HostileCase {
  name: string;
  /** Live users the case needs (their tokens are passed to `cookie`). */
  live: LiveUser[];
  /** The Cookie header; `n` is the session cookie's name. */
  cookie: (n: string, token: Record<LiveUser, string>) => string;
  /** Users whose token the header presents intact (see above). */
  intact: LiveUser[] | ((token: Record<LiveUser, string>) => LiveUser[]);
}

const CASES: HostileCase[] = [
  { name: 'a garbage value', live: [], intact: [], cookie: (n) => `${n}=garbage` },
  { name: 'percent signs', live: [], intact: [], cookie: (n) => `${n}=%%%` },
  { name: 'a quoted value', live: [], intact: [], cookie: (n) => `${n}="abc"` },
  { name: 'an empty value', live: [], intact: [], cookie: (n) => `${n}=` },
  { name: 'the name without a value', live: [], intact: [], cookie: (n) => n },
  { name: 'separators only', live: [], intact: [], cookie: (n) => `${n}=;;;,,` },
  { name: 'SQL quoting', live: [], intact: [], cookie: (n) => `${n}=' or '1'='1` },
  { name: 'JSON naming a user', live: [], intact: [], cookie: (n) => `${n}={"user_id":1}` },
  { name: 'a backslash', live: [], intact: [], cookie: (n) => `${n}=\\` },
  { name: 'a 5000-byte value', live: [], intact: [], cookie: (n) => `${n}=${'A'.repeat(5000)}` },
  { name: 'non-ASCII characters', live: [], intact: [], cookie: (n) => `${n}=${utf8Bytes('sessión—€🍪')}` },
  { name: 'a well-formed token no session has', live: ['B'], intact: [], cookie: (n, t) => `${n}=${forgeLike(t.B)}` },
  { name: 'a live token cut short by one character', live: ['B'], intact: [], cookie: (n, t) => `${n}=${t.B.slice(0, -1)}` },
  { name: 'a live token with one character added', live: ['B'], intact: [], cookie: (n, t) => `${n}=${t.B}A` },
  {
    name: 'a live token with its letters re-cased',
    live: ['B'],
    // Only a mixed-case token carries information in its case; a single-case one (hex, a UUID)
    // may be matched case-insensitively without losing a bit, and is then still the same token.
    intact: (t) => (/[a-z]/.test(t.B) && /[A-Z]/.test(t.B) ? [] : ['B']),
    cookie: (n, t) => `${n}=${swapCase(t.B)}`,
  },
  { name: 'a live token in quotes', live: ['B'], intact: ['B'], cookie: (n, t) => `${n}="${t.B}"` },
  { name: 'a live token, then garbage', live: ['B'], intact: ['B'], cookie: (n, t) => `${n}=${t.B}; ${n}=garbage` },
  { name: 'garbage, then a live token', live: ['B'], intact: ['B'], cookie: (n, t) => `${n}=garbage; ${n}=${t.B}` },
  { name: 'a live token, then a forged one', live: ['B'], intact: ['B'], cookie: (n, t) => `${n}=${t.B}; ${n}=${forgeLike(t.B)}` },
  { name: 'a forged token, then a live one', live: ['B'], intact: ['B'], cookie: (n, t) => `${n}=${forgeLike(t.B)}; ${n}=${t.B}` },
  { name: 'two live tokens of different users', live: ['B', 'D'], intact: ['B', 'D'], cookie: (n, t) => `${n}=${t.B}; ${n}=${t.D}` },
];

/** Whom current user answers as (its id field, as JSON), or undefined for a caller treated as anonymous. */
function answeredAs(res: HttpResponse, idField: string): string | undefined {
  const me = res.ok ? singleObject<Row>(res) : undefined;
  return me?.[idField] === undefined || me[idField] === null ? undefined : JSON.stringify(me[idField]);
}

/** No 5xx; and a 4xx refusal of a header larger than a browser sends is a proper answer if it opens no session (true then). */
function refusedAsOversized(step: string, hostile: HostileCase, res: HttpResponse, client: Session, header: Record<string, string>): boolean {
  verify('robustness-hostile-cookie', res.status < 500, {
    expected: `${step} with ${hostile.name} answers without a server error`,
    actual: `${res.status} ${res.body}`,
  });
  const why = oversizeRefusal(res.status, header);
  if (why === undefined) return false;
  const opened = client.sessionCookies(res).filter((c) => !isDeletion(c));
  verify('robustness-hostile-cookie', opened.length === 0, {
    expected: `${step} refusing ${hostile.name} (${why}) opens no session`,
    actual: `${res.status} with ${opened.length} session cookie(s)`,
  });
  return true;
}

for (const hostile of CASES) {
  test(`robustness-hostile-cookie: ${hostile.name}`, cites('robustness-hostile-cookie'), async ({ anonymous, signedIn, target, api }) => {
    // Whom a hostile cookie signs the caller in as can only be asked of current user.
    const idField = api.userIdField;
    notVerifiedUnless(idField !== undefined, 'needs a current-user endpoint to tell whom a cookie signs in: set session.currentUser');
    const users = {} as Record<LiveUser, Session>;
    for (const who of hostile.live) users[who] = await signedIn(who);
    const tokens = Object.fromEntries(hostile.live.map((who) => [who, users[who].token!])) as Record<LiveUser, string>;
    const header = { Cookie: hostile.cookie(target.cookieName, tokens) };
    const intact = typeof hostile.intact === 'function' ? hostile.intact(tokens) : hostile.intact;
    const allowed = (await Promise.all(intact.map((who) => users[who].userId()))).map((id) => JSON.stringify(id));

    const asker = anonymous();
    const me = await asker.currentUser(header);
    refusedAsOversized('current user', hostile, me, asker, header);
    const caller = answeredAs(me, idField!);
    verify('robustness-hostile-cookie', caller === undefined || allowed.includes(caller), {
      expected: `current user with ${hostile.name} answers as anonymous${allowed.length ? ' or as a user whose token is presented intact' : ''}`,
      actual: `it answers as ${caller}, whose token was ${hostile.live.length ? 'not ' : ''}presented intact${hostile.live.length ? '' : ': no token was presented at all'}`,
    });

    // Register, then log in, as a new user with the same Cookie header.
    const identity = newIdentity('hostile');
    const attempts: Array<[string, (client: Session) => Promise<HttpResponse>]> = [
      ['register', (client) => client.register(identity, header)],
      ['login', (client) => client.login(identity, header)],
    ];
    for (const [step, attempt] of attempts) {
      const client = anonymous();
      const res = await attempt(client);
      const oversized = refusedAsOversized(step, hostile, res, client, header);
      if (caller !== undefined || oversized) {
        // Refusing is allowed (signed in as a presented user, or a header no browser sends); login needs the account anyway.
        if (step === 'register' && !res.ok) {
          precondition((await anonymous().register(identity)).ok, 'could not register the new user without the hostile header');
        }
        continue;
      }
      const issued = client.sessionCookies(res).filter((c) => !isDeletion(c));
      verify('robustness-hostile-cookie', res.ok && issued.length > 0, {
        expected: `an anonymous ${step} with ${hostile.name} in the Cookie header answers 2xx with a new session cookie`,
        actual: `${res.status} with ${issued.length} session cookie(s) ${res.body}`,
      });
    }
  });
}
