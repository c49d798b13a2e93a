/**
 * The reference deployment served over https by a TLS-terminating proxy whose
 * certificate a private CA signed, as staging servers often are. Without
 * CONFORMANCE_CA_CERTS the run stops at once, one line naming the setting
 * (no certificate error is ever ignored); with it, Node and Chromium both
 * trust the CA and the reference is conformant with every requirement
 * verified, browser ones included, and cookie-secure, which only applies on
 * https, passing.
 *
 * Chromium is launched by the run itself (no shared browser server, which
 * would not trust the CA). The whole suite runs, at its usual budget: a
 * shorter one (FC_BUDGET=0.25) leaves property requirements not verified on
 * a loaded machine, and a --grep would leave the rest not verified.
 */
import { rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EXIT_STATUS } from '../reporter/verdict.ts';
import { registry } from '../spec/registry.ts';
import { startStack } from '../stack/stack.ts';
import { runConformance } from './conformance-run.ts';
import { makePrivateCa } from './private-ca.ts';
import { startTlsProxy } from './tls-proxy.ts';

/** The requirements only a browser checks: each must pass, which it cannot through a certificate error. */
const NEEDS_BROWSER = new Set(registry.requirements.filter((q) => (q.capabilities as string[]).includes('browser')).map((q) => q.id));

export async function checkReferenceOverHttps(): Promise<string> {
  const ca = makePrivateCa();
  const stack = await startStack({ logDir: path.join(os.tmpdir(), 'conformance-selftest-https') });
  try {
    const api = new URL(stack.baseUrl);
    const proxy = await startTlsProxy({ target: { host: api.hostname, port: Number(api.port) }, key: ca.key, cert: ca.cert });
    try {
      const env = { BASE_URL: proxy.url, DATABASE_URL: stack.databaseUrl, CONFORMANCE_STRICT: '1', EXPOSURE_SCAN_WRITES: '1', BROWSER_WS_ENDPOINT: '' };
      const untrusted = await runConformance(env);
      const line = untrusted.output.split('\n').find((l) => l.startsWith('conformance:')) ?? '';
      if (untrusted.exitCode !== EXIT_STATUS.usage || !/CONFORMANCE_CA_CERTS/.test(line)) {
        throw new Error(`without CONFORMANCE_CA_CERTS: exit status ${untrusted.exitCode}, expected ${EXIT_STATUS.usage} and one line naming the setting:\n${untrusted.output.slice(-1000)}`);
      }
      const run = await runConformance({ ...env, CONFORMANCE_CA_CERTS: ca.caFile });
      const where = `(report: ${run.reportDir})`;
      if (!run.report) throw new Error(`no report over https (exit status ${run.exitCode}): ${run.output.slice(-1000)}`);
      const requirements = run.report.requirements as Array<{ id: string; status: string; reasons?: string[] }>;
      const problems = requirements.filter((q) => q.status !== 'pass' && q.status !== 'not-applicable').map((q) => `${q.id} is ${q.status}${q.reasons?.length ? ` (${q.reasons[0]})` : ''}`);
      if (run.exitCode !== EXIT_STATUS.conformant) problems.push(`exit status ${run.exitCode}`);
      const secure = requirements.find((q) => q.id === 'cookie-secure');
      if (secure?.status !== 'pass') problems.push(`cookie-secure is ${secure?.status ?? 'missing'}, should pass on https`);
      const browser = requirements.filter((q) => NEEDS_BROWSER.has(q.id));
      if (browser.length === 0) problems.push('no requirement needing a browser in the report');
      if (problems.length) throw new Error(`over https with the private CA, ${run.report.verdict}:\n  ${problems.join('\n  ')}\n  ${where}`);
      rmSync(run.reportDir, { recursive: true, force: true });
      rmSync(untrusted.reportDir, { recursive: true, force: true });
      const passing = browser.filter((q) => q.status === 'pass').length;
      return `without the CA: "${line.trim()}"; with it: ${run.report.verdict}, ${passing} browser requirements pass, cookie-secure passes, ${proxy.handshakes} TLS handshakes, in ${(run.ms / 1000).toFixed(1)} s`;
    } finally {
      await proxy.close();
    }
  } finally {
    await stack.stop();
    rmSync(ca.dir, { recursive: true, force: true });
  }
}
