/**
 * Smoke: the whole path works end to end (register, current_user, logout).
 * Deeper checks of each step live in the lifecycle suite.
 */
import { singleObject, type CurrentUser } from '../fixtures/api.ts';
import { newIdentity } from '../fixtures/identities.ts';
import { cites, verify } from '../fixtures/requirements.ts';
import { test } from '../fixtures/test.ts';

test('register, current_user, logout', cites('lifecycle-open', 'lifecycle-logout-ends-session'), async ({ anonymous }) => {
  const client = anonymous();
  const identity = newIdentity('smoke');
  const registered = await client.register(identity);
  verify('lifecycle-open', registered.ok && client.token !== undefined, {
    expected: 'register answers 2xx and sets the session cookie',
    actual: `${registered.status}, ${client.token ? 'a' : 'no'} session cookie`,
  });
  const me = await client.currentUser();
  const user = singleObject<CurrentUser>(me);
  verify('lifecycle-open', me.ok && user?.email === identity.email, {
    expected: `current_user answers 2xx with email ${identity.email}`,
    actual: `${me.status} ${me.body}`,
  });
  const token = client.token!;
  const out = await client.logout();
  verify('lifecycle-logout-ends-session', out.ok, { expected: 'logout answers 2xx', actual: String(out.status) });
  client.token = token; // replay the old token
  const after = await client.currentUser();
  verify('lifecycle-logout-ends-session', after.refused, {
    expected: 'the old token is anonymous after logout: 401 or 403',
    actual: `${after.status} ${after.body}`,
  });
});
