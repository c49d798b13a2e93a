import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_EXPIRE_SESSION_SQL, loadConfig } from '../../lib/config.ts';
import { UserError } from '../../lib/user-error.ts';

test('defaults', () => {
  const c = loadConfig({});
  assert.equal(c.baseUrl, undefined);
  assert.equal(c.sessionCookie, 'session_token');
  assert.equal(c.expireSessionSql, DEFAULT_EXPIRE_SESSION_SQL);
  assert.equal(c.strict, false);
  assert.equal(c.reportDir, 'conformance-report');
});

test('valid values are taken, trailing slashes dropped', () => {
  const c = loadConfig({ BASE_URL: 'https://staging.example.com/api/', SESSION_TTL_SECONDS: '20', CONFORMANCE_STRICT: '1', SESSION_COOKIE: '__Host-sid' });
  assert.equal(c.baseUrl, 'https://staging.example.com/api');
  assert.equal(c.sessionTtlSeconds, 20);
  assert.equal(c.strict, true);
  assert.equal(c.sessionCookie, '__Host-sid');
});

// Each bad value is one UserError naming the variable.
const bad: Array<[Record<string, string>, RegExp]> = [
  [{ BASE_URL: 'staging.example.com' }, /^BASE_URL=/],
  [{ BASE_URL: 'ftp://x' }, /^BASE_URL=/],
  [{ DATABASE_URL: 'http://db' }, /^DATABASE_URL=/],
  [{ SESSION_COOKIE: 'bad name' }, /^SESSION_COOKIE=/],
  [{ SESSION_TTL_SECONDS: '0' }, /^SESSION_TTL_SECONDS=/],
  [{ SESSION_TTL_SECONDS: '1.5' }, /^SESSION_TTL_SECONDS=/],
  [{ EXPIRE_SESSION_SQL: 'update x set y = 1' }, /^EXPIRE_SESSION_SQL=/],
  [{ CONFORMANCE_POSTGREST: '13' }, /^CONFORMANCE_POSTGREST=/],
  [{ CONFORMANCE_STRICT: 'yes' }, /^CONFORMANCE_STRICT=/],
];

test('bad values give one-line errors naming the variable', () => {
  for (const [env, pattern] of bad) {
    assert.throws(() => loadConfig(env), (e: unknown) => e instanceof UserError && pattern.test(e.message) && !e.message.includes('\n'), JSON.stringify(env));
  }
});

test('the exposure scan writes only where asked, or on the embedded deployment', () => {
  assert.equal(loadConfig({}).exposureScanWrites, true, 'embedded: a throwaway deployment');
  assert.equal(loadConfig({ BASE_URL: 'https://staging.example.com' }).exposureScanWrites, false, "a user's deployment: never unless asked");
  assert.equal(loadConfig({ BASE_URL: 'https://staging.example.com', EXPOSURE_SCAN_WRITES: '1' }).exposureScanWrites, true);
  assert.throws(() => loadConfig({ EXPOSURE_SCAN_WRITES: 'yes' }), /EXPOSURE_SCAN_WRITES="yes" is not valid: use 1 or 0/);
});

test('a profile gives the cookie name, session SQL and database settings; the variables override it', () => {
  const c = loadConfig({ CONFORMANCE_PROFILE: 'profiles/reference.json', DB_ANON_ROLE: 'web_anon' });
  assert.equal(c.sessionCookie, 'session_token');
  assert.deepEqual(c.dbSchemas, ['api']);
  assert.equal(c.dbAnonRole, 'web_anon');
  assert.throws(() => loadConfig({ CONFORMANCE_PROFILE: 'no-such-profile.json' }), /CONFORMANCE_PROFILE/);
});
