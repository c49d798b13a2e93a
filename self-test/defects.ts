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
 * then its SQL: a patch of the reference where it changes reference code
 * (self-test/sql-patch.ts: the lines it breaks, and what they become), plain
 * SQL where it adds or alters objects of its own.
 *
 * Anything else failing is a false positive of the suite; anything declared
 * that passes is a defect the suite missed.
 */
import { fileURLToPath } from 'node:url';
import { EXIT_STATUS } from '../reporter/verdict.ts';
import { isKnownRequirement } from '../spec/registry.ts';
import { listOf, overlayFiles, readOverlay, type Overlay } from './overlay.ts';

export const DEFECTS_DIR = fileURLToPath(new URL('./defects/', import.meta.url));

export interface Defect extends Overlay {
  /** Requirements the suite must report failed, every one of them. */
  fails: string[];
  /** Knock-on failures it may cause. */
  mayFail: string[];
}

export function parseDefect(file: string): Defect {
  const { header, ...overlay } = readOverlay(file, ['fails', 'may-fail']);
  const fails = listOf(header.fails);
  const mayFail = listOf(header['may-fail']);
  if (fails.length === 0) throw new Error(`${overlay.where}: a defect needs a "-- fails:" header line`);
  for (const id of [...fails, ...mayFail]) {
    if (!isKnownRequirement(id)) throw new Error(`${overlay.name}: unknown requirement id ${id}`);
  }
  return { ...overlay, fails, mayFail };
}

export function loadDefects(): Defect[] {
  return overlayFiles(DEFECTS_DIR).map(parseDefect);
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

