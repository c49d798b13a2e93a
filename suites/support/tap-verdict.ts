/**
 * What a TAP run from the database says about one requirement: nothing could
 * run (not verified, or not applicable, with the reason), everything was
 * skipped (not verified), or a verdict: each failing assertion, with its
 * diagnostics, in the violation. The whole TAP stream is attached, redacted.
 */
import { redact } from '../../lib/redact.ts';
import { notApplicableUnless, notVerifiedUnless, verify } from '../../fixtures/requirements.ts';
import { test } from '../../fixtures/test.ts';
import type { TapRun } from './database-tap.ts';
import { describePoint } from './tap.ts';

/** A violation lists at most this many failing assertions; the attached TAP has them all. */
const MAX_LISTED = 40;

export async function verifyTapRun(id: string, run: TapRun, what: string): Promise<void> {
  if (!run.ran) {
    if (run.applicable) notVerifiedUnless(false, run.reason);
    else notApplicableUnless(false, run.reason);
    return;
  }
  await test.info().attach(`tap ${what}`, { body: redact(run.tap), contentType: 'text/plain' });
  const { summary } = run;
  notVerifiedUnless(summary.skipAll === undefined, `${what} checked nothing: ${summary.skipAll}`);
  const listed = summary.failures.slice(0, MAX_LISTED).map(describePoint);
  if (summary.failures.length > MAX_LISTED) listed.push(`... and ${summary.failures.length - MAX_LISTED} more failing assertions (see the attached TAP)`);
  verify(id, summary.ok, {
    expected: `every assertion of ${what} passes`,
    actual: [`${summary.failures.length} of ${summary.points.length} assertions failed`, ...listed, ...summary.problems].join('\n'),
  });
}
