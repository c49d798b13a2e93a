/**
 * The session cookie's attributes, checked on EVERY response that issues it
 * (register, login, refresh) and, for the rules about setting or
 * clearing it, on logout too. A deployment often builds the cookie in more
 * than one place, and a flag forgotten on one path is as bad as everywhere.
 *
 * The rules are a table (one row per requirement) fed to one driver, in the
 * style of the web-platform-tests cookie tests: each row is a predicate over
 * one parsed Set-Cookie line, read from the raw header, never a cookie jar
 * (a jar fills in defaults such as SameSite=Lax that the server never sent).
 */
import { DeploymentApi, type Session } from '../fixtures/api.ts';
import type { TargetDatabase } from '../fixtures/database.ts';
import type { HttpResponse } from '../fixtures/http.ts';
import { newIdentity } from '../fixtures/identities.ts';
import { cites, notApplicableUnless, precondition, verify } from '../fixtures/requirements.ts';
import type { Target } from '../fixtures/target.ts';
import { test } from '../fixtures/test.ts';
import { isDeletion, isValidCookieValue, lifetimeSeconds, type SetCookie } from '../lib/set-cookie.ts';
import { pathMatches } from './support/cookie-path.ts';
import { describeCookie } from './support/describe-cookie.ts';

/** Whole-second rounding of Expires and Date, and room for the web server's and the database's clocks to differ. */
const LIFETIME_SLACK_SECONDS = 2;
/** RFC 6265bis 5.6: user agents ignore a cookie whose name plus value is longer. */
const MAX_NAME_VALUE_BYTES = 4096;

/** One response that sets or clears the session cookie. */
interface SessionResponse {
  step: 'register' | 'login' | 'refresh' | 'logout';
  res: HttpResponse;
  /** Every Set-Cookie line of the response for the session cookie's name. */
  lines: SetCookie[];
  /** True for logout: its cookie clears the session instead of issuing one. */
  clears: boolean;
  /** The response's own clock (its Date header), else ours: an Expires date is relative to the server's clock. */
  now: number;
  /** Seconds the server-side session had left, by the database clock just before the request; undefined without a database. */
  serverSecondsLeft?: number;
}

interface RowContext {
  target: Target;
  response: SessionResponse;
}

interface Row {
  id: string;
  expected: string;
  /** Rows about setting OR clearing the cookie also run on the logout response. */
  alsoOnClear?: boolean;
  /** Skips the row (not applicable) unless it holds for this target. */
  appliesTo?: (target: Target) => { ok: boolean; reason: string };
  holds: (cookie: SetCookie, ctx: RowContext) => boolean;
  /** What was observed, when the default (the cookie's attributes) does not show it. */
  actual?: (cookie: SetCookie, ctx: RowContext) => string;
}

function cookieLifetimeBound(ctx: RowContext): number | undefined {
  return ctx.response.serverSecondsLeft ?? ctx.target.config.sessionTtlSeconds;
}

function hasCacheDirective(res: HttpResponse, directive: string): boolean {
  return (res.header('cache-control') ?? '')
    .split(',')
    .some((d) => d.trim().toLowerCase() === directive);
}

const ROWS: Row[] = [
  {
    id: 'cookie-httponly',
    expected: 'the Set-Cookie declares HttpOnly',
    holds: (c) => c.httpOnly,
  },
  {
    id: 'cookie-samesite',
    expected: 'the Set-Cookie declares SameSite=Lax or SameSite=Strict',
    holds: (c) => ['lax', 'strict'].includes((c.sameSite ?? '').toLowerCase()),
  },
  {
    id: 'cookie-secure',
    expected: 'the Set-Cookie declares Secure',
    appliesTo: (t) => ({ ok: t.scheme === 'https', reason: 'the target is served over plain http (see cookie-secure-http)' }),
    holds: (c) => c.secure,
  },
  {
    id: 'cookie-secure-http',
    expected: 'the Set-Cookie declares Secure, even though the target is plain http',
    appliesTo: (t) => ({ ok: t.scheme === 'http', reason: 'the target is served over https (see cookie-secure)' }),
    holds: (c) => c.secure,
  },
  {
    // Without a Path the browser uses the directory of the request (/rpc), so the
    // session would not reach the owned resources: a missing Path fails.
    id: 'cookie-path',
    expected: 'the Set-Cookie declares a Path that covers every endpoint of the API',
    holds: (c, { target }) =>
      c.path !== undefined &&
      c.path.startsWith('/') &&
      new DeploymentApi(target.profile).paths().every((p) => pathMatches(p, c.path!)),
    actual: (c) => (c.path === undefined ? 'no Path attribute' : `Path=${c.path}`),
  },
  {
    id: 'cookie-host-only',
    expected: 'the Set-Cookie declares no Domain, or the cookie name starts with __Host-',
    holds: (c) => !c.domain || c.name.startsWith('__Host-'),
    actual: (c) => `Domain=${c.domain} on cookie ${c.name}`,
  },
  {
    id: 'cookie-lifetime',
    expected: `the Set-Cookie declares Max-Age or Expires, no longer (±${LIFETIME_SLACK_SECONDS} s) than the server-side session has left`,
    holds: (c, ctx) => {
      const life = lifetimeSeconds(c, ctx.response.now);
      if (life === undefined) return false;
      const bound = cookieLifetimeBound(ctx);
      return bound === undefined || life <= bound + LIFETIME_SLACK_SECONDS;
    },
    actual: (c, ctx) => {
      const life = lifetimeSeconds(c, ctx.response.now);
      if (life === undefined) return 'neither a valid Max-Age nor a valid Expires: the cookie lives as long as the browser';
      const bound = cookieLifetimeBound(ctx);
      const source = ctx.response.serverSecondsLeft !== undefined ? 'the database says the session has' : 'SESSION_TTL_SECONDS declares';
      return `the cookie lives ${Math.round(life)} s; ${source} ${bound === undefined ? 'an unknown time' : `${Math.round(bound)} s`} left`;
    },
  },
  {
    id: 'cookie-value-syntax',
    expected: `the value consists of RFC 6265 cookie-octets and name plus value are at most ${MAX_NAME_VALUE_BYTES} bytes`,
    holds: (c) => isValidCookieValue(c.value) && Buffer.byteLength(c.name + c.value, 'utf8') <= MAX_NAME_VALUE_BYTES,
    actual: (c) => {
      const bad = [...new Set([...c.value].filter((ch) => !isValidCookieValue(ch)))].map((ch) => JSON.stringify(ch));
      return `a value of ${Buffer.byteLength(c.value, 'utf8')} bytes${bad.length ? ` containing ${bad.join(' ')}` : ''} (name plus value: ${Buffer.byteLength(c.name + c.value, 'utf8')} bytes)`;
    },
  },
  {
    id: 'cookie-single',
    expected: 'exactly one Set-Cookie line for the session cookie in the response',
    alsoOnClear: true,
    holds: (_c, { response }) => response.lines.length === 1,
    actual: (_c, { response }) => `${response.lines.length} Set-Cookie lines for ${response.lines[0]?.name}`,
  },
  {
    id: 'cookie-no-store',
    expected: 'Cache-Control includes no-store on a response that sets or clears the session cookie',
    alsoOnClear: true,
    holds: (_c, { response }) => hasCacheDirective(response.res, 'no-store'),
    actual: (_c, { response }) => `Cache-Control: ${response.res.header('cache-control') ?? '(absent)'}`,
  },
];

/** The database's clock: session deadlines are on it, not on ours. */
async function databaseNow(database: TargetDatabase | undefined): Promise<number | undefined> {
  if (!database) return undefined;
  const { rows } = await database.query<{ now: Date }>('select clock_timestamp() as now');
  return new Date(rows[0].now).getTime();
}

function responseClock(res: HttpResponse): number {
  const date = Date.parse(res.header('date') ?? '');
  return Number.isNaN(date) ? Date.now() : date;
}

/**
 * Register, log in (a second client), refresh that login, then log the first
 * client out: every way this API sets or clears the session cookie.
 */
async function sessionResponses(anonymous: () => Session, database: TargetDatabase | undefined): Promise<SessionResponse[]> {
  const out: SessionResponse[] = [];
  /**
   * Sends one request and records its session cookie lines. The server's
   * remaining session time is measured from the database clock BEFORE the
   * request: the server computed its cookie later, so an honest lifetime is
   * never longer than that, however slow the round trip.
   */
  const record = async (step: SessionResponse['step'], session: Session, send: () => Promise<HttpResponse>) => {
    const clears = step === 'logout';
    const before = clears ? undefined : await databaseNow(database);
    const res = await send();
    const deadline = before !== undefined && session.token ? await database!.sessionExpires(session.token) : undefined;
    out.push({
      step,
      res,
      lines: session.sessionCookies(res),
      clears,
      now: responseClock(res),
      serverSecondsLeft: deadline && before !== undefined ? (deadline.getTime() - before) / 1000 : undefined,
    });
    return res;
  };

  const identity = newIdentity('cookie-flags');
  const first = anonymous();
  const registered = await record('register', first, () => first.register(identity));
  precondition(registered.ok && first.token !== undefined, `register answered ${registered.status} and set no session cookie`);

  const second = anonymous();
  const loggedIn = await record('login', second, () => second.login(identity));
  precondition(loggedIn.ok && second.token !== undefined, `login answered ${loggedIn.status} and set no session cookie`);

  // Refresh is checked when it re-issues the cookie; whether it must is refresh-reissues-cookie's business.
  if (second.api.has('refresh')) {
    const refreshed = await record('refresh', second, () => second.refresh());
    if (!(refreshed.ok && second.sessionCookies(refreshed).some((c) => !isDeletion(c)))) out.pop();
  }

  const loggedOut = await record('logout', first, () => first.logout());
  if (!loggedOut.ok) out.pop();
  return out;
}

for (const row of ROWS) {
  test(`${row.id}: ${row.expected}`, cites(row.id), async ({ target, anonymous, database }) => {
    if (row.appliesTo) {
      const { ok, reason } = row.appliesTo(target);
      notApplicableUnless(ok, reason);
    }
    for (const response of await sessionResponses(anonymous, database)) {
      if (response.clears && !row.alsoOnClear) continue;
      // On an issuing response, a deletion line is not the issued cookie (cookie-single still counts it).
      const cookies = response.clears || row.alsoOnClear ? response.lines : response.lines.filter((c) => !isDeletion(c));
      for (const cookie of cookies) {
        const ctx = { target, response };
        verify(row.id, row.holds(cookie, ctx), {
          expected: `${row.expected} (${response.step} response)`,
          actual: `${row.actual ? `${row.actual(cookie, ctx)}; ` : ''}${response.step} response: ${describeCookie(cookie)}`,
        });
      }
    }
  });
}
