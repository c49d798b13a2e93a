/** The concise table printed at the end of a run. */
import type { RequirementResult, Verdict } from './verdict.ts';

const MARK: Record<string, string> = { pass: 'pass', fail: 'FAIL', 'not-verified': 'n/v ', 'not-applicable': 'n/a ' };

export function printConsoleSummary(results: RequirementResult[], verdict: Verdict, errors: string[]): void {
  const out: string[] = ['', 'Conformance by requirement:'];
  for (const r of results) {
    const why = r.status === 'pass' ? '' : r.reasons.length ? `  (${r.reasons.join('; ')})` : '';
    out.push(`  ${MARK[r.status]}  ${r.requirement.level.padEnd(6)} ${r.requirement.id.padEnd(32)} ${r.requirement.title}${why}`);
  }
  const count = (s: string) => results.filter((r) => r.status === s).length;
  out.push('');
  out.push(`  ${count('pass')} pass, ${count('fail')} fail, ${count('not-verified')} not verified, ${count('not-applicable')} not applicable`);
  for (const e of errors) out.push(`  error: ${e}`);
  for (const r of results.filter((x) => x.status === 'fail')) {
    out.push('', `FAIL ${r.requirement.level} ${r.requirement.id}: ${r.requirement.statement}`);
    for (const t of r.tests.filter((x) => x.judgement.status === 'fail')) {
      out.push(`  in "${t.outcome.title}"`);
      if (t.outcome.error) out.push(...t.outcome.error.split('\n').slice(0, 6).map((l) => `    ${l}`));
    }
  }
  out.push('', `Verdict: ${verdict.toUpperCase()}`, '');
  process.stdout.write(`${out.join('\n')}\n`);
}
