/**
 * One Chromium for the self-test's many conformance runs. Each run would
 * otherwise launch its own, and launch it again after every failing browser
 * test (Playwright replaces a worker after a failure): with a seeded defect
 * per run that is most of the sweep's browser time. The runs connect through
 * BROWSER_WS_ENDPOINT; each still gets its own contexts, so no cookie crosses
 * from one run to the next. It is started with the sweep's speed settings
 * (SWEEP_CHROMIUM_LAUNCH), which a user's run never gets.
 */
import { existsSync } from 'node:fs';
import { chromium } from '@playwright/test';
import { BROWSER_WS_ENDPOINT_ENV, SWEEP_CHROMIUM_LAUNCH } from '../fixtures/chromium-options.ts';

export interface SharedBrowser {
  endpoint?: string;
  close(): Promise<void>;
}

/** Starts the server and sets BROWSER_WS_ENDPOINT for child runs; without a browser, runs launch (and report) on their own. */
export async function startSharedBrowser(): Promise<SharedBrowser> {
  if (process.env[BROWSER_WS_ENDPOINT_ENV] || !existsSync(SWEEP_CHROMIUM_LAUNCH.executablePath!)) return { close: async () => undefined };
  const server = await chromium.launchServer({ ...SWEEP_CHROMIUM_LAUNCH, headless: true });
  const endpoint = server.wsEndpoint();
  process.env[BROWSER_WS_ENDPOINT_ENV] = endpoint;
  return {
    endpoint,
    async close() {
      delete process.env[BROWSER_WS_ENDPOINT_ENV];
      await server.close();
    },
  };
}
