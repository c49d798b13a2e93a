/**
 * How a requirement's status is shown, in every rendering and in the
 * comparison of reports: a short word for fixed-width terminal columns, a
 * long one for pages and summaries. A listed requirement that failed as
 * expected (xfail) or passed unexpectedly (xpass) is shown apart from the
 * plain statuses, as the gate treats it apart.
 */
import type { RequirementStatus } from './verdict.ts';

export type ShownStatus = RequirementStatus | 'xfail' | 'xpass';

export const STATUS_LABEL: Record<ShownStatus, { short: string; long: string }> = {
  pass: { short: 'pass', long: 'pass' },
  fail: { short: 'FAIL', long: 'fail' },
  'not-verified': { short: 'n/v', long: 'not verified' },
  'not-applicable': { short: 'n/a', long: 'not applicable' },
  xfail: { short: 'xfail', long: 'expected failure' },
  xpass: { short: 'XPASS', long: 'unexpected pass' },
};

/** The status to show for a requirement of a report, the expectations file taken into account. */
export function shownStatus(r: { status: RequirementStatus; expected?: boolean; unexpectedPass?: boolean }): ShownStatus {
  if (r.unexpectedPass) return 'xpass';
  if (r.expected && r.status === 'fail') return 'xfail';
  return r.status;
}

/**
 * A requirement's reasons as shown next to its status. On a pass they are the
 * parts that did not apply (a test not applicable, a note), so they are
 * introduced as such: bare, they would read as the reason it passed.
 */
export function reasonsText(r: { status: RequirementStatus; reasons: string[] }): string {
  const text = r.reasons.join('; ');
  return r.status === 'pass' && text ? `checked in part: ${text}` : text;
}
