/**
 * A throwaway PostgreSQL cluster for the embedded deployment: Unix socket only,
 * fsync off, run as the `postgres` OS user when started as root. Data folders
 * are built once per (server version, SQL) and cached as templates, so later
 * starts copy a folder instead of running initdb and loading SQL.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, openSync, closeSync, renameSync, rmSync, chownSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { UserError } from '../lib/user-error.ts';
import type { PostgresBinaries } from './binaries.ts';
import { cacheRoot } from './cache.ts';
import type { RunDir, ServerUser } from './run-dir.ts';
import { tail, waitForExit } from './process.ts';

export interface PostgresServer {
  socketDir: string;
  pid: number;
  /** A libpq URI reaching `database` over the Unix socket. */
  url(database: string, user?: string): string;
  stop(): Promise<void>;
}

export function socketUrl(socketDir: string, database: string, user = 'postgres'): string {
  return `postgresql:///${encodeURIComponent(database)}?host=${encodeURIComponent(socketDir)}&user=${encodeURIComponent(user)}`;
}

function asServerUser(user: ServerUser | undefined) {
  return user ? { uid: user.uid, gid: user.gid } : {};
}

function initdb(pg: PostgresBinaries, dataDir: string, user: ServerUser | undefined): void {
  try {
    // 1 MB WAL segments keep the cached template small: start-up copies it.
    execFileSync(pg.initdb, ['-D', dataDir, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--locale=C', '--no-sync', '--wal-segsize=1'], {
      stdio: ['ignore', 'ignore', 'pipe'],
      ...asServerUser(user),
    });
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim().split('\n').pop();
    throw new UserError(`initdb failed (${stderr ?? 'no output'}): check that ${pg.bindir} holds a working PostgreSQL`);
  }
}

async function launch(
  pgBin: PostgresBinaries,
  dataDir: string,
  socketDir: string,
  user: ServerUser | undefined,
  settings: Record<string, string>,
  logFile: string,
  probeDatabase: string,
): Promise<{ child: ChildProcess; stop: () => Promise<void> }> {
  const args = ['-D', dataDir, '-k', socketDir, '-c', 'listen_addresses=', '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'min_wal_size=2MB', '-c', 'max_wal_size=64MB'];
  for (const [name, value] of Object.entries(settings)) args.push('-c', `${name}=${value}`);
  const log = openSync(logFile, 'a');
  const child = spawn(pgBin.postgres, args, { stdio: ['ignore', log, log], ...asServerUser(user) });
  closeSync(log);
  const exited = waitForExit(child);
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new UserError(`PostgreSQL exited while starting (${tail(logFile)}): see ${logFile}`);
    }
    const client = new pg.Client({ connectionString: socketUrl(socketDir, probeDatabase) });
    try {
      await client.connect();
      await client.end();
      break;
    } catch {
      await client.end().catch(() => undefined);
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new UserError(`PostgreSQL did not accept connections within 30 s: see ${logFile}`);
      }
      await new Promise((r) => setTimeout(r, 5));
    }
  }
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGINT'); // fast shutdown: disconnect clients, no checkpoint wait for them
    const done = await Promise.race([exited.then(() => true), new Promise((r) => setTimeout(() => r(false), 5000))]);
    if (!done) child.kill('SIGKILL');
    await exited;
  };
  return { child, stop };
}

export interface Template {
  /** Anything that changes the populated data: SQL text, options. */
  key: string;
  /** The one database the template keeps; the others are dropped to keep it small. */
  database: string;
  /** Fills a freshly initialised cluster, reached with a superuser URI. */
  populate(url: (database: string) => string): Promise<void>;
}

/** Bump when the way templates are built changes, so old caches are not used. */
const TEMPLATE_FORMAT = 2;


/** Returns a cached data folder for this template, building it on first use. */
async function templateDataDir(
  pgBin: PostgresBinaries,
  runDir: RunDir,
  user: ServerUser | undefined,
  template: Template,
  settings: Record<string, string>,
): Promise<string> {
  const key = createHash('sha256')
    .update(`${TEMPLATE_FORMAT}\0${pgBin.version}\0${template.database}\0${template.key}`)
    .digest('hex')
    .slice(0, 24);
  const root = cacheRoot();
  const cached = path.join(root, key);
  if (existsSync(path.join(cached, 'PG_VERSION'))) return cached;
  mkdirSync(root, { recursive: true });
  const building = path.join(runDir.path, 'template');
  initdb(pgBin, building, user);
  const logFile = path.join(runDir.path, 'template-build.log');
  const server = await launch(pgBin, building, runDir.path, user, settings, logFile, 'postgres');
  try {
    await template.populate((db) => socketUrl(runDir.path, db));
    await shrink(socketUrl(runDir.path, template.database), template.database);
  } finally {
    await server.stop();
  }
  rmSync(path.join(building, 'postmaster.pid'), { force: true });
  // Copy then rename, so a concurrent run never sees half a template.
  const staging = `${cached}.${process.pid}.tmp`;
  execFileSync('cp', ['-a', building, staging]);
  try {
    renameSync(staging, cached);
  } catch {
    rmSync(staging, { recursive: true, force: true }); // another run won the race
  }
  rmSync(building, { recursive: true, force: true });
  return cached;
}

/**
 * A throwaway cluster needs only the app's database: template0, template1 and
 * postgres are dropped (a new database can still be made from the app's), and
 * a checkpoint lets the server drop old WAL. Every start-up copies the
 * template, so its size is start-up time.
 */
async function shrink(url: string, keep: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const others = await client.query<{ datname: string }>('select datname from pg_database where datname <> $1', [keep]);
    await client.query('update pg_database set datistemplate = false, datallowconn = true where datname <> $1', [keep]);
    for (const { datname } of others.rows) await client.query(`drop database ${client.escapeIdentifier(datname)}`);
    await client.query('checkpoint');
  } finally {
    await client.end();
  }
}

export interface StartPostgresOptions {
  pg: PostgresBinaries;
  runDir: RunDir;
  user: ServerUser | undefined;
  /** Server settings (`-c name=value`), including the app's own `sessions.*`. */
  settings: Record<string, string>;
  logFile: string;
  template: Template;
}

export async function startPostgres(opts: StartPostgresOptions): Promise<PostgresServer> {
  const { pg: pgBin, runDir, user, settings, logFile } = opts;
  const template = await templateDataDir(pgBin, runDir, user, opts.template, settings);
  const dataDir = path.join(runDir.path, 'data');
  execFileSync('cp', ['-a', template, dataDir]);
  if (user) chownSync(dataDir, user.uid, user.gid);
  const { child, stop } = await launch(pgBin, dataDir, runDir.path, user, settings, logFile, opts.template.database);
  runDir.addPid(child.pid!);
  return {
    socketDir: runDir.path,
    pid: child.pid!,
    url: (database, dbUser) => socketUrl(runDir.path, database, dbUser),
    stop,
  };
}
