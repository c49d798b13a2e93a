/**
 * When the session ends, the browser must stop sending the cookie. What
 * decides that is the lifetime the BROWSER recorded, after parsing Max-Age or
 * Expires its own way: an Expires date in a format browsers reject leaves a
 * cookie that lives until the browser closes, however valid the date looks
 * to a lenient parser. So the check reads the browser's cookie store and
 * compares its expiry with the server's deadline (from the database, or the
 * declared SESSION_TTL_SECONDS). When that lifetime is short enough to wait
 * out (a deployment with a short idle timeout), the suite also waits for it
 * to pass and watches the next request go out without the cookie.
 */
import { describeStoredCookie } from '../../fixtures/browser-user.ts';
import { test } from '../../fixtures/test.ts';
import { newIdentity } from '../../fixtures/identities.ts';
import { cites, notVerifiedUnless, precondition, verify } from '../../fixtures/requirements.ts';
import { MAX_WAITABLE_TTL } from '../../fixtures/target.ts';

/** Max-Age is rounded down to whole seconds and the clocks may differ a little. */
const SLACK_SECONDS = 2;

test('the browser stops sending the cookie when the session ends', cites('browser-expired-not-sent'), async ({ browserUser, database, target }) => {
  const opened = await browserUser.register(newIdentity('expiry'));
  precondition(opened.ok, `register from the page answered ${opened.status}`);
  const stored = await browserUser.storedSessionCookie();
  precondition(stored !== undefined, `the browser kept no session cookie after register answered ${opened.status}`);
  const fromDatabase = database
    ? await database.sessionSecondsLeft(stored.value).catch((error: Error) => precondition(false, error.message))
    : undefined;
  precondition(!database || fromDatabase !== undefined, 'SESSION_EXPIRES_SQL found no live session for the browser\'s cookie');
  const serverLeft = fromDatabase ?? target.config.sessionTtlSeconds;
  notVerifiedUnless(serverLeft !== undefined, 'needs DATABASE_URL or SESSION_TTL_SECONDS to know when the server-side session ends');

  // -1: a session cookie, kept until the browser closes.
  const browserLeft = stored.expires === -1 ? Number.POSITIVE_INFINITY : stored.expires - Date.now() / 1000;
  verify('browser-expired-not-sent', browserLeft <= serverLeft! + SLACK_SECONDS, {
    expected: `the browser keeps the cookie at most ${Math.round(serverLeft!)} s (±${SLACK_SECONDS} s), as long as the server-side session lasts`,
    actual: describeStoredCookie(stored),
  });

  if (browserLeft > MAX_WAITABLE_TTL) return; // the usual case: too long to wait for; the recorded expiry is what the browser goes by
  // The positive control: until then the browser sends the cookie, so "not sent" afterwards is the expiry's doing.
  await browserUser.requireSignedIn('before the cookie\'s lifetime passes');
  test.setTimeout(test.info().timeout + (browserLeft + 5) * 1000);
  await new Promise((resolve) => setTimeout(resolve, (Math.max(0, browserLeft) + 1) * 1000));
  const after = await browserUser.probe();
  const kept = await browserUser.storedSessionCookie();
  verify('browser-expired-not-sent', !after.sentSessionCookie && kept === undefined, {
    expected: 'once the cookie\'s lifetime has passed, the browser neither holds nor sends it',
    actual: `${after.sentSessionCookie ? 'the browser still sent the session cookie' : 'the browser sent no session cookie'}; ${describeStoredCookie(kept)}`,
  });
});
