/**
 * Log out everywhere: a user who changes their password ends every other
 * session of theirs. The user signs in twice (a second device, or someone
 * holding a copy of the cookie), changes the password from the first
 * session, and the second must then be anonymous. Controls: the second
 * session works before the change, and the new password logs in after it,
 * so the change really happened.
 */
import { newIdentity } from '../fixtures/identities.ts';
import { cites, notApplicableUnless, precondition, verify } from '../fixtures/requirements.ts';
import { test } from '../fixtures/test.ts';
import { controlSucceeded, probeName, requireLive } from './support/controls.ts';

test('lifecycle-password-change-ends-sessions: a password change ends the user\'s other sessions', cites('lifecycle-password-change-ends-sessions'), async ({ signedIn, anonymous, api }) => {
  notApplicableUnless(api.has('changePassword'), 'the deployment has no password-change endpoint (profile session.changePassword)');
  const first = await signedIn('password-change');
  const identity = first.identity!;
  const second = anonymous();
  controlSucceeded(await second.login(identity), 'a second login of the same user', second.token !== undefined);
  await requireLive(second, 'of the second login, before the change');

  const newPassword = newIdentity('password-change-new').password;
  const changed = await first.changePassword(identity, newPassword);
  precondition(changed.ok, `${api.nameOf('changePassword')} answered ${changed.status} to the signed-in user with the right current password`);
  const withNew = anonymous();
  controlSucceeded(await withNew.login({ ...identity, password: newPassword }), 'a login with the new password', withNew.token !== undefined);

  const after = await second.probe();
  verify('lifecycle-password-change-ends-sessions', after.refused, {
    expected: `after the password change, ${probeName(second)} with the other session's cookie answers ${api.refusalText()}`,
    actual: `${after.status} ${after.body.slice(0, 200)}`,
  });
});
