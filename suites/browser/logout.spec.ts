/**
 * Logout, as the browser sees it: the cookie must be gone from the browser's
 * store and from the next request. (Whether the server ended the session is
 * the lifecycle suite's question; here it is what the browser keeps.)
 */
import { describeStoredCookie } from '../../fixtures/browser-user.ts';
import { test } from '../../fixtures/test.ts';
import { newIdentity } from '../../fixtures/identities.ts';
import { cites, precondition, verify } from '../../fixtures/requirements.ts';

test('logout from the API\'s origin removes the cookie from the browser', cites('browser-logout-clears'), async ({ browserUser }) => {
  const opened = await browserUser.register(newIdentity('logout'));
  precondition(opened.ok && (await browserUser.storedSessionCookie()) !== undefined, `register from the page answered ${opened.status} and left no cookie`);
  // The positive control: before logout the browser sends the cookie, so "not sent" afterwards is logout's doing.
  await browserUser.requireSignedIn('before logout');
  const out = await browserUser.logout();
  precondition(out.ok, `logout from the page answered ${out.status}`);
  const stored = await browserUser.storedSessionCookie();
  verify('browser-logout-clears', stored === undefined, {
    expected: 'no session cookie in the browser after logout',
    actual: describeStoredCookie(stored),
  });
  const next = await browserUser.probe();
  verify('browser-logout-clears', !next.sentSessionCookie, {
    expected: 'the next request carries no session cookie',
    actual: 'the browser sent the session cookie with the request after logout',
  });
});
