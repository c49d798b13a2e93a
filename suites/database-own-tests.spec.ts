/**
 * The deployment's own pgTAP tests, run against its database as pg_prove runs
 * them, inside a transaction that is rolled back: the test functions of its
 * tests schema (runtests, DB_TESTS_SCHEMA and DB_TESTS_PATTERN) and any pgTAP
 * files given by path (DB_TEST_FILES). Every failing assertion is reported
 * under db-own-tests-pass with its diagnostics. On the embedded deployment
 * these are the reference application's sql/tests, loaded only where the
 * server has pgTAP. A server without pgTAP can run none of them: not
 * verified, naming the package that installs it.
 */
import { loadConfig } from '../lib/config.ts';
import { DatabaseUnreachable, type TargetDatabase } from '../fixtures/database.ts';
import { cites, notVerifiedUnless } from '../fixtures/requirements.ts';
import { test } from '../fixtures/test.ts';
import { DATABASE_RUN_MS, runOwnTests, runTapScript } from './support/database-tap.ts';
import { sqlOfPgTapFile } from './support/psql-script.ts';
import { verifyTapRun } from './support/tap-verdict.ts';

const ID = 'db-own-tests-pass';

test.describe.configure({ timeout: DATABASE_RUN_MS + 15_000 });

/**
 * Why no pgTAP test can run on this server, or undefined. pgTAP counts as
 * there when the server can create the extension or a runtests() exists in
 * any schema (installed from its SQL script). An unreachable database is left
 * to the run itself, which says so.
 */
async function pgTapAbsence(db: TargetDatabase): Promise<string | undefined> {
  try {
    return await db.rolledBack(async (client) => {
      const { rows } = await client.query<{ present: boolean; major: number }>(
        `select exists (select from pg_catalog.pg_available_extensions where name = 'pgtap')
             or exists (select from pg_catalog.pg_proc where proname = 'runtests') as present,
                pg_catalog.current_setting('server_version_num')::int / 10000 as major`,
      );
      const { present, major } = rows[0];
      return present ? undefined : `pgTAP is not installed on the database server: install postgresql-${major}-pgtap (Debian, Ubuntu; elsewhere its pgtap package)`;
    });
  } catch (error) {
    if (error instanceof DatabaseUnreachable) return undefined;
    throw error;
  }
}

async function requirePgTap(db: TargetDatabase): Promise<void> {
  const absence = await pgTapAbsence(db);
  notVerifiedUnless(absence === undefined, absence ?? '');
}

test("the test functions of the deployment's tests schema pass (runtests)", cites(ID), async ({ db, target }) => {
  await requirePgTap(db);
  const { dbTestsSchema: schema, dbTestsPattern: pattern, dbTestFiles } = target.config;
  const run = await runOwnTests(db, schema, pattern, dbTestFiles.length > 0);
  await verifyTapRun(ID, run, `runtests('${schema}', '${pattern}')`);
});

// Tests are listed before any fixture exists, so the files come straight from
// the settings; a bad setting is reported by the global setup, in one line.
const files = (() => {
  try {
    return loadConfig().dbTestFiles;
  } catch {
    return [];
  }
})();

for (const file of files) {
  test(`pgTAP file ${file} passes`, cites(ID), async ({ db }) => {
    await requirePgTap(db);
    let sql = '';
    let unreadable: string | undefined;
    try {
      sql = sqlOfPgTapFile(file);
    } catch (error) {
      unreadable = (error as Error).message;
    }
    notVerifiedUnless(unreadable === undefined, `${file} cannot be run: ${unreadable}`);
    await verifyTapRun(ID, await runTapScript(db, file, sql), file);
  });
}
