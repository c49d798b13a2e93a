/**
 * The capabilities a requirement declares (spec/requirements.json: a
 * database, a way to expire sessions, a browser) against what its tests
 * really need, observed rather than read: the suite runs against the
 * reference with a capability taken away, and a requirement must then be
 * not verified exactly when it declares what is missing, and pass otherwise.
 * A test that quietly needs more than its requirement declares (a browser
 * check that also needs the server's deadline) shows up as not verified
 * where a pass was due; a declaration a test no longer needs, as a pass.
 *
 * Two runs: without a database (so without the expiry capability either:
 * no DATABASE_URL and no SESSION_TTL_SECONDS), and without a browser. Expiry
 * through a short SESSION_TTL_SECONDS alone is not exercised: it would mean a
 * reference with a idle timeout of seconds, which the other tests cannot share.
 */
import { existsSync } from 'node:fs';
import { registry, type Capability, type Requirement } from '../spec/registry.ts';
import { runConformance } from './conformance-run.ts';
import type { ReportRequirement } from './defects.ts';

/** A way to run without some capabilities: what to set, and what goes missing. */
export interface Withdrawal {
  name: string;
  missing: Capability[];
  env: (deployment: { baseUrl: string; databaseUrl?: string }) => Record<string, string>;
}

const NO_BROWSER = '/nonexistent/chromium';

export const WITHDRAWALS: Withdrawal[] = [
  { name: 'without a database', missing: ['database', 'expiry'], env: (d) => ({ BASE_URL: d.baseUrl, DATABASE_URL: '', SESSION_TTL_SECONDS: '' }) },
  {
    name: 'without a browser',
    missing: ['browser'],
    env: (d) => ({ BASE_URL: d.baseUrl, DATABASE_URL: d.databaseUrl ?? '', CHROMIUM_PATH: NO_BROWSER, BROWSER_WS_ENDPOINT: '' }),
  },
];

/** What disagrees between the declarations and a run's statuses with `missing` withdrawn; empty when they agree. */
export function capabilityMismatches(requirements: Requirement[], report: ReportRequirement[], missing: Capability[]): string[] {
  const statusOf = new Map(report.map((q) => [q.id, q]));
  const problems: string[] = [];
  for (const r of requirements) {
    const q = statusOf.get(r.id);
    if (!q || q.status === 'not-applicable') continue;
    const declared = r.capabilities.filter((c) => missing.includes(c));
    const reason = q.reasons?.length ? ` (${q.reasons[0]})` : '';
    if (declared.length && q.status !== 'not-verified') problems.push(`${r.id} declares ${declared.join(', ')} but is ${q.status} without it: drop the capability from spec/requirements.json`);
    if (!declared.length && q.status === 'not-verified') problems.push(`${r.id} is not verified without ${missing.join(' and ')}${reason}: declare what its tests need in spec/requirements.json`);
    if (!declared.length && q.status === 'fail') problems.push(`${r.id} fails without ${missing.join(' and ')}${reason}: a missing capability must never fail a requirement`);
  }
  return problems;
}

/** Both runs against one deployment; throws listing every disagreement. */
export async function checkCapabilities(deployment: { baseUrl: string; databaseUrl?: string }): Promise<string> {
  if (existsSync(NO_BROWSER)) throw new Error(`${NO_BROWSER} exists: the run without a browser would have one`);
  const problems: string[] = [];
  const seen: string[] = [];
  for (const w of WITHDRAWALS) {
    const run = await runConformance(w.env(deployment));
    if (!run.report) {
      problems.push(`${w.name}: no report (exit status ${run.exitCode}): ${run.output.trim().split('\n').slice(-3).join(' | ')}`);
      continue;
    }
    const found = capabilityMismatches(registry.requirements, run.report.requirements, w.missing);
    problems.push(...found.map((p) => `${w.name}: ${p}`));
    const nv = run.report.requirements.filter((q) => q.status === 'not-verified').length;
    seen.push(`${w.name}, ${nv} not verified`);
    if (found.length) problems.push(`  report: ${run.reportDir}`);
  }
  if (problems.length) throw new Error(problems.join('\n'));
  return `${seen.join('; ')}, as declared`;
}
