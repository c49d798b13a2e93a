/**
 * `npm test`: the project's own tests, in order of cost, as node:test tests
 * run one after another (a later step would only fight an earlier one for
 * the two cores):
 *   1. types                 tsc --noEmit
 *   2. unit                  pure modules (parser, verdict, redaction, config...)
 *   3. traceability          every MUST and SHOULD has a test citing it, and a
 *                            defect proving the suite catches it; the committed
 *                            listing (spec/tests.json) matches the tests
 *   4. bad input             one-line errors, fast
 *   5. reference, pgTAP      the reference app's own database tests pass
 *   6. reference, 12 and 11  the suite finds the reference conformant, every
 *                            requirement passing, in each of two runs (PostgREST
 *                            12.0.2 and 11.2.2)
 *   7. capabilities          without a database, or a browser, exactly the
 *                            requirements declaring it are not verified
 *   8. errors                a hook that does not fit, a network that resets
 *                            connections: inconclusive at worst, never a failure
 *   9. variants              conforming deployments shaped unlike the reference
 *                            are conformant
 *  10. defects               every seeded defect is caught, exactly
 *  11. killed run            a runner killed mid-run takes the stack down with it
 *  12. package               npm pack, installed elsewhere: its command finds the
 *                            reference conformant (self-test/packaged-cli.ts)
 *  13. CI integrations       action.yml, the example GitHub workflow and the
 *                            GitLab template are valid (self-test/ci-integrations.ts)
 *  14. https                 the reference behind a TLS proxy whose certificate a
 *                            private CA signed, trusted through CONFORMANCE_CA_CERTS
 *                            (self-test/https-deployment.ts)
 *  15. nothing left behind   no server process, no temporary folder
 *
 * `npm test` runs this file under `node --test` with node's spec reporter and
 * self-test/summary-reporter.mjs, which ends the output with a
 * "N passed, N failed" line. Select steps by name with node's own option:
 *   node --import tsx --test --test-name-pattern='^unit|^traceability' self-test/run.ts
 * or, run directly, by the step names below:
 *   node --import tsx self-test/run.ts unit traceability
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { test, type TestContext } from 'node:test';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { registry } from '../spec/registry.ts';
import { startStack } from '../stack/stack.ts';
import { loadSql } from '../stack/sql-loader.ts';
import { freePort } from '../stack/ports.ts';
import { isAlive, ownerAlive, stackDirs } from '../stack/run-dir.ts';
import { checkBrokenHookIsInconclusive } from './broken-hook.ts';
import { ROOT } from './conformance-run.ts';
import { expectConformant } from './conforming.ts';
import { checkReferenceBehindResetProxy } from './faulty-network.ts';
import { loadDefects } from './defects.ts';
import { sweepDefects } from './defect.ts';
import { writeKillTable } from './kill-table.ts';
import { checkCapabilities } from './capabilities.ts';
import { LISTING_FILE, listTests, readListing } from '../tools/test-listing.ts';
import { checkVariant, checkVariantDefects, loadVariants } from './variants.ts';
import { checkPackagedCli } from './packaged-cli.ts';
import { checkCiIntegrations } from './ci-integrations.ts';
import { checkReferenceOverHttps } from './https-deployment.ts';

type StepResult = Promise<string | void> | string | void;

/**
 * A step: a top-level test. What it returns is said under its name (a
 * diagnostic); a step may add subtests (one per seeded defect).
 */
function step(name: string, fn: (t: TestContext) => StepResult): void {
  test(name, { concurrency: 1 }, async (t) => {
    const detail = await fn(t);
    if (detail) t.diagnostic(detail);
  });
}

function run(cmd: string, args: string[], env: Record<string, string> = {}): { status: number; out: string; ms: number } {
  const started = Date.now();
  // Without node:test's NODE_TEST_CONTEXT, which would make a nested `node --test` report to this runner instead of itself.
  const { NODE_TEST_CONTEXT: _, ...inherited } = process.env;
  const r = spawnSync(cmd, args, { cwd: ROOT, env: { ...inherited, ...env }, encoding: 'utf8' });
  // A missing program is said as such, not as empty output.
  if (r.error) return { status: 1, out: `${cmd} did not run: ${r.error.message}`, ms: Date.now() - started };
  return { status: r.status ?? 1, out: `${r.stdout}${r.stderr}`, ms: Date.now() - started };
}

const only = new Set(process.argv.slice(2));
const wanted = (name: string) => only.size === 0 || only.has(name);

if (wanted('types')) {
  step('types: tsc --noEmit', () => {
    const r = run(process.execPath, [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '--noEmit', '-p', ROOT]);
    if (r.status !== 0) throw new Error(r.out.trim().split('\n').slice(0, 20).join('\n'));
  });
}

if (wanted('unit')) {
  step('unit tests', () => {
    const dir = path.join(ROOT, 'self-test', 'unit');
    const files = readdirSync(dir).filter((f) => f.endsWith('.test.ts')).map((f) => path.join(dir, f));
    const r = run(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=dot', ...files]);
    if (r.status !== 0) throw new Error(r.out.trim().split('\n').slice(-40).join('\n'));
    return `${files.length} files`;
  });
}

if (wanted('traceability')) {
  step('traceability: every MUST and SHOULD has a test', () => {
    const listing = listTests();
    const cited = new Set(listing.flatMap((t) => t.requirements));
    const untested = registry.requirements.filter((q) => q.level !== 'MAY' && !cited.has(q.id)).map((q) => q.id);
    if (untested.length) throw new Error(`no test cites: ${untested.join(', ')}`);
    const defended = new Set(loadDefects().flatMap((d) => d.fails));
    const undefended = registry.requirements.filter((q) => !defended.has(q.id) && q.appliesTo !== 'https').map((q) => q.id);
    if (undefended.length) throw new Error(`no seeded defect proves the suite catches: ${undefended.join(', ')}`);
    // The generated documents (SPEC.md's "Checked by", the kill table) are rendered from the committed listing.
    if (JSON.stringify(listing) !== JSON.stringify(readListing())) {
      throw new Error(`${path.relative(ROOT, LISTING_FILE)} no longer matches the tests: run npm run docs`);
    }
    return `${cited.size} requirements cited by tests`;
  });
}

if (wanted('bad-input')) {
  const cases: Array<{ name: string; env: Record<string, string>; expect: RegExp }> = [
    { name: 'unreachable BASE_URL', env: { BASE_URL: 'http://127.0.0.1:CLOSED' }, expect: /BASE_URL .* is unreachable/ },
    { name: 'BASE_URL that is not PostgREST', env: { BASE_URL: 'http://127.0.0.1:PORT' }, expect: /does not look like PostgREST/ },
    { name: 'bad SESSION_TTL_SECONDS', env: { SESSION_TTL_SECONDS: 'soon' }, expect: /SESSION_TTL_SECONDS="soon" is not valid/ },
    { name: 'bad BASE_URL', env: { BASE_URL: 'staging.example.com' }, expect: /BASE_URL="staging.example.com" is not valid/ },
    { name: 'unknown PostgREST build', env: { CONFORMANCE_POSTGREST: '13' }, expect: /CONFORMANCE_POSTGREST="13" is not valid/ },
    { name: 'no PostgreSQL binaries', env: { PG_BIN: '/nonexistent', PATH: '/nonexistent-bin:/usr/bin:/bin', CONFORMANCE_PG_SEARCH: '0' }, expect: /no PostgreSQL server binaries/ },
  ];
  for (const c of cases) {
    step(`bad input: ${c.name} gives one line in under 10 s`, async () => {
      let server: import('node:http').Server | undefined;
      const env = { ...c.env };
      if (env.BASE_URL?.includes('CLOSED')) env.BASE_URL = env.BASE_URL.replace('CLOSED', String(await freePort()));
      if (env.BASE_URL?.includes('PORT')) {
        const http = await import('node:http');
        server = http.createServer((_q, s) => s.end('<html>hello</html>'));
        await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()));
        env.BASE_URL = env.BASE_URL.replace('PORT', String((server.address() as { port: number }).port));
      }
      const r = await new Promise<{ status: number; out: string; ms: number }>((resolve) => {
        const started = Date.now();
        const child = spawn(process.execPath, [path.join(ROOT, 'node_modules/@playwright/test/cli.js'), 'test'], {
          cwd: ROOT,
          env: { ...process.env, CI: '', ...env },
        });
        let out = '';
        child.stdout.on('data', (d: Buffer) => (out += d));
        child.stderr.on('data', (d: Buffer) => (out += d));
        child.on('exit', (code: number | null) => resolve({ status: code ?? 1, out, ms: Date.now() - started }));
      });
      server?.close();
      const lines = r.out.trim().split('\n').filter((l) => l.startsWith('conformance:'));
      if (r.status === 0) throw new Error('exit status 0');
      if (!c.expect.test(r.out)) throw new Error(`no matching message in:\n${r.out.slice(-1000)}`);
      if (lines.length !== 1) throw new Error(`expected one conformance: line, got ${lines.length}:\n${r.out.slice(-1000)}`);
      if (r.ms > 10_000) throw new Error(`took ${r.ms} ms`);
      return lines[0];
    });
  }
}

if (wanted('pgtap')) {
  step('reference app: pgTAP tests pass under pg_prove', async () => {
    const stack = await startStack({ logDir: path.join(os.tmpdir(), 'conformance-selftest-logs') });
    try {
      const url = new URL(stack.databaseUrl.replace('postgresql:', 'http:'));
      const host = url.searchParams.get('host')!;
      const r = run('pg_prove', ['--runtests', '--schema', 'tests', '--match', '^test_', '-h', host, '-U', 'postgres', '-d', 'app']);
      if (r.status !== 0) throw new Error(r.out.slice(-2000));
      // Bad input: SQL that fails to load is reported with its file and line.
      const broken = { name: 'fixtures/broken.sql', text: 'select 1;\n\nselect nope from;\n' };
      const error = await loadSql(stack.databaseUrl, [broken]).then(() => undefined, (e: Error) => e.message);
      if (!error?.startsWith('fixtures/broken.sql:3: syntax error')) throw new Error(`SQL error not located: ${error}`);
      return `${r.out.trim().split('\n').pop()}; a broken SQL file is reported as "${error}"`;
    } finally {
      await stack.stop();
    }
  });
}

for (const build of ['12', '11']) {
  if (!wanted('reference') && !wanted(`reference-${build}`)) continue;
  step(`reference on PostgREST ${build}: conformant, every requirement passes, twice in a row`, async () => {
    const stack = await startStack({ postgrest: build, logDir: path.join(os.tmpdir(), `conformance-selftest-${build}`) });
    try {
      // Conformant in every run: two runs, no retry (a conforming deployment judged otherwise even once is a bug).
      const verdicts: string[] = [];
      for (let attempt = 1; attempt <= 2; attempt++) {
        verdicts.push(await expectConformant(stack, build).catch((error: Error) => Promise.reject(new Error(`run ${attempt}: ${error.message}`))));
      }
      return verdicts.join('; ');
    } finally {
      await stack.stop();
    }
  });
}

if (wanted('capabilities')) {
  step('capabilities: without a database, or a browser, exactly the requirements declaring it are not verified', async () => {
    const stack = await startStack({ logDir: path.join(os.tmpdir(), 'conformance-selftest-capabilities') });
    try {
      return await checkCapabilities(stack);
    } finally {
      await stack.stop();
    }
  });
}

// An error is not a violation: a conforming deployment is never judged non-conformant for one.
const errorCases: Array<{ name: string; title: string; check: () => Promise<string> }> = [
  { name: 'broken-hook', title: 'a hook that does not fit the sessions table: inconclusive (exit 3), nothing failed', check: checkBrokenHookIsInconclusive },
  { name: 'faulty-network', title: 'the reference behind a proxy resetting every 15th connection: never non-conformant', check: checkReferenceBehindResetProxy },
];
for (const c of errorCases) if (wanted(c.name) || wanted('errors')) step(c.title, () => c.check());

if (wanted('variants')) {
  // Deployments built differently from the reference, judged as their users would run the suite.
  for (const v of loadVariants()) {
    for (const build of ['12', '11']) step(`variant ${v.name} on PostgREST ${build}: conformant`, () => checkVariant(v, build));
    // And the suite still finds what is wrong with them: each seeded defect on the variant, judged as the sweep judges one.
    if (v.defects.length) {
      step(`variant ${v.name}: its seeded defects are caught, exactly`, async (t) => {
        await checkVariantDefects(v, '12', async (r) => {
          await t.test(`${v.name} + ${r.defect.name}: caught (${r.defect.fails.join(', ')})`, () => {
            if (r.problems.length) throw new Error(`${r.problems.join('\n')}\nreport: ${r.reportDir}`);
          });
        });
      });
    }
  }
}

if (wanted('defects')) {
  // One subtest per defect, as the sweep judges it; the sweep's own kill table goes to test-results/ (docs/kill-table.md is npm run docs's).
  step('defects: every seeded defect is caught, exactly', async (t) => {
    const started = Date.now();
    const results = await sweepDefects(loadDefects(), '12', async (r) => {
      await t.test(`defect ${r.defect.name}: caught (${r.defect.fails.join(', ')})`, (sub) => {
        if (r.problems.length) throw new Error(`${r.problems.join('\n')}\nreport: ${r.reportDir}`);
        if (r.firstProblems) sub.diagnostic(`FLAKY: the first run had ${r.firstProblems.join('; ')}`);
      });
    });
    return `${results.length} defects in ${((Date.now() - started) / 1000).toFixed(0)} s; this sweep's kill table: ${writeKillTable(results, '12')}`;
  });
}

if (wanted('killed-run')) {
  step('a run killed half-way leaves no server behind', async () => {
    const runDir = mkdtempSync(path.join(os.tmpdir(), 'conformance-run-'));
    const child = spawn(process.execPath, [path.join(ROOT, 'node_modules/@playwright/test/cli.js'), 'test'], {
      cwd: ROOT,
      env: { ...process.env, CI: '', CONFORMANCE_RUN_DIR: runDir, CONFORMANCE_REPORT_DIR: path.join(runDir, 'report') },
      stdio: 'ignore',
    });
    const stateFile = path.join(runDir, 'stack.json');
    const deadline = Date.now() + 60_000;
    while (!existsSync(stateFile) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    if (!existsSync(stateFile)) throw new Error('the stack never started');
    const state = JSON.parse(readFileSync(stateFile, 'utf8')) as { supervisorPid: number; baseUrl: string };
    child.kill('SIGKILL');
    const stopBy = Date.now() + 10_000;
    while (isAlive(state.supervisorPid) && Date.now() < stopBy) await new Promise((r) => setTimeout(r, 50));
    if (isAlive(state.supervisorPid)) throw new Error('the stack supervisor outlived the killed runner');
    const answering = await fetch(state.baseUrl).then(() => true, () => false);
    if (answering) throw new Error(`PostgREST still answers at ${state.baseUrl}`);
    rmSync(runDir, { recursive: true, force: true });
    return `stack stopped ${((Date.now() - stopBy + 10_000) / 1000).toFixed(1)} s after the runner was killed`;
  });
}

if (wanted('package')) {
  step('package: npm pack, installed into an empty folder, its postgrest-cookie-conformance finds the reference conformant', () => checkPackagedCli());
}

if (wanted('ci')) {
  step('CI integrations: action.yml and the example workflow pass the action validator, the GitLab template has its keys', () => checkCiIntegrations());
}

if (wanted('https')) {
  step('https: the reference behind a TLS proxy with a private CA: refused without CONFORMANCE_CA_CERTS, conformant with it, browser checks and cookie-secure passing', () => checkReferenceOverHttps());
}

if (wanted('cleanup')) {
  step('nothing left behind: no stack folder, no server process', () => {
    // Folders of runs still going (another stack someone started) are not leftovers.
    const dirs = stackDirs().filter((dir) => !ownerAlive(dir));
    if (dirs.length) throw new Error(`left behind: ${dirs.join(', ')}`);
    const ps = execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' }).split('\n');
    const ours = ps.filter((l) => dirs.some((d) => l.includes(d)));
    if (ours.length) throw new Error(`still running: ${ours.join('; ')}`);
  });
}
