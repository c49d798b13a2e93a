/**
 * Hostile input, generated: arbitrary text (any Unicode, control
 * characters, tens of kilobytes, injection-shaped) in the register, login
 * and todo fields, and arbitrary Cookie headers (garbage, many cookies,
 * repeated names, huge values, non-ASCII). Whatever comes in: never a 5xx,
 * nothing secret in the answer, a value that is accepted comes back exactly
 * as sent, and a cookie never makes a caller someone. A Cookie header larger
 * than a browser sends may be refused with a 4xx (support/browser-limits.ts),
 * as long as the refusal opens no session.
 */
import { randomBytes } from 'node:crypto';
import { Session, singleObject, type CurrentUser } from '../../fixtures/api.ts';
import { HttpClient, type HttpResponse } from '../../fixtures/http.ts';
import { newIdentity, type Identity } from '../../fixtures/identities.ts';
import { cites, precondition } from '../../fixtures/requirements.ts';
import { test } from '../../fixtures/test.ts';
import { addSecret, containsPasswordHash, PASSWORD_PREFIX } from '../../lib/redact.ts';
import { isDeletion } from '../../lib/set-cookie.ts';
import { oversizeRefusal } from '../support/browser-limits.ts';
import { rowsOf } from '../support/postgrest-rows.ts';
import { cookieHeaderOf, describeHeader, hostileAccount, hostileHeader, type HostileAccount } from '../support/property/hostile.ts';
import { expectThat } from '../support/property/mismatch.ts';
import { checkProperty } from '../support/property/run-property.ts';
import type { Trace } from '../support/property/trace.ts';

const short = (res: HttpResponse) => `${res.status} ${res.body.length > 300 ? `${res.body.slice(0, 300)}…` : res.body}`;
const opening = (client: Session, res: HttpResponse) => client.sessionCookies(res).filter((c) => !isDeletion(c)).at(-1);

/**
 * The same client, made deaf to Set-Cookie: the field checks must not be
 * derailed by a cookie some other request left behind on a pooled
 * connection (finding that is the concurrent property's job).
 */
function pinned(session: Session): Session {
  const copy = new Session(session.http, session.cookieName);
  copy.token = session.token;
  const send = copy.send.bind(copy);
  copy.send = async (...args) => {
    const res = await send(...args);
    copy.token = session.token;
    return res;
  };
  return copy;
}

/** Deterministic text that does not compress: long values must reach the database's limits, not shrink below them. */
function noise(length: number, seed: number): string {
  let x = seed;
  let out = '';
  while (out.length < length) {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    out += String.fromCodePoint(0x21 + (x % 0x3000));
  }
  return out;
}

/** Cases tried in every run before the random ones: one of each kind, so the default budget always covers them. */
const ACCOUNT_EXAMPLES: HostileAccount[] = [
  { emailShape: 'wrapped', email: 'Ünïcödé\u200b', name: 'tab\tbell\u0007esc\u001b[31mdel\u007f', passwordTail: "'; drop table app.users; --", description: noise(12_000, 7) },
  { emailShape: 'wrapped', email: "o'brien+tag", name: '<script>alert(1)</script>', passwordTail: 'pässwörd🔑\u0001', description: '{"user_id":1} or=(public.is.true)' },
];

/** The password the account is registered with; recorded as a secret (raw and as it looks inside JSON) before it is sent. */
function passwordOf(a: HostileAccount): string {
  const password = `${PASSWORD_PREFIX}${a.passwordTail}`;
  addSecret(password);
  addSecret(JSON.stringify(password).slice(1, -1));
  return password;
}

/** The checks every answer to hostile input must pass. */
function wellHandled(res: HttpResponse, what: string, secrets: { password: string; tokens: string[] }): void {
  expectThat(res.status < 500, 'robustness-hostile-input', `${what} answers without a server error`, () => short(res));
  const leaked = containsPasswordHash(res.body)
    ? 'a password hash'
    : res.body.includes(secrets.password) || res.body.includes(JSON.stringify(secrets.password).slice(1, -1))
      ? 'the password'
      : undefined;
  expectThat(leaked === undefined, 'robustness-hostile-input', `${what}: no password or password hash in the answer`, () => `${res.status} with ${leaked} (redacted) in its body`);
  expectThat(!secrets.tokens.some((t) => res.body.includes(t)), 'token-not-exposed', `${what}: no session token in the answer`, () => `${res.status} with a session token (redacted) in its body`);
}

async function accountRun(a: HostileAccount, trace: Trace, baseUrl: string, cookieName: string, owner: Session): Promise<void> {
  const http = new HttpClient(baseUrl, trace.exchanges);
  const client = new Session(http, cookieName);
  const unique = randomBytes(5).toString('hex');
  const email = a.emailShape === 'raw' ? a.email : `cnf-${unique}-${a.email}@example.test`;
  const identity: Identity = { email, name: a.name, password: passwordOf(a) };
  const tokens: string[] = [];
  const secrets = { password: identity.password, tokens };
  const remember = (c: Session) => c.token && !tokens.includes(c.token) && tokens.push(c.token);

  trace.note('register with the hostile e-mail, name and password');
  const registered = await client.register(identity);
  remember(client);
  wellHandled(registered, 'register', secrets);
  if (!registered.ok) {
    expectThat(opening(client, registered) === undefined, 'cookie-none-on-failure', 'a refused registration sets no session cookie', () => short(registered));
  } else {
    expectThat(opening(client, registered) !== undefined, 'lifecycle-open', 'an accepted registration opens a session', () => short(registered));
  }

  trace.note('create a private todo with the hostile description, read it back, delete it');
  const writer = pinned(registered.ok ? client : owner);
  const created = await writer.createTodo({ description: a.description, public: false });
  wellHandled(created, 'creating a todo', secrets);
  const row = rowsOf<{ todo_id: number; user_id: number; description: string }>(created)[0];
  if (created.ok) {
    expectThat(row?.description === a.description, 'robustness-hostile-input', 'the created todo comes back with the description as sent', () => `${created.status}, ${row ? `a description of ${row.description.length} characters, not the ${a.description.length} sent` : 'no row'}`);
    const reread = await writer.todos(`?todo_id=eq.${row.todo_id}`);
    wellHandled(reread, 'reading the todo', secrets);
    const back = rowsOf<{ description: string }>(reread)[0];
    expectThat(back?.description === a.description, 'robustness-hostile-input', 'the todo read back has the description as sent', () => `${reread.status}, ${back ? `${back.description.length} characters` : 'no row'}`);
    await writer.deleteTodos(`todo_id=eq.${row.todo_id}`);
  }

  if (registered.ok) {
    trace.note('current_user shows the e-mail and name as registered');
    const me = await pinned(client).currentUser();
    wellHandled(me, 'current_user', secrets);
    const user = singleObject<CurrentUser>(me);
    // The todo was filed under the new user's id: an answer for another id is someone else, not mangled text.
    const ownId = created.ok ? row?.user_id : undefined;
    expectThat(ownId === undefined || user?.user_id === ownId, 'isolation-current-user', `current_user answers as the new user (user_id ${ownId})`, () => `${me.status}: user_id ${user?.user_id}`);
    expectThat(me.ok && user?.email === email && user.name === a.name, 'robustness-hostile-input', 'current_user shows the e-mail and name exactly as registered', () => `${me.status}: e-mail ${JSON.stringify(user?.email)}, name ${JSON.stringify(user?.name)}`);

    trace.note('log in again with the same e-mail and password');
    const again = new Session(http, cookieName);
    const login = await again.login(email, identity.password);
    remember(again);
    wellHandled(login, 'login', secrets);
    expectThat(login.ok && opening(again, login) !== undefined, 'robustness-hostile-input', 'the accepted e-mail and password log in again', () => short(login));
  }

  trace.note('log in with the hostile e-mail and a wrong password');
  const wrong = new Session(http, cookieName);
  const refused = await wrong.login(email, `${identity.password}x`);
  wellHandled(refused, 'a login with a wrong password', secrets);
  expectThat(!refused.ok, 'lifecycle-bad-credentials', 'a login with a wrong password is refused', () => short(refused));
  expectThat(opening(wrong, refused) === undefined, 'cookie-none-on-failure', 'a refused login sets no session cookie', () => short(refused));
}

test('hostile text in the register, login and todo fields is plain data', cites('robustness-hostile-input', 'cookie-none-on-failure', 'lifecycle-open', 'lifecycle-bad-credentials', 'isolation-current-user', 'token-not-exposed'), async ({ target, signedIn }) => {
  test.setTimeout(60_000);
  const owner = await signedIn('hostile-owner');
  await checkProperty({
    arbitrary: hostileAccount,
    defaults: { runs: 25, timeCapMs: 6_000, shrinkCapMs: 8_000 },
    examples: ACCOUNT_EXAMPLES,
    describe: (a) => JSON.stringify({ ...a, passwordTail: '(redacted)' }, (k, v: unknown) => (typeof v === 'string' && v.length > 200 ? `${v.slice(0, 200)}… (${v.length} characters)` : v), 2),
    run: (a, trace) => accountRun(a, trace, target.baseUrl, target.cookieName, owner),
  });
});

test('hostile Cookie headers are anonymous, never a 5xx, and never stop a login', cites('robustness-hostile-cookie'), async ({ target, anonymous }) => {
  test.setTimeout(60_000);
  // One account to log in to through every hostile header.
  const account = newIdentity('hostile-cookie');
  precondition((await anonymous().register(account)).ok, 'could not register the account to log in to');
  await checkProperty({
    arbitrary: hostileHeader,
    defaults: { runs: 30, timeCapMs: 5_000, shrinkCapMs: 6_000 },
    describe: (h) => describeHeader(h, target.cookieName),
    run: async (h, trace) => {
      const http = new HttpClient(target.baseUrl, trace.exchanges);
      const headers = { Cookie: cookieHeaderOf(h, target.cookieName) };
      /** No 5xx; true for a 4xx refusal of a header no browser sends, which must then open no session. */
      const refusedAsOversized = (step: string, client: Session, res: HttpResponse): boolean => {
        expectThat(res.status < 500, 'robustness-hostile-cookie', `${step} answers without a server error`, () => short(res));
        const why = oversizeRefusal(res.status, headers);
        if (why === undefined) return false;
        expectThat(opening(client, res) === undefined, 'robustness-hostile-cookie', `${step} refusing ${why} opens no session`, () => short(res));
        return true;
      };
      const asker = new Session(http, target.cookieName);
      const me = await asker.currentUser(headers);
      refusedAsOversized('current_user', asker, me);
      const who = me.ok ? singleObject<CurrentUser>(me) : undefined;
      expectThat(who?.email === undefined, 'robustness-hostile-cookie', 'current_user treats the caller as anonymous', () => `${me.status}: answered as a signed-in user (user_id ${who?.user_id})`);
      const client = new Session(http, target.cookieName);
      const login = await client.login(account.email, account.password, headers);
      if (refusedAsOversized('login', client, login)) return;
      expectThat(login.ok && opening(client, login) !== undefined, 'robustness-hostile-cookie', 'an anonymous login with this Cookie header answers 2xx with a new session cookie', () => short(login));
    },
  });
});
