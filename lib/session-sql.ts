/** The suite's default SQL for reaching the session behind a cookie, in its own module: the settings and the profile both read it. */

/**
 * The defaults fit a table `auth.sessions(token, expires)` whose token column
 * holds the cookie value in clear, its SHA-256 as hex text, or its SHA-256 as
 * bytea: `token::text` is the column as text, and the digest cast the same way
 * is rendered with the same bytea_output, so the comparison holds whatever it is.
 * Expiring sets `expires` to now, never later than it was: that satisfies
 * `check (expires > created)` and `check (expires <= absolute_expires)` alike,
 * and every later request, on a later clock, finds the session over.
 */
const SESSION_MATCH = "token::text in ($1, encode(sha256(convert_to($1, 'UTF8')), 'hex'), sha256(convert_to($1, 'UTF8'))::text)";
export const DEFAULT_EXPIRE_SESSION_SQL = `update auth.sessions set expires = least(expires, clock_timestamp()) where ${SESSION_MATCH}`;
export const DEFAULT_SESSION_EXPIRES_SQL = `select expires from auth.sessions where ${SESSION_MATCH}`;
