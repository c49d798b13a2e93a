import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { answersAs, DeploymentApi } from '../../fixtures/api.ts';
import { splitBaseUrl } from '../../fixtures/target.ts';
import { REFERENCE_PROFILE_PATH, validateProfile, type Profile } from '../../lib/profile.ts';

const reference = validateProfile(JSON.parse(readFileSync(REFERENCE_PROFILE_PATH, 'utf8')), 'reference');
const identity = { email: 'a@example.test', username: 'a_user', name: 'A', password: 'pw' };

/** The shop of docs/profile.md: user names, a client-owned notes table, no refresh, behind /api, 403 refusals. */
const shop: Profile = {
  ...reference,
  basePath: '/api',
  identifiedBy: 'username',
  session: {
    register: { method: 'POST', path: '/rpc/signup', body: { p_username: { $identity: 'login' }, p_password: { $identity: 'password' }, p_age: { $generate: 'integer', min: 18, max: 99 } } },
    login: { method: 'POST', path: '/rpc/signin', body: { p_username: { $identity: 'login' }, p_password: { $identity: 'password' } } },
    logout: { method: 'POST', path: '/rpc/signout', body: {} },
    currentUser: { method: 'GET', path: '/rpc/me', idField: 'account_id' },
  },
  resources: [{ path: '/notes', idColumn: 'note_id', ownerColumn: 'owner_id', ownerSetBy: 'client', newRow: { owner_id: { $owner: true }, body: { $generate: 'text' } }, textColumn: 'body', visibility: { column: 'shared', readableBy: 'anyone' } }],
  users: undefined,
  refusalStatuses: { unauthenticated: [403] },
};

test('the reference profile gives the reference API', () => {
  const api = new DeploymentApi(reference);
  assert.deepEqual(api.request('login', identity), { method: 'POST', path: '/rpc/login', json: { email: 'a@example.test', password: 'pw' } });
  assert.deepEqual(
    api.protectedRequests().map((r) => `${r.method} ${r.path}`),
    ['GET /rpc/current_user', 'GET /users', 'GET /todos', 'POST /rpc/logout', 'POST /rpc/refresh_session'],
  );
  assert.equal(api.refusalText(), '401 or 403');
  assert.deepEqual(api.sessionProbe(), { method: 'GET', path: '/rpc/current_user' });
  assert.equal(api.primary.byId(7), 'todo_id=eq.7');
});

test('another shape: user names, p_ arguments, base path, client owner, no refresh, declared refusals', () => {
  const api = new DeploymentApi(shop);
  const login = api.request('login', identity);
  assert.deepEqual(login, { method: 'POST', path: '/api/rpc/signin', json: { p_username: 'a_user', p_password: 'pw' } });
  const age = (api.request('register', identity).json as Record<string, number>).p_age;
  assert.ok(age >= 18 && age <= 99);
  assert.equal(api.has('refresh'), false);
  // Shared with anyone: the notes are not among what must refuse anonymous callers.
  assert.deepEqual(api.protectedRequests().map((r) => r.path), ['/api/rpc/me', '/api/rpc/signout']);
  assert.equal(api.refusalText(), '403');
  assert.deepEqual(api.paths(), ['/api/rpc/signup', '/api/rpc/signin', '/api/rpc/signout', '/api/rpc/me', '/api/notes']);
  const row = api.primary.newRow({ text: 'hello', shared: true, ownerId: 42, generator: api.generator });
  assert.deepEqual(row, { owner_id: 42, body: 'hello', shared: true });
  assert.deepEqual(api.primary.patchOwner(7), { owner_id: 7 });
  assert.equal(api.primary.byText('a b'), 'body=eq.a%20b');
});

test('a request without the password drops the fields that stand for it', () => {
  const api = new DeploymentApi(shop);
  const request = api.requestWithout('register', identity, 'password');
  assert.deepEqual(Object.keys(request!.json as object), ['p_username', 'p_age']);
  assert.equal(api.requestWithout('logout', identity, 'password'), undefined);
});

test('a current-user answer is the identity when it shows the login or name, unknown when it shows only an id', () => {
  assert.equal(answersAs({ user_id: 1, email: 'A@example.test' }, identity), true);
  assert.equal(answersAs({ user_id: 1, email: 'b@example.test' }, identity), false);
  assert.equal(answersAs({ account_id: 1 }, identity), undefined);
  assert.equal(answersAs(undefined, identity), false);
});

test("BASE_URL's path becomes the base path, and must agree with one the profile gives", () => {
  assert.deepEqual(splitBaseUrl('http://h:3000', reference), { origin: 'http://h:3000', profile: reference });
  assert.equal(splitBaseUrl('http://h:3000/api/', reference).profile.basePath, '/api');
  assert.equal(splitBaseUrl('http://h/api', shop).profile.basePath, '/api');
  assert.throws(() => splitBaseUrl('http://h/v2', shop), /basePath is \/api/);
});
