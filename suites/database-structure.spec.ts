/**
 * Structural checks inside the database: what no HTTP request shows (a view
 * that reads as a superuser, a table without RLS, a definer function open to
 * search_path hijacking, an over-privileged role, tokens kept in clear or
 * made from a guessable source).
 * Each check is one of the project's own SQL files in checks/, named after
 * its requirement: a read-only catalog query that prints TAP, run inside a
 * transaction that is rolled back. Needs DATABASE_URL (not verified without).
 */
import type { Config } from '../lib/config.ts';
import { cites, precondition } from '../fixtures/requirements.ts';
import { test } from '../fixtures/test.ts';
import { DATABASE_RUN_MS, runCheck } from './support/database-tap.ts';
import { readFileSync } from 'node:fs';
import { verifyTapRun } from './support/tap-verdict.ts';

interface Check {
  /** The requirement, and the file checks/<id>.sql. */
  id: string;
  title: string;
  /** The transaction-local settings the check reads (what PostgREST is configured with). */
  settings: (config: Config) => Record<string, string>;
  /** The check looks for a cookie value it was just issued. */
  needsSession?: boolean;
}

const exposed = (c: Config) => ({ 'conformance.exposed_schemas': c.dbSchemas.join(',') });
/** The exposed schemas and the roles requests run as: the anonymous role and those the connecting role can become. */
const exposedToRequests = (c: Config) => ({
  ...exposed(c),
  'conformance.anon_role': c.dbAnonRole,
  'conformance.authenticator_role': c.dbAuthenticatorRole,
});

const CHECKS: Check[] = [
  { id: 'db-rls-on-exposed-tables', title: 'every table the API reaches has row level security enabled', settings: exposed },
  { id: 'db-views-respect-rls', title: 'no view reachable from the API reads as a role that bypasses row level security', settings: exposed },
  { id: 'db-definer-search-path', title: 'every SECURITY DEFINER function pins search_path', settings: () => ({}) },
  {
    id: 'db-anon-no-table-privileges',
    title: 'the anonymous role holds no privilege outside the exposed schemas',
    settings: (c) => ({ ...exposed(c), 'conformance.anon_role': c.dbAnonRole }),
  },
  {
    id: 'db-authenticator-safe',
    title: 'the role PostgREST connects as is NOINHERIT and has no superuser or BYPASSRLS power',
    settings: (c) => ({ 'conformance.authenticator_role': c.dbAuthenticatorRole }),
  },
  { id: 'db-tokens-hashed', title: 'an issued session token is not stored in clear', settings: () => ({}), needsSession: true },
  {
    id: 'db-token-csprng',
    title: 'the function that makes a session token draws it from a CSPRNG',
    // The deployment's own test functions insert sessions with made-up tokens by design.
    settings: (c) => ({ 'conformance.tests_schema': c.dbTestsSchema }),
  },
  {
    id: 'db-policies-name-caller',
    title: 'every permissive policy on rows with an owner refers to the caller',
    settings: exposedToRequests,
  },
  {
    id: 'db-no-rls-exempt-relations',
    title: 'no materialized view or foreign table of the API is readable by a request role',
    settings: exposedToRequests,
  },
  {
    id: 'db-request-settings-local',
    title: 'no function sets the role, request, response or user-id settings session-wide',
    // The deployment's own test functions set what they like in a rolled-back transaction.
    settings: (c) => ({ 'conformance.tests_schema': c.dbTestsSchema }),
  },
];

test.describe.configure({ timeout: DATABASE_RUN_MS + 15_000 });

for (const check of CHECKS) {
  test(check.title, cites(check.id), async ({ db, target, signedIn }) => {
    const file = `checks/${check.id}.sql`;
    const settings = check.settings(target.config);
    if (check.needsSession) {
      const session = await signedIn('token-store');
      precondition(session.token !== undefined, 'register opened no session');
      settings['conformance.cookie_value'] = session.token!;
    }
    const sql = readFileSync(new URL(`../${file}`, import.meta.url), 'utf8');
    await verifyTapRun(check.id, await runCheck(db, file, sql, settings), file);
  });
}
