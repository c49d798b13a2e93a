/**
 * A session's life from the outside: register and login open one, protected
 * endpoints refuse a caller without one, logout ends it on the server and
 * tells the browser to drop the cookie. (Failed logins: failed-auth.spec.ts.)
 */
import { PROTECTED_ENDPOINTS, singleObject, type CurrentUser, type Session } from '../fixtures/api.ts';
import type { HttpResponse } from '../fixtures/http.ts';
import { newIdentity, type Identity } from '../fixtures/identities.ts';
import { cites, precondition, verify } from '../fixtures/requirements.ts';
import { test } from '../fixtures/test.ts';
import { isDeletion } from '../lib/set-cookie.ts';
import { controlSucceeded, requireLive } from './support/controls.ts';
import { describeCookie } from './support/describe-cookie.ts';

/** The two ways to open a session; login uses an account registered by another client. */
const OPENINGS: Array<{ name: string; open: (client: Session, identity: Identity, anonymous: () => Session) => Promise<HttpResponse> }> = [
  { name: 'register', open: (client, identity) => client.register(identity) },
  {
    name: 'login',
    open: async (client, identity, anonymous) => {
      const registered = await anonymous().register(identity);
      precondition(registered.ok, `register answered ${registered.status}`);
      return client.login(identity.email, identity.password);
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
    const me = await client.currentUser();
    const user = singleObject<CurrentUser>(me);
    verify('lifecycle-open', me.ok && user?.email === identity.email, {
      expected: `with that cookie, current_user answers 2xx as ${identity.email}`,
      actual: `${me.status} ${me.body}`,
    });
  });
}

for (const endpoint of PROTECTED_ENDPOINTS) {
  test(`lifecycle-anonymous-refused: ${endpoint.method} ${endpoint.path} refuses a caller without a session`, cites('lifecycle-anonymous-refused'), async ({ anonymous, signedIn }) => {
    const opts = endpoint.method === 'GET' ? {} : { json: {} };
    // The control: with a session the same request is answered, so a refusal without one is about the session.
    controlSucceeded(await (await signedIn('refused-control')).send(endpoint.method, endpoint.path, opts), `${endpoint.method} ${endpoint.path} with a session`);
    const res = await anonymous().send(endpoint.method, endpoint.path, opts);
    verify('lifecycle-anonymous-refused', res.refused, {
      expected: `${endpoint.method} ${endpoint.path} without a cookie answers 401 or 403`,
      actual: `${res.status} ${res.body}`,
    });
  });
}

test('lifecycle-logout-ends-session: the old token is anonymous after logout', cites('lifecycle-logout-ends-session'), async ({ signedIn }) => {
  const client = await signedIn('logout');
  const token = client.token!;
  await requireLive(client, 'before logout');
  const out = await client.logout();
  precondition(out.ok, `logout answered ${out.status}`);
  client.token = token; // a copy of the cookie, kept by a thief or another tab
  const me = await client.currentUser();
  verify('lifecycle-logout-ends-session', me.refused, {
    expected: 'current_user refuses the logged-out token (401 or 403)',
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
