/**
 * `postgrest-cookie-conformance`: the suite as one command, from an installed
 * package, no clone needed. It turns its flags into settings, checks them
 * (one line and exit status 2 when one is wrong), then runs the package's own
 * playwright.config.ts in the caller's folder, so relative paths and the
 * default ./conformance-report mean what the caller means. Its exit status is
 * the run's, which the reporter sets from the verdict (reporter/verdict.ts).
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { loadConfig } from '../lib/config.ts';
import { exitOnUserError } from '../lib/user-error.ts';
import { EXIT_STATUS } from '../reporter/verdict.ts';
import { helpText, parseArgs } from './options.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);

async function main(): Promise<void> {
  const cwd = process.cwd();
  const invocation = parseArgs(process.argv.slice(2), cwd);
  if (invocation.help) {
    process.stdout.write(`${helpText()}\n`);
    return;
  }
  if (invocation.draftProfile) {
    // What npm run profile prints, from the installed package: the JSON on standard output, progress on standard error.
    const { draftDeployment } = await import('../tools/draft-profile.ts');
    const profile = await draftDeployment(invocation.env.BASE_URL!, invocation.env.DATABASE_URL);
    process.stdout.write(`${JSON.stringify(profile, null, 2)}\n`);
    return;
  }
  const env = { ...process.env, ...invocation.env };
  const reportDir = path.resolve(cwd, loadConfig(env).reportDir);
  // Playwright compiles no TypeScript under node_modules, where the package now lives: tsx does, in the runner and
  // in every worker (they inherit the runner's node options), loaded by its own path wherever npm put it.
  const tsx = pathToFileURL(require.resolve('tsx')).href;
  const child = spawn(
    process.execPath,
    [
      '--import',
      tsx,
      require.resolve('@playwright/test/cli'),
      'test',
      '--config',
      path.join(ROOT, 'playwright.config.ts'),
      // Next to the reports, not inside the package: stack logs and attachments are the caller's.
      '--output',
      path.join(reportDir, 'test-results'),
      ...invocation.playwrightArgs,
    ],
    { cwd, env: { ...env, CONFORMANCE_REPORT_DIR: reportDir }, stdio: 'inherit' },
  );
  // Ctrl-C reaches the run through the terminal; a signal sent to this process alone is passed on.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => child.kill(signal));
  // A run that ended on a signal reached no verdict.
  child.on('exit', (code) => process.exit(code ?? EXIT_STATUS.inconclusive));
}

main().catch((error: unknown) => exitOnUserError(error, EXIT_STATUS.usage));
