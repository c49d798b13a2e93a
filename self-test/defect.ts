/**
 * `npm run defect -- NAME [NAME...]`: starts the reference deployment with the
 * named seeded defects applied (one deployment each), runs the suite against
 * it, and says whether the suite caught exactly what the defect declares.
 * With no name, runs all of them.
 */
import path from 'node:path';
import os from 'node:os';
import { mkdtempSync } from 'node:fs';
import { exitOnUserError } from '../lib/user-error.ts';
import { startStack } from '../stack/stack.ts';
import { checkDefectReport, loadDefects, type Defect } from './defects.ts';
import { runConformance } from './conformance-run.ts';

export interface DefectResult {
  defect: Defect;
  problems: string[];
  failed: string[];
  ms: number;
  reportDir: string;
}

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
    const run = await runConformance({ BASE_URL: stack.baseUrl, DATABASE_URL: stack.databaseUrl });
    const requirements = run.report?.requirements ?? [];
    const problems = run.report ? checkDefectReport(defect, requirements) : [`no report: ${run.output.split('\n').slice(-5).join(' | ')}`];
    return {
      defect,
      problems,
      failed: requirements.filter((r) => r.status === 'fail').map((r) => r.id),
      ms: run.ms,
      reportDir: run.reportDir,
    };
  } finally {
    await stack.stop();
  }
}

async function main() {
  const names = process.argv.slice(2);
  const all = loadDefects();
  const chosen = names.length ? all.filter((d) => names.includes(d.name)) : all;
  if (names.length && chosen.length !== names.length) {
    throw new Error(`unknown defect: ${names.filter((n) => !all.some((d) => d.name === n)).join(', ')}`);
  }
  let bad = 0;
  for (const defect of chosen) {
    const r = await runDefect(defect, process.env.CONFORMANCE_POSTGREST ?? '12');
    const ok = r.problems.length === 0;
    if (!ok) bad += 1;
    process.stdout.write(
      `${ok ? 'caught ' : 'PROBLEM'} ${defect.name} (${(r.ms / 1000).toFixed(1)} s): failed [${r.failed.join(', ')}]${ok ? '' : `\n  ${r.problems.join('\n  ')}\n  report: ${r.reportDir}`}\n`,
    );
  }
  process.exit(bad ? 1 : 0);
}

if (process.argv[1] && import.meta.url.endsWith(path.basename(process.argv[1]))) {
  main().catch((e) => exitOnUserError(e));
}
