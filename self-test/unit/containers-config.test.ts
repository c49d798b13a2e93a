import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { POSTGREST_BUILDS } from '../../stack/binaries.ts';
import * as containers from '../../stack/containers-config.ts';
import { postgrestEnv } from '../../stack/postgrest.ts';
import { EMBEDDED_APP_SETTINGS, REFERENCE_POSTGREST_SETTINGS } from '../../stack/stack.ts';

const dockerfile = readFileSync(path.join(containers.DOCKER_CONTEXT_DIR, containers.POSTGRES_DOCKERFILE), 'utf8');
const instructions = dockerfile.split('\n').filter((line) => line.trim() && !line.trim().startsWith('#'));

test('the PostgreSQL Dockerfile pins the official image to a minor release and installs pgTAP for that major', () => {
  const from = instructions.filter((line) => /^FROM\s/i.test(line));
  assert.equal(from.length, 1, 'one FROM');
  const m = /^FROM\s+postgres:(\d+)\.(\d+)(-[a-z]+)?\s*$/.exec(from[0]!);
  assert.ok(m, `${from[0]} pins postgres:MAJOR.MINOR`);
  assert.equal(m![1], '15', 'PostgreSQL 15, as the local provider runs');
  assert.match(dockerfile, new RegExp(`apt-get install [^\\n]*postgresql-${m![1]}-pgtap`));
  assert.match(dockerfile, /rm -rf \/var\/lib\/apt\/lists/, 'apt lists removed from the image');
});

test('the built image is tagged by the Dockerfile, so an edit builds a new one', () => {
  assert.match(containers.postgresImageTag(dockerfile), /^postgrest-cookie-conformance\/postgres-pgtap:[0-9a-f]{12}$/);
  assert.equal(containers.postgresImageTag(dockerfile), containers.postgresImageTag(dockerfile));
  assert.notEqual(containers.postgresImageTag(dockerfile), containers.postgresImageTag(`${dockerfile}\n# edited`));
});

test('PostgREST images are pinned to the versions of the npm builds the local provider runs', () => {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { optionalDependencies: Record<string, string> };
  assert.deepEqual(Object.keys(containers.POSTGREST_IMAGES).sort(), Object.keys(POSTGREST_BUILDS).sort());
  for (const [build, { image, version }] of Object.entries(containers.POSTGREST_IMAGES)) {
    const npmVersion = /(\d+\.\d+\.\d+)-\d+$/.exec(pkg.optionalDependencies[POSTGREST_BUILDS[build as keyof typeof POSTGREST_BUILDS]]!)?.[1];
    assert.equal(version, npmVersion, `build ${build}`);
    assert.equal(image, `postgrest/postgrest:v${version}`);
  }
  assert.equal(containers.POSTGREST_IMAGES['12'].version, '12.0.2', 'the default build');
});

/** Where PostgREST listens and how it reaches the database: the only settings that may differ between providers. */
const PLACEMENT = ['PGRST_DB_URI', 'PGRST_SERVER_HOST', 'PGRST_SERVER_PORT', 'PGRST_ADMIN_SERVER_PORT'];
const withoutPlacement = (env: Record<string, string>) => Object.fromEntries(Object.entries(env).filter(([k]) => !PLACEMENT.includes(k)));

const postgrestCases: Array<{ name: string; postgrestSettings?: Record<string, string> }> = [
  { name: 'the reference configuration' },
  // Seeded defects change PostgREST settings (`-- postgrest:` lines); the containers get them too.
  { name: 'a seeded defect\'s settings', postgrestSettings: { 'server-cors-allowed-origins': 'https://evil.example', 'db-pre-request': 'auth.other' } },
];

for (const c of postgrestCases) {
  test(`PostgREST's environment matches the local provider's: ${c.name}`, () => {
    const settings = { ...REFERENCE_POSTGREST_SETTINGS, ...c.postgrestSettings };
    // What stack/stack.ts gives startPostgrest for the same options.
    const local = postgrestEnv({ dbUri: 'postgresql:///app?host=/tmp/x&user=authenticator', host: '127.0.0.1', port: 41000, adminPort: 41001, settings });
    const api = containers.postgrestContainerConfig({ build: '12', authenticatorPassword: 'pw-0123456789', postgrestSettings: c.postgrestSettings });
    assert.deepEqual(withoutPlacement(api.env), withoutPlacement(local));
    assert.equal(api.env.PGRST_DB_SCHEMAS, 'api');
    assert.equal(api.env.PGRST_DB_ANON_ROLE, 'anonymous');
    assert.equal(api.env.PGRST_DB_PRE_REQUEST, c.postgrestSettings?.['db-pre-request'] ?? 'auth.authenticate');
    if (c.postgrestSettings) assert.equal(api.env.PGRST_SERVER_CORS_ALLOWED_ORIGINS, 'https://evil.example');
  });
}

test('PostgREST listens on its container, reaches PostgreSQL by alias as the authenticator, and is ready on the admin /ready', () => {
  const api = containers.postgrestContainerConfig({ build: '11', authenticatorPassword: 'pw/with:odd@chars' });
  assert.equal(api.image, 'postgrest/postgrest:v11.2.2');
  assert.equal(api.env.PGRST_SERVER_HOST, '*');
  const uri = new URL(api.env.PGRST_DB_URI!);
  assert.equal(uri.username, 'authenticator');
  assert.equal(decodeURIComponent(uri.password), 'pw/with:odd@chars');
  assert.equal(uri.hostname, 'db');
  assert.equal(uri.port, '5432');
  assert.equal(uri.pathname, '/app');
  assert.deepEqual(api.ports, [{ container: Number(api.env.PGRST_SERVER_PORT), host: undefined }, { container: Number(api.env.PGRST_ADMIN_SERVER_PORT) }]);
  assert.deepEqual(api.ready, { path: '/ready', port: Number(api.env.PGRST_ADMIN_SERVER_PORT) });
  // --port: a fixed host port for the API only.
  assert.deepEqual(containers.postgrestContainerConfig({ build: '12', authenticatorPassword: 'x', port: 8080 }).ports, [
    { container: Number(api.env.PGRST_SERVER_PORT), host: 8080 },
    { container: Number(api.env.PGRST_ADMIN_SERVER_PORT) },
  ]);
});

test('PostgreSQL runs with the app settings of the local provider, durability off, and extra settings on top', () => {
  const db = containers.postgresContainerConfig({ superuserPassword: 'secret-pw', settings: { 'sessions.idle_seconds': '5' } });
  assert.equal(db.command[0], 'postgres');
  const set = new Map<string, string>();
  for (let i = 1; i < db.command.length; i += 2) {
    assert.equal(db.command[i], '-c');
    const [name, value] = db.command[i + 1]!.split(/=(.*)/);
    set.set(name!, value!);
  }
  for (const [name, value] of Object.entries(EMBEDDED_APP_SETTINGS)) assert.equal(set.get(name), value, name);
  assert.equal(set.get('sessions.bcrypt_cost'), '4');
  assert.equal(set.get('sessions.idle_seconds'), '5');
  assert.equal(set.get('fsync'), 'off');
  assert.equal(db.env.POSTGRES_DB, 'app');
  assert.equal(db.env.POSTGRES_PASSWORD, 'secret-pw');
  assert.match(db.env.POSTGRES_INITDB_ARGS!, /--encoding=UTF8 --locale=C/);
  assert.equal(db.alias, 'db');
  // Ready only when the app database takes TCP connections, which the entrypoint's init server never does.
  assert.match(db.healthCheck, /^pg_isready -h 127\.0\.0\.1 -p 5432 -U postgres -d app$/);
});

test('the suites reach the containers as the local provider serves: 127.0.0.1 and a superuser URI of the app database', () => {
  assert.equal(containers.reachableHost('localhost'), '127.0.0.1');
  assert.equal(containers.reachableHost('docker.internal'), 'docker.internal');
  const url = new URL(containers.containerDatabaseUrl('127.0.0.1', 49153, 'p@ss'));
  assert.equal(url.protocol, 'postgresql:');
  assert.equal(url.username, 'postgres');
  assert.equal(decodeURIComponent(url.password), 'p@ss');
  assert.equal(url.port, '49153');
  assert.equal(url.pathname, '/app');
});
