/**
 * `npm run defect -- NAME [NAME...]`: runs the whole suite against the
 * reference deployment with each named seeded defect applied (a deployment
 * each) and says whether the suite caught exactly what the defect declares.
 * With no name, runs all of them; the sweep's own kill table goes to test-results/kill-table.md.
 *
 * The sweep runs the defects in one Playwright run (self-test/sweep.ts). A defect with a
 * problem is run once more on its own, as a user would run the suite, which
 * also leaves a full conformance report to look at; a retry that passes is
 * printed as FLAKY.
 */
import path from 'node:path';
import { exitOnUserError } from '../lib/user-error.ts';
import { runConformance } from './conformance-run.ts';
import { defectResultOf, loadDefects, type Defect, type DefectResult } from './defects.ts';
import { writeKillTable } from './kill-table.ts';
import { startSharedBrowser } from './shared-browser.ts';
import { defectRunEnv, startDefectStack, sweepBatches } from './sweep.ts';

/**
 * Playwright workers for a defect run on its own: one for the browser project
 * and one for the HTTP suites.
 */
const DEFECT_RUN_WORKERS = '2';

/** The suite against one defect's deployment, as `npx playwright test` with BASE_URL: a full report. */
export async function runDefect(defect: Defect, postgrest = '12'): Promise<DefectResult> {
  const stack = await startDefectStack(defect, postgrest);
  try {
    const run = await runConformance({
      ...defectRunEnv(),
      BASE_URL: stack.baseUrl,
      DATABASE_URL: stack.databaseUrl,
      CONFORMANCE_WORKERS: process.env.CONFORMANCE_WORKERS ?? DEFECT_RUN_WORKERS,
    });
    return defectResultOf(defect, run.report && { requirements: run.report.requirements, verdict: run.report.verdict, exitStatus: run.exitCode }, run);
  } finally {
    await stack.stop();
  }
}

/**
 * Every given defect, in one sweep with one shared browser; a defect with a
 * problem is retried alone. `each` sees every defect's final result.
 */
export async function sweepDefects(defects: Defect[], postgrest: string, each: (result: DefectResult) => Promise<void> | void): Promise<DefectResult[]> {
  const browser = await startSharedBrowser();
  try {
    return await sweepBatches(defects, postgrest, async (batch) => {
      for (let i = 0; i < batch.length; i++) {
        const first = batch[i];
        if (first.problems.length) {
          // One retry: a run on a loaded machine can time out. Flakiness is printed, not hidden.
          const second = await runDefect(first.defect, postgrest);
          batch[i] = second.problems.length ? second : { ...second, firstProblems: first.problems.map((p) => `${p} (results: ${first.reportDir})`) };
        }
        await each(batch[i]);
      }
    });
  } finally {
    await browser.close();
  }
}

async function main() {
  const names = process.argv.slice(2);
  const all = loadDefects();
  const chosen = names.length ? all.filter((d) => names.includes(d.name)) : all;
  if (names.length && chosen.length !== names.length) {
    throw new Error(`unknown defect: ${names.filter((n) => !all.some((d) => d.name === n)).join(', ')}`);
  }
  const postgrest = process.env.CONFORMANCE_POSTGREST ?? '12';
  const started = Date.now();
  const results = await sweepDefects(chosen, postgrest, (r) => {
    const ok = r.problems.length === 0;
    const flaky = r.firstProblems ? `\n  FLAKY: the first run had ${r.firstProblems.join('; ')}` : '';
    process.stdout.write(
      `${ok ? 'caught ' : 'PROBLEM'} ${r.defect.name}: failed [${r.failed.join(', ')}]${ok ? flaky : `\n  ${r.problems.join('\n  ')}\n  report: ${r.reportDir}`}\n`,
    );
  });
  const bad = results.filter((r) => r.problems.length).length;
  process.stdout.write(`${results.length - bad} of ${results.length} caught exactly in ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
  if (!names.length) process.stdout.write(`kill table written to ${writeKillTable(results, postgrest)}\n`);
  process.exit(bad ? 1 : 0);
}

if (process.argv[1] && import.meta.url.endsWith(path.basename(process.argv[1]))) {
  main().catch((e) => exitOnUserError(e));
}
