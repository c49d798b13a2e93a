/**
 * An error is not a violation, shown end to end: the reference deployment,
 * run as a user would with an EXPIRE_SESSION_SQL that does not fit its
 * sessions table (it breaks the table's check constraint, as the seed's
 * `check (expires > created)` broke the old default). Every check that
 * expires a session ends in an error: those requirements are not verified,
 * with the SQL error and the fix as the reason, nothing fails, and the
 * verdict is inconclusive with its own exit status.
 */
import os from 'node:os';
import path from 'node:path';
import { EXIT_STATUS } from '../reporter/verdict.ts';
import { startStack } from '../stack/stack.ts';
import { runConformance } from './conformance-run.ts';

/** Pushes the deadline past the reference's absolute one: `check (expires <= absolute_expires)` refuses it. */
const UNFITTING_HOOK = "update auth.sessions set expires = absolute_expires + interval '1 day' where token = auth.hash_token($1)";

export async function checkBrokenHookIsInconclusive(): Promise<string> {
  const stack = await startStack({ logDir: path.join(os.tmpdir(), 'conformance-selftest-broken-hook') });
  try {
    const r = await runConformance({
      BASE_URL: stack.baseUrl,
      DATABASE_URL: stack.databaseUrl,
      CONFORMANCE_STRICT: '1',
      EXPIRE_SESSION_SQL: UNFITTING_HOOK,
    });
    if (!r.report) throw new Error(`no report: ${r.output.slice(-500)}`);
    const failed = r.report.requirements.filter((q) => q.status === 'fail').map((q) => q.id);
    const named = r.report.requirements.filter((q) => q.status === 'not-verified' && q.reasons?.some((why) => /EXPIRE_SESSION_SQL failed: 23514/.test(why)));
    const problems = [
      ...(failed.length ? [`failed: ${failed.join(', ')}`] : []),
      ...(named.length === 0 ? ['no requirement is not-verified with the hook\'s SQL error as the reason'] : []),
      ...(r.report.verdict !== 'inconclusive' || r.exitCode !== EXIT_STATUS.inconclusive ? [`verdict ${r.report.verdict}, exit status ${r.exitCode}`] : []),
    ];
    if (problems.length) throw new Error(`${problems.join('; ')} (report: ${r.reportDir})`);
    return `inconclusive, exit status ${r.exitCode}; nothing failed; ${named.length} requirements not verified with the SQL error named (${named.map((q) => q.id).join(', ')})`;
  } finally {
    await stack.stop();
  }
}
