/**
 * refresh_session: it extends a live session (server deadline and cookie
 * alike), is refused for anything that is not a live session, never brings
 * an expired one back, and, if it rotates the token, retires the old one.
 */
import type { Session } from '../fixtures/api.ts';
import type { HttpResponse } from '../fixtures/http.ts';
import { cites, notApplicableUnless, notVerifiedUnless, precondition, verify } from '../fixtures/requirements.ts';
import { MAX_WAITABLE_TTL } from '../fixtures/target.ts';
import { test } from '../fixtures/test.ts';
import { isDeletion, lifetimeSeconds, type SetCookie } from '../lib/set-cookie.ts';
import { controlSucceeded, probeName, requireLive } from './support/controls.ts';
import { describeCookie } from './support/describe-cookie.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// Every check here is about the refresh endpoint: without one, none applies.
test.beforeEach(({ api }) => {
  notApplicableUnless(api.has('refresh'), 'the deployment has no refresh endpoint (profile session.refresh)');
});

/** The session cookies of a response that would give the browser a session (not deletions). */
function openingCookies(session: Session, res: HttpResponse): SetCookie[] {
  return session.sessionCookies(res).filter((c) => !isDeletion(c));
}

const describeCookies = (cookies: SetCookie[]) => (cookies.length === 0 ? 'no session cookie' : cookies.map(describeCookie).join(' | '));

test.describe('refresh-extends', () => {
  test('refresh moves the server-side deadline later', cites('refresh-extends'), async ({ signedIn, database, target }) => {
    const ttl = target.config.sessionTtlSeconds;
    if (!database) {
      // Without the database the deadline is only observable by outliving it.
      notVerifiedUnless(
        ttl !== undefined && ttl >= 3 && ttl <= MAX_WAITABLE_TTL,
        `needs DATABASE_URL, or a declared SESSION_TTL_SECONDS from 3 to ${MAX_WAITABLE_TTL} to outlive the first deadline`,
      );
      test.setTimeout(test.info().timeout + (ttl! * 2 + 5) * 1000);
      const start = Date.now(); // before login, so the first deadline is at most start + ttl
      const user = await signedIn('refresh-extends');
      await sleep(start + ttl! * 600 - Date.now());
      const res = await user.refresh();
      verify('refresh-extends', res.ok, { expected: 'refresh answers 2xx for a live session', actual: `${res.status} ${res.body.slice(0, 300)}` });
      await sleep(start + ttl! * 1000 + 1000 - Date.now());
      const me = await user.probe();
      verify('refresh-extends', me.ok, {
        expected: `the session refreshed at ${Math.round(ttl! * 0.6)} s still works past its first deadline (${ttl} s after login)`,
        actual: `${probeName(user)} answered ${me.status}`,
      });
      return;
    }

    const user = await signedIn('refresh-extends');
    const before = await database.sessionExpires(user.token!);
    precondition(before !== undefined, 'SESSION_EXPIRES_SQL found no deadline for a session just opened');
    const refreshAndRead = async () => {
      const res = await user.refresh();
      verify('refresh-extends', res.ok, { expected: 'refresh answers 2xx for a live session', actual: `${res.status} ${res.body.slice(0, 300)}` });
      return database.sessionExpires(user.token!); // the token refresh left us with, rotated or not
    };
    let after = await refreshAndRead();
    if (after !== undefined && after.getTime() <= before.getTime()) {
      // A deadline stored with whole seconds cannot move within the same second: try once more later.
      await sleep(1100);
      after = await refreshAndRead();
    }
    verify('refresh-extends', after !== undefined && after.getTime() > before.getTime(), {
      expected: `a deadline later than ${before.toISOString()}`,
      actual: after === undefined ? 'no live session found after refresh' : after.toISOString(),
    });
  });
});

test.describe('refresh-reissues-cookie', () => {
  /** Seconds the lifetimes may differ by: Max-Age is rounded down to whole seconds, Expires has second precision. */
  const SLACK_SECONDS = 2;
  const FLAGS: Array<{ name: string; of: (c: SetCookie) => string | boolean | undefined }> = [
    { name: 'Path', of: (c) => c.path },
    { name: 'HttpOnly', of: (c) => c.httpOnly },
    { name: 'Secure', of: (c) => c.secure },
    { name: 'SameSite', of: (c) => c.sameSite?.toLowerCase() },
  ];

  test('refresh re-issues the session cookie as login issued it', cites('refresh-reissues-cookie'), async ({ signedIn, anonymous }) => {
    const { identity } = await signedIn('refresh-cookie');
    const client = anonymous();
    const loginAt = Date.now();
    const login = await client.login(identity!);
    const issued = openingCookies(client, login);
    precondition(login.ok && issued.length > 0, `login answered ${login.status} with ${describeCookies(issued)}`);
    const loginCookie = issued.at(-1)!;
    const loginLifetime = lifetimeSeconds(loginCookie, loginAt);

    const refreshAt = Date.now();
    const res = await client.refresh();
    const reissued = openingCookies(client, res);
    verify('refresh-reissues-cookie', res.ok && reissued.length > 0, {
      expected: 'refresh answers 2xx with a Set-Cookie that keeps the session',
      actual: `${res.status} with ${describeCookies(client.sessionCookies(res))}`,
    });
    const cookie = reissued.at(-1)!;
    for (const flag of FLAGS) {
      verify('refresh-reissues-cookie', flag.of(cookie) === flag.of(loginCookie), {
        expected: `${flag.name} as at login: ${String(flag.of(loginCookie))}`,
        actual: `${flag.name} at refresh: ${String(flag.of(cookie))}`,
      });
    }
    // A login cookie without Max-Age/Expires lives until the browser closes; then any lifetime is a choice
    // (cookie-lifetime judges it). One with a lifetime must be renewed for at least what it had left.
    if (loginLifetime !== undefined) {
      const left = loginLifetime - (refreshAt - loginAt) / 1000;
      const lifetime = lifetimeSeconds(cookie, refreshAt);
      verify('refresh-reissues-cookie', lifetime !== undefined && lifetime >= left - SLACK_SECONDS, {
        expected: `Max-Age or Expires of at least ${Math.floor(left)} s (what the login cookie had left)`,
        actual: lifetime === undefined ? 'no Max-Age or Expires: the cookie now dies with the browser' : `${Math.floor(lifetime)} s`,
      });
    }
  });
});

test.describe('refresh-requires-session', () => {
  /** Callers that hold no live session, each with the token it presents (if any). */
  const WITHOUT_LIVE_SESSION: Array<{
    name: string;
    prepare: (f: { anonymous: () => Session; signedIn: (label?: string) => Promise<Session> }) => Promise<Session>;
  }> = [
    { name: 'without a session cookie', prepare: async ({ anonymous }) => anonymous() },
    {
      name: 'with a token ended by logout',
      prepare: async ({ signedIn }) => {
        const user = await signedIn('refresh-after-logout');
        const token = user.token!;
        const out = await user.logout();
        user.token = token;
        const me = await user.probe();
        precondition(out.ok && me.refused, `logout answered ${out.status} and the old token then got ${me.status} from ${probeName(user)}`);
        return user;
      },
    },
  ];

  for (const c of WITHOUT_LIVE_SESSION) {
    test(`refresh is refused ${c.name}`, cites('refresh-requires-session'), async ({ anonymous, signedIn }) => {
      // The control: refresh_session answers a live session, so a refusal here is about the session.
      controlSucceeded(await (await signedIn('refresh-control')).refresh(), 'refresh with a live session');
      const client = await c.prepare({ anonymous, signedIn });
      const token = client.token;
      const res = await client.refresh();
      const opened = openingCookies(client, res);
      verify('refresh-requires-session', res.refused && opened.length === 0, {
        expected: `${client.api.refusalText()} and no session cookie`,
        actual: `${res.status} with ${describeCookies(opened)}`,
      });
      if (token === undefined) return;
      client.token = token;
      const me = await client.probe();
      verify('refresh-requires-session', me.refused, {
        expected: `the ended session stays dead: ${probeName(client)} with its token answers ${client.api.refusalText()}`,
        actual: `${me.status}`,
      });
    });
  }
});

test('refresh never revives an expired session', cites('refresh-no-revival'), async ({ signedIn, expire }) => {
  const user = await signedIn('no-revival');
  // The control: refresh_session answers the session while it lives, so a refusal after expiry is the expiry's doing.
  controlSucceeded(await user.refresh(), 'refresh with the session before it expired', user.token !== undefined);
  const token = user.token!; // after the control: it may have rotated
  await expire(user);
  const res = await user.refresh();
  const opened = openingCookies(user, res);
  verify('refresh-no-revival', res.refused && opened.length === 0, {
    expected: `refresh with the expired token: ${user.api.refusalText()} and no session cookie`,
    actual: `${res.status} with ${describeCookies(opened)}`,
  });
  user.token = token;
  const me = await user.probe();
  verify('refresh-no-revival', me.refused, {
    expected: `the expired session stays dead: ${probeName(user)} with its token answers ${user.api.refusalText()}`,
    actual: `${me.status}`,
  });
});

test.describe('refresh-rotation', () => {
  /** What the replaced token must no longer do. */
  const RETIRED: Array<{ endpoint: string; call: (s: Session) => Promise<HttpResponse> }> = [
    { endpoint: 'the session probe', call: (s) => s.probe() },
    { endpoint: 'refresh', call: (s) => s.refresh() },
  ];

  test('a token replaced by refresh stops working', cites('refresh-rotation'), async ({ signedIn }) => {
    const user = await signedIn('rotation');
    const old = user.token!;
    const res = await user.refresh();
    precondition(res.ok, `refresh answered ${res.status} for a live session`);
    notApplicableUnless(user.token !== undefined && user.token !== old, 'refresh keeps the same token: nothing is rotated');
    // The control: the new token works, so a refused old one is about the rotation.
    await requireLive(user, 'refresh gave');
    for (const c of RETIRED) {
      user.token = old;
      const replay = await c.call(user);
      verify('refresh-rotation', replay.refused, {
        expected: `${c.endpoint} with the token refresh replaced: ${user.api.refusalText()}`,
        actual: `${replay.status}`,
      });
    }
  });
});

test('refresh keeps the absolute deadline where it was and the idle deadline within it', cites('refresh-absolute-limit'), async ({ signedIn, db, target }) => {
  // The absolute deadline is read with the profile's SQL: without it there is nothing to hold refresh against.
  const sql = target.profile.sessionStorage?.absoluteExpiresSql;
  notVerifiedUnless(sql !== undefined, "needs the absolute deadline: set the profile's sessionStorage.absoluteExpiresSql");
  const user = await signedIn('refresh-absolute');
  const before = await db.sessionAbsoluteExpires(sql!, user.token!);
  precondition(before !== undefined, 'sessionStorage.absoluteExpiresSql found no absolute deadline for a session just opened');
  // The control: refresh answers the live session, so what it leaves in the database is its doing.
  controlSucceeded(await user.refresh(), 'refresh with a live session', user.token !== undefined);
  const [after, idle] = await Promise.all([db.sessionAbsoluteExpires(sql!, user.token!), db.sessionExpires(user.token!)]);
  precondition(after !== undefined && idle !== undefined, 'the deadlines of the refreshed session could not be read');
  verify('refresh-absolute-limit', after!.getTime() <= before!.getTime() && idle!.getTime() <= after!.getTime(), {
    expected: `after refresh, the absolute deadline still ${before!.toISOString()} (or earlier) and the idle deadline not past it`,
    actual: `absolute deadline ${after!.toISOString()}, idle deadline ${idle!.toISOString()}`,
  });
});
