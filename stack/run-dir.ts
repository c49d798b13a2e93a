/**
 * Each embedded stack lives in one temporary folder (data directory, Unix
 * socket, owner record). The owner record lets a later run find and remove
 * what a killed run left behind: processes whose owner is dead are stopped and
 * their folder deleted.
 */
import { execFileSync } from 'node:child_process';
import { accessSync, chownSync, constants, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const PREFIX = 'pgrst-conformance-';

/**
 * Where stack folders go: memory-backed /dev/shm when there is one (start-up
 * copies a data folder, and a throwaway cluster needs no disk), else the
 * temporary folder.
 */
export function stackBaseDir(): string {
  try {
    accessSync('/dev/shm', constants.W_OK);
    return '/dev/shm';
  } catch {
    return os.tmpdir();
  }
}

/** Stack folders under the base folder, live or stale. */
export function stackDirs(): string[] {
  const base = stackBaseDir();
  return readdirSync(base)
    .filter((name) => name.startsWith(PREFIX))
    .map((name) => path.join(base, name));
}
const OWNER_FILE = 'owner.json';

export interface OwnerRecord {
  /** The process that owns this folder; when it is gone, the folder is stale. */
  ownerPid: number;
  /** Server processes started in this folder, killed when the folder is stale. */
  pids: number[];
}

/** The OS user that runs initdb and postgres: they refuse to run as root. */
export interface ServerUser {
  uid: number;
  gid: number;
  name: string;
}

export function serverUser(): ServerUser | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  try {
    return { uid: id('-u'), gid: id('-g'), name: 'postgres' };
  } catch {
    return undefined;
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export class RunDir {
  readonly path: string;
  private record: OwnerRecord;

  constructor(user: ServerUser | undefined) {
    this.path = mkdtempSync(path.join(stackBaseDir(), PREFIX));
    if (user) chownSync(this.path, user.uid, user.gid);
    this.record = { ownerPid: process.pid, pids: [] };
    this.save();
  }

  addPid(pid: number): void {
    this.record.pids.push(pid);
    this.save();
  }

  remove(): void {
    rmSync(this.path, { recursive: true, force: true });
  }

  private save(): void {
    writeFileSync(path.join(this.path, OWNER_FILE), JSON.stringify(this.record));
  }
}

/** A pid may have been reused since; only kill it if it still runs our servers. */
function runsOurServer(pid: number, dir: string): boolean {
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    const environ = (() => {
      try {
        return readFileSync(`/proc/${pid}/environ`, 'utf8');
      } catch {
        return '';
      }
    })();
    return cmdline.includes(dir) || environ.includes(dir);
  } catch {
    return false;
  }
}

/** Is the process that owns this stack folder still running? */
export function ownerAlive(dir: string): boolean {
  try {
    const record = JSON.parse(readFileSync(path.join(dir, OWNER_FILE), 'utf8')) as OwnerRecord;
    return isAlive(record.ownerPid);
  } catch {
    return false;
  }
}

/** Stops the servers of runs whose owner died, and deletes their folders. */
export function cleanStaleRuns(): string[] {
  const cleaned: string[] = [];
  for (const dir of stackDirs()) {
    let record: OwnerRecord | undefined;
    try {
      record = JSON.parse(readFileSync(path.join(dir, OWNER_FILE), 'utf8')) as OwnerRecord;
    } catch {
      record = undefined;
    }
    if (record && isAlive(record.ownerPid)) continue;
    if (!record && !isOlderThan(dir, 60_000)) continue; // being created right now
    for (const pid of record?.pids ?? []) {
      if (isAlive(pid) && runsOurServer(pid, dir)) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    }
    rmSync(dir, { recursive: true, force: true });
    cleaned.push(dir);
  }
  return cleaned;
}

function isOlderThan(dir: string, ms: number): boolean {
  try {
    return Date.now() - statSync(dir).mtimeMs > ms;
  } catch {
    return true;
  }
}
