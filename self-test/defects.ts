/**
 * Seeded defects: small SQL overlays on the reference app, each breaking one
 * requirement on purpose. A defect file declares, in its header, what the
 * suite must report:
 *
 *   -- about: login sets the cookie without HttpOnly
 *   -- fails: cookie-httponly                 (must fail, every one of them)
 *   -- may-fail: refresh-reissues-cookie      (knock-on failures it may cause)
 *   -- settings: sessions.idle_seconds=5      (server settings for this defect)
 *   -- postgrest: server-cors-allowed-origins=https://app.example.test
 *                                             (PostgREST settings for this defect)
 *
 * Anything else failing is a false positive of the suite; anything declared
 * that passes is a defect the suite missed.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { EXIT_STATUS } from '../reporter/verdict.ts';
import { isKnownRequirement } from '../spec/registry.ts';

export const DEFECTS_DIR = fileURLToPath(new URL('./defects/', import.meta.url));

export interface Defect {
  name: string;
  file: string;
  about: string;
  fails: string[];
  mayFail: string[];
  settings: Record<string, string>;
  /** PostgREST settings (config names) added to the reference's for this defect. */
  postgrest: Record<string, string>;
  sql: string;
}

function list(value: string | undefined): string[] {
  return (value ?? '').split(/[\s,]+/).filter(Boolean);
}

export function parseDefect(file: string): Defect {
  const sql = readFileSync(file, 'utf8');
  const header: Record<string, string> = {};
  for (const line of sql.split('\n')) {
    const m = /^--\s*(about|fails|may-fail|settings|postgrest):\s*(.*)$/.exec(line);
    if (m) header[m[1]] = header[m[1]] ? `${header[m[1]]} ${m[2]}` : m[2];
  }
  const name = path.basename(file, '.sql');
  const fails = list(header.fails);
  const mayFail = list(header['may-fail']);
  if (!header.about || fails.length === 0) {
    throw new Error(`${path.relative(process.cwd(), file)}: a defect needs "-- about:" and "-- fails:" header lines`);
  }
  for (const id of [...fails, ...mayFail]) {
    if (!isKnownRequirement(id)) throw new Error(`${name}: unknown requirement id ${id}`);
  }
  const pairs = (value: string | undefined) =>
    Object.fromEntries(
      list(value).map((kv) => {
        const i = kv.indexOf('=');
        return [kv.slice(0, i), kv.slice(i + 1)];
      }),
    );
  const settings = pairs(header.settings);
  const postgrest = pairs(header.postgrest);
  return { name, file, about: header.about, fails, mayFail, settings, postgrest, sql };
}

export function loadDefects(): Defect[] {
  return readdirSync(DEFECTS_DIR)
    .filter((f) => f.endsWith('.sql'))
    .sort()
    .map((f) => parseDefect(path.join(DEFECTS_DIR, f)));
}

export interface ReportRequirement {
  id: string;
  level: string;
  status: string;
  reasons?: string[];
  tests?: Array<{ title: string; location: string; status: string }>;
}

/**
 * A run judged as a user's run is: each requirement's status, the verdict and
 * the exit status (from the conformance reporter's report.json, or from the
 * sweep reporter, which uses the same verdict code).
 */
export interface JudgedRun {
  requirements: ReportRequirement[];
  verdict: string;
  exitStatus: number;
}

/** The exit status of a non-conformant verdict: the only one that says a defect was caught. */
const NON_CONFORMANT_EXIT = EXIT_STATUS['non-conformant'];

/**
 * Compares a judged run with a defect's declaration; returns the problems,
 * none when caught exactly. Caught means what a user would see: a
 * non-conformant verdict and its exit status, with every declared
 * requirement failed by a violation. An error or a timeout leaves a
 * requirement not verified, so it can never count as catching.
 */
export function checkDefectReport(defect: Defect, run: JudgedRun): string[] {
  const { requirements } = run;
  const failed = new Set(requirements.filter((r) => r.status === 'fail').map((r) => r.id));
  const problems: string[] = [];
  for (const id of defect.fails) {
    if (!failed.has(id)) {
      const found = requirements.find((r) => r.id === id);
      const why = found?.reasons?.length ? ` (${found.reasons.join('; ')})` : '';
      problems.push(`escaped: ${id} should fail but is ${found?.status ?? 'absent'}${why}`);
    }
  }
  for (const id of failed) {
    if (!defect.fails.includes(id) && !defect.mayFail.includes(id)) problems.push(`unexpected failure: ${id}`);
  }
  if (run.verdict !== 'non-conformant' || run.exitStatus !== NON_CONFORMANT_EXIT) {
    problems.push(`the verdict is ${run.verdict} with exit status ${run.exitStatus}, not non-conformant with ${NON_CONFORMANT_EXIT}`);
  }
  return problems;
}

/** What one defect's run showed: the problems (none when caught exactly) and the evidence for the kill table. */
export interface DefectResult {
  defect: Defect;
  problems: string[];
  failed: string[];
  /** For each requirement the defect declares: the tests that failed it ("file:line title"). */
  caughtBy: Record<string, string[]>;
  ms: number;
  /** Where the run's report or results are, for a look at a problem. */
  reportDir: string;
  /** Set when a first run had problems and the retry had none: printed as FLAKY, never hidden. */
  firstProblems?: string[];
}

export function defectResultOf(defect: Defect, judged: JudgedRun | undefined, run: { ms: number; reportDir: string; output: string }): DefectResult {
  const reqs = judged?.requirements ?? [];
  return {
    defect,
    problems: judged ? checkDefectReport(defect, judged) : [`no results: ${run.output.trim().split('\n').slice(-5).join(' | ')}`],
    failed: reqs.filter((r) => r.status === 'fail').map((r) => r.id),
    caughtBy: Object.fromEntries(
      defect.fails.map((id) => [
        id,
        (reqs.find((r) => r.id === id)?.tests ?? []).filter((t) => t.status === 'fail').map((t) => `${t.location} ${t.title}`),
      ]),
    ),
    ms: run.ms,
    reportDir: run.reportDir,
  };
}

