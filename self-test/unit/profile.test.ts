import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { DEFAULT_EXPIRE_SESSION_SQL, DEFAULT_SESSION_EXPIRES_SQL } from '../../lib/config.ts';
import { fill, loadProfile, REFERENCE_PROFILE_PATH, requestOf, seededGenerator, validateProfile, type Profile, type Template } from '../../lib/profile.ts';
import { UserError } from '../../lib/user-error.ts';

const reference = (): Profile => JSON.parse(readFileSync(REFERENCE_PROFILE_PATH, 'utf8'));
const dir = mkdtempSync(path.join(os.tmpdir(), 'profile-test-'));
const writeProfile = (name: string, value: unknown) => {
  const file = path.join(dir, name);
  writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value));
  return file;
};

test('the reference profile validates and is the default; its session SQL is the one lib/config.ts defaults to', () => {
  const profile = loadProfile({});
  assert.deepEqual(profile, reference());
  assert.equal(profile.sessionStorage?.expireNowSql, DEFAULT_EXPIRE_SESSION_SQL);
  assert.equal(profile.sessionStorage?.expiresSql, DEFAULT_SESSION_EXPIRES_SQL);
});

test('a bad profile is one line naming the variable, the file and the field', () => {
  const cases: Array<[string, (p: Profile) => unknown, RegExp]> = [
    ['path not a string', (p) => ((p.session.login as { path: unknown }).path = 7), /: \/session\/login\/path must be string: fix the profile \(see spec\/profile\.schema\.json\)$/],
    ['unknown field', (p) => ((p as unknown as Record<string, unknown>).extra = 1), /: \/ has an unknown field "extra"/],
    ['missing field', (p) => delete (p as Partial<Profile>).cookieName, /: \/ must have the field "cookieName"/],
    ['bad generator', (p) => (p.resources[0].newRow.description = { $generate: 'integer', min: 'a' } as never), /\/resources\/0\/newRow\/description\/min must be integer/],
    ['bad identity part', (p) => (p.session.login.body!.email = { $identity: 'mail' } as never), /\/session\/login\/body\/email\/\$identity must be one of "login", "password", "name"/],
    ['SQL without $1', (p) => (p.sessionStorage!.expiresSql = 'select now()'), /\/sessionStorage\/expiresSql must match pattern/],
    ['client owner not in the new row', (p) => (p.resources[0].ownerSetBy = 'client'), /\/resources\/0\/newRow must give "user_id" as \{"\$owner": true\}/],
  ];
  for (const [name, spoil, expected] of cases) {
    const profile = reference();
    spoil(profile);
    const file = writeProfile(`${name}.json`, profile);
    assert.throws(() => loadProfile({ CONFORMANCE_PROFILE: file }), (e: Error) => {
      assert.ok(e instanceof UserError, name);
      assert.ok(e.message.startsWith(`CONFORMANCE_PROFILE=${file}: `), `${name}: ${e.message}`);
      assert.match(e.message, expected, name);
      assert.ok(!e.message.includes('\n'), name);
      return true;
    });
  }
  assert.throws(() => loadProfile({ CONFORMANCE_PROFILE: writeProfile('broken.json', '{') }), /is not JSON/);
  assert.throws(() => loadProfile({ CONFORMANCE_PROFILE: path.join(dir, 'absent.json') }), /cannot be read \(ENOENT\)/);
});

test('the environment variables override the profile', () => {
  const file = writeProfile('plain.json', { ...reference(), sessionStorage: undefined });
  const profile = loadProfile({
    CONFORMANCE_PROFILE: file,
    SESSION_COOKIE: '__Host-sid',
    EXPIRE_SESSION_SQL: 'update s set e = now() where t = $1',
    DB_SCHEMAS: 'shop, api',
    DB_ANON_ROLE: 'web_anon',
    DB_AUTHENTICATOR_ROLE: 'rest',
  });
  assert.equal(profile.cookieName, '__Host-sid');
  assert.deepEqual(profile.sessionStorage, { expireNowSql: 'update s set e = now() where t = $1', expiresSql: DEFAULT_SESSION_EXPIRES_SQL });
  assert.deepEqual(profile.database, { ...reference().database, schemas: ['shop', 'api'], anonRole: 'web_anon', authenticatorRole: 'rest' });
});

test('fill: identity parts, generators and the owner; the same seed gives the same body', () => {
  const template: Template = {
    p_username: { $identity: 'login' },
    p_password: { $identity: 'password' },
    display: { $identity: 'name' },
    nick: { $generate: 'text' },
    contact: { $generate: 'email' },
    p_age: { $generate: 'integer', min: 18, max: 20 },
    plan: { $generate: 'choice', of: ['free', 'paid'] },
    owner_id: { $owner: true },
    source: 'conformance',
    archived: false,
  };
  const context = (seed: number) => ({ identity: { login: 'u1', password: 'cnf-pw-x', name: 'U One' }, generator: seededGenerator(seed), ownerId: 42 });
  const body = fill(template, context(7));
  assert.deepEqual(body, fill(template, context(7)));
  assert.notDeepEqual(body, fill(template, context(8)));
  assert.equal(body.p_username, 'u1');
  assert.equal(body.p_password, 'cnf-pw-x');
  assert.equal(body.display, 'U One');
  assert.equal(body.owner_id, 42);
  assert.equal(body.source, 'conformance');
  assert.equal(body.archived, false);
  assert.match(String(body.contact), /^conformance-[0-9a-z]+-\d+-[0-9a-z]+@example\.test$/);
  assert.ok([18, 19, 20].includes(body.p_age as number));
  assert.ok(['free', 'paid'].includes(body.plan as string));
  assert.throws(() => fill({ o: { $owner: true } }, { generator: seededGenerator(1) }), /needs the caller's id/);
  assert.throws(() => fill({ l: { $identity: 'login' } }, { generator: seededGenerator(1) }), /needs the caller's login, and the call has none/);
});

test('a generator never repeats a text, and its integers cover the range', () => {
  const g = seededGenerator(123);
  const texts = new Set(Array.from({ length: 1000 }, () => g.text()));
  assert.equal(texts.size, 1000);
  const ints = new Set(Array.from({ length: 500 }, () => g.integer(1, 5)));
  assert.deepEqual([...ints].sort(), [1, 2, 3, 4, 5]);
});

test('requestOf: the path under basePath, a query template as text, a body template as JSON', () => {
  const context = { identity: { login: 'a@example.test', password: 'p', name: 'n' }, generator: seededGenerator(1) };
  assert.deepEqual(requestOf({ basePath: '/api/' }, { method: 'GET', path: '/rpc/me', query: { n: 5, who: { $identity: 'login' } } }, context), {
    method: 'GET',
    path: '/api/rpc/me?n=5&who=a%40example.test',
  });
  assert.deepEqual(requestOf({ basePath: '/' }, reference().session.login, context), {
    method: 'POST',
    path: '/rpc/login',
    json: { email: 'a@example.test', password: 'p' },
  });
});

test('validateProfile accepts a profile built in memory', () => {
  assert.deepEqual(validateProfile(reference(), 'drafted'), reference());
});
