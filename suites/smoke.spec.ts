/**
 * Smoke: the whole path works end to end (register, who am I, logout).
 * Deeper checks of each step live in the lifecycle suite.
 */
import { newIdentity } from '../fixtures/identities.ts';
import { cites, verify } from '../fixtures/requirements.ts';
import { test } from '../fixtures/test.ts';
import { askCaller, noteUnidentified } from './support/caller.ts';

test('register, current user, logout', cites('lifecycle-open', 'lifecycle-logout-ends-session'), async ({ anonymous, api }) => {
  const client = anonymous();
  const identity = newIdentity('smoke');
  const registered = await client.register(identity);
  verify('lifecycle-open', registered.ok && client.token !== undefined, {
    expected: `${api.nameOf('register')} answers 2xx and sets the session cookie`,
    actual: `${registered.status}, ${client.token ? 'a' : 'no'} session cookie`,
  });
  const me = await askCaller(client, identity);
  verify('lifecycle-open', me.res.ok && me.isIdentity !== false, {
    expected: `${me.asked} answers 2xx as the registered user`,
    actual: `${me.res.status} ${me.res.body}`,
  });
  noteUnidentified(me);
  const token = client.token!;
  const out = await client.logout();
  verify('lifecycle-logout-ends-session', out.ok, { expected: `${api.nameOf('logout')} answers 2xx`, actual: String(out.status) });
  client.token = token; // replay the old token
  const after = await client.probe();
  verify('lifecycle-logout-ends-session', after.refused, {
    expected: `the old token is anonymous after logout: ${me.asked} answers ${api.refusalText()}`,
    actual: `${after.status} ${after.body}`,
  });
});
