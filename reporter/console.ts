/** The concise table printed at the end of a run, rendered from the report. */
import type { Report } from './report.ts';
import { reasonsText, shownStatus, STATUS_LABEL } from './status-label.ts';

/** Widths of a requirement's reasons and of a failure's values: a replay path or a body must not run off the terminal. */
const REASON_WIDTH = 160;
const VALUE_WIDTH = 200;

export function renderConsoleSummary(report: Report, outputs: string[] = []): string {
  const width = Math.max(...report.requirements.map((r) => r.id.length), 10);
  const out: string[] = ['', 'Conformance by requirement:'];
  let clipped = false;
  /** The text on one line, cut short with … past `max` characters (the report has it in full). */
  const clip = (text: string, max: number) => {
    const line = text.replace(/\s+/g, ' ').trim();
    if (line.length <= max) return line;
    clipped = true;
    return `${line.slice(0, max - 1)}…`;
  };
  for (const r of report.requirements) {
    let why = '';
    if (r.unexpectedPass) why = '  (listed as an expected failure, but passed)';
    else if (r.expected && r.status === 'fail') why = `  (expected failure: ${r.expectedReason})`;
    else if (r.reasons.length) why = `  (${clip(reasonsText(r), REASON_WIDTH)})`;
    out.push(`  ${STATUS_LABEL[shownStatus(r)].short.padEnd(5)}  ${r.level.padEnd(6)} ${r.id.padEnd(width)}  ${r.title}${why}`);
  }
  const c = report.counts;
  out.push('', `  ${c.pass} pass, ${c.fail} fail, ${c['not-verified']} not verified, ${c['not-applicable']} not applicable`);
  for (const e of report.errors) out.push(`  error: ${clip(e, VALUE_WIDTH)}`);

  for (const r of report.requirements.filter((x) => x.status === 'fail')) {
    out.push('', `FAIL ${r.level} ${r.id}${r.expected ? ' (expected failure)' : ''}: ${r.statement}`);
    for (const e of r.evidence) {
      out.push(`  in "${e.test}" (${e.location})`);
      if (e.expected !== undefined) out.push(`    expected: ${clip(e.expected, VALUE_WIDTH)}`, `    actual:   ${clip(e.actual ?? '', VALUE_WIDTH)}`);
      else if (e.error) out.push(...e.error.split('\n').slice(0, 6).map((l) => `    ${clip(l, VALUE_WIDTH)}`));
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
  if (outputs.length) out.push(`Report: ${outputs.join(', ')}${clipped ? ' (in full where this summary cuts a line short with …)' : ''}`);
  out.push('');
  return out.join('\n');
}
