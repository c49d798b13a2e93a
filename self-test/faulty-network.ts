/**
 * The reference deployment behind a flaky network: a proxy that resets
 * every 15th new connection (a load balancer dropping a backend, a rolling
 * restart). The deployment is as conformant as ever, so the suite must not
 * find it non-conformant: a network fault may leave requirements not
 * verified, never failed.
 */
import os from 'node:os';
import path from 'node:path';
import { startStack } from '../stack/stack.ts';
import { runConformance } from './conformance-run.ts';
import type { ReportRequirement } from './defects.ts';
import { startResetProxy } from './reset-proxy.ts';

type Requirement = ReportRequirement & { reasons?: string[] };

/** A short name for why a requirement is not verified: the kind of fault, or the start of the reason. */
function causeOf(reason: string | undefined): string {
  if (!reason) return 'no reason given';
  if (/network fault/.test(reason)) return 'network fault';
  if (/timeout fault|timed out/.test(reason)) return 'timeout';
  return reason.length > 60 ? `${reason.slice(0, 60)}…` : reason;
}

/** "3 network fault, 1 timeout": how many requirements for each cause. */
function tally(requirements: Requirement[]): string {
  const counts = new Map<string, number>();
  for (const r of requirements) {
    const cause = causeOf(r.reasons?.[0]);
    counts.set(cause, (counts.get(cause) ?? 0) + 1);
  }
  return [...counts].map(([cause, n]) => `${n} ${cause}`).join(', ');
}

export async function checkReferenceBehindResetProxy(): Promise<string> {
  const stack = await startStack({ logDir: path.join(os.tmpdir(), 'conformance-selftest-faulty-network') });
  try {
    const api = new URL(stack.baseUrl);
    const proxy = await startResetProxy({ target: { host: api.hostname, port: Number(api.port) } });
    try {
      const run = await runConformance({ BASE_URL: proxy.url, DATABASE_URL: stack.databaseUrl, CONFORMANCE_STRICT: '1' });
      const report = run.report;
      if (!report) throw new Error(`no report behind the resetting proxy: ${run.output.slice(-500)}`);
      const requirements = report.requirements as Requirement[];
      const failed = requirements.filter((r) => r.status === 'fail');
      const notVerified = requirements.filter((r) => r.status === 'not-verified');
      const where = `(report: ${run.reportDir})`;
      if (failed.length > 0) {
        const why = failed.map((r) => `${r.id}: ${r.tests?.find((t) => t.status === 'fail')?.title ?? 'failed'}`).join('; ');
        throw new Error(`behind the resetting proxy the reference is ${report.verdict}, with ${failed.length} requirement(s) failed: ${why} ${where}`);
      }
      if (report.verdict !== 'conformant' && report.verdict !== 'inconclusive') throw new Error(`behind the resetting proxy the verdict is ${report.verdict} ${where}`);
      // No reset, no test: the proxy must actually have dropped connections.
      if (proxy.resets === 0) throw new Error(`the proxy reset none of its ${proxy.connections} connections: nothing was tested ${where}`);
      const unverified = notVerified.length ? `, ${notVerified.length} not verified (${tally(notVerified)})` : ', every requirement verified';
      return `${report.verdict}, none failed${unverified}; ${proxy.resets} of ${proxy.connections} connections reset, in ${(run.ms / 1000).toFixed(1)} s`;
    } finally {
      await proxy.close();
    }
  } finally {
    await stack.stop();
  }
}
