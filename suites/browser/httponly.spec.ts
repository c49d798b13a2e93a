/**
 * HttpOnly, as the browser applies it: after each call that issues the session
 * cookie, made from a page on the API's origin the way a front end makes it,
 * page scripts must not see the cookie in document.cookie, and the browser's
 * cookie store must hold it as HttpOnly. One row per issuing call.
 */
import type { DeploymentApi, Session } from '../../fixtures/api.ts';
import type { BrowserUser, PageCall } from '../../fixtures/browser-user.ts';
import { cookieHeaderHas, describeStoredCookie } from '../../fixtures/browser-user.ts';
import { newIdentity } from '../../fixtures/identities.ts';
import { cites, notApplicableUnless, precondition, verify } from '../../fixtures/requirements.ts';
import { test } from '../../fixtures/test.ts';

interface Row {
  call: 'register' | 'login' | 'refresh';
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
    call: 'refresh',
    issue: async (user) => {
      const opened = await user.register(newIdentity('browser'));
      precondition(opened.ok, `register from the page answered ${opened.status}`);
      return user.refresh();
    },
  },
];

/** A row whose call the deployment does not have (no refresh endpoint) does not apply. */
function requireCall(api: DeploymentApi, call: Row['call']): void {
  if (call === 'refresh') notApplicableUnless(api.has('refresh'), 'the deployment has no refresh endpoint (profile session.refresh)');
}

for (const row of ROWS) {
  test(`after ${row.call} from the API's origin, scripts cannot read the session cookie`, cites('browser-httponly'), async ({ browserUser, signedIn, target, api }) => {
    requireCall(api, row.call);
    const answer = await row.issue(browserUser, signedIn);
    precondition(answer.ok, `${row.call} (${api.nameOf(row.call)}) from the page answered ${answer.status}`);
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
