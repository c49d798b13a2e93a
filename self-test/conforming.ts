/**
 * One rule for every deployment the self-test knows to be conforming (the
 * reference, the variants): run the suite as a user would, strict, and
 * accept nothing but a conformant verdict with exit status 0 and every
 * requirement passing or not applicable. A PostgREST build's known, real
 * failure is declared in self-test/expectations/postgrest-<build>.json and
 * checked both ways by the gate, as a user's expectations file is.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { EXIT_STATUS } from '../reporter/verdict.ts';
import { runConformance, ROOT } from './conformance-run.ts';

function expectationsOf(build: string): { file?: string; ids: string[] } {
  const file = path.join(ROOT, 'self-test', 'expectations', `postgrest-${build}.json`);
  if (!existsSync(file)) return { ids: [] };
  const ids = (JSON.parse(readFileSync(file, 'utf8')) as { expectedFailures: Array<{ id: string }> }).expectedFailures.map((e) => e.id);
  return { file, ids };
}

/** Throws, listing what was wrong, unless the deployment is judged conformant; returns a one-line summary. */
export async function expectConformant(deployment: { baseUrl: string; databaseUrl?: string }, build: string, env: Record<string, string> = {}): Promise<string> {
  const expected = expectationsOf(build);
  const r = await runConformance({
    BASE_URL: deployment.baseUrl,
    DATABASE_URL: deployment.databaseUrl,
    CONFORMANCE_STRICT: '1',
    // Throwaway deployments: the scan calls the functions that write, and must still blame nothing.
    EXPOSURE_SCAN_WRITES: '1',
    ...(expected.file ? { CONFORMANCE_EXPECTATIONS: expected.file } : {}),
    ...env,
  });
  if (!r.report) throw new Error(`no report (exit status ${r.exitCode}): ${r.output.trim().split('\n').slice(-5).join(' | ')}`);
  const blamed = r.report.requirements.filter(
    (q) => q.status !== 'pass' && q.status !== 'not-applicable' && !(expected.ids.includes(q.id) && q.status === 'fail'),
  );
  const problems = [
    ...blamed.map((q) => `${q.id} is ${q.status}${q.reasons?.length ? ` (${q.reasons[0]})` : ''}`),
    ...(r.exitCode !== EXIT_STATUS.conformant ? [`exit status ${r.exitCode}`] : []),
  ];
  if (problems.length) throw new Error(`${r.report.verdict}, should be conformant:\n  ${problems.join('\n  ')}\n  report: ${r.reportDir}`);
  const count = (status: string) => r.report!.requirements.filter((q) => q.status === status).length;
  const setAside = r.report.requirements.filter((q) => q.status === 'fail').map((q) => q.id);
  const verdict = setAside.length ? `conformant once the declared expected failure of ${setAside.join(', ')} is set aside` : r.report.verdict;
  return `${verdict}: ${count('pass')} pass, ${count('not-applicable')} not applicable, in ${(r.ms / 1000).toFixed(1)} s`;
}
