/**
 * Runs one property inside a Playwright test and turns its outcome into the
 * suite's verdict. Each run gets its own trace; the trace of the last run
 * that failed is the shrunk counterexample's (fast-check adopts every failing
 * candidate while shrinking). Only that final counterexample is reported:
 * attached with its seed, path, shrunk value and redacted HTTP exchange (as
 * the failure's transcript) and a replay command (as its reproduce line), then passed to verify() (a Mismatch) or precondition() (an
 * Unmet), so exactly one requirement is named.
 *
 * Time: the default budget caps how long a property starts new runs and how
 * long it shrinks after a failure, so a seeded defect cannot hold up the
 * suite. Capped runs are skipped (fc.pre), never cut off mid-request: an
 * abandoned run would go on sending requests.
 */
import path from 'node:path';
import fc from 'fast-check';
import { test } from '@playwright/test';
import { redact } from '../../../lib/redact.ts';
import { ANNOTATION, notVerifiedUnless, precondition, SuiteError, verify } from '../../../fixtures/requirements.ts';
import { requirement } from '../../../spec/registry.ts';
import { budgetFrom, replayCommand, replayPathOf, type Defaults } from './budget.ts';
import { Mismatch, Unmet } from './mismatch.ts';
import { Trace } from './trace.ts';
import { ATTACHMENT as EVIDENCE } from '../../../reporter/evidence.ts';

export interface PropertySpec<T> {
  arbitrary: fc.Arbitrary<T>;
  defaults: Defaults;
  /** One run: throws a Mismatch or an Unmet when it finds something. */
  run: (value: T, trace: Trace) => Promise<void>;
  /** Values tried before the random ones (not when replaying). */
  examples?: T[];
  /** The value as a list of steps, for the report; fc.stringify by default. */
  describe?: (value: T) => string;
  /** For command lists: the replayPath fast-check needs to rebuild a shrunk list (see budget.ts). */
  commandsReplayPath?: (value: T) => string | undefined;
}

export interface PropertyOutcome {
  runs: number;
  skipped: number;
}

/** FC_REPLAY, for fc.commands({ replayPath }) when replaying a command list. */
/** Past this many times its time cap, a property stops starting runs even below its floor (and is then not verified). */
const HARD_CAP_FACTOR = 3;

export function replayPathFromEnv(): string | undefined {
  return process.env.FC_REPLAY || undefined;
}

/**
 * Cites requirements that this run checks only because the target offers a
 * capability (the database, to expire sessions): cited at run time, like
 * cites() does statically, so that without it they are not claimed.
 */
export function citesAtRunTime(...ids: string[]): void {
  for (const id of ids) test.info().annotations.push({ type: ANNOTATION.requirement, description: requirement(id).id });
}

export async function checkProperty<T>(spec: PropertySpec<T>): Promise<PropertyOutcome> {
  const budget = budgetFrom(process.env, spec.defaults);
  const info = test.info();
  if (budget.timeCapMs === undefined) info.setTimeout(0); // an explicit budget runs to its end
  const started = Date.now();
  const examples = budget.path === undefined ? (spec.examples ?? []) : [];
  // What stopped the property: the first violation (kept through shrinking), or the first
  // precondition failure or error (which ends it at once: there is nothing to shrink towards).
  let failure: { trace: Trace; error: unknown } | undefined;
  let firstFailureAt: number | undefined;
  let attempts = 0;
  // Random runs that got to their end; hand-written examples do not count towards the floor.
  let completed = 0;
  const capReached = (now: number) =>
    budget.timeCapMs !== undefined &&
    // Past the cap, new runs stop once the floor is met; past the hard cap, whatever was made.
    ((completed >= budget.minRuns && now - started >= budget.timeCapMs) || now - started >= budget.timeCapMs * HARD_CAP_FACTOR);

  const property = fc.asyncProperty(spec.arbitrary, async (value) => {
    // After a precondition failure or an error, every further run (shrinking included) is a no-op.
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
      if (failure) {
        // Shrinking: only the same violation may stand for the counterexample; anything else
        // (another requirement, a precondition, a network fault) counts as "does not fail".
        if (!(error instanceof Mismatch && error.requirement === (failure.error as Mismatch).requirement)) return;
      }
      failure = { trace, error };
      firstFailureAt ??= now;
      throw error;
    }
  });

  const details = await fc.check(property, {
    numRuns: budget.runs,
    seed: budget.seed,
    path: budget.path,
    // A replay goes straight to its counterexample; a zero shrink budget reports the first failing run.
    endOnFailure: budget.path !== undefined || budget.shrinkCapMs === 0,
    examples: examples.map((e) => [e] as [T]),
    // Skipped runs are the time cap at work, never a reason to fail. Few are allowed: once the cap
    // is reached every further attempt is skipped, and each one still generates its input.
    maxSkipsPerRun: 10,
  });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  // fast-check gives up when skips run out; with no run failing, that is the time cap, not a failure.
  const passed = !details.failed || failure === undefined;
  const outcome = { runs: passed ? completed : details.numRuns, skipped: details.numSkips };
  info.annotations.push({ type: 'property', description: `${passed ? 'passed' : 'failed after'} ${outcome.runs} run(s) in ${seconds} s, seed ${details.seed}${details.numShrinks ? `, ${details.numShrinks} shrink(s)` : ''}` });
  if (passed) {
    // No vacuous pass: a property that made too few runs has not checked enough to say anything.
    notVerifiedUnless(
      budget.path !== undefined || completed >= budget.minRuns,
      `only ${completed} run(s) of the property in ${seconds} s, at least ${budget.minRuns} needed: give it more time (FC_BUDGET=2) or runs (FC_RUNS)`,
    );
    return outcome;
  }

  const { error, trace } = failure!;
  if (error instanceof Unmet) precondition(false, `${error.what} (seed ${details.seed})`);
  if (!(error instanceof Mismatch)) {
    if (error instanceof SuiteError) throw error;
    throw new SuiteError('suite', redact(`the property stopped at an error of the suite: ${(error as Error)?.message ?? String(error)} (seed ${details.seed})`));
  }

  const counterexample = details.counterexample?.[0];
  const rendered = fc.stringify(counterexample);
  const replayPath = spec.commandsReplayPath?.(counterexample as T) ?? replayPathOf(rendered);
  const replay = replayCommand({
    seed: details.seed,
    path: details.counterexamplePath ?? '',
    replayPath,
    file: path.relative(info.config.rootDir, info.file).split(path.sep).join('/'),
    title: info.title,
  });
  // Under the names the reporter shows as a failure's evidence: the transcript and the reproduce line.
  const transcript = [
    `Property: ${info.title}`,
    `[${error.requirement}] expected ${error.expected}\nactual: ${error.actual}`,
    '',
    `Seed: ${details.seed}   Path: ${details.counterexamplePath}   Failed at run ${details.numRuns}, then ${details.numShrinks} shrink(s)`,
    'Against a stateful server the seed rebuilds the same steps, not the same tokens or ids: the exchange below is the record.',
    '',
    'Shrunk counterexample:',
    spec.describe ? spec.describe(counterexample as T) : rendered,
    '',
    'HTTP exchange of the shrunk run:',
    trace.render(),
  ].join('\n');
  await info.attach(EVIDENCE.transcript, { body: redact(transcript), contentType: 'text/plain' });
  await info.attach(EVIDENCE.reproduce, { body: redact(replay), contentType: 'text/plain' });

  const where = `(seed ${details.seed}, path ${details.counterexamplePath}; replay: ${replay})`;
  verify(error.requirement, false, { expected: error.expected, actual: `${error.actual}\n  shrunk counterexample: ${oneLine(spec.describe?.(counterexample as T) ?? rendered)} ${where}` });
}

/** The counterexample on one line for the verdict; the transcript has it in full. */
function oneLine(text: string, max = 600): string {
  const line = text.split('\n').map((l) => l.trim()).filter(Boolean).join('; ');
  return line.length > max ? `${line.slice(0, max)}… (in full in the transcript)` : line;
}
