/**
 * A session's life from the outside: register and login open one, protected
 * endpoints refuse a caller without one, logout ends it on the server and
 * tells the browser to drop the cookie. (Failed logins: failed-auth.spec.ts.)
 */
import type { RequestShape, DeploymentApi, Session } from '../fixtures/api.ts';
import type { HttpResponse } from '../fixtures/http.ts';
import { newIdentity, type Identity } from '../fixtures/identities.ts';
import { cites, notApplicableUnless, precondition, verify } from '../fixtures/requirements.ts';
import { test } from '../fixtures/test.ts';
import { isDeletion } from '../lib/set-cookie.ts';
import { askCaller, noteUnidentified } from './support/caller.ts';
import { controlSucceeded, probeName, requireLive } from './support/controls.ts';
import { describeCookie } from './support/describe-cookie.ts';

/** The two ways to open a session; login uses an account registered by another client. */
const OPENINGS: Array<{ name: string; open: (client: Session, identity: Identity, anonymous: () => Session) => Promise<HttpResponse> }> = [
  { name: 'register', open: (client, identity) => client.register(identity) },
  {
    name: 'login',
    open: async (client, identity, anonymous) => {
      const registered = await anonymous().register(identity);
      precondition(registered.ok, `register answered ${registered.status}`);
      return client.login(identity);
    },
  },
];

for (const opening of OPENINGS) {
  test(`lifecycle-open: ${opening.name} opens a session for that user`, cites('lifecycle-open'), async ({ anonymous }) => {
    const identity = newIdentity(opening.name);
    const client = anonymous();
    const res = await opening.open(client, identity, anonymous);
    verify('lifecycle-open', res.ok, { expected: `${opening.name} answers 2xx`, actual: `${res.status} ${res.body}` });
    verify('lifecycle-open', client.token !== undefined, {
      expected: `${opening.name} sets the session cookie ${client.cookieName}`,
      actual: `Set-Cookie lines: ${res.setCookies.length ? res.setCookies.join(' | ') : 'none'}`,
    });
    const me = await askCaller(client, identity);
    verify('lifecycle-open', me.res.ok && me.isIdentity !== false, {
      expected: `with that cookie, ${me.asked} answers 2xx as the user who signed in`,
      actual: `${me.res.status} ${me.res.body}`,
    });
    noteUnidentified(me);
  });
}

/**
 * What must refuse a caller without a session, by kind: the titles stay the
 * same for every deployment, and a kind the deployment lacks is not
 * applicable.
 */
const PROTECTED: Array<{ kind: string; requests: (api: DeploymentApi) => RequestShape[]; lacking: string }> = [
  { kind: 'current user', requests: (api) => (api.has('currentUser') ? [api.request('currentUser')] : []), lacking: 'no current-user endpoint (profile session.currentUser)' },
  { kind: 'the users listing', requests: (api) => (api.usersPath ? [{ method: 'GET', path: api.usersPath }] : []), lacking: 'no users listing (profile users)' },
  {
    kind: 'owned resources',
    requests: (api) => api.resources.filter((r) => r.sharing !== 'anyone').map((r) => ({ method: 'GET', path: r.path })),
    lacking: 'no owned resource closed to anonymous callers (every one shares rows with anyone)',
  },
  { kind: 'logout', requests: (api) => [api.request('logout')], lacking: '' },
  { kind: 'refresh', requests: (api) => (api.has('refresh') ? [api.request('refresh')] : []), lacking: 'no refresh endpoint (profile session.refresh)' },
];

for (const kind of PROTECTED) {
  test(`lifecycle-anonymous-refused: ${kind.kind} refuses a caller without a session`, cites('lifecycle-anonymous-refused'), async ({ anonymous, signedIn, api }) => {
    const requests = kind.requests(api);
    notApplicableUnless(requests.length > 0, `the deployment has ${kind.lacking}`);
    const control = await signedIn('refused-control');
    for (const request of requests) {
      const what = `${request.method} ${request.path}`;
      // The control: with a session the same request is answered, so a refusal without one is about the session.
      controlSucceeded(await control.sendRequest(request), `${what} with a session`);
      const res = await anonymous().sendRequest(request);
      verify('lifecycle-anonymous-refused', res.refused, {
        expected: `${what} without a cookie answers ${api.refusalText()}`,
        actual: `${res.status} ${res.body}`,
      });
    }
  });
}

test('lifecycle-logout-ends-session: the old token is anonymous after logout', cites('lifecycle-logout-ends-session'), async ({ signedIn }) => {
  const client = await signedIn('logout');
  const token = client.token!;
  await requireLive(client, 'before logout');
  const out = await client.logout();
  precondition(out.ok, `logout answered ${out.status}`);
  client.token = token; // a copy of the cookie, kept by a thief or another tab
  const me = await client.probe();
  verify('lifecycle-logout-ends-session', me.refused, {
    expected: `${probeName(client)} refuses the logged-out token (${client.api.refusalText()})`,
    actual: `${me.status} ${me.body}`,
  });
});

test('lifecycle-logout-clears-cookie: logout expires the cookie with the Path it was issued with', cites('lifecycle-logout-clears-cookie'), async ({ signedIn }) => {
  const client = await signedIn('logout');
  const issued = client.issuedCookie!;
  const out = await client.logout();
  precondition(out.ok, `logout answered ${out.status}`);
  const lines = client.sessionCookies(out);
  const deletion = lines.find((c) => isDeletion(c));
  verify('lifecycle-logout-clears-cookie', deletion !== undefined, {
    expected: `the logout response expires ${client.cookieName} (Max-Age=0 or an Expires in the past)`,
    actual: lines.length ? `Set-Cookie: ${lines.map(describeCookie).join(' | ')}` : `no Set-Cookie for ${client.cookieName}`,
  });
  // A browser deletes only the cookie with the same name, Path and Domain.
  const domain = (d?: string) => (d ?? '').replace(/^\./, '').toLowerCase();
  verify('lifecycle-logout-clears-cookie', deletion.path === issued.path && domain(deletion.domain) === domain(issued.domain), {
    expected: `the deletion carries the issued Path (${issued.path ?? 'none'}) and Domain (${issued.domain ?? 'none'})`,
    actual: `Path ${deletion.path ?? 'none'}, Domain ${deletion.domain ?? 'none'}`,
  });
});
