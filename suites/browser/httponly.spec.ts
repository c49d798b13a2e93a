/**
 * HttpOnly, as the browser applies it: after each call that issues the session
 * cookie, made from a page on the API's origin the way a front end makes it,
 * page scripts must not see the cookie in document.cookie, and the browser's
 * cookie store must hold it as HttpOnly. One row per issuing call.
 */
import type { BrowserUser, PageCall } from '../../fixtures/browser-user.ts';
import { cookieHeaderHas, describeStoredCookie } from '../../fixtures/browser-user.ts';
import { test } from '../../fixtures/test.ts';
import type { Session } from '../../fixtures/api.ts';
import { newIdentity } from '../../fixtures/identities.ts';
import { cites, precondition, verify } from '../../fixtures/requirements.ts';

interface Row {
  call: string;
  /** Signs the browser in through the call under test; returns that call's answer. */
  issue: (user: BrowserUser, signedIn: (label?: string) => Promise<Session>) => Promise<PageCall>;
}

const ROWS: Row[] = [
  { call: 'register', issue: (user) => user.register(newIdentity('browser')) },
  {
    call: 'login',
    issue: async (user, signedIn) => user.login((await signedIn('browser')).identity!),
  },
  {
    call: 'refresh_session',
    issue: async (user) => {
      const opened = await user.register(newIdentity('browser'));
      precondition(opened.ok, `register from the page answered ${opened.status}`);
      return user.refresh();
    },
  },
];

for (const row of ROWS) {
  test(`after ${row.call} from the API's origin, scripts cannot read the session cookie`, cites('browser-httponly'), async ({ browserUser, signedIn, target }) => {
    const answer = await row.issue(browserUser, signedIn);
    precondition(answer.ok, `${row.call} from the page answered ${answer.status}`);
    const stored = await browserUser.storedSessionCookie();
    precondition(stored !== undefined, `the browser kept no session cookie after ${row.call} answered ${answer.status}`);
    const visible = await browserUser.documentCookie();
    // document.cookie has the shape of a Cookie header; the value is checked too, whatever name it went under.
    const readable = cookieHeaderHas(visible, target.cookieName) || visible.includes(stored.value);
    verify('browser-httponly', !readable && stored.httpOnly, {
      expected: `document.cookie without ${target.cookieName}; the cookie stored as HttpOnly`,
      actual: `${readable ? `document.cookie shows ${target.cookieName} to page scripts` : 'document.cookie does not show it'}; ${describeStoredCookie(stored)}`,
    });
  });
}
