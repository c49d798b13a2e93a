/** The concise table printed at the end of a run, rendered from the report. */
import type { Report } from './report.ts';
import { shownStatus, STATUS_LABEL } from './status-label.ts';

const clip = (text: string, max: number) => {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
};

export function renderConsoleSummary(report: Report, outputs: string[] = []): string {
  const width = Math.max(...report.requirements.map((r) => r.id.length), 10);
  const out: string[] = ['', 'Conformance by requirement:'];
  for (const r of report.requirements) {
    let why = '';
    if (r.unexpectedPass) why = '  (listed as an expected failure, but passed)';
    else if (r.expected && r.status === 'fail') why = `  (expected failure: ${r.expectedReason})`;
    else if (r.reasons.length) why = `  (${r.reasons.join('; ')})`;
    out.push(`  ${STATUS_LABEL[shownStatus(r)].short.padEnd(5)}  ${r.level.padEnd(6)} ${r.id.padEnd(width)}  ${r.title}${why}`);
  }
  const c = report.counts;
  out.push('', `  ${c.pass} pass, ${c.fail} fail, ${c['not-verified']} not verified, ${c['not-applicable']} not applicable`);
  for (const e of report.errors) out.push(`  error: ${e}`);

  for (const r of report.requirements.filter((x) => x.status === 'fail')) {
    out.push('', `FAIL ${r.level} ${r.id}${r.expected ? ' (expected failure)' : ''}: ${r.statement}`);
    for (const e of r.evidence) {
      out.push(`  in "${e.test}" (${e.location})`);
      if (e.expected !== undefined) out.push(`    expected: ${clip(e.expected, 200)}`, `    actual:   ${clip(e.actual ?? '', 200)}`);
      else if (e.error) out.push(...e.error.split('\n').slice(0, 6).map((l) => `    ${l}`));
    }
  }

  const m = report.metadata;
  out.push('', `Target: ${report.target.description}${m.postgrestVersion ? ` (PostgREST ${m.postgrestVersion})` : ''}${m.strict ? ', strict' : ''}`);
  out.push(`Verdict: ${report.verdict.toUpperCase()}`);
  const g = report.gate;
  if (g.expectedFailures.length || g.unexpectedPasses.length) {
    const parts = [];
    if (g.expectedFailures.length) parts.push(`expected failures: ${g.expectedFailures.join(', ')}`);
    if (g.unexpectedPasses.length) parts.push(`unexpected passes: ${g.unexpectedPasses.join(', ')}`);
    out.push(`Gate: ${g.passed ? 'PASSED' : 'FAILED'}, ${g.verdict} without the expected failures (${parts.join('; ')})`);
  }
  if (outputs.length) out.push(`Report: ${outputs.join(', ')}`);
  out.push('');
  return out.join('\n');
}
