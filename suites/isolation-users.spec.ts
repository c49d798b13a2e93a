/**
 * Isolation of user data: the users listing shows public profiles only, and
 * current_user answers with the caller and nobody else. User ids are learned
 * from a todo each user creates (the server files it under the session's
 * user), so current_user is checked against something it did not say itself.
 */
import { singleObject, type CurrentUser, type Session, type Todo } from '../fixtures/api.ts';
import { cites, precondition, verify } from '../fixtures/requirements.ts';
import { test } from '../fixtures/test.ts';
import { containsPasswordHash } from '../lib/redact.ts';
import { rowsOf } from './support/postgrest-rows.ts';
import { isSecretColumn } from './support/secret-column.ts';

/** The user id the server files this session's todos under. */
async function userIdOf(session: Session): Promise<number> {
  const res = await session.createTodo({ description: 'whoami' });
  const row = rowsOf<Todo>(res)[0];
  precondition(res.ok && typeof row?.user_id === 'number', `creating a todo answered ${res.status} with no user_id`);
  return row.user_id;
}

test('the users listing shows no e-mail addresses, passwords or hashes', cites('isolation-user-listing'), async ({ signedIn }) => {
  const [a, b] = await Promise.all([signedIn('listed'), signedIn('reader')]);
  const ids = await Promise.all([userIdOf(a), userIdOf(b)]);
  const forbiddenValues = [a, b].flatMap((s) => [s.identity!.email, s.identity!.password]);
  for (const query of ['', `?user_id=in.(${ids.join(',')})`]) {
    const res = await b.users(query);
    precondition(res.ok, `GET /users${query} answered ${res.status} to a signed-in user`);
    const rows = rowsOf<Record<string, unknown>>(res);
    // A scan needs something to scan: an empty listing would pass every check below.
    precondition(rows.length > 0, `GET /users${query} answered no rows to a signed-in user: nothing to check`);
    const keys = [...new Set(rows.flatMap((r) => Object.keys(r)))];
    const badKeys = keys.filter(isSecretColumn);
    verify('isolation-user-listing', badKeys.length === 0, {
      expected: `GET /users${query}: no column named for an e-mail, password, hash, salt, secret or token`,
      actual: `columns ${JSON.stringify(badKeys)} among ${JSON.stringify(keys)}`,
    });
    const hashes = containsPasswordHash(res.body);
    const known = forbiddenValues.filter((v) => res.body.toLowerCase().includes(v.toLowerCase()));
    verify('isolation-user-listing', !hashes && known.length === 0, {
      expected: `GET /users${query}: no password hash, and neither user's e-mail or password`,
      actual: `${hashes ? 'a crypt-style hash' : 'no hash'}; ${known.length} of the users' e-mails/passwords in the body`,
    });
  }
});

test('current_user answers with the caller, never the other user', cites('isolation-current-user'), async ({ signedIn }) => {
  const users = await Promise.all([signedIn('me-a'), signedIn('me-b')]);
  const ids = await Promise.all(users.map(userIdOf));
  for (const [i, session] of users.entries()) {
    const other = users[1 - i].identity!;
    const me = session.identity!;
    const res = await session.currentUser();
    const got = singleObject<CurrentUser>(res);
    const expected = { user_id: ids[i], name: me.name, email: me.email };
    const ok =
      res.ok &&
      got !== undefined &&
      Number(got.user_id) === ids[i] &&
      got.name === me.name &&
      String(got.email).toLowerCase() === me.email.toLowerCase() &&
      !res.body.includes(other.email);
    verify('isolation-current-user', ok, {
      expected: `current_user for user ${i === 0 ? 'A' : 'B'}: ${JSON.stringify(expected)}`,
      actual: `${res.status} ${res.body.slice(0, 300)}`,
    });
  }
});
