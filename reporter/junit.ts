/**
 * junit.xml for CI test views: one <testsuite> per category, one <testcase>
 * per requirement (not per Playwright test), so a CI dashboard shows the
 * specification, not the suite's internals.
 *   fail                      <failure> with the statement, expected and actual
 *   not-verified, n/a         <skipped> with the reason
 *   expected failure          <skipped> ("expected failure: ..."): it does not fail the gate
 *   unexpected pass           <failure>: it fails the gate
 * The requirement id, level and covering tests are <properties>. Problems
 * outside any requirement (a failed setup) are <error>s in a "Run" suite.
 */
import { categoriesOf, categoryTitle } from './categories.ts';
import { escapeXml as x } from '../lib/escape.ts';
import type { Report, ReportRequirement } from './report.ts';

const seconds = (ms: number) => (ms / 1000).toFixed(3);

function failureText(r: ReportRequirement): string {
  const parts = [`${r.level}: ${r.statement}`];
  for (const e of r.evidence) {
    parts.push('', `in "${e.test}" (${e.location}, ${e.project})`);
    if (e.expected !== undefined) parts.push(`expected: ${e.expected}`, `actual:   ${e.actual ?? ''}`);
    if (e.error) parts.push(e.error);
    if (e.reproduce) parts.push('reproduce:', e.reproduce);
  }
  return parts.join('\n');
}

function testcase(r: ReportRequirement): string {
  const time = r.tests.reduce((sum, t) => sum + t.durationMs, 0);
  const props = [
    ['requirement', r.id],
    ['level', r.level],
    ['status', r.status],
    ...(r.expected ? [['expected-failure', r.expectedReason ?? '']] : []),
    ...r.tests.map((t) => ['test', `${t.title} (${t.location}) [${t.project}]: ${t.status}${t.reason ? `: ${t.reason}` : ''}`]),
  ];
  const body = [`      <properties>`, ...props.map(([n, v]) => `        <property name="${x(n)}" value="${x(v)}"/>`), `      </properties>`];
  if (r.unexpectedPass) {
    body.push(`      <failure type="unexpected-pass" message="${x(`listed as an expected failure, but passed: ${r.statement}`)}"/>`);
  } else if (r.status === 'fail' && r.expected) {
    body.push(`      <skipped message="${x(`expected failure: ${r.expectedReason}`)}"/>`);
    body.push(`      <system-out>${x(failureText(r))}</system-out>`);
  } else if (r.status === 'fail') {
    const first = r.evidence.find((e) => e.expected !== undefined);
    const message = first ? `${r.id}: expected ${first.expected}; actual ${first.actual ?? ''}` : `${r.id}: ${r.statement}`;
    body.push(`      <failure type="${x(`${r.level}-violation`)}" message="${x(message)}">${x(failureText(r))}</failure>`);
  } else if (r.status !== 'pass') {
    body.push(`      <skipped message="${x(`${r.status}: ${r.reasons.join('; ')}`)}"/>`);
  }
  return [
    `    <testcase classname="${x(`conformance.${r.category}`)}" name="${x(`${r.id}: ${r.title}`)}" time="${seconds(time)}">`,
    ...body,
    `    </testcase>`,
  ].join('\n');
}

const isFailure = (r: ReportRequirement) => r.unexpectedPass || (r.status === 'fail' && !r.expected);
const isSkipped = (r: ReportRequirement) => !isFailure(r) && r.status !== 'pass';

export function renderJunit(report: Report): string {
  const groups = categoriesOf(report.requirements);
  const totalTime = report.metadata.durationMs;
  const suites = groups.map(({ category, items }) => {
    const time = items.reduce((s, r) => s + r.tests.reduce((t, u) => t + u.durationMs, 0), 0);
    return [
      `  <testsuite name="${x(categoryTitle(category))}" tests="${items.length}" failures="${items.filter(isFailure).length}" errors="0" skipped="${items.filter(isSkipped).length}" time="${seconds(time)}" timestamp="${x(report.metadata.startTime.replace(/\.\d+Z$/, ''))}">`,
      ...items.map(testcase),
      `  </testsuite>`,
    ].join('\n');
  });
  if (report.errors.length) {
    // Problems outside any requirement (a failed setup) are errors, so CI shows them too.
    suites.push(
      [
        `  <testsuite name="Run" tests="${report.errors.length}" failures="0" errors="${report.errors.length}" skipped="0" time="0.000">`,
        ...report.errors.map((e, i) => `    <testcase classname="conformance.run" name="error ${i + 1}" time="0.000">\n      <error message="${x(e.split('\n')[0])}">${x(e)}</error>\n    </testcase>`),
        `  </testsuite>`,
      ].join('\n'),
    );
  }
  const all = report.requirements;
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<testsuites name="${x(`${report.metadata.specTitle} ${report.metadata.specVersion}: ${report.verdict}`)}" tests="${all.length}" failures="${all.filter(isFailure).length}" errors="${report.errors.length}" skipped="${all.filter(isSkipped).length}" time="${seconds(totalTime)}">`,
    ...suites,
    `</testsuites>`,
    '',
  ].join('\n');
}
