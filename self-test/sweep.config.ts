/**
 * The Playwright configuration of the defect sweep: one run over many
 * seeded-defect deployments. Each deployment gets one project running the
 * user configuration's suites, browser and HTTP alike, named after the defect
 * and told its deployment through the `deployment` option instead of
 * BASE_URL.
 *
 * Why one run, and one project per deployment: a Playwright run costs a
 * runner start-up, and every project at least one worker start-up, more than
 * a second of CPU each. One run per defect paid the runner for every defect;
 * the user configuration's two projects would pay two workers. Here each
 * deployment's tests run on one worker (every suite uses the same `test`, so
 * one worker can run them all), and the run's workers keep the cores busy on
 * different defects.
 *
 * The deployments come from the file named by SWEEP_TARGETS (self-test/sweep.ts writes it).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { defineConfig, type Project } from '@playwright/test';
import base from '../playwright.config.ts';
import { SWEEP_CHROMIUM_LAUNCH } from '../fixtures/chromium-options.ts';
import { ROOT } from './conformance-run.ts';
import { SWEEP_TARGETS_ENV, type SweepTarget } from './sweep-targets.ts';

const file = process.env[SWEEP_TARGETS_ENV];
if (!file) throw new Error(`${SWEEP_TARGETS_ENV} is not set: run the sweep through self-test/sweep.ts`);
const targets = JSON.parse(readFileSync(file, 'utf8')) as SweepTarget[];

/** The suites as users run them (the embedded stack's setup projects are not needed here). */
const project = (name: string): Project => {
  const found = (base.projects ?? []).find((p) => p.name === name);
  if (!found) throw new Error(`playwright.config.ts has no "${name}" project`);
  return found;
};
const http = project('http');

const projects: Project[] = targets.map((target) => ({
  name: target.name,
  // Every suite: the HTTP project's folder holds the browser suite's too, which it leaves out.
  testDir: path.resolve(ROOT, http.testDir ?? '.'),
  testMatch: http.testMatch,
  workers: 1,
  metadata: { target: target.name },
  // The sweep's speed settings for Chromium (fixtures/chromium-options.ts), never a user's.
  use: { ...http.use, deployment: target, launchOptions: SWEEP_CHROMIUM_LAUNCH, reuseBrowserContext: true },
}));

export default defineConfig({
  ...base,
  globalSetup: path.resolve(ROOT, 'fixtures', 'global-setup.ts'),
  // Two cores: a third worker fills the time the others wait on the deployments.
  workers: Number(process.env.CONFORMANCE_WORKERS ?? 3),
  reporter: [[path.join(ROOT, 'self-test', 'sweep-reporter.ts')], ['dot']],
  projects,
});
