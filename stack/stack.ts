/**
 * The embedded reference deployment: a throwaway PostgreSQL cluster holding the
 * reference app (sql/), plus PostgREST in front of it. `startStack` is the one
 * entry point; the CLI, the Playwright setup project, the self-test and the
 * benchmark all go through it.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { findPostgres, findPostgrest, pgTapProblem } from './binaries.ts';
import { startPostgres } from './postgres.ts';
import { startPostgrest } from './postgrest.ts';
import { cleanStaleRuns, RunDir, serverUser } from './run-dir.ts';
import { loadSql, readSources, referenceSqlFiles, type SqlSource } from './sql-loader.ts';

/** The database that holds the app, and how PostgREST must be configured for it. */
export const APP_DATABASE = 'app';
export const AUTHENTICATOR = 'authenticator';
export const REFERENCE_POSTGREST_SETTINGS = {
  'db-schemas': 'api',
  'db-anon-role': 'anonymous',
  'db-pre-request': 'auth.authenticate',
  // Four connections, not PostgREST's default ten: requests then share connections more often,
  // which is what the isolation checks need to see, and the defect sweep's many deployments
  // each warm up fewer server processes.
  'db-pool': '4',
};
/**
 * Settings of the reference app for the embedded stack. bcrypt cost 4 keeps
 * registration fast; a production deployment keeps the app's default (12).
 */
export const EMBEDDED_APP_SETTINGS: Record<string, string> = {
  'sessions.bcrypt_cost': '4',
};

export interface StackOptions {
  /** PostgREST build: '12' (default) or '11'. */
  postgrest?: string;
  /** Fixed API port; a free one when absent. */
  port?: number;
  /** Where postgres.log and postgrest.log go. */
  logDir: string;
  /** SQL applied after the reference app (a seeded defect). */
  overlays?: SqlSource[];
  /** Extra server settings, e.g. a shorter `sessions.idle_seconds`. */
  settings?: Record<string, string>;
  /** Extra PostgREST settings (config names such as server-cors-allowed-origins), e.g. for a seeded defect. */
  postgrestSettings?: Record<string, string>;
}

export interface Stack {
  baseUrl: string;
  /** Superuser URI of the app database, for the suites' database checks. */
  databaseUrl: string;
  postgrestVersion: string;
  postgresVersion: string;
  logs: { postgres: string; postgrest: string };
  /** Server processes, so an outside supervisor can record them. */
  pids: number[];
  /** Milliseconds spent in each start-up phase, for the benchmark. */
  phases: Record<string, number>;
  stop(): Promise<void>;
}

/**
 * Checks that need no server: the binaries. Fast, one line on failure.
 * pgTAP is looked for, not required: without it the reference's own tests
 * are left out, and the suite says which package would run them.
 */
export function preflight(build = '12') {
  const pg = findPostgres();
  const postgrest = findPostgrest(build);
  return { pg, postgrest, pgTap: pgTapProblem(pg) === undefined };
}

export async function startStack(opts: StackOptions): Promise<Stack> {
  const phases: Record<string, number> = {};
  let mark = performance.now();
  const lap = (phase: string) => {
    const now = performance.now();
    phases[phase] = Math.round(now - mark);
    mark = now;
  };
  cleanStaleRuns();
  const { pg, postgrest, pgTap } = preflight(opts.postgrest ?? '12');
  lap('preflight');
  const user = serverUser();
  const runDir = new RunDir(user);
  mkdirSync(opts.logDir, { recursive: true });
  const logs = { postgres: path.join(opts.logDir, 'postgres.log'), postgrest: path.join(opts.logDir, 'postgrest.log') };
  const sources = readSources(referenceSqlFiles({ tests: pgTap }));
  const settings = { ...EMBEDDED_APP_SETTINGS, ...opts.settings };
  const stops: Array<() => Promise<void>> = [];
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch(() => undefined);
    stops.length = 0;
    runDir.remove();
  };
  try {
    const db = await startPostgres({
      pg,
      runDir,
      user,
      settings,
      logFile: logs.postgres,
      template: {
        database: APP_DATABASE,
        key: sources.map((s) => `${s.name}\0${s.text}`).join('\0'),
        async populate(url) {
          const { Client } = (await import('pg')).default;
          const admin = new Client({ connectionString: url('postgres') });
          await admin.connect();
          await admin.query(`create database ${APP_DATABASE}`);
          await admin.end();
          await loadSql(url(APP_DATABASE), sources);
        },
      },
    });
    stops.push(db.stop);
    lap('postgres');
    // Overlays go onto the running copy of the reference template rather than into
    // a template of their own: a seeded defect then costs milliseconds, not an initdb.
    if (opts.overlays?.length) {
      await loadSql(db.url(APP_DATABASE), opts.overlays);
      lap('overlays');
    }
    const api = await startPostgrest({
      binary: postgrest,
      dbUri: db.url(APP_DATABASE, AUTHENTICATOR),
      logFile: logs.postgrest,
      port: opts.port,
      settings: { ...REFERENCE_POSTGREST_SETTINGS, ...opts.postgrestSettings },
    });
    runDir.addPid(api.pid);
    stops.push(api.stop);
    lap('postgrest');
    return {
      baseUrl: api.baseUrl,
      databaseUrl: db.url(APP_DATABASE),
      postgrestVersion: postgrest.version,
      postgresVersion: pg.version,
      logs,
      pids: [db.pid, api.pid],
      phases,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
