/**
 * Runs the whole suite against many seeded-defect deployments in one
 * Playwright run: every defect gets a deployment, then one run covers them
 * all (self-test/sweep.config.ts) and the sweep reporter judges each
 * deployment on its own.
 *
 * Why one run by default: a run's start (loading the suites) and its end (the
 * last few defects, when the workers outnumber what is left) leave a core
 * idle, and those seconds added up to a fifth of a batched sweep. A
 * deployment is about 60 MB of server memory idle, so all of them fit at
 * once. DEFECT_BATCH bounds the defects per run for a smaller machine; the
 * next batch's deployments then start while the current batch runs.
 */
import { mkdtempSync, readFileSync, existsSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { KEEP_WORKER_ON_VIOLATION_ENV } from '../fixtures/requirements.ts';
import { startStack, type Stack } from '../stack/stack.ts';
import { runConformance } from './conformance-run.ts';
import { defectResultOf, type Defect, type DefectResult } from './defects.ts';
import type { SweepResult } from './sweep-reporter.ts';
import { SWEEP_RESULTS_ENV, SWEEP_TARGETS_ENV, type SweepTarget } from './sweep-targets.ts';

/**
 * The environment of every run against a seeded defect (batched or alone):
 *   FC_SHRINK_MS=0  a defect needs its failure named, not shrunk, and shrinking
 *                   is most of a failing property's time;
 *   FC_BUDGET=0.34  about a third of each property's runs: the property suites
 *                   send most of the suite's requests, and every defect they
 *                   must catch is caught in the first runs (the kill table shows
 *                   which defects only a property catches);
 *   keep workers    a violation does not cost a new Playwright worker (see
 *                   fixtures/requirements.ts);
 *   strict          SHOULDs count in the verdict, so every defect, a SHOULD's
 *                   too, must make it non-conformant.
 * None changes what is judged: the same tests, the same verdict rules.
 */
export function defectRunEnv(): Record<string, string> {
  return {
    FC_SHRINK_MS: process.env.FC_SHRINK_MS ?? '0',
    FC_BUDGET: process.env.FC_BUDGET ?? '0.34',
    [KEEP_WORKER_ON_VIOLATION_ENV]: '1',
    // Judged strictly, as the reference is: a defect that breaks a SHOULD makes the verdict non-conformant too.
    CONFORMANCE_STRICT: '1',
    // A throwaway deployment: the exposure scan may call the functions that write.
    EXPOSURE_SCAN_WRITES: '1',
  };
}

/** The reference deployment plus the defect's overlay and settings. */
export function startDefectStack(defect: Defect, postgrest: string): Promise<Stack> {
  const logDir = mkdtempSync(path.join(os.tmpdir(), `defect-${defect.name}-`));
  return startStack({
    postgrest,
    logDir,
    overlays: [defect.overlay],
    settings: defect.settings,
    postgrestSettings: defect.postgrest,
  });
}

/** Defects per Playwright run (DEFECT_BATCH, default all): at most twice this many deployments run at once. */
export const DEFECT_BATCH = Number(process.env.DEFECT_BATCH || Number.POSITIVE_INFINITY);

/** Deployments starting at the same time: enough to keep two cores busy, few enough that none waits long for its turn. */
const STARTS_AT_ONCE = 4;

interface Started {
  defect: Defect;
  stack?: Stack;
  error?: string;
}

async function startBatch(defects: Defect[], postgrest: string): Promise<Started[]> {
  const started: Started[] = [];
  let next = 0;
  const starter = async () => {
    while (next < defects.length) {
      const i = next++;
      const defect = defects[i];
      try {
        started[i] = { defect, stack: await startDefectStack(defect, postgrest) };
      } catch (error) {
        started[i] = { defect, error: `the deployment did not start: ${(error as Error).message}` };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(STARTS_AT_ONCE, defects.length) }, starter));
  return started;
}

/**
 * One Playwright run over the batch's deployments; the stacks are stopped
 * afterwards. Server logs and results stay on disk only for a defect with a
 * problem, where the message points at them.
 */
async function runBatch(batch: Started[]): Promise<DefectResult[]> {
  const running = batch.flatMap(({ defect, stack }) => (stack ? [{ defect, stack }] : []));
  const reportDir = mkdtempSync(path.join(os.tmpdir(), 'defect-sweep-'));
  let results: DefectResult[] | undefined;
  try {
    const resultsDir = path.join(reportDir, 'results');
    const targetsFile = path.join(reportDir, 'targets.json');
    const targets: SweepTarget[] = running.map(({ defect, stack }) => ({
      name: defect.name,
      baseUrl: stack.baseUrl,
      databaseUrl: stack.databaseUrl,
      logs: stack.logs,
    }));
    writeFileSync(targetsFile, JSON.stringify(targets, null, 2));
    const run = running.length
      ? await runConformance(
          { ...defectRunEnv(), CONFORMANCE_REPORT_DIR: reportDir, [SWEEP_TARGETS_ENV]: targetsFile, [SWEEP_RESULTS_ENV]: resultsDir },
          ['-c', path.join('self-test', 'sweep.config.ts')],
        )
      : undefined;
    results = batch.map(({ defect, error }) => {
      if (error || !run) return defectResultOf(defect, undefined, { ms: 0, reportDir, output: error ?? '' });
      const file = path.join(resultsDir, `${defect.name}.json`);
      const result = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as SweepResult) : undefined;
      return defectResultOf(defect, result, { ms: run.ms, reportDir, output: run.output });
    });
    return results;
  } finally {
    await Promise.all(running.map(({ stack }) => stack.stop()));
    const clean = (name: string) => results?.some((r) => r.defect.name === name && r.problems.length === 0);
    for (const { defect, stack } of running) if (clean(defect.name)) rmSync(path.dirname(stack.logs.postgres), { recursive: true, force: true });
    if (batch.every(({ defect }) => clean(defect.name))) rmSync(reportDir, { recursive: true, force: true });
  }
}

/** Every defect, batch by batch; `each` sees each batch's results as soon as it is done. */
export async function sweepBatches(defects: Defect[], postgrest: string, each: (results: DefectResult[]) => Promise<void>): Promise<DefectResult[]> {
  // As few batches as DEFECT_BATCH allows, of even size: a small last batch would run on idle cores.
  const size = Math.ceil(defects.length / Math.max(1, Math.ceil(defects.length / DEFECT_BATCH)));
  const batches: Defect[][] = [];
  for (let i = 0; i < defects.length; i += size) batches.push(defects.slice(i, i + size));
  const results: DefectResult[] = [];
  let next = batches.length ? startBatch(batches[0], postgrest) : undefined;
  for (let i = 0; next; i++) {
    const current = await next;
    next = i + 1 < batches.length ? startBatch(batches[i + 1], postgrest) : undefined;
    try {
      const done = await runBatch(current);
      // `each` may put a retry's result in place of a first one: the results are what it leaves.
      await each(done);
      results.push(...done);
    } catch (error) {
      // Nothing of the next batch may outlive a failed sweep.
      if (next) await Promise.all((await next).map((s) => s.stack?.stop()));
      throw error;
    }
  }
  return results;
}
