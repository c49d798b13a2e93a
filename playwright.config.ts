/**
 * Runs the conformance suites against BASE_URL, or, when it is unset, against
 * the embedded reference deployment started by the `stack` setup project.
 * The verdict comes from the conformance reporter; its exit status is 0
 * exactly when the deployment is conformant.
 */
import { defineConfig } from '@playwright/test';
import { workerCount } from './lib/config.ts';

const embedded = !process.env.BASE_URL;
const stackProjects = embedded
  ? [
      // Stopped by global setup's teardown, in the runner: a teardown project would start a worker of its own for it (about 1 s).
      { name: 'stack', testDir: './fixtures', testMatch: /stack\.setup\.ts$/ },
    ]
  : [];
const needsStack = embedded ? ['stack'] : [];

export default defineConfig({
  globalSetup: './fixtures/global-setup.ts',
  fullyParallel: true,
  // One worker per core, at least two (the browser project's and one for the HTTP suites) and at most
  // four: each worker costs a Playwright start-up, and on two cores four are slower than two.
  workers: workerCount(),
  retries: 0,
  timeout: 30_000,
  forbidOnly: !!process.env.CI,
  reporter: [['./reporter/conformance-reporter.ts'], ['list']],
  // Traces and screenshots could hold session tokens: evidence is attached, redacted, by the fixtures instead.
  use: { trace: 'off', screenshot: 'off', video: 'off' },
  projects: [
    ...stackProjects,
    // What a real browser does with the cookie: Debian's chromium (fixtures/chromium-options.ts), one per worker (fixtures/browser.ts).
    // Without a usable browser these tests are not-verified, with the reason.
    {
      name: 'browser',
      testDir: './suites/browser',
      testMatch: /\.spec\.ts$/,
      dependencies: needsStack,
      // Each worker starts its own Chromium, the costliest step of the run: one is enough and leaves the CPU to the rest.
      workers: 1,
    },
    { name: 'http', testDir: './suites', testMatch: /\.spec\.ts$/, testIgnore: /[\\/]suites[\\/]browser[\\/]/, dependencies: needsStack },
  ],
});
