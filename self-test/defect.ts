/**
 * `npm run defect -- NAME [NAME...]`: starts the reference deployment with the
 * named seeded defects applied (one deployment each), runs the suite against
 * it, and says whether the suite caught exactly what the defect declares.
 * With no name, runs all of them and rewrites the kill table (docs/kill-table.md).
 */
import path from 'node:path';
import os from 'node:os';
import { mkdtempSync } from 'node:fs';
import { exitOnUserError } from '../lib/user-error.ts';
import { startStack } from '../stack/stack.ts';
import { checkDefectReport, loadDefects, type Defect } from './defects.ts';
import { runConformance } from './conformance-run.ts';
import { writeKillTable } from './kill-table.ts';
import { startSharedBrowser } from './shared-browser.ts';

export interface DefectResult {
  defect: Defect;
  problems: string[];
  failed: string[];
  /** For each requirement the defect declares: the tests that failed it. */
  caughtBy: Record<string, string[]>;
  ms: number;
  reportDir: string;
}

/**
 * Playwright workers per defect run. One for the browser project and one for
 * the HTTP suites: more would only add worker start-ups (a failing test costs
 * a new worker) on a machine where the sweep already runs runs side by side.
 */
const DEFECT_RUN_WORKERS = '2';

export async function runDefect(defect: Defect, postgrest = '12'): Promise<DefectResult> {
  const logDir = mkdtempSync(path.join(os.tmpdir(), `defect-${defect.name}-`));
  const stack = await startStack({
    postgrest,
    logDir,
    overlays: [{ name: path.relative(process.cwd(), defect.file), text: defect.sql }],
    settings: defect.settings,
    postgrestSettings: defect.postgrest,
  });
  try {
    const run = await runConformance({
      BASE_URL: stack.baseUrl,
      DATABASE_URL: stack.databaseUrl,
      CONFORMANCE_WORKERS: process.env.CONFORMANCE_WORKERS ?? DEFECT_RUN_WORKERS,
    });
    const requirements = run.report?.requirements ?? [];
    const problems = run.report ? checkDefectReport(defect, requirements) : [`no report: ${run.output.split('\n').slice(-5).join(' | ')}`];
    const caughtBy = Object.fromEntries(
      defect.fails.map((id) => [
        id,
        (requirements.find((r) => r.id === id)?.tests ?? []).filter((t) => t.status === 'fail').map((t) => `${t.location} ${t.title}`),
      ]),
    );
    return {
      defect,
      problems,
      failed: requirements.filter((r) => r.status === 'fail').map((r) => r.id),
      caughtBy,
      ms: run.ms,
      reportDir: run.reportDir,
    };
  } finally {
    await stack.stop();
  }
}

/** How many defect runs go side by side: each is a stack plus a Playwright run, mostly waiting on one another. */
export const DEFECT_PARALLEL = Number(process.env.DEFECT_PARALLEL ?? 2);

/**
 * Runs every given defect, DEFECT_PARALLEL at a time, with one shared browser.
 * `each` sees every defect's outcome as it finishes (the self-test wraps it in a step).
 */
export async function sweepDefects<T>(defects: Defect[], each: (defect: Defect) => Promise<T>): Promise<T[]> {
  const browser = await startSharedBrowser();
  const queue = defects.map((defect, index) => ({ defect, index }));
  const results: T[] = [];
  const lane = async () => {
    for (let item = queue.shift(); item; item = queue.shift()) results[item.index] = await each(item.defect);
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, DEFECT_PARALLEL) }, lane));
  } finally {
    await browser.close();
  }
  return results;
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
  const results = await sweepDefects(chosen, async (defect) => {
    const r = await runDefect(defect, postgrest);
    const ok = r.problems.length === 0;
    process.stdout.write(
      `${ok ? 'caught ' : 'PROBLEM'} ${defect.name} (${(r.ms / 1000).toFixed(1)} s): failed [${r.failed.join(', ')}]${ok ? '' : `\n  ${r.problems.join('\n  ')}\n  report: ${r.reportDir}`}\n`,
    );
    return r;
  });
  const bad = results.filter((r) => r.problems.length).length;
  process.stdout.write(`${results.length - bad} of ${results.length} caught exactly in ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
  if (!names.length) process.stdout.write(`kill table written to ${writeKillTable(results, postgrest)}\n`);
  process.exit(bad ? 1 : 0);
}

if (process.argv[1] && import.meta.url.endsWith(path.basename(process.argv[1]))) {
  main().catch((e) => exitOnUserError(e));
}
