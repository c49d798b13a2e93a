import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { loadConfig, maskPassword, SETTINGS } from '../../lib/config.ts';
import { UserError } from '../../lib/user-error.ts';

test('database settings: defaults fit the reference deployment', () => {
  const c = loadConfig({});
  assert.equal(c.dbTestsSchema, 'tests');
  assert.equal(c.dbTestsPattern, '^test_');
  assert.deepEqual(c.dbTestFiles, []);
  assert.deepEqual(c.dbSchemas, ['api']);
  assert.equal(c.dbAnonRole, 'anonymous');
  assert.equal(c.dbAuthenticatorRole, 'authenticator');
});

test('database settings: comma lists are trimmed, empty items dropped', () => {
  const here = fileURLToPath(import.meta.url);
  const c = loadConfig({ DB_SCHEMAS: ' api, v2 ,,', DB_TEST_FILES: `${here}, ${here}`, DB_ANON_ROLE: 'web_anon', DB_TESTS_PATTERN: '^check_' });
  assert.deepEqual(c.dbSchemas, ['api', 'v2']);
  assert.deepEqual(c.dbTestFiles, [here, here]);
  assert.equal(c.dbAnonRole, 'web_anon');
  assert.equal(c.dbTestsPattern, '^check_');
});

test('database settings: a missing test file or no schema at all is one line naming the variable', () => {
  for (const [env, pattern] of [
    [{ DB_TEST_FILES: 'no/such/file.sql' }, /^DB_TEST_FILES=.*no\/such\/file\.sql does not exist/],
    [{ DB_SCHEMAS: ' , ' }, /^DB_SCHEMAS=/],
  ] as const) {
    assert.throws(() => loadConfig(env), (e: unknown) => e instanceof UserError && pattern.test(e.message) && !e.message.includes('\n'));
  }
});

test('every database setting is documented in SETTINGS', () => {
  for (const name of ['DB_TESTS_SCHEMA', 'DB_TESTS_PATTERN', 'DB_TEST_FILES', 'DB_SCHEMAS', 'DB_ANON_ROLE', 'DB_AUTHENTICATOR_ROLE']) {
    assert.ok(SETTINGS.some((s) => s.name === name), name);
  }
});

test('DATABASE_URL: every form node-postgres accepts, Unix sockets with or without user@', () => {
  for (const url of [
    'postgres://checker:secret@db.example.test:5432/app',
    'postgresql://postgres@/postgres?host=/path/to/socket',
    'postgresql:///postgres?host=/var/run/postgresql',
    'postgresql:///app?host=%2Fdev%2Fshm%2Fpg&user=postgres',
    'postgresql://[::1]:5432/app?sslmode=require',
    'socket:/var/run/postgresql?db=app',
    '/var/run/postgresql app',
  ]) {
    assert.equal(loadConfig({ DATABASE_URL: url }).databaseUrl, url, url);
  }
});

test('DATABASE_URL: a string that names no server is one line naming the fix, with no password in it', () => {
  for (const url of ['db.example.test/app', 'mysql://db/app', 'postgres://checker:hunter22@db:port/app']) {
    assert.throws(
      () => loadConfig({ DATABASE_URL: url }),
      (e: unknown) =>
        e instanceof UserError &&
        /^DATABASE_URL=.* is not valid: .*postgresql:\/\/user@\/db\?host=/.test(e.message) &&
        !e.message.includes('\n') &&
        !e.message.includes('hunter22'),
      url,
    );
  }
});

test('DATABASE_URL: passwords are masked in the authority and in the query', () => {
  assert.equal(maskPassword('postgres://u:p%40ss@h/db?password=x&sslmode=require'), 'postgres://u:***@h/db?password=***&sslmode=require');
  assert.equal(maskPassword('postgresql://u@/db?host=/s'), 'postgresql://u@/db?host=/s');
});
