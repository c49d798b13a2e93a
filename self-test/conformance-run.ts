/**
 * Runs the conformance suite as a user would (`npx playwright test`) against
 * a given deployment, in a child process, and returns its report.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ReportRequirement } from './defects.ts';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));

export interface ConformanceRun {
  exitCode: number;
  reportDir: string;
  report?: { verdict: string; requirements: ReportRequirement[] };
  output: string;
  ms: number;
}

export function runConformance(env: Record<string, string | undefined>, args: string[] = []): Promise<ConformanceRun> {
  const reportDir = env.CONFORMANCE_REPORT_DIR ?? mkdtempSync(path.join(os.tmpdir(), 'conformance-report-'));
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [path.join(ROOT, 'node_modules', '@playwright', 'test', 'cli.js'), 'test', '--output', path.join(reportDir, 'test-results'), ...args],
      {
        cwd: ROOT,
        env: { ...process.env, ...env, CONFORMANCE_REPORT_DIR: reportDir, CI: '', FORCE_COLOR: '0' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('exit', (code) => {
      writeFileSync(path.join(reportDir, 'output.txt'), output);
      const file = path.join(reportDir, 'report.json');
      const report = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : undefined;
      resolve({ exitCode: code ?? 1, reportDir, report, output, ms: Date.now() - started });
    });
  });
}
