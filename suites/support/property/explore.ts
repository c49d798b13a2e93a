/**
 * Runs a property's random runs with fast-check and keeps what stopped it,
 * by the verdict rules (reporter/README.md): a violation (a Mismatch) is kept
 * through shrinking, and only the same violation may replace it, so the
 * smallest counterexample shown still shows it; a precondition failure (an
 * Unmet) or an error stops the property at once, and every later run,
 * shrinking included, is a no-op: there is nothing to shrink towards, and a
 * flaky network must not stand in for a violation.
 *
 * A network fault or a timeout (a SuiteError of those kinds) voids the run
 * it hit instead: every run starts from nothing (new users, new sessions),
 * so the next one is as good, and a flaky network costs a run, not the
 * property. Past MAX_VOIDED_RUNS such runs, the next fault stops the
 * property as an error.
 *
 * Time: the budget's cap stops new runs once the floor of random runs is
 * made; at HARD_CAP_FACTOR times the cap they stop whatever was made, and the
 * caller then finds too few runs. Capped runs are skipped (fc.pre), never cut
 * off mid-request: an abandoned run would go on sending requests.
 * No Playwright here, so the rules are unit-tested on their own.
 */
import fc from 'fast-check';
import type { Budget } from './budget.ts';
import { SuiteError } from '../../../fixtures/requirements.ts';
import { Mismatch } from './mismatch.ts';
import { Trace } from './trace.ts';

/** Past this many times its time cap, a property stops starting runs even below its floor (and is then not verified). */
export const HARD_CAP_FACTOR = 3;

/** Runs a property may lose to network faults before a fault ends it as an error. */
export const MAX_VOIDED_RUNS = 3;

const isNetworkFault = (error: unknown) => error instanceof SuiteError && (error.kind === 'network' || error.kind === 'timeout');

export interface Explorable<T> {
  arbitrary: fc.Arbitrary<T>;
  run: (value: T, trace: Trace) => Promise<void>;
  examples?: T[];
}

export interface Exploration<T> {
  details: fc.RunDetails<[T]>;
  /** What stopped the property, with the trace of the run that showed it; undefined when nothing did. */
  failure?: { trace: Trace; error: unknown };
  /** Random runs that got to their end; hand-written examples do not count. */
  completed: number;
  /** Runs voided by a network fault or a timeout. */
  voided: number;
  seconds: string;
}

export async function explore<T>(spec: Explorable<T>, budget: Budget): Promise<Exploration<T>> {
  const started = Date.now();
  const examples = budget.path === undefined ? (spec.examples ?? []) : [];
  let failure: Exploration<T>['failure'];
  let firstFailureAt: number | undefined;
  let attempts = 0;
  let completed = 0;
  let voided = 0;
  const capReached = (now: number) =>
    budget.timeCapMs !== undefined &&
    ((completed >= budget.minRuns && now - started >= budget.timeCapMs) || now - started >= budget.timeCapMs * HARD_CAP_FACTOR);

  const property = fc.asyncProperty(spec.arbitrary, async (value) => {
    if (failure && !(failure.error instanceof Mismatch)) return;
    const now = Date.now();
    if (firstFailureAt === undefined) fc.pre(!capReached(now));
    if (firstFailureAt !== undefined && budget.shrinkCapMs !== undefined) fc.pre(now - firstFailureAt < budget.shrinkCapMs);
    attempts += 1;
    const trace = new Trace();
    try {
      await spec.run(value, trace);
      if (firstFailureAt === undefined && attempts > examples.length) completed += 1;
    } catch (error) {
      if (!failure && isNetworkFault(error) && voided < MAX_VOIDED_RUNS) {
        voided += 1;
        fc.pre(false); // skipped, as the time cap skips: fast-check makes another run instead
      }
      // Shrinking: anything but the same violation (another requirement, a precondition, a network fault) counts as "does not fail".
      if (failure && !(error instanceof Mismatch && error.requirement === (failure.error as Mismatch).requirement)) return;
      failure = { trace, error };
      firstFailureAt ??= now;
      throw error;
    }
  });

  const details = await fc.check(property, {
    // fast-check counts examples among its runs: they come on top of the random ones.
    numRuns: budget.runs + examples.length,
    seed: budget.seed,
    path: budget.path,
    // A replay goes straight to its counterexample; a zero shrink budget reports the first failing run.
    endOnFailure: budget.path !== undefined || budget.shrinkCapMs === 0,
    examples: examples.map((e) => [e] as [T]),
    // Skipped runs are the time cap at work, never a reason to fail. Few are allowed: once the cap
    // is reached every further attempt is skipped, and each one still generates its input.
    maxSkipsPerRun: 10,
  });
  return { details, failure, completed, voided, seconds: ((Date.now() - started) / 1000).toFixed(1) };
}
