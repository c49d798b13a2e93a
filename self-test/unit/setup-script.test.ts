/**
 * ./setup on made-up machines: a copy of the script in a temporary folder
 * runs with a PATH of fakes (dpkg-query answers from FAKE_INSTALLED, id from
 * FAKE_UID, apt-get and npm only write down how they were called) and links
 * to the few real tools it uses, so nothing is installed and the machine's
 * own packages do not matter.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const SETUP = fileURLToPath(new URL('../../setup', import.meta.url));
const ALL = 'postgresql-15 postgresql-15-pgtap libtap-parser-sourcehandler-pgtap-perl chromium libnss3-tools';
const REAL_TOOLS = ['bash', 'basename', 'dirname', 'grep', 'ls', 'sed', 'sort', 'tail', 'node'];

const root = mkdtempSync(path.join(os.tmpdir(), 'setup-test-'));
after(() => rmSync(root, { recursive: true, force: true }));

function fakeBin(): string {
  const bin = path.join(root, 'bin');
  if (existsSync(bin)) return bin;
  mkdirSync(bin);
  const script = (name: string, body: string) => {
    writeFileSync(path.join(bin, name), `#!/bin/bash\n${body}\n`);
    chmodSync(path.join(bin, name), 0o755);
  };
  script('dpkg-query', 'for p in $FAKE_INSTALLED; do [ "$p" = "${@: -1}" ] && { echo "install ok installed"; exit 0; }; done; exit 1');
  script('id', 'echo "$FAKE_UID"');
  script('apt-get', 'echo "apt-get $*" >> "$FAKE_LOG"');
  script('npm', 'echo "npm $*" >> "$FAKE_LOG"');
  for (const tool of REAL_TOOLS) {
    const real = spawnSync('bash', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).stdout.trim();
    symlinkSync(real, path.join(bin, tool));
  }
  return bin;
}

interface Machine {
  uid: number;
  installed: string;
  args?: string[];
  /** node_modules newer than package-lock.json. */
  npmDone?: boolean;
  env?: Record<string, string>;
}

/** Runs the copy on a machine; returns its exit status, what it printed and the commands it ran. */
function setupOn(machine: Machine): { status: number; out: string; ran: string[] } {
  const dir = mkdtempSync(path.join(root, 'checkout-'));
  copyFileSync(SETUP, path.join(dir, 'setup'));
  writeFileSync(path.join(dir, 'package-lock.json'), '{}');
  if (machine.npmDone) {
    mkdirSync(path.join(dir, 'node_modules'));
    writeFileSync(path.join(dir, 'node_modules', '.package-lock.json'), '{}');
  }
  const log = path.join(dir, 'ran.log');
  writeFileSync(log, '');
  const r = spawnSync(path.join(fakeBin(), 'bash'), [path.join(dir, 'setup'), ...(machine.args ?? [])], {
    encoding: 'utf8',
    env: { PATH: fakeBin(), HOME: dir, SETUP_PG_MAJOR: '15', FAKE_UID: String(machine.uid), FAKE_INSTALLED: machine.installed, FAKE_LOG: log, ...machine.env },
  });
  return { status: r.status ?? -1, out: `${r.stdout}${r.stderr}`, ran: readFileSync(log, 'utf8').split('\n').filter(Boolean) };
}

test('as root on a fresh machine: apt-get installs every package, then npm ci', () => {
  const r = setupOn({ uid: 0, installed: '' });
  assert.equal(r.status, 0, r.out);
  assert.deepEqual(r.ran, ['apt-get update -qq', `apt-get install -y -qq --no-install-recommends ${ALL}`, 'npm ci --no-audit --no-fund']);
});

test('as root with PostgreSQL only: just pgTAP, pg_prove and Chromium; node_modules up to date is left alone', () => {
  const r = setupOn({ uid: 0, installed: 'postgresql-15', npmDone: true });
  assert.equal(r.status, 0, r.out);
  assert.deepEqual(r.ran, ['apt-get update -qq', 'apt-get install -y -qq --no-install-recommends postgresql-15-pgtap libtap-parser-sourcehandler-pgtap-perl chromium libnss3-tools']);
});

test('not root: prints the exact sudo line and goes on, naming what each package gives; apt-get never runs', () => {
  const r = setupOn({ uid: 1000, installed: 'postgresql-15' });
  assert.equal(r.status, 0, r.out);
  assert.ok(r.out.includes('sudo apt-get install -y --no-install-recommends postgresql-15-pgtap libtap-parser-sourcehandler-pgtap-perl chromium libnss3-tools'), r.out);
  assert.match(r.out, /postgresql-15-pgtap: pgTAP, for .*db-own-tests-pass/);
  assert.match(r.out, /npx playwright install chromium/);
  assert.deepEqual(r.ran, ['npm ci --no-audit --no-fund']);
});

test('not root with --strict: stops with exit status 1 when packages are missing', () => {
  const r = setupOn({ uid: 1000, installed: 'postgresql-15', args: ['--strict'] });
  assert.equal(r.status, 1, r.out);
});

test('not root without the PostgreSQL server: exit status 1, as the embedded deployment cannot start', () => {
  const r = setupOn({ uid: 1000, installed: '' });
  assert.equal(r.status, 1, r.out);
  assert.match(r.out, /sudo apt-get install -y --no-install-recommends postgresql-15 /);
});

test('--dry-run says what it would run and runs none of it', () => {
  const r = setupOn({ uid: 0, installed: '', args: ['--dry-run'] });
  assert.equal(r.status, 0, r.out);
  assert.deepEqual(r.ran, []);
  assert.ok(r.out.includes(`would run: apt-get install -y -qq --no-install-recommends ${ALL}`), r.out);
  assert.ok(r.out.includes('would run: npm ci --no-audit --no-fund'), r.out);
});

test('everything there: nothing to do; a Chromium named by CHROMIUM_PATH stands in for the chromium package', () => {
  const r = setupOn({ uid: 0, installed: 'postgresql-15 postgresql-15-pgtap libtap-parser-sourcehandler-pgtap-perl libnss3-tools', npmDone: true, env: { CHROMIUM_PATH: '/opt/chrome/chrome' } });
  assert.equal(r.status, 0, r.out);
  assert.deepEqual(r.ran, []);
});

test('a bad option is one line and exit status 2', () => {
  const r = setupOn({ uid: 0, installed: '', args: ['--yes'] });
  assert.equal(r.status, 2);
  assert.equal(r.out.trim().split('\n').length, 1);
});
