/**
 * Signs that a response carries something its request did not cause: a
 * session cookie the caller never asked for, another caller's token, a body
 * holding a token. Pure; the model-based and the concurrent property share
 * them, so "belongs to its own request" is judged one way.
 */
import { isDeletion, type SetCookie } from '../../../lib/set-cookie.ts';

/** How an endpoint may touch the session cookie. */
export type CookieRole =
  | 'opens' // register, login: a new session on success
  | 'refresh' // re-issues the caller's session (or a rotated one)
  | 'logout' // clears it
  | 'none'; // every other endpoint: at most re-sends the caller's own cookie

export interface CookieContext {
  role: CookieRole;
  /** The token the request carried, if any. */
  presented?: string;
  /** The request carried a token of a session that is (or may be) live. */
  callerLive: boolean;
  /** Is this token one the run knows as someone else's (another client's, another session's)? */
  foreign: (token: string) => boolean;
}

export interface CookieFinding {
  requirement: string;
  expected: string;
  actual: string;
}

const shown = (c: SetCookie) => (isDeletion(c) ? 'a deletion of the session cookie' : 'a session cookie');

/** The session cookie lines of one response, judged against the request that caused it; undefined when nothing is wrong. */
export function judgeSessionCookies(lines: SetCookie[], ctx: CookieContext): CookieFinding | undefined {
  if (lines.length > 1) {
    return { requirement: 'cookie-single', expected: 'at most one Set-Cookie line for the session cookie', actual: `${lines.length} lines` };
  }
  const c = lines[0];
  if (!c) return undefined;
  if (isDeletion(c)) {
    // Clearing is harmless, except to a caller whose session is live at an endpoint that must not end it.
    if (ctx.callerLive && ctx.role === 'none') {
      return {
        requirement: 'isolation-request-scoped',
        expected: 'no session cookie for a signed-in caller at an endpoint that neither opens nor ends a session',
        actual: `${shown(c)}: signed out by a response to someone else's logout`,
      };
    }
    return undefined;
  }
  if (ctx.presented !== undefined && c.value === ctx.presented) return undefined; // the caller's own cookie, sent again
  if (ctx.foreign(c.value)) {
    return {
      requirement: 'isolation-request-scoped',
      expected: 'a Set-Cookie, if any, carrying the caller\'s own session or a new one',
      actual: "another client's session token (redacted) in this caller's Set-Cookie",
    };
  }
  if (ctx.role === 'none' || ctx.role === 'logout') {
    return {
      requirement: 'isolation-request-scoped',
      expected: 'no new session cookie from an endpoint that does not open sessions',
      actual: `${shown(c)} with a token the request did not carry`,
    };
  }
  return undefined;
}

/** The first of these tokens found in a response body. */
export function tokenInBody(body: string, tokens: Iterable<string>): string | undefined {
  for (const token of tokens) if (token && body.includes(token)) return token;
  return undefined;
}
