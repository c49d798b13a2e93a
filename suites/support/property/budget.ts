/**
 * How many runs a property gets, and how to replay one: read from FC_RUNS,
 * FC_SEED, FC_PATH and FC_REPLAY. Pure, so the rules are unit-tested.
 *
 *   FC_RUNS    runs per property (default: each property's own, sized for the
 *              time target); when given, the time caps are lifted too
 *   FC_BUDGET  a factor on every property's default runs and time cap (0.25:
 *              a quick look; 4: four times as thorough); default 1
 *   FC_SHRINK_MS  how long to shrink a counterexample (default: each property's
 *              own cap; 0: report the first failing run as it is). The defect
 *              sweep sets 0: it needs the failure, not its smallest form
 *   FC_SEED    the seed of a reported run
 *   FC_PATH    with FC_SEED: go straight to the reported counterexample
 *   FC_REPLAY  with FC_PATH, for command lists: which commands had run
 *              (fast-check's replayPath), so the shrunk list is rebuilt exactly
 */
import { escapeRegExp, shellWord } from '../../../lib/escape.ts';

export interface Budget {
  runs: number;
  seed?: number;
  path?: string;
  replayPath?: string;
  /** The fewest random runs that let the property pass; fewer make it not verified. */
  minRuns: number;
  /** Stop starting new runs after this long (once minRuns are made), and stop shrinking this long after the first failure; undefined: no cap. */
  timeCapMs?: number;
  shrinkCapMs?: number;
}

export interface Defaults {
  runs: number;
  /** The floor of random runs (hand-written examples not counted); DEFAULT_MIN_RUNS unless given. */
  minRuns?: number;
  timeCapMs: number;
  shrinkCapMs: number;
}

/** A property that made fewer random runs than this has not checked enough to pass. */
export const DEFAULT_MIN_RUNS = 5;

function integer(env: Record<string, string | undefined>, name: string, min: number): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  if (!/^-?\d+$/.test(raw.trim()) || Number(raw) < min) throw new Error(`${name}="${raw}" is not valid: expected an integer of at least ${min}`);
  return Number(raw);
}

export function budgetFrom(env: Record<string, string | undefined>, defaults: Defaults): Budget {
  const runs = integer(env, 'FC_RUNS', 1);
  const seed = integer(env, 'FC_SEED', -(2 ** 31));
  const path = env.FC_PATH || undefined;
  const replayPath = env.FC_REPLAY || undefined;
  if (path !== undefined && seed === undefined) throw new Error('FC_PATH needs the FC_SEED it was reported with');
  if (path !== undefined && !/^\d+(:\d+)*$/.test(path)) throw new Error(`FC_PATH="${path}" is not valid: expected numbers separated by colons`);
  const shrinkMs = integer(env, 'FC_SHRINK_MS', 0);
  const factor = env.FC_BUDGET ? Number(env.FC_BUDGET) : 1;
  if (!(factor > 0 && factor <= 100)) throw new Error(`FC_BUDGET="${env.FC_BUDGET}" is not valid: expected a number above 0, such as 0.5 or 2`);
  const capped = runs === undefined && path === undefined;
  const minRuns = defaults.minRuns ?? DEFAULT_MIN_RUNS;
  return {
    // A smaller budget never goes below the floor: it would only make the property not verified.
    runs: runs ?? Math.max(minRuns, Math.round(defaults.runs * factor)),
    minRuns,
    seed,
    path,
    replayPath,
    timeCapMs: capped ? defaults.timeCapMs * factor : undefined,
    shrinkCapMs: shrinkMs ?? (capped ? defaults.shrinkCapMs : undefined),
  };
}

export interface Replay {
  seed: number;
  path: string;
  replayPath?: string;
  /** The spec file, relative to the project root. */
  file: string;
  title: string;
}

/** One command line that replays a counterexample (against a fresh deployment: new users, same commands). */
export function replayCommand(r: Replay): string {
  const env = [`FC_SEED=${r.seed}`, `FC_PATH=${r.path}`, ...(r.replayPath ? [`FC_REPLAY=${shellWord(r.replayPath)}`] : [])];
  return [...env, 'npx playwright test', r.file, '--project=http', '-g', shellWord(escapeRegExp(r.title))].join(' ');
}

/** fast-check prints a command list as `cmd1,cmd2 /*replayPath="..."*\/`: the replay path, if there is one. */
export function replayPathOf(rendered: string): string | undefined {
  return /\/\*replayPath="([^"]*)"\*\//.exec(rendered)?.[1];
}
