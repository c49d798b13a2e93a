/**
 * Running TAP-producing SQL on the target, always inside a transaction that
 * is rolled back: the deployment's own pgTAP tests (runtests, as
 * `pg_prove --runtests` runs them, and pgTAP files given by path, as
 * `pg_prove FILE` runs them) and the project's structural checks (checks/*.sql).
 * A file's own BEGIN, COMMIT and ROLLBACK never reach the server
 * (psql-script.ts drops them), so nothing a file does can escape the rollback.
 * Everything comes back as TAP text and is read by the one TAP parser.
 */
import pg from 'pg';
import { DatabaseUnreachable, type TargetDatabase } from '../../fixtures/database.ts';
import { SuiteError } from '../../fixtures/requirements.ts';
import { escapeRegExp } from '../../lib/escape.ts';
import { redact } from '../../lib/redact.ts';
import { mergeSummaries, parseTap, type TapSummary } from './tap.ts';

/** A run that produced TAP, or the reason nothing could be run. */
export type TapRun = { ran: true; tap: string; summary: TapSummary } | { ran: false; reason: string; applicable: boolean };

/** Longest a database run may take; the tests that call these allow a little more. */
export const DATABASE_RUN_MS = 90_000;

/** Rows as psql -At prints them: one line per row, columns joined by `|`. */
function rowText(row: Record<string, unknown>): string | undefined {
  const values = Object.values(row).filter((v) => v !== null && v !== undefined);
  return values.length ? values.map((v) => (v instanceof Date ? v.toISOString() : String(v))).join('|') : undefined;
}

function lineOf(sql: string, position: string | undefined): number | undefined {
  return position ? sql.slice(0, Number(position) - 1).split('\n').length : undefined;
}

/** The error as pgTAP would describe a test that died: state, message, detail, hint, context. */
export function errorLines(error: unknown, sql?: string, name?: string): string[] {
  const e = error as { code?: string; message?: string; detail?: string; hint?: string; where?: string; position?: string };
  const line = sql ? lineOf(sql, e.position) : undefined;
  const at = name ? `${name}${line ? `:${line}` : ''}: ` : '';
  return [
    `${at}${e.code ? `${e.code}: ` : ''}${e.message ?? String(error)}`,
    ...(e.detail ? [`DETAIL: ${e.detail}`] : []),
    ...(e.hint ? [`HINT: ${e.hint}`] : []),
    ...(e.where ? ['CONTEXT:', ...e.where.split('\n').map((l) => `    ${l}`)] : []),
  ];
}

/**
 * Sends a multi-statement script the way psql sends a file's statements and
 * collects every row's text. An error stops the script (psql with
 * ON_ERROR_STOP, what pg_prove uses); the rows before it are kept.
 */
export async function runScript(client: pg.PoolClient, sql: string): Promise<{ lines: string[]; rows: Array<Record<string, unknown>>; error?: unknown }> {
  const lines: string[] = [];
  const rows: Array<Record<string, unknown>> = [];
  const query = new pg.Query(sql);
  const done = new Promise<unknown>((resolve) => {
    query.on('row', (row: Record<string, unknown>) => {
      rows.push(row);
      const text = rowText(row);
      if (text !== undefined) lines.push(text);
    });
    query.on('error', (error: unknown) => resolve(error));
    query.on('end', () => resolve(undefined));
  });
  client.query(query);
  const error = await done;
  return error === undefined ? { lines, rows } : { lines, rows, error };
}

/** A rolled-back transaction on the target; a database that cannot be reached leaves the run not verified. */
async function inTransaction(db: TargetDatabase, work: (client: pg.PoolClient) => Promise<TapRun>): Promise<TapRun> {
  try {
    return await db.rolledBack(work);
  } catch (error) {
    if (error instanceof DatabaseUnreachable) return { ran: false, applicable: true, reason: error.message };
    throw error;
  }
}

const timeout = (client: pg.PoolClient) => client.query(`select pg_catalog.set_config('statement_timeout', $1, true)`, [`${DATABASE_RUN_MS}ms`]);

/** SQLSTATE of a statement stopped by statement_timeout. */
const QUERY_CANCELED = '57014';

/** A script run to its end, or to the error that stopped it (psql with ON_ERROR_STOP), with the rows printed before. */
async function runSettled(
  db: TargetDatabase,
  sql: string,
  settings: Record<string, string>,
  settle: (lines: string[], error: unknown, rows: Array<Record<string, unknown>>) => TapRun,
): Promise<TapRun> {
  return inTransaction(db, async (client) => {
    await timeout(client);
    for (const [key, value] of Object.entries(settings)) {
      await client.query('select pg_catalog.set_config($1, $2, true)', [key, value]);
    }
    const { lines, rows, error } = await runScript(client, sql);
    return settle(lines, error, rows);
  });
}

/**
 * Runs a pgTAP file of the deployment's own (DB_TEST_FILES). A file that
 * stops at an error is the deployment's test failing, as pg_prove reports it:
 * what ran is kept, and the run fails.
 */
export async function runTapScript(db: TargetDatabase, name: string, sql: string, settings: Record<string, string> = {}): Promise<TapRun> {
  return runSettled(db, sql, settings, (lines, error) => {
    if (error === undefined) {
      const tap = lines.join('\n');
      return { ran: true, tap, summary: parseTap(tap) };
    }
    const stopped = ['the script stopped at an error:', ...errorLines(error, sql, name).map((l) => `    ${l}`)];
    const summary = parseTap(lines.join('\n'));
    const tap = [...lines, ...stopped.map((l) => `# ${l}`)].join('\n');
    return { ran: true, tap, summary: { ...summary, problems: [...summary.problems, stopped.join('\n')], ok: false } };
  });
}

/**
 * Runs one of the project's checks (checks/*.sql) with its settings
 * (transaction-local `conformance.*` settings the check reads with
 * current_setting). A check that stops at an SQL error, or prints malformed
 * TAP, found out nothing about the deployment: that is a SuiteError naming
 * the file and the error, never a violation. Only a `not ok` point it prints
 * is a finding.
 */
export async function runCheck(db: TargetDatabase, file: string, sql: string, settings: Record<string, string>): Promise<TapRun> {
  return runSettled(db, sql, settings, (_lines, error, rows) => {
    if (error !== undefined) {
      const [first, ...rest] = errorLines(error, sql, file);
      const timedOut = (error as { code?: string }).code === QUERY_CANCELED;
      const fix = timedOut
        ? `the check did not finish within ${DATABASE_RUN_MS / 1000} s on this database`
        : "the project's catalog query could not run here, which says nothing about the deployment: if it is a permission error, connect DATABASE_URL as a role that can read the catalogs and the sessions table; otherwise report it as a bug of the suite";
      throw new SuiteError(timedOut ? 'timeout' : 'check', [`${redact(first)}: ${fix}`, ...rest.map(redact)].join('\n'));
    }
    const tap = tapOfFindings(rows as unknown as Finding[], file);
    return { ran: true, tap, summary: parseTap(tap) };
  });
}

/** One row of a check (checks/README.md): a finding, or the reason the check skips. */
export interface Finding {
  ok: boolean | null;
  description: string | null;
  diagnostic: string | null;
  skip: string | null;
}

/**
 * The one place where a check's rows become TAP: an assertion a finding, in
 * the query's order, each failing one with its diagnostic; or a skip, with the
 * check's reason, or because it found nothing to judge (no check passes
 * without checking).
 */
export function tapOfFindings(rows: Finding[], file: string): string {
  const skip = rows.find((r) => r.skip)?.skip ?? (rows.length === 0 ? `${file} found nothing to judge` : undefined);
  if (skip) return `1..0 # SKIP ${skip}`;
  for (const r of rows) {
    if (typeof r.ok !== 'boolean' || !r.description) {
      throw new SuiteError('check', `${file} returned a row without ok and description: report it as a bug of the suite`);
    }
  }
  const points = rows.map((r, i) => `${r.ok ? 'ok' : 'not ok'} ${i + 1} - ${r.description}${r.ok ? '' : `\n# ${r.diagnostic ?? ''}`}`);
  return [...points, `1..${rows.length}`].join('\n');
}


/**
 * TAP for a test function that raised an error runtests could not catch
 * (pgTAP before 1.3 only survives RAISE EXCEPTION): the same shape as
 * pgTAP's own "Test died" report, so it reads like every other failure.
 */
function diedTap(qualified: string, error: unknown): string {
  return [
    `    # Subtest: ${qualified}()`,
    ...errorLines(error).map((l, i) => `    # ${i === 0 ? 'Test died: ' : '    '}${l}`),
    '    1..0',
    `not ok 1 - ${qualified}`,
    '1..1',
  ].join('\n');
}

async function findRunner(client: pg.PoolClient): Promise<string | undefined> {
  const visible = async () =>
    (await client.query<{ found: boolean }>(`select pg_catalog.to_regprocedure('runtests(name, text)') is not null as found`)).rows[0].found;
  if (await visible()) return undefined;
  // Installed in a schema the connection does not search: add it, as a pg_prove user would with PGOPTIONS.
  const ext = await client.query<{ schema: string }>(
    `select n.nspname as schema from pg_catalog.pg_extension e join pg_catalog.pg_namespace n on n.oid = e.extnamespace where e.extname = 'pgtap'`,
  );
  if (ext.rows[0]) {
    await client.query(`select pg_catalog.set_config('search_path', pg_catalog.current_setting('search_path') || ', ' || pg_catalog.quote_ident($1), true)`, [
      ext.rows[0].schema,
    ]);
    if (await visible()) return undefined;
  }
  const major = (await client.query<{ major: number }>(`select pg_catalog.current_setting('server_version_num')::int / 10000 as major`)).rows[0].major;
  return `pgTAP is not installed in the target database (no runtests(name, text)): install postgresql-${major}-pgtap and run CREATE EXTENSION pgtap`;
}

/**
 * The deployment's own pgTAP tests: runtests(schema, pattern), as
 * `pg_prove --runtests --schema S --match P` runs them. When a test function
 * raises an error runtests cannot catch, the whole call fails; each function
 * is then run alone (each rolled back to a savepoint), so one broken test
 * neither hides the others' results nor goes unnamed.
 */
export async function runOwnTests(db: TargetDatabase, schema: string, pattern: string, hasFiles: boolean): Promise<TapRun> {
  return inTransaction(db, async (client) => {
    await timeout(client);
    const exists = await client.query<{ found: boolean }>('select exists (select 1 from pg_catalog.pg_namespace where nspname = $1) as found', [schema]);
    if (!exists.rows[0].found) {
      return hasFiles
        ? { ran: false, applicable: false, reason: `there is no schema ${schema}; the deployment's own tests are the DB_TEST_FILES` }
        : { ran: false, applicable: true, reason: `there is no schema ${schema} holding the deployment's own pgTAP tests: set DB_TESTS_SCHEMA, or DB_TEST_FILES` };
    }
    let functions: Array<{ name: string; executable: boolean }>;
    try {
      // pgTAP's findfuncs(), which runtests uses: every function name in the schema matching the pattern, minus fixtures.
      functions = (
        await client.query<{ name: string; executable: boolean }>(
          `select p.proname as name, pg_catalog.bool_and(pg_catalog.has_function_privilege(p.oid, 'execute')) as executable
             from pg_catalog.pg_proc p join pg_catalog.pg_namespace n on n.oid = p.pronamespace
            where n.nspname = $1 and p.proname ~ $2 and p.proname !~ '^(startup|shutdown|setup|teardown)'
            group by p.proname order by p.proname collate "C"`,
          [schema, pattern],
        )
      ).rows;
    } catch (error) {
      return { ran: false, applicable: true, reason: `DB_TESTS_PATTERN ${JSON.stringify(pattern)} is not usable: ${errorLines(error)[0]}` };
    }
    if (functions.length === 0) {
      return { ran: false, applicable: true, reason: `no function in schema ${schema} matches ${pattern}: set DB_TESTS_PATTERN` };
    }
    const denied = functions.filter((f) => !f.executable).map((f) => `${schema}.${f.name}`);
    if (denied.length) {
      return { ran: false, applicable: true, reason: `the DATABASE_URL role may not execute ${denied.join(', ')}` };
    }
    const missing = await findRunner(client);
    if (missing) return { ran: false, applicable: true, reason: missing };

    await client.query('savepoint conformance_all');
    try {
      const all = await client.query<{ tap: string }>('select runtests as tap from runtests($1::name, $2::text)', [schema, pattern]);
      const tap = all.rows.map((r) => r.tap).join('\n');
      return { ran: true, tap, summary: parseTap(tap) };
    } catch (error) {
      await client.query('rollback to savepoint conformance_all');
      const whole = errorLines(error)[0];
      if ((error as { code?: string }).code === QUERY_CANCELED) {
        // Out of time (statement_timeout): running every function again would only take longer.
        const tap = `# runtests(${schema}, ${pattern}) did not finish: ${whole}`;
        return { ran: true, tap, summary: { points: [], failures: [], problems: [`runtests did not finish within ${DATABASE_RUN_MS / 1000} s`], ok: false } };
      }
      const docs: string[] = [];
      for (const f of functions) {
        await client.query('savepoint conformance_one');
        try {
          const one = await client.query<{ tap: string }>('select runtests as tap from runtests($1::name, $2::text)', [
            schema,
            `^${escapeRegExp(f.name)}$`,
          ]);
          docs.push(one.rows.map((r) => r.tap).join('\n'));
        } catch (died) {
          docs.push(diedTap(`${schema}.${f.name}`, died));
        }
        await client.query('rollback to savepoint conformance_one');
      }
      const tap = [`# runtests(${schema}, ${pattern}) stopped at an error (${whole}); each test function was run alone`, ...docs].join('\n');
      return { ran: true, tap, summary: mergeSummaries(docs.map(parseTap)) };
    }
  });
}
