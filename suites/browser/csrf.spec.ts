/**
 * Cross-site request forgery with a plain HTML form. PostgREST accepts
 * application/x-www-form-urlencoded bodies, so a page on any site can make a
 * signed-in visitor's browser post to the API. The user signs in from a page
 * on the API's origin; seconds later (inside Chromium's two-minute window in
 * which a cookie without SameSite still rides along on a top-level cross-site
 * POST) a page on another site auto-submits a form to a state-changing
 * endpoint. Whether the action happened as the user is then checked directly:
 * over HTTP for the todo, in the browser for the session. Before the attack,
 * the same form is posted from the API's own origin and must act as the user
 * (after the logout form, the user signs in again).
 */
import { ENDPOINTS, type Session, type Todo } from '../../fixtures/api.ts';
import { browserStep, type BrowserUser } from '../../fixtures/browser-user.ts';
import { test } from '../../fixtures/test.ts';
import { autoSubmitForm } from '../../fixtures/cross-site.ts';
import { cites, precondition, verify } from '../../fixtures/requirements.ts';
import { randomUUID } from 'node:crypto';

interface Attack {
  /** What the form tries to do as the user. */
  action: string;
  path: string;
  fields: (marker: string) => Record<string, string>;
  /** Whether it happened as the user, and what was seen. */
  happened: (victim: { user: BrowserUser; session: Session; marker: string }) => Promise<{ happened: boolean; seen: string }>;
}

const ATTACKS: Attack[] = [
  {
    action: 'create a todo as the user',
    path: ENDPOINTS.todos,
    fields: (marker) => ({ description: marker }),
    happened: async ({ session, marker }) => {
      const res = await session.todos(`?description=eq.${encodeURIComponent(marker)}`);
      precondition(res.ok, `the user could not list their todos afterwards: ${res.status}`);
      const rows = res.tryJson<Todo[]>() ?? [];
      return { happened: rows.length > 0, seen: `${rows.length} todo(s) with the form's description in the user's list` };
    },
  },
  {
    action: 'log the user out',
    path: ENDPOINTS.logout,
    fields: () => ({}),
    happened: async ({ user }) => {
      const stored = await user.storedSessionCookie();
      const me = await user.currentUser();
      return {
        happened: stored === undefined || !me.ok,
        seen: `afterwards the browser ${stored ? 'still holds' : 'no longer holds'} the session cookie and current_user answers ${me.status}`,
      };
    },
  },
];

/** Signs the browser in as the user and checks the session works from the API's own origin. */
async function signIn(user: BrowserUser, session: Session, when: string): Promise<void> {
  const login = await user.login(session.identity!);
  precondition(login.ok && (await user.storedSessionCookie()) !== undefined, `login from the page ${when} answered ${login.status} and left no cookie`);
  await user.requireSignedIn(`${when}, right after login`);
}

for (const attack of ATTACKS) {
  test(`a form posted from another site cannot ${attack.action}`, cites('browser-csrf-form'), async ({ browserUser, probes, signedIn }) => {
    const session = await signedIn('csrf');
    await signIn(browserUser, session, 'before the control');
    // The positive control: the same form, posted from the API's own origin, does act as the user.
    // Otherwise the cross-site post could fail for any other reason (the form's encoding, a missing
    // column) and the check would pass without checking.
    const ownMarker = `conformance csrf control ${randomUUID()}`;
    const own = await browserUser.postForm(attack.path, attack.fields(ownMarker));
    const legitimate = await attack.happened({ user: browserUser, session, marker: ownMarker });
    precondition(legitimate.happened, `the same form posted from the API's own origin did not ${attack.action}: it answered ${own.status}; ${legitimate.seen}`);
    if ((await browserUser.storedSessionCookie()) === undefined) await signIn(browserUser, session, 'after the control');
    else await browserUser.requireSignedIn('after the control');

    const marker = `conformance csrf ${randomUUID()}`;
    const action = browserUser.url(attack.path);
    const origin = probes.origins['cross-site'].origin;
    const post = await browserStep(`the form on ${origin} posting to ${action}`, async () => {
      const arrived = browserUser.waitForApiResponse('POST', attack.path);
      arrived.catch(() => undefined); // awaited below; a failed navigation must not leave it unhandled
      await probes.open(browserUser.page, 'cross-site', autoSubmitForm(action, attack.fields(marker)), 'commit');
      return browserUser.observe(await arrived);
    });
    const outcome = await attack.happened({ user: browserUser, session, marker });
    verify('browser-csrf-form', !outcome.happened, {
      expected: `the form posted from ${origin} to ${action} does not act as the user`,
      actual: `the browser ${post.sentSessionCookie ? 'sent' : 'did not send'} the session cookie with the cross-site POST, the API answered ${post.status}; ${outcome.seen}`,
    });
  });
}
