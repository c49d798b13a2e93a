/**
 * Isolation of user data: the users listing (profile `users`) shows public
 * profiles only, and the current-user endpoint answers with the caller and
 * nobody else. User ids are learned from a row each user creates on the
 * primary resource (the owner the deployment filed it under), so current
 * user is checked against something it did not say itself. Where the client
 * sends the owner, the id sent is current user's, but the deployment's
 * acceptance of the row under it vouches for it (isolation-insert checks that
 * a wrong owner is refused).
 */
import { answersAs, singleObject, type Row, type Session } from '../fixtures/api.ts';
import type { Identity } from '../fixtures/identities.ts';
import { cites, notApplicableUnless, precondition, verify } from '../fixtures/requirements.ts';
import { test } from '../fixtures/test.ts';
import { containsPasswordHash } from '../lib/redact.ts';
import { rowsOf } from './support/postgrest-rows.ts';
import { isSecretColumn } from './support/secret-column.ts';

/** The user id the deployment files this session's rows under. */
async function userIdOf(session: Session): Promise<unknown> {
  const r = session.api.primary;
  const res = await session.createRow({ text: 'whoami' }, r);
  const row = rowsOf<Row>(res)[0];
  const id = row && r.owner(row);
  precondition(res.ok && id !== undefined && id !== null, `creating a row of ${r.name} answered ${res.status} with no ${r.ownerColumn}`);
  return id;
}

/** What identifies a user and must never show for anybody else: login (e-mail and user name) and display name. */
const identifying = (identity: Identity) => [identity.email, identity.username, identity.name].map((v) => v.toLowerCase());

/** A value that shows something: not absent, null or empty. */
const filled = (v: unknown) => v !== undefined && v !== null && v !== '';

/**
 * What is private in the listing: columns named for credentials material
 * (isSecretColumn), and the profile's privateColumns, which may exist but
 * show only on the reader's own row (an e-mail shown to its owner alone). The
 * password and any password hash must show nowhere; the e-mail addresses on
 * no one else's row.
 */
test('the users listing shows no e-mail addresses, passwords or hashes', cites('isolation-user-listing'), async ({ signedIn, api }) => {
  const listing = api.profile.users;
  notApplicableUnless(listing !== undefined, 'the deployment has no users listing (profile users)');
  const [a, b] = await Promise.all([signedIn('listed'), signedIn('reader')]);
  const privateColumns = new Set(listing!.privateColumns ?? []);
  // The listing's ids, when the profile names the column: to filter to this test's two users, and to tell the reader's row.
  const idColumn = listing!.idColumn ?? api.userIdField;
  const ids = idColumn ? await Promise.all([userIdOf(a), userIdOf(b)]) : [];
  const reader = identifying(b.identity!);
  const isReaders = (row: Row) =>
    idColumn ? String(row[idColumn]) === String(ids[1]) : Object.values(row).some((v) => typeof v === 'string' && reader.includes(v.toLowerCase()));
  const queries = idColumn ? ['', `?${idColumn}=in.(${ids.map((id) => encodeURIComponent(String(id))).join(',')})`] : [''];
  for (const query of queries) {
    const where = `GET ${api.usersPath}${query}`;
    const res = await b.users(query);
    precondition(res.ok, `${where} answered ${res.status} to a signed-in user`);
    const rows = rowsOf<Row>(res);
    // A scan needs something to scan: an empty listing would pass every check below.
    precondition(rows.length > 0, `${where} answered no rows to a signed-in user: nothing to check`);
    const keys = [...new Set(rows.flatMap((r) => Object.keys(r)))];
    const badKeys = keys.filter((k) => isSecretColumn(k) && !privateColumns.has(k));
    verify('isolation-user-listing', badKeys.length === 0, {
      expected: `${where}: no column named for an e-mail, password, hash, salt, secret or token${privateColumns.size ? ` (but the private columns ${JSON.stringify([...privateColumns])})` : ''}`,
      actual: `columns ${JSON.stringify(badKeys)} among ${JSON.stringify(keys)}`,
    });
    const others = rows.filter((row) => !isReaders(row));
    const shown = [...privateColumns].filter((k) => others.some((row) => filled(row[k])));
    verify('isolation-user-listing', shown.length === 0, {
      expected: `${where}: the private columns ${JSON.stringify([...privateColumns])} empty on every row but the reader's own`,
      actual: `${JSON.stringify(shown)} filled on ${others.filter((row) => shown.some((k) => filled(row[k]))).length} other user(s) row(s)`,
    });
    const hashes = containsPasswordHash(res.body);
    const othersText = JSON.stringify(others).toLowerCase();
    const known = [
      ...[a, b].filter((s) => res.body.includes(s.identity!.password)),
      ...[a, b].filter((s) => othersText.includes(s.identity!.email.toLowerCase())),
    ];
    verify('isolation-user-listing', !hashes && known.length === 0, {
      expected: `${where}: no password hash, neither user's password, and no e-mail on another's row`,
      actual: `${hashes ? 'a crypt-style hash' : 'no hash'}; ${known.length} of the users' e-mails/passwords in the body`,
    });
  }
});

test('current user answers with the caller, never the other user', cites('isolation-current-user'), async ({ signedIn, api }) => {
  notApplicableUnless(api.has('currentUser'), `the deployment has no current-user endpoint (profile session.currentUser)`);
  const idField = api.userIdField!;
  const users = await Promise.all([signedIn('me-a'), signedIn('me-b')]);
  const ids = await Promise.all(users.map(userIdOf));
  for (const [i, session] of users.entries()) {
    const me = session.identity!;
    const other = users[1 - i].identity!;
    const res = await session.currentUser();
    const got = singleObject<Row>(res);
    // Exact values, not substrings: one generated user name or display name may begin another.
    const othersValues = new Set(identifying(other));
    const showsOther = got !== undefined && Object.values(got).some((v) => typeof v === 'string' && othersValues.has(v.toLowerCase()));
    const ok =
      res.ok &&
      got !== undefined &&
      String(got[idField]) === String(ids[i]) &&
      // The caller's login or name where the answer has a field for one (answersAs is undefined when it shows only an id).
      answersAs(got, me) !== false &&
      !showsOther &&
      !res.body.includes(other.email);
    verify('isolation-current-user', ok, {
      expected: `${api.nameOf('currentUser')} for user ${i === 0 ? 'A' : 'B'}: ${idField} ${JSON.stringify(ids[i])} and the caller's own name and login, nobody else's`,
      actual: `${res.status} ${res.body.slice(0, 300)}`,
    });
  }
});
