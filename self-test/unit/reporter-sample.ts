/**
 * A report built from made-up test outcomes, for the reporter's unit tests.
 * The evidence is hostile on purpose: markup, quotes, control characters,
 * a CDATA terminator and a planted session token.
 */
import { registry } from '../../spec/registry.ts';
import { buildReport, type Report } from '../../reporter/report.ts';
import type { RunMetadata } from '../../reporter/run-metadata.ts';
import { ATTACHMENT, type TestOutcome } from '../../lib/report-contract.ts';
import { gateOf, judgeRequirement, verdictOf } from '../../reporter/verdict.ts';

export const PLANTED_TOKEN = 'planted-token-9f8e7d6c5b4a39281706';
export const HOSTILE = `</pre><script>alert("x")</script><img src=x onerror=alert(1)> & ]]> \u0001\u001b[31m 'q' | pipe`;

export function outcome(over: Partial<TestOutcome> & Pick<TestOutcome, 'cites' | 'status'>): TestOutcome {
  return {
    title: 'a test',
    file: 'suites/sample.spec.ts',
    line: 7,
    project: 'http',
    violations: [],
    attachments: [],
    durationMs: 12,
    ...over,
  };
}

export const METADATA: RunMetadata = {
  suiteName: 'postgrest-cookie-session-conformance',
  suiteVersion: '0.1.0',
  specTitle: registry.title,
  specVersion: registry.version,
  targetUrl: 'http://127.0.0.1:3000',
  embedded: true,
  postgrestVersion: '12.0.2',
  server: null,
  capabilities: ['database', 'expiry', 'http'],
  startTime: '2025-01-01T00:00:00.000Z',
  endTime: '2025-01-01T00:00:05.000Z',
  durationMs: 5000,
  strict: false,
  seeds: { FC_SEED: null },
  shard: null,
  merged: false,
  playwrightVersion: '1.0.0',
  nodeVersion: '20.0.0',
  runStatus: 'failed',
  expectationsFile: null,
};

/** One failing MUST with full evidence, an expected failure, a pass and a skip; the rest not verified. */
export function sampleOutcomes(): TestOutcome[] {
  return [
    outcome({
      title: `httponly <b>${HOSTILE}</b>`,
      cites: ['cookie-httponly'],
      status: 'failed',
      violations: ['cookie-httponly'],
      error: `[cookie-httponly] MUST: ...\n  expected: HttpOnly\n  actual:   none`,
      attachments: [
        { name: ATTACHMENT.violation('cookie-httponly'), contentType: 'application/json', body: JSON.stringify({ id: 'cookie-httponly', expected: `HttpOnly ${HOSTILE}`, actual: `session_token=${PLANTED_TOKEN}; Path=/` }) },
        { name: ATTACHMENT.transcript, contentType: 'text/plain', body: `> POST http://127.0.0.1:3000/rpc/login\n< 200 (3 ms)\n< server: postgrest/12.0.2\n< set-cookie: x=${PLANTED_TOKEN}\n<\n< ${HOSTILE}` },
        { name: ATTACHMENT.reproduce, contentType: 'text/plain', body: `curl -i -X POST -H 'Cookie: x=${PLANTED_TOKEN}' 'http://127.0.0.1:3000/rpc/login'` },
      ],
    }),
    outcome({ title: 'samesite', cites: ['cookie-samesite'], status: 'failed', violations: ['cookie-samesite'], error: `Error: ${HOSTILE}` }),
    outcome({ title: 'open', cites: ['lifecycle-open'], status: 'passed' }),
    outcome({ title: 'secure', cites: ['cookie-secure'], status: 'skipped', notApplicable: 'https only' }),
    outcome({ title: 'expiry', cites: ['expiry-enforced'], status: 'skipped', notVerified: 'needs DATABASE_URL' }),
  ];
}

export function sampleReport(expected: Map<string, string> = new Map([['cookie-samesite', `tracked ${HOSTILE}`]])): Report {
  const results = registry.requirements.map((r) => judgeRequirement(r, sampleOutcomes()));
  const statuses = results.map((r) => ({ id: r.requirement.id, level: r.requirement.level, status: r.status }));
  return buildReport({
    results,
    verdict: verdictOf(statuses, false),
    gate: gateOf(statuses, false, new Set(expected.keys())),
    expectations: expected,
    metadata: METADATA,
    errors: [`setup: ${HOSTILE}`],
  });
}
