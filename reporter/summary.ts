/**
 * summary.md: a few lines for a CI job summary (GitHub's $GITHUB_STEP_SUMMARY
 * renders Markdown and HTML, so every value is escaped): the verdict, the
 * counts, and only the requirements that need attention.
 */
import { markdownCell } from '../lib/escape.ts';
import type { Report, ReportRequirement } from './report.ts';
import { reasonsText, shownStatus, STATUS_LABEL } from './status-label.ts';

const ICON: Record<string, string> = { conformant: '✅', 'non-conformant': '❌', inconclusive: '⚠️' };

/** A cell's text, cut short: a replay path or a body must not stretch the table; index.html has it in full. */
const clip = (text: string, max = 240) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

function why(r: ReportRequirement): string {
  if (r.unexpectedPass) return 'listed as an expected failure, but passed';
  if (r.status === 'fail') {
    const e = r.evidence.find((x) => x.expected !== undefined) ?? r.evidence[0];
    const detail = e ? (e.expected !== undefined ? `expected ${e.expected}; actual ${e.actual ?? ''}` : (e.error ?? '').split('\n')[0]) : '';
    return r.expected ? `expected failure: ${r.expectedReason}` : clip(detail);
  }
  return clip(reasonsText(r));
}

export function renderSummary(report: Report): string {
  const m = report.metadata;
  const c = report.counts;
  const lines = [
    `### ${ICON[report.verdict]} PostgREST cookie-session conformance: **${report.verdict}**`,
    '',
    `Target: ${markdownCell(report.target.description)}${m.postgrestVersion ? ` · PostgREST ${markdownCell(m.postgrestVersion)}` : ''} · spec ${markdownCell(m.specVersion)} · suite ${markdownCell(m.suiteVersion)}${m.strict ? ' · strict (SHOULD counts as MUST)' : ''}`,
    '',
    `**${c.pass}** pass · **${c.fail}** fail · **${c['not-verified']}** not verified · **${c['not-applicable']}** not applicable`,
  ];
  const g = report.gate;
  if (g.expectedFailures.length || g.unexpectedPasses.length) {
    lines.push('', `Gate: **${g.passed ? 'passed' : 'failed'}** (${g.verdict} without ${g.expectedFailures.length} expected failure(s); ${g.unexpectedPasses.length} unexpected pass(es))`);
  }
  for (const e of report.errors) lines.push('', `Error: ${markdownCell(e)}`);
  const attention = report.requirements.filter((r) => r.status === 'fail' || r.status === 'not-verified' || r.unexpectedPass);
  if (attention.length) {
    lines.push('', '| Status | Level | Requirement | Title | Why |', '| --- | --- | --- | --- | --- |');
    for (const r of attention) {
      const status = STATUS_LABEL[shownStatus(r)].long;
      lines.push(`| ${status} | ${r.level} | \`${r.id}\` | ${markdownCell(r.title)} | ${markdownCell(why(r))} |`);
    }
  }
  lines.push('', 'Details: index.html and report.json in the report folder.', '');
  return lines.join('\n');
}
