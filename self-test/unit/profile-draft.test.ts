import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { REFERENCE_PROFILE_PATH, validateProfile, type Profile } from '../../lib/profile.ts';
import type { Catalog } from '../../tools/profile-catalog.ts';
import { draftProfile, rangeOf } from '../../tools/profile-draft.ts';

/**
 * Fixtures: the reference's OpenAPI documents as PostgREST 12.0.2 serves them
 * to an anonymous and to a signed-in caller (11.2.2 serves the same but for
 * its version), and its catalog as tools/profile-catalog.ts reads it. The
 * marketplace document is what PostgREST 11.2.2 served for a shop's schema,
 * with the basePath openapi-server-proxy-uri gives behind /api/: sign-in by
 * user name with p_-prefixed arguments, a sign-up that requires an age,
 * `notes` owned through owner_id that the client sends, no refresh.
 */
const fixture = (name: string) => JSON.parse(readFileSync(new URL(`fixtures/${name}`, import.meta.url), 'utf8'));
const withoutNotes = ({ notes: _notes, ...rest }: Profile) => rest;

test('the reference, drafted from its documents and catalog, is profiles/reference.json (notes aside)', () => {
  const drafted = draftProfile(
    { anonymous: fixture('openapi-reference-12-anonymous.json'), signedIn: fixture('openapi-reference-12-signed-in.json') },
    fixture('catalog-reference.json') as Catalog,
    { cookieName: 'session_token', currentUserFields: ['user_id', 'name', 'email'], currentUserByGet: true },
  );
  validateProfile(drafted, 'drafted reference');
  assert.deepEqual(withoutNotes(drafted), withoutNotes(JSON.parse(readFileSync(REFERENCE_PROFILE_PATH, 'utf8'))));
  assert.ok(drafted.notes.some((n) => n.startsWith('login: guessed /rpc/login from its name; its arguments: email, password')));
  assert.ok(drafted.notes.some((n) => n.includes('RLS policies naming user_id')));
});

test('without a database the reference draft keeps the defaults and says so', () => {
  const drafted = draftProfile({ anonymous: fixture('openapi-reference-12-anonymous.json'), signedIn: fixture('openapi-reference-12-signed-in.json') });
  validateProfile(drafted, 'drafted reference');
  assert.equal(drafted.sessionStorage, undefined);
  assert.equal(drafted.database.preRequest, undefined);
  assert.ok(drafted.notes.some((n) => n.startsWith('sessionStorage: no database given')));
  assert.ok(drafted.notes.some((n) => n.startsWith('cookieName: session_token is a default, not seen')));
});

test('a marketplace: user names, p_ arguments, a required integer, a client-owned notes table, no refresh, under /api', () => {
  const drafted = draftProfile(fixture('openapi-marketplace.json'), undefined, { cookieName: '__Host-sid' });
  validateProfile(drafted, 'drafted marketplace');
  assert.equal(drafted.basePath, '/api');
  assert.equal(drafted.identifiedBy, 'username');
  assert.equal(drafted.cookieName, '__Host-sid');
  assert.deepEqual(drafted.session.login, { method: 'POST', path: '/rpc/signin', body: { p_password: { $identity: 'password' }, p_username: { $identity: 'login' } } });
  assert.deepEqual(drafted.session.register.body?.p_age, { $generate: 'integer', min: 1, max: 99 });
  assert.deepEqual(drafted.session.register.body?.p_username, { $identity: 'login' });
  assert.equal(drafted.session.logout.path, '/rpc/signout');
  assert.equal(drafted.session.refresh, undefined);
  assert.ok(drafted.notes.some((n) => n.startsWith('refresh: no function named like a refresh')));
  assert.deepEqual(drafted.session.currentUser, { method: 'GET', path: '/rpc/me', idField: 'account_id' });
  assert.deepEqual(drafted.resources, [
    {
      path: '/notes',
      idColumn: 'note_id',
      ownerColumn: 'owner_id',
      ownerSetBy: 'client',
      newRow: { owner_id: { $owner: true }, body: { $generate: 'text' } },
      textColumn: 'body',
      visibility: { column: 'shared', readableBy: 'signed-in' },
    },
  ]);
  assert.deepEqual(drafted.users, { path: '/accounts', idColumn: 'account_id', privateColumns: [] });
});

test('a users listing with a column named like a credential marks it private; a document with nothing owned gives a placeholder and a note', () => {
  const doc = fixture('openapi-reference-12-signed-in.json');
  doc.definitions.users.properties.email = { format: 'text', type: 'string' };
  delete doc.paths['/todos'];
  const drafted = draftProfile(doc);
  assert.deepEqual(drafted.users?.privateColumns, ['email']);
  assert.equal(drafted.resources[0].path, '/REPLACE-ME');
  assert.ok(drafted.notes.some((n) => n.startsWith('resources: no table or view with an id column')));
});

test('an integer argument takes its range from a one-column CHECK on a column of its bare name', () => {
  const check = (definition: string, column = 'age') => ({ schema: 'app', table: 'users', column, definition });
  assert.deepEqual(rangeOf([check('CHECK (((age >= 18) AND (age <= 130)))')], 'age')?.min, 18);
  assert.deepEqual(rangeOf([check('CHECK (((age >= 18) AND (age <= 130)))')], 'AGE')?.max, 130);
  assert.deepEqual(rangeOf([check('CHECK ((age > 17))'), check('CHECK ((age < 131))')], 'age'), {
    min: 18,
    max: 130,
    from: ['app.users: CHECK ((age > 17))', 'app.users: CHECK ((age < 131))'],
  });
  assert.equal(rangeOf([check('CHECK ((0 < qty))', 'qty')], 'qty')?.min, 1);
  assert.equal(rangeOf([check('CHECK (((age < 5) OR (age > 10)))')], 'age'), undefined);
  assert.equal(rangeOf([check('CHECK ((length(name) > 3))', 'name')], 'name'), undefined);

  const doc = fixture('openapi-marketplace.json');
  const catalog = { ...(fixture('catalog-reference.json') as Catalog), columnChecks: [check('CHECK (((age >= 18) AND (age <= 130)))')] };
  const drafted = draftProfile(doc, catalog, { cookieName: '__Host-sid' });
  assert.deepEqual(drafted.session.register.body?.p_age, { $generate: 'integer', min: 18, max: 130 });
  assert.ok(drafted.notes.some((n) => n.startsWith('register: p_age is generated from 18 to 130, the range of app.users')));
});
