/**
 * TAP from the database (pgTAP's runtests(), a pgTAP file, the project's
 * structural checks) turned into test points the suites can report. One
 * maintained parser, tap-parser, reads the stream, so subtests, plans,
 * directives and YAML diagnostics mean what they mean to every other TAP
 * consumer; this module only walks its events.
 *
 * pgTAP writes a failing assertion's diagnostics as comment lines AFTER the
 * `not ok` line (`# Failed test 2: "..."`, `#   have: 1`, `#   want: 2`), so a
 * comment is attached to the test point before it. A subtest (one test
 * function under runtests) that fails without a failing point of its own
 * (it died, or ran no test) becomes one failing point carrying the comments
 * that explain why.
 */
import { Parser } from 'tap-parser';

export interface TapPoint {
  /** Enclosing subtests, outermost first (under runtests: the test function). */
  path: string[];
  id: number;
  name: string;
  /** False only for a real failure: a failing TODO point is not one. */
  ok: boolean;
  todo?: string;
  skip?: string;
  /** Diagnostic lines that belong to this point, without the leading `# `. */
  diagnostics: string[];
}

export interface TapSummary {
  /** Every test point, in order; subtests that failed on their own appear as one point. */
  points: TapPoint[];
  failures: TapPoint[];
  /** Stream-level problems: a missing or wrong plan, a bail out. */
  problems: string[];
  /** `1..0 # SKIP reason` at the top level: nothing was checked, and this is why. */
  skipAll?: string;
  ok: boolean;
}

type Event = [string, ...unknown[]];

interface Assert {
  ok: boolean;
  id: number;
  name: string;
  todo: boolean | string;
  skip: boolean | string;
  diag: unknown;
  closingTestPoint: boolean;
}

interface Complete {
  ok: boolean;
  bailout: boolean | string;
  failures: Array<{ tapError?: string | null }>;
  count: number;
  plan: { start: number | null; end: number | null; skipAll: boolean; skipReason: string };
}

const directive = (value: boolean | string): string | undefined => (value === false ? undefined : value === true ? '' : value);

/**
 * Comments about the run, not about the point before them: pgTAP's closing
 * tally (`# Looks like you failed 1 test of 3`) and the parser's own note on
 * a broken plan (`# test count(2) != plan(3)`).
 */
const SUMMARY = /^(Looks like you |test count\(\d+\) != plan\(\w+\))/;

/** Comment text without `# ` and the line end. */
const commentText = (raw: unknown) => String(raw).replace(/^\s*#\s?/, '').replace(/\r?\n$/, '');

/** YAML diagnostics (TAP 13/14 `---` blocks) as `key: value` lines. */
function yamlLines(diag: unknown): string[] {
  if (diag === null || diag === undefined) return [];
  if (typeof diag !== 'object') return [String(diag)];
  return Object.entries(diag as Record<string, unknown>).map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`);
}

/** Stands for "the last point closed a subtest": comments after it belong to no point. */
const CLOSED: TapPoint = { path: [], id: 0, name: '', ok: true, diagnostics: [] };

interface Level {
  points: TapPoint[];
  /** Comments that belong to no point: before the first one, or after the plan. */
  notes: string[];
  problems: string[];
  complete?: Complete;
}

function walk(events: Event[], path: string[]): Level {
  const level: Level = { points: [], notes: [], problems: [] };
  let last: TapPoint | undefined;
  let afterPlan = false;
  let pendingChild: Event[] | undefined;
  for (const [type, payload] of events) {
    switch (type) {
      case 'child':
        pendingChild = payload as Event[];
        break;
      case 'assert': {
        const a = payload as Assert;
        if (a.closingTestPoint && pendingChild) {
          const child = walk(pendingChild, [...path, a.name]);
          pendingChild = undefined;
          level.points.push(...child.points);
          level.problems.push(...child.problems);
          const failedInside = child.points.some((p) => !p.ok);
          if (!a.ok && !directive(a.todo) && !failedInside) {
            // Died or ran nothing: the subtest's own notes say which (its problems are reported on their own).
            level.points.push({ path, id: a.id, name: a.name, ok: false, diagnostics: child.notes });
          }
          // "# Failed test N" after a closing point repeats what the subtest said: it goes nowhere.
          last = CLOSED;
          break;
        }
        const todo = directive(a.todo);
        const skip = directive(a.skip);
        last = {
          path,
          id: a.id,
          name: a.name,
          ok: a.ok || todo !== undefined,
          ...(todo !== undefined ? { todo } : {}),
          ...(skip !== undefined ? { skip } : {}),
          diagnostics: yamlLines(a.diag),
        };
        level.points.push(last);
        break;
      }
      case 'comment': {
        const text = commentText(payload);
        if (/^Subtest: /.test(text)) break;
        if (!last || afterPlan || SUMMARY.test(text)) level.notes.push(text);
        else if (level.points.includes(last)) last.diagnostics.push(text);
        // else: the echo of a closing point whose subtest already reported
        break;
      }
      case 'plan':
        // A trailing plan ends the points; a leading one (pgTAP's plan()) does not.
        if (level.points.length > 0) afterPlan = true;
        break;
      case 'bailout':
        level.problems.push(`${path.length ? `${path.join(' > ')}: ` : ''}bail out: ${String(payload) || 'no reason given'}`);
        break;
      case 'complete': {
        const c = payload as Complete;
        level.complete = c;
        const at = path.length ? `${path.join(' > ')}: ` : '';
        // The parser reports a broken plan only when nothing else failed; a plan is a promise either way.
        const planned = c.plan.start === null || c.plan.end === null ? undefined : c.plan.end - c.plan.start + 1;
        if (planned !== undefined && !c.plan.skipAll && planned !== c.count) level.problems.push(`${at}planned ${planned} tests but ran ${c.count}`);
        for (const f of c.failures) {
          if (f.tapError && f.tapError !== 'incorrect number of tests') level.problems.push(`${at}${f.tapError}`);
        }
        break;
      }
      default:
        // version, extra (non-TAP output such as a SELECT's result), finish, close
        break;
    }
  }
  return level;
}

export function parseTap(text: string): TapSummary {
  // The parser reads nothing at all as "1..0, no tests found"; pg_prove calls it a failure, and so do we.
  if (text.trim() === '') return { points: [], failures: [], problems: ['no TAP output at all'], ok: false };
  const events = Parser.parse(text) as unknown as Event[];
  const top = walk(events, []);
  const failures = top.points.filter((p) => !p.ok);
  const plan = top.complete?.plan;
  const skipAll =
    plan?.skipAll && top.points.length === 0 ? plan.skipReason.replace(/^SKIP\b\s*/i, '') || 'no reason given' : undefined;
  const problems = [...top.problems];
  return {
    points: top.points,
    failures,
    problems,
    ...(skipAll !== undefined ? { skipAll } : {}),
    ok: failures.length === 0 && problems.length === 0,
  };
}

/** One failing point for a report: where it is, what it says, and its diagnostics. */
export function describePoint(p: TapPoint): string {
  const where = p.path.length ? `${p.path.join(' > ')}: ` : '';
  const head = `${where}${p.ok ? 'ok' : 'not ok'} ${p.id}${p.name ? ` - ${p.name}` : ''}`;
  return [head, ...p.diagnostics.map((d) => `    ${d}`)].join('\n');
}

/** The failures and problems of a run, for `actual` in a violation. */
export function describeFailures(summary: TapSummary): string {
  return [...summary.failures.map(describePoint), ...summary.problems].join('\n');
}

/** Several TAP documents (test functions run one by one) read as one run. */
export function mergeSummaries(summaries: TapSummary[]): TapSummary {
  const points = summaries.flatMap((s) => s.points);
  const failures = summaries.flatMap((s) => s.failures);
  const problems = summaries.flatMap((s) => s.problems);
  return { points, failures, problems, ok: failures.length === 0 && problems.length === 0 };
}
