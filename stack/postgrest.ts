/**
 * One PostgREST process in front of one database, configured through
 * environment variables only, and ready when its admin server's /ready says so.
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { UserError } from '../lib/user-error.ts';
import type { PostgrestBinary } from './binaries.ts';
import { freePort, requirePortFree } from './ports.ts';
import { tail, waitForExit } from './process.ts';

export interface PostgrestServer {
  baseUrl: string;
  adminUrl: string;
  pid: number;
  stop(): Promise<void>;
}

export interface StartPostgrestOptions {
  binary: PostgrestBinary;
  /** libpq URI, connecting as the authenticator role. */
  dbUri: string;
  logFile: string;
  /** A fixed API port; a free one when absent. */
  port?: number;
  /** The deployment's PostgREST settings: schemas, anon role, pre-request. */
  settings: Record<string, string>;
}

/** A PostgREST config name as its environment variable: db-anon-role -> PGRST_DB_ANON_ROLE. */
export function postgrestEnvName(setting: string): string {
  return `PGRST_${setting.toUpperCase().replace(/-/g, '_')}`;
}

/**
 * The whole PostgREST configuration, as environment variables. Both the local
 * process and the containers provider use it, so the two deployments differ
 * only in where PostgREST listens and how it reaches the database.
 */
export function postgrestEnv(opts: {
  dbUri: string;
  host: string;
  port: number;
  adminPort: number;
  settings: Record<string, string>;
}): Record<string, string> {
  const env: Record<string, string> = {
    PGRST_DB_URI: opts.dbUri,
    PGRST_SERVER_HOST: opts.host,
    PGRST_SERVER_PORT: String(opts.port),
    PGRST_ADMIN_SERVER_PORT: String(opts.adminPort),
    PGRST_LOG_LEVEL: 'info',
  };
  for (const [name, value] of Object.entries(opts.settings)) env[postgrestEnvName(name)] = value;
  return env;
}

export async function startPostgrest(opts: StartPostgrestOptions): Promise<PostgrestServer> {
  const port = opts.port ? await requirePortFree(opts.port) : await freePort();
  const adminPort = await freePort();
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    ...postgrestEnv({ dbUri: opts.dbUri, host: '127.0.0.1', port, adminPort, settings: opts.settings }),
  };
  const log = openSync(opts.logFile, 'a');
  const child = spawn(opts.binary.path, [], { env, stdio: ['ignore', log, log] });
  closeSync(log);
  const exited = waitForExit(child);
  const adminUrl = `http://127.0.0.1:${adminPort}`;
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new UserError(`PostgREST exited while starting (${tail(opts.logFile)}): see ${opts.logFile}`);
    }
    try {
      const res = await fetch(`${adminUrl}/ready`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new UserError(`PostgREST was not ready within 20 s (${tail(opts.logFile)}): see ${opts.logFile}`);
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    adminUrl,
    pid: child.pid!,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const done = await Promise.race([exited.then(() => true), new Promise((r) => setTimeout(() => r(false), 3000))]);
      if (!done) child.kill('SIGKILL');
      await exited;
    },
  };
}
