/**
 * Runs one property inside a Playwright test (explore.ts makes the runs) and
 * turns what stopped it into the suite's verdict: a violation is reported
 * once, for its shrunk counterexample, attached with its seed, path, shrunk
 * value and redacted HTTP exchange (as the failure's transcript) and a replay
 * command (as its reproduce line), then passed to verify(), so exactly one
 * requirement is named. A precondition failure makes the cited requirements
 * not verified; an error ends the test as an error; a pass with fewer runs
 * than the property's floor is not verified.
 */
import path from 'node:path';
import fc from 'fast-check';
import { test } from '@playwright/test';
import { redact } from '../../../lib/redact.ts';
import { ANNOTATION, ATTACHMENT } from '../../../lib/report-contract.ts';
import { notVerifiedUnless, precondition, SuiteError, verify } from '../../../fixtures/requirements.ts';
import { requirement } from '../../../spec/registry.ts';
import { budgetFrom, replayCommand, replayPathOf, type Defaults } from './budget.ts';
import { explore } from './explore.ts';
import { Mismatch, Unmet } from './mismatch.ts';
import { Trace } from './trace.ts';

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
 * capability (the database, to expire sessions; a refresh or current-user
 * endpoint in its profile): cited at run time, like cites() does statically,
 * so that without it they are not claimed. A property never passes a
 * requirement whose commands it could not generate; the requirement's own
 * tests say it does not apply.
 */
export function citesAtRunTime(...ids: string[]): void {
  for (const id of ids) test.info().annotations.push({ type: ANNOTATION.requirement, description: requirement(id).id });
}

/** Cites a requirement at run time unless the test cites it already: for checks that only some runs get to make. */
export function citeOnce(id: string): void {
  const cited = test.info().annotations.some((a) => a.type === ANNOTATION.requirement && a.description === id);
  if (!cited) citesAtRunTime(id);
}

export async function checkProperty<T>(spec: PropertySpec<T>): Promise<PropertyOutcome> {
  const budget = budgetFrom(process.env, spec.defaults);
  const info = test.info();
  if (budget.timeCapMs === undefined) info.setTimeout(0); // an explicit budget runs to its end
  const { details, failure, completed, voided, seconds } = await explore(spec, budget);
  // fast-check gives up when skips run out; with no run failing, that is the time cap, not a failure.
  const passed = !details.failed || failure === undefined;
  const outcome = { runs: passed ? completed : details.numRuns, skipped: details.numSkips };
  info.annotations.push({ type: ANNOTATION.property, description: `${passed ? 'passed' : 'failed after'} ${outcome.runs} run(s) in ${seconds} s, seed ${details.seed}${details.numShrinks ? `, ${details.numShrinks} shrink(s)` : ''}${voided ? `, ${voided} run(s) voided by network faults` : ''}` });
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
  await info.attach(ATTACHMENT.transcript, { body: redact(transcript), contentType: 'text/plain' });
  await info.attach(ATTACHMENT.reproduce, { body: redact(replay), contentType: 'text/plain' });

  const where = `(seed ${details.seed}, path ${details.counterexamplePath}; replay: ${replay})`;
  verify(error.requirement, false, { expected: error.expected, actual: `${error.actual}\n  shrunk counterexample: ${oneLine(spec.describe?.(counterexample as T) ?? rendered)} ${where}` });
}

/** The counterexample on one line for the verdict; the transcript has it in full. */
function oneLine(text: string, max = 600): string {
  const line = text.split('\n').map((l) => l.trim()).filter(Boolean).join('; ');
  return line.length > max ? `${line.slice(0, max)}… (in full in the transcript)` : line;
}
