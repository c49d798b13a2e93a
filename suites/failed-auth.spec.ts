/**
 * What a failed login or registration must not do: open a session, set the
 * cookie, answer 2xx, or tell an unknown login (e-mail address or user
 * name, as the deployment signs users in) from a wrong password.
 */
import type { Session } from '../fixtures/api.ts';
import type { HttpResponse } from '../fixtures/http.ts';
import { newIdentity, type Identity } from '../fixtures/identities.ts';
import { cites, notApplicableUnless, notVerifiedUnless, precondition, verify } from '../fixtures/requirements.ts';
import { test } from '../fixtures/test.ts';
import { isDeletion } from '../lib/set-cookie.ts';
import { controlSucceeded, probeName } from './support/controls.ts';

/** A failing request, made by a fresh anonymous client against an account that exists. */
interface Failure {
  name: string;
  send: (client: Session, account: Identity) => Promise<HttpResponse>;
}

const wrongPassword: Failure = {
  name: 'login with a wrong password',
  send: (c, a) => c.login({ ...a, password: `${a.password}-wrong` }),
};
const unknownLogin: Failure = {
  name: 'login with an unknown login',
  send: (c, a) => c.login({ ...newIdentity('unknown'), password: a.password }),
};

const FAILURES: Failure[] = [
  wrongPassword,
  unknownLogin,
  { name: 'register with a login that is taken', send: (c, a) => c.register({ ...newIdentity('duplicate'), email: a.email, username: a.username }) },
  {
    name: 'register with the password missing',
    send: (c) => {
      const request = c.api.requestWithout('register', newIdentity('incomplete'), 'password');
      notApplicableUnless(request !== undefined, 'the register template has no password field');
      return c.sendRequest(request!);
    },
  },
];

/**
 * An existing account to fail against (its own session stays open and plays no
 * part). The positive control: its right credentials log in and set the
 * cookie, so a failure is about the credentials, not a broken login.
 */
async function existingAccount(signedIn: (label?: string) => Promise<Session>, anonymous: () => Session): Promise<Identity> {
  const owner = await signedIn('account');
  precondition(owner.identity !== undefined, 'the account has no identity');
  const client = anonymous();
  controlSucceeded(await client.login(owner.identity), 'login with the right password', client.token !== undefined);
  return owner.identity;
}

for (const failure of FAILURES) {
  test(`cookie-none-on-failure: ${failure.name} sets no session cookie`, cites('cookie-none-on-failure'), async ({ anonymous, signedIn }) => {
    const account = await existingAccount(signedIn, anonymous);
    const client = anonymous();
    const res = await failure.send(client, account);
    // A line that deletes the cookie sets no session; anything else does.
    const set = client.sessionCookies(res).filter((c) => !isDeletion(c));
    verify('cookie-none-on-failure', set.length === 0, {
      expected: `no Set-Cookie for ${client.cookieName} after a ${failure.name}`,
      actual: `${res.status} with ${set.length} Set-Cookie line(s) for ${client.cookieName}`,
    });
  });
}

for (const failure of [wrongPassword, unknownLogin]) {
  test(`lifecycle-bad-credentials: ${failure.name} is refused and opens no session`, cites('lifecycle-bad-credentials'), async ({ anonymous, signedIn }) => {
    const account = await existingAccount(signedIn, anonymous);
    const client = anonymous();
    const res = await failure.send(client, account);
    verify('lifecycle-bad-credentials', res.credentialsRefused, {
      expected: `a ${failure.name} answers ${client.api.refusalText('badCredentials')}`,
      actual: `${res.status} ${res.body}`,
    });
    // The client adopted whatever cookie the response set; with it (or none) the caller must still be anonymous.
    notVerifiedUnless(client.api.sessionProbe() !== undefined, 'the profile has no request that tells a live session from none: set session.currentUser');
    const me = await client.probe();
    verify('lifecycle-bad-credentials', me.refused, {
      expected: `after a ${failure.name}, ${probeName(client)} refuses the client (${client.api.refusalText()})`,
      actual: `${probeName(client)} answered ${me.status} ${me.body}${client.token ? ' to the cookie the failed login set' : ''}`,
    });
  });
}

test('lifecycle-no-enumeration: unknown login and wrong password answer alike', cites('lifecycle-no-enumeration'), async ({ anonymous, signedIn }) => {
  const account = await existingAccount(signedIn, anonymous);
  const [wrong, unknown] = await Promise.all([wrongPassword.send(anonymous(), account), unknownLogin.send(anonymous(), account)]);
  verify('lifecycle-no-enumeration', wrong.status === unknown.status, {
    expected: 'the same status for an unknown login and a wrong password',
    actual: `wrong password: ${wrong.status}, unknown login: ${unknown.status}`,
  });
  verify('lifecycle-no-enumeration', wrong.body === unknown.body, {
    expected: 'the same body for an unknown login and a wrong password',
    actual: `wrong password: ${wrong.body} / unknown login: ${unknown.body}`,
  });
});
