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
import { ANNOTATION, precondition, verify } from '../../../fixtures/requirements.ts';
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
  let failure: { trace: Trace; error: unknown } | undefined;
  let firstFailureAt: number | undefined;
  // Runs that got to their end. The time cap stops new runs only once one has: on a loaded
  // machine a property then checks less, but always something, and is never not-verified for it.
  let completed = 0;

  const property = fc.asyncProperty(spec.arbitrary, async (value) => {
    const now = Date.now();
    if (firstFailureAt === undefined && budget.timeCapMs !== undefined && completed > 0) fc.pre(now - started < budget.timeCapMs);
    if (firstFailureAt !== undefined && budget.shrinkCapMs !== undefined) fc.pre(now - firstFailureAt < budget.shrinkCapMs);
    const trace = new Trace();
    try {
      await spec.run(value, trace);
      completed += 1;
    } catch (error) {
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
    examples: budget.path === undefined ? (spec.examples ?? []).map((e) => [e] as [T]) : [],
    // Skipped runs are the time cap at work, never a reason to fail. Few are allowed: once the cap
    // is reached every further attempt is skipped, and each one still generates its input.
    maxSkipsPerRun: 10,
  });
  // fast-check gives up when skips run out; with no run failing, that is the time cap, not a failure.
  const passed = !details.failed || failure === undefined;
  const outcome = { runs: passed ? completed : details.numRuns, skipped: details.numSkips };
  info.annotations.push({ type: 'property', description: `${passed ? 'passed' : 'failed after'} ${outcome.runs} run(s), seed ${details.seed}${details.numShrinks ? `, ${details.numShrinks} shrink(s)` : ''}` });
  if (passed) return outcome;

  const counterexample = details.counterexample?.[0];
  precondition(details.counterexample !== null && failure !== undefined, `no run of the property finished (${details.numSkips} skipped by the time cap)`);
  const rendered = fc.stringify(counterexample);
  const replayPath = spec.commandsReplayPath?.(counterexample as T) ?? replayPathOf(rendered);
  const replay = replayCommand({
    seed: details.seed,
    path: details.counterexamplePath ?? '',
    replayPath,
    file: path.relative(info.config.rootDir, info.file).split(path.sep).join('/'),
    title: info.title,
  });
  const { error, trace } = failure;
  const headline =
    error instanceof Mismatch ? `[${error.requirement}] expected ${error.expected}\nactual: ${error.actual}` : `${(error as Error)?.message ?? String(error)}`;
  // Under the names the reporter shows as a failure's evidence: the transcript and the reproduce line.
  const transcript = [
    `Property: ${info.title}`,
    headline,
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
  if (error instanceof Mismatch) {
    verify(error.requirement, false, { expected: error.expected, actual: `${error.actual}\n  shrunk counterexample: ${oneLine(spec.describe?.(counterexample as T) ?? rendered)} ${where}` });
  }
  if (error instanceof Unmet) precondition(false, `${error.what} ${where}`);
  throw new Error(redact(`the property failed with an unexpected error: ${(error as Error)?.message ?? String(error)} ${where}`));
}

/** The counterexample on one line for the verdict; the transcript has it in full. */
function oneLine(text: string, max = 600): string {
  const line = text.split('\n').map((l) => l.trim()).filter(Boolean).join('; ');
  return line.length > max ? `${line.slice(0, max)}… (in full in the transcript)` : line;
}
