/**
 * From test outcomes to requirement statuses and a verdict: the rules of
 * reporter/README.md ("Outcomes, statuses and verdict", their one statement),
 * as pure functions so that they are unit-tested. Change the rules there
 * first, then here. The gate (declared expected failures, the exit status) is stated in the
 * same README, under "Expected failures".
 */
import type { TestOutcome } from '../lib/report-contract.ts';
import type { Level, Requirement } from '../spec/registry.ts';

export type RequirementStatus = 'pass' | 'fail' | 'not-verified' | 'not-applicable';
export type Verdict = 'conformant' | 'non-conformant' | 'inconclusive';

export interface Judgement {
  status: RequirementStatus;
  reason?: string;
  /** Set when the test ended in an error: its message, which names what failed. */
  error?: string;
}

/** The first line of an error, which by the suite's convention names what failed and the fix. */
export const headline = (message: string) => message.split('\n').find((l) => l.trim())?.trim() ?? message;

export function judgeOutcome(outcome: TestOutcome, id: string): Judgement {
  switch (outcome.status) {
    case 'passed':
      return outcome.note ? { status: 'pass', reason: `note: ${outcome.note}` } : { status: 'pass' };
    case 'skipped':
      if (outcome.notApplicable) return { status: 'not-applicable', reason: outcome.notApplicable };
      if (outcome.precondition) return { status: 'not-verified', reason: `precondition failed: ${outcome.precondition}` };
      return { status: 'not-verified', reason: outcome.notVerified ?? outcome.skipReason ?? 'skipped' };
    case 'interrupted':
      return { status: 'not-verified', reason: 'the run was interrupted' };
    default: {
      if (outcome.violations.includes(id)) return { status: 'fail' };
      if (outcome.violations.length > 0) {
        return { status: 'not-verified', reason: `the test stopped at a violation of ${outcome.violations.join(', ')}` };
      }
      if (outcome.precondition) return { status: 'not-verified', reason: `precondition failed: ${outcome.precondition}` };
      // An error, never a violation: the deployment did not show that it breaks the requirement.
      const error =
        outcome.status === 'timedOut'
          ? `timed out after ${Math.round(outcome.durationMs / 1000)} s${outcome.error ? `: ${headline(outcome.error)}` : ''}`
          : (outcome.error ?? `the test ${outcome.status} without an error message`);
      return { status: 'not-verified', reason: `error: ${headline(error)}`, error };
    }
  }
}

export interface RequirementResult {
  requirement: Requirement;
  status: RequirementStatus;
  reasons: string[];
  tests: Array<{ outcome: TestOutcome; judgement: Judgement }>;
}

export function judgeRequirement(requirement: Requirement, outcomes: TestOutcome[]): RequirementResult {
  const tests = outcomes
    .filter((o) => o.cites.includes(requirement.id))
    .map((outcome) => ({ outcome, judgement: judgeOutcome(outcome, requirement.id) }));
  const statuses = tests.map((t) => t.judgement.status);
  const reasons = [...new Set(tests.map((t) => t.judgement.reason).filter((r): r is string => !!r))];
  let status: RequirementStatus;
  if (tests.length === 0) {
    status = 'not-verified';
    reasons.push('no test citing it ran');
  } else if (statuses.includes('fail')) status = 'fail';
  else if (statuses.every((s) => s === 'not-applicable')) status = 'not-applicable';
  else if (statuses.every((s) => s === 'pass' || s === 'not-applicable')) status = 'pass';
  else status = 'not-verified';
  return { requirement, status, reasons, tests };
}

export function gatingLevels(strict: boolean): Level[] {
  return strict ? ['MUST', 'SHOULD'] : ['MUST'];
}

export function verdictOf(results: Array<{ level: Level; status: RequirementStatus }>, strict: boolean): Verdict {
  const gating = results.filter((r) => gatingLevels(strict).includes(r.level));
  if (gating.some((r) => r.status === 'fail')) return 'non-conformant';
  if (!results.some((r) => r.status === 'pass')) return 'inconclusive';
  if (gating.some((r) => r.status === 'not-verified')) return 'inconclusive';
  return 'conformant';
}

export interface Gate {
  /** The run's exit status is 0 exactly when this is true. */
  passed: boolean;
  /** The verdict on everything except the expected failures that did fail. */
  verdict: Verdict;
  /** Listed as expected failures, and failed. */
  expectedFailures: string[];
  /** Listed as expected failures, but passed. */
  unexpectedPasses: string[];
}

/** The exit status of a run: 0 exactly when the gate passes; the verdict's own code otherwise. */
export const EXIT_STATUS = { conformant: 0, 'non-conformant': 1, usage: 2, inconclusive: 3 } as const;

export function exitStatusOf(gate: Gate): number {
  if (gate.passed) return EXIT_STATUS.conformant;
  // An expected failure that passed makes the declaration wrong: the gate fails as for a violation.
  if (gate.verdict === 'conformant') return EXIT_STATUS['non-conformant'];
  return EXIT_STATUS[gate.verdict];
}

export function gateOf(
  results: Array<{ id: string; level: Level; status: RequirementStatus }>,
  strict: boolean,
  expectedToFail: ReadonlySet<string>,
): Gate {
  const listed = results.filter((r) => expectedToFail.has(r.id));
  const expectedFailures = listed.filter((r) => r.status === 'fail').map((r) => r.id);
  const unexpectedPasses = listed.filter((r) => r.status === 'pass').map((r) => r.id);
  const verdict = verdictOf(
    results.filter((r) => !expectedFailures.includes(r.id)),
    strict,
  );
  return { passed: verdict === 'conformant' && unexpectedPasses.length === 0, verdict, expectedFailures, unexpectedPasses };
}
