/**
 * The suite as a user gets it without a clone: `npm pack`, the tarball
 * installed into an empty folder, and its `postgrest-cookie-conformance`
 * command run from there: --help, a bad flag, and a run against the embedded
 * reference deployment that must end conformant with its reports in
 * ./conformance-report. A file missing from package.json's `files`, or a path
 * that only works inside the clone, shows up here.
 *
 * Optional dependencies are left out of the install but the PostgREST build
 * the run uses (the Docker client alone takes a minute to unpack on a busy
 * machine); FC_BUDGET=0.25 keeps the property suites short.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { POSTGREST_BUILDS } from '../stack/binaries.ts';
import { ROOT } from './conformance-run.ts';

const COMMAND = 'postgrest-cookie-conformance';

/** The environment without node:test's and the outer npm's own variables, which would steer the nested runs. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'NODE_TEST_CONTEXT' && !k.startsWith('npm_')));
  return { ...env, CI: '', FORCE_COLOR: '0', ...extra };
}

/** A command's exit status and output; asynchronous, so a browser server this process runs keeps answering. */
function run(cmd: string, args: string[], cwd: string, env = cleanEnv()): Promise<{ status: number; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d));
    child.stderr.on('data', (d: Buffer) => (out += d));
    child.on('error', (error) => resolve({ status: 1, out: `${cmd} did not run: ${error.message}` }));
    child.on('close', (code) => resolve({ status: code ?? 1, out }));
  });
}

async function must(what: string, running: Promise<{ status: number; out: string }>, status = 0): Promise<string> {
  const r = await running;
  if (r.status !== status) throw new Error(`${what}: exit status ${r.status}, expected ${status}\n${r.out.trim().split('\n').slice(-30).join('\n')}`);
  return r.out;
}

export async function checkPackagedCli(): Promise<string> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'conformance-package-'));
  const started = Date.now();
  const tarball = (await must('npm pack', run('npm', ['pack', '--silent', '--pack-destination', dir], ROOT))).trim().split('\n').pop()!;
  const project = path.join(dir, 'project');
  mkdirSync(project);
  writeFileSync(path.join(project, 'package.json'), '{ "private": true }\n');
  const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { optionalDependencies: Record<string, string> };
  const postgrest = `${POSTGREST_BUILDS['12']}@${pkg.optionalDependencies[POSTGREST_BUILDS['12']]}`;
  await must('npm install of the tarball', run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--omit=optional', path.join(dir, tarball), postgrest], project));
  const installed = Date.now();
  const bin = path.join(project, 'node_modules', '.bin', COMMAND);

  const help = await must(`${COMMAND} --help`, run(bin, ['--help'], project));
  for (const name of ['BASE_URL', 'CONFORMANCE_REPORT_DIR', 'FC_REPLAY']) if (!help.includes(name)) throw new Error(`--help does not list ${name}`);
  const bad = (await must(`${COMMAND} --no-such-flag`, run(bin, ['--no-such-flag'], project), 2)).trim();
  if (bad.split('\n').length !== 1) throw new Error(`a bad flag gave more than one line:\n${bad}`);

  const report = path.join(project, 'conformance-report', 'report.json');
  await must(`${COMMAND} against the embedded reference (report: ${report})`, run(bin, [], project, cleanEnv({ FC_BUDGET: '0.25' })));
  for (const file of ['report.json', 'index.html', 'junit.xml', 'summary.md']) {
    if (!existsSync(path.join(project, 'conformance-report', file))) throw new Error(`no ${file} in ./conformance-report`);
  }
  const result = JSON.parse(readFileSync(report, 'utf8')) as { verdict: string; counts: Record<string, number> };
  if (result.verdict !== 'conformant') throw new Error(`verdict ${result.verdict} (report: ${report})`);
  rmSync(dir, { recursive: true, force: true });
  const s = (ms: number) => `${(ms / 1000).toFixed(0)} s`;
  return `packed and installed in ${s(installed - started)}, ran in ${s(Date.now() - installed)}: ${result.verdict}, ${result.counts.pass} requirements pass`;
}
