/**
 * The deployment's own pgTAP tests, run against its database as pg_prove runs
 * them, inside a transaction that is rolled back: the test functions of its
 * tests schema (runtests, DB_TESTS_SCHEMA and DB_TESTS_PATTERN) and any pgTAP
 * files given by path (DB_TEST_FILES). Every failing assertion is reported
 * under db-own-tests-pass with its diagnostics. On the embedded deployment
 * these are the reference application's sql/tests.
 */
import { loadConfig } from '../lib/config.ts';
import { cites, notVerifiedUnless } from '../fixtures/requirements.ts';
import { test } from '../fixtures/test.ts';
import { DATABASE_RUN_MS, runOwnTests, runTapScript } from './support/database-tap.ts';
import { sqlOfPgTapFile } from './support/psql-script.ts';
import { verifyTapRun } from './support/tap-verdict.ts';

const ID = 'db-own-tests-pass';

test.describe.configure({ timeout: DATABASE_RUN_MS + 15_000 });

test("the test functions of the deployment's tests schema pass (runtests)", cites(ID), async ({ db, target }) => {
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
