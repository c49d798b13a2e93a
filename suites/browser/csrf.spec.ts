/**
 * Cross-site request forgery with a plain HTML form. PostgREST accepts
 * application/x-www-form-urlencoded bodies, so a page on any site can make a
 * signed-in visitor's browser post to the API. The user signs in from a page
 * on the API's origin; seconds later (inside Chromium's two-minute window in
 * which a cookie without SameSite still rides along on a top-level cross-site
 * POST) a page on another site auto-submits a form to a state-changing
 * endpoint. Whether the action happened as the user is then checked directly:
 * over HTTP for the row, in the browser for the session. Before the attack,
 * the same form is posted from the API's own origin and must act as the user
 * (after the logout form, the user signs in again).
 *
 * Each form is the profile's own request (a new row of the primary resource,
 * the logout call) as a form can send it: its fields as text
 * (fixtures/cross-site.ts, htmlFormOf). The other requests PostgREST takes
 * without a preflight (text/plain forms, forms to every function that writes
 * and every owned resource, links to functions), and sibling origins of the
 * same site, are csrf-calls.spec.ts's.
 */
import { randomUUID } from 'node:crypto';
import type { DeploymentApi, Row, Session } from '../../fixtures/api.ts';
import { browserStep, type BrowserUser } from '../../fixtures/browser-user.ts';
import { autoSubmitForm, formTarget, htmlFormOf, type HtmlForm } from '../../fixtures/cross-site.ts';
import { cites, notApplicableUnless, precondition, verify } from '../../fixtures/requirements.ts';
import { test } from '../../fixtures/test.ts';

interface Victim {
  user: BrowserUser;
  session: Session;
  api: DeploymentApi;
}

interface Attack {
  /** What the form tries to do as the user. */
  action: string;
  /** The form that does it, carrying `marker` where the effect can be found again. */
  form: (victim: Victim, marker: string) => Promise<HtmlForm | undefined>;
  /** Whether it happened as the user, and what was seen. */
  happened: (victim: Victim, marker: string) => Promise<{ happened: boolean; seen: string }>;
}

const ATTACKS: Attack[] = [
  {
    action: 'create a row as the user',
    form: async ({ session, api }, marker) => {
      const resource = api.primary;
      // A client-supplied owner is the user's own id, as the app's front end would send it.
      const ownerId = resource.clientSetsOwner ? await session.userId() : undefined;
      precondition(!resource.clientSetsOwner || ownerId !== undefined, `the user's id could not be read from ${api.nameOf('currentUser')} for ${resource.name}'s ${resource.ownerColumn}`);
      return htmlFormOf({ method: 'POST', path: resource.path, json: resource.newRow({ text: marker, ownerId, generator: api.generator }) });
    },
    happened: async ({ session, api }, marker) => {
      const resource = api.primary;
      const res = await session.rows(`?${resource.byText(marker)}`);
      precondition(res.ok, `the user could not list their rows of ${resource.name} afterwards: ${res.status}`);
      const rows = res.tryJson<Row[]>() ?? [];
      return { happened: rows.length > 0, seen: `${rows.length} row(s) of ${resource.name} with the form's ${resource.textColumn} in the user's list` };
    },
  },
  {
    action: 'log the user out',
    form: async ({ api }) => htmlFormOf(api.request('logout')),
    happened: async ({ user }) => {
      const stored = await user.storedSessionCookie();
      const me = await user.probe();
      return {
        happened: stored === undefined || !me.ok,
        seen: `afterwards the browser ${stored ? 'still holds' : 'no longer holds'} the session cookie and ${user.probeName} answers ${me.status}`,
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

/** The form for this attack, or not-applicable when the profile's request is not one a form can send. */
async function formFor(attack: Attack, victim: Victim, marker: string): Promise<HtmlForm> {
  const form = await attack.form(victim, marker);
  notApplicableUnless(form !== undefined, `an HTML form cannot ${attack.action}: the profile's request is neither a GET nor a POST of a JSON object`);
  return form!;
}

for (const attack of ATTACKS) {
  test(`a form posted from another site cannot ${attack.action}`, cites('browser-csrf-form'), async ({ browserUser, probes, signedIn, api }) => {
    const session = await signedIn('csrf');
    const victim: Victim = { user: browserUser, session, api };
    await signIn(browserUser, session, 'before the control');
    // The positive control: the same form, posted from the API's own origin, does act as the user.
    // Otherwise the cross-site post could fail for any other reason (the form's encoding, a missing
    // column) and the check would pass without checking.
    const ownMarker = `conformance csrf control ${randomUUID()}`;
    const own = await browserUser.postForm(await formFor(attack, victim, ownMarker));
    const legitimate = await attack.happened(victim, ownMarker);
    precondition(legitimate.happened, `the same form posted from the API's own origin did not ${attack.action}: it answered ${own.status}; ${legitimate.seen}`);
    if ((await browserUser.storedSessionCookie()) === undefined) await signIn(browserUser, session, 'after the control');
    else await browserUser.requireSignedIn('after the control');

    const marker = `conformance csrf ${randomUUID()}`;
    const form = await formFor(attack, victim, marker);
    const action = browserUser.url(form.action);
    const origin = probes.origins['cross-site'].origin;
    const post = await browserStep(`the form on ${origin} submitting to ${action}`, async () => {
      const arrived = browserUser.waitForApiResponse(form.method, formTarget(form));
      arrived.catch(() => undefined); // awaited below; a failed navigation must not leave it unhandled
      await probes.open(browserUser.page, 'cross-site', autoSubmitForm(action, form.fields, form.method), 'commit');
      return browserUser.observe(await arrived);
    });
    const outcome = await attack.happened(victim, marker);
    verify('browser-csrf-form', !outcome.happened, {
      expected: `the form ${form.method === 'POST' ? 'posted' : 'submitted'} from ${origin} to ${action} does not act as the user`,
      actual: `the browser ${post.sentSessionCookie ? 'sent' : 'did not send'} the session cookie with the cross-site ${form.method}, the API answered ${post.status}; ${outcome.seen}`,
    });
  });
}
