/**
 * The Playwright configuration of the defect sweep: one run over many
 * seeded-defect deployments. Each deployment gets the user configuration's
 * two projects (the browser suite and the HTTP suites), renamed after the
 * defect and told their deployment through the `deployment` option instead
 * of BASE_URL.
 *
 * Why one run: a Playwright run costs a runner start-up and every project a
 * worker start-up, about a second of CPU each; one run per defect paid the
 * runner for every defect and, with two workers, a third worker too. Here each
 * project runs on one worker at a time, and the run's workers keep the cores
 * busy on different defects.
 *
 * The deployments come from the file named by SWEEP_TARGETS (self-test/sweep.ts writes it).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { defineConfig, type Project } from '@playwright/test';
import base from '../playwright.config.ts';
import { ROOT } from './conformance-run.ts';
import { SWEEP_TARGETS_ENV, type SweepTarget } from './sweep-targets.ts';

const file = process.env[SWEEP_TARGETS_ENV];
if (!file) throw new Error(`${SWEEP_TARGETS_ENV} is not set: run the sweep through self-test/sweep.ts`);
const targets = JSON.parse(readFileSync(file, 'utf8')) as SweepTarget[];

/** The suites as users run them; the embedded stack's setup projects are not needed here. */
const suites = (base.projects ?? []).filter((p) => p.name === 'browser' || p.name === 'http');

const projects: Project[] = targets.flatMap((target) =>
  suites.map((p) => ({
    ...p,
    name: p.name === 'http' ? target.name : `${target.name}/${p.name}`,
    testDir: path.resolve(ROOT, p.testDir ?? '.'),
    dependencies: [],
    workers: 1,
    metadata: { target: target.name },
    use: { ...p.use, deployment: target },
  })),
);

export default defineConfig({
  ...base,
  globalSetup: path.resolve(ROOT, 'fixtures', 'global-setup.ts'),
  // Two cores: a third worker fills the time the others wait on the deployments.
  workers: Number(process.env.CONFORMANCE_WORKERS ?? 3),
  reporter: [[path.join(ROOT, 'self-test', 'sweep-reporter.ts')], ['dot']],
  projects,
});
