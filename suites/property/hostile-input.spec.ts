/**
 * Hostile input, generated: arbitrary text (any Unicode, control
 * characters, tens of kilobytes, injection-shaped) in the register and
 * login fields (the login shaped as the profile's identifiedBy asks; the
 * register template fills in the fields it requires besides) and in the
 * text column of the profile's primary resource; and arbitrary Cookie
 * headers (garbage, many cookies, repeated names, huge values, non-ASCII).
 * Whatever comes in: never a 5xx,
 * nothing secret in the answer, a value that is accepted comes back exactly
 * as sent, and a cookie never makes a caller someone. A Cookie header larger
 * than a browser sends may be refused with a 4xx (support/browser-limits.ts),
 * as long as the refusal opens no session.
 */
import { randomBytes } from 'node:crypto';
import { Session, singleObject, type DeploymentApi, type Row } from '../../fixtures/api.ts';
import { HttpClient, type HttpResponse } from '../../fixtures/http.ts';
import { newIdentity, type Identity } from '../../fixtures/identities.ts';
import { cites, precondition } from '../../fixtures/requirements.ts';
import { test } from '../../fixtures/test.ts';
import { addSecret, containsPasswordHash, PASSWORD_PREFIX } from '../../lib/redact.ts';
import { isDeletion } from '../../lib/set-cookie.ts';
import { oversizeRefusal } from '../support/browser-limits.ts';
import { rowsOf } from '../support/postgrest-rows.ts';
import { cookieHeaderOf, describeHeader, hostileAccount, hostileHeader, hostileLogin, type HostileAccount } from '../support/property/hostile.ts';
import { expectThat } from '../support/property/mismatch.ts';
import { checkProperty, citesAtRunTime } from '../support/property/run-property.ts';
import { sameId, seenRow, showId } from '../support/property/run-rows.ts';
import type { Trace } from '../support/property/trace.ts';

const short = (res: HttpResponse) => `${res.status} ${res.body.length > 300 ? `${res.body.slice(0, 300)}…` : res.body}`;
const opening = (client: Session, res: HttpResponse) => client.sessionCookies(res).filter((c) => !isDeletion(c)).at(-1);

/**
 * The same client, made deaf to Set-Cookie: the field checks must not be
 * derailed by a cookie some other request left behind on a pooled
 * connection (finding that is the concurrent property's job).
 */
function pinned(session: Session): Session {
  const copy = new Session(session.http, session.api);
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
  { loginShape: 'wrapped', login: 'Ünïcödé\u200b', name: 'tab\tbell\u0007esc\u001b[31mdel\u007f', passwordTail: "'; drop table app.users; --", text: noise(12_000, 7) },
  { loginShape: 'wrapped', login: "o'brien+tag", name: '<script>alert(1)</script>', passwordTail: 'pässwörd🔑\u0001', text: '{"user_id":1} or=(public.is.true)' },
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

/**
 * Which fields of current user's answer show the login and the display
 * name, found on a plain account (the positive control): a hostile
 * account's answer must show its own values there exactly as registered.
 * A field the deployment does not show is not checked.
 */
interface Echo {
  loginField?: string;
  nameField?: string;
}

async function echoOf(api: DeploymentApi, plain: Session): Promise<Echo> {
  if (!api.has('currentUser')) return {};
  const res = await plain.currentUser();
  const me = res.ok ? singleObject<Row>(res) : undefined;
  precondition(me !== undefined && plain.identity !== undefined, `${api.nameOf('currentUser')} answered ${res.status} for a plain account`);
  const fieldHolding = (value: string) => Object.keys(me).find((k) => me[k] === value);
  return { loginField: fieldHolding(api.loginOf(plain.identity)), nameField: fieldHolding(plain.identity.name) };
}

interface Context {
  api: DeploymentApi;
  baseUrl: string;
  /** A signed-in client that writes the hostile text when the hostile account could not register. */
  owner: Session;
  echo: Echo;
}

async function accountRun(a: HostileAccount, trace: Trace, { api, baseUrl, owner, echo }: Context): Promise<void> {
  const http = new HttpClient(baseUrl, trace.exchanges);
  const resource = api.primary;
  const client = new Session(http, api);
  const login = hostileLogin(a, api.profile.identifiedBy, randomBytes(5).toString('hex'));
  // The login stands for the e-mail address and the user name alike: the profile picks which one is sent.
  const identity: Identity = { email: login, username: login, name: a.name, password: passwordOf(a) };
  const tokens: string[] = [];
  const secrets = { password: identity.password, tokens };
  const remember = (c: Session) => c.token && !tokens.includes(c.token) && tokens.push(c.token);

  trace.note(`${api.nameOf('register')} with the hostile login, name and password`);
  const registered = await client.register(identity);
  remember(client);
  wellHandled(registered, 'register', secrets);
  if (!registered.ok) {
    expectThat(opening(client, registered) === undefined, 'cookie-none-on-failure', 'a refused registration sets no session cookie', () => short(registered));
  } else {
    expectThat(opening(client, registered) !== undefined, 'lifecycle-open', 'an accepted registration opens a session', () => short(registered));
  }

  trace.note(`create a private row in ${resource.name} with the hostile ${resource.textColumn}, read it back, delete it`);
  const writer = pinned(registered.ok ? client : owner);
  const created = await writer.createRow({ text: a.text });
  wellHandled(created, `creating a row in ${resource.name}`, secrets);
  const row = rowsOf<Row>(created).map((r) => seenRow(resource, r))[0];
  if (created.ok) {
    const size = (text: string) => `a ${resource.textColumn} of ${text.length} characters`;
    expectThat(row?.text === a.text, 'robustness-hostile-input', `the created row comes back with the ${resource.textColumn} as sent`, () => `${created.status}, ${row ? `${size(row.text)}, not the ${a.text.length} sent` : 'no row'}`);
    const reread = await writer.rows(`?${resource.byId(row.id)}`);
    wellHandled(reread, 'reading the row', secrets);
    const back = rowsOf<Row>(reread).map((r) => seenRow(resource, r))[0];
    expectThat(back?.text === a.text, 'robustness-hostile-input', `the row read back has the ${resource.textColumn} as sent`, () => `${reread.status}, ${back ? size(back.text) : 'no row'}`);
    await writer.deleteRows(resource.byId(row.id));
  }

  if (registered.ok) {
    if (api.has('currentUser')) await echoed(api, pinned(client), login, a, created.ok ? row?.ownerId : undefined, secrets, echo);

    trace.note('log in again with the same login and password');
    const again = new Session(http, api);
    const relogin = await again.login(identity);
    remember(again);
    wellHandled(relogin, 'login', secrets);
    expectThat(relogin.ok && opening(again, relogin) !== undefined, 'robustness-hostile-input', 'the accepted login and password log in again', () => short(relogin));
  }

  trace.note('log in with the hostile login and a wrong password');
  const wrong = new Session(http, api);
  const refused = await wrong.login({ ...identity, password: `${identity.password}x` });
  wellHandled(refused, 'a login with a wrong password', secrets);
  expectThat(!refused.ok, 'lifecycle-bad-credentials', 'a login with a wrong password is refused', () => short(refused));
  expectThat(opening(wrong, refused) === undefined, 'cookie-none-on-failure', 'a refused login sets no session cookie', () => short(refused));
}

/** Current user answers as the new account, and shows its login and name exactly as registered (where a plain account's answer shows them). */
async function echoed(api: DeploymentApi, client: Session, login: string, a: HostileAccount, ownId: unknown, secrets: { password: string; tokens: string[] }, echo: Echo): Promise<void> {
  const asked = api.nameOf('currentUser');
  const res = await client.currentUser();
  wellHandled(res, asked, secrets);
  const me = singleObject<Row>(res);
  const shownId = me?.[api.userIdField!];
  // The row was filed under the new user's id: an answer for another id is someone else, not mangled text.
  expectThat(ownId === undefined || sameId(shownId, ownId), 'isolation-current-user', `${asked} answers as the new user (${api.userIdField} ${showId(ownId)})`, () => `${res.status}: ${api.userIdField} ${showId(shownId)}`);
  const shows = (field: string | undefined, value: string) => field === undefined || me?.[field] === value;
  expectThat(res.ok && shows(echo.loginField, login) && shows(echo.nameField, a.name), 'robustness-hostile-input', `${asked} shows the login and name exactly as registered`, () =>
    `${res.status}: login ${JSON.stringify(echo.loginField && me?.[echo.loginField])}, name ${JSON.stringify(echo.nameField && me?.[echo.nameField])}`,
  );
}

test(
  'hostile text in the register, login and text fields is plain data',
  cites('robustness-hostile-input', 'cookie-none-on-failure', 'lifecycle-open', 'lifecycle-bad-credentials', 'token-not-exposed'),
  async ({ target, api, signedIn }) => {
    test.setTimeout(60_000);
    if (api.has('currentUser')) citesAtRunTime('isolation-current-user');
    const owner = await signedIn('hostile-owner');
    const context: Context = { api, baseUrl: target.baseUrl, owner, echo: await echoOf(api, owner) };
    await checkProperty({
      arbitrary: hostileAccount,
      defaults: { runs: 25, timeCapMs: 6_000, shrinkCapMs: 8_000 },
      examples: ACCOUNT_EXAMPLES,
      describe: (a) => JSON.stringify({ ...a, passwordTail: '(redacted)' }, (k, v: unknown) => (typeof v === 'string' && v.length > 200 ? `${v.slice(0, 200)}… (${v.length} characters)` : v), 2),
      run: (a, trace) => accountRun(a, trace, context),
    });
  },
);

/**
 * Who a request with this Cookie header acts as: current user must answer
 * with no id, or, without current user, the session probe must show no row.
 */
async function actsAsSomeone(api: DeploymentApi, asker: Session, headers: Record<string, string>): Promise<{ res: HttpResponse; someone?: string }> {
  if (api.has('currentUser')) {
    const res = await asker.currentUser(headers);
    const id = res.ok ? singleObject<Row>(res)?.[api.userIdField!] : undefined;
    return { res, someone: id == null ? undefined : `${api.userIdField} ${showId(id)}` };
  }
  const res = await asker.probe(headers);
  const rows = rowsOf<Row>(res).length;
  return { res, someone: rows ? `${rows} row(s)` : undefined };
}

test('hostile Cookie headers are anonymous, never a 5xx, and never stop a login', cites('robustness-hostile-cookie'), async ({ target, api, anonymous }) => {
  test.setTimeout(60_000);
  // One account to log in to through every hostile header.
  const account = newIdentity('hostile-cookie');
  precondition((await anonymous().register(account)).ok, 'could not register the account to log in to');
  const probe = api.has('currentUser') ? api.request('currentUser') : api.sessionProbe();
  const asked = probe ? `${probe.method} ${probe.path}` : undefined;
  await checkProperty({
    arbitrary: hostileHeader,
    defaults: { runs: 30, timeCapMs: 5_000, shrinkCapMs: 6_000 },
    describe: (h) => describeHeader(h, api.cookieName),
    run: async (h, trace) => {
      const http = new HttpClient(target.baseUrl, trace.exchanges);
      const headers = { Cookie: cookieHeaderOf(h, api.cookieName) };
      /** No 5xx; true for a 4xx refusal of a header no browser sends, which must then open no session. */
      const refusedAsOversized = (step: string, client: Session, res: HttpResponse): boolean => {
        expectThat(res.status < 500, 'robustness-hostile-cookie', `${step} answers without a server error`, () => short(res));
        const why = oversizeRefusal(res.status, headers);
        if (why === undefined) return false;
        expectThat(opening(client, res) === undefined, 'robustness-hostile-cookie', `${step} refusing ${why} opens no session`, () => short(res));
        return true;
      };
      if (asked) {
        const asker = new Session(http, api);
        const { res, someone } = await actsAsSomeone(api, asker, headers);
        refusedAsOversized(asked, asker, res);
        expectThat(someone === undefined, 'robustness-hostile-cookie', `${asked} treats the caller as anonymous`, () => `${res.status}: answered as a signed-in user (${someone})`);
      }
      const client = new Session(http, api);
      const login = await client.login(account, headers);
      if (refusedAsOversized(api.nameOf('login'), client, login)) return;
      expectThat(login.ok && opening(client, login) !== undefined, 'robustness-hostile-cookie', 'an anonymous login with this Cookie header answers 2xx with a new session cookie', () => short(login));
    },
  });
});
