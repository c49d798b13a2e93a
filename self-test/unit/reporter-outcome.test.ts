import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TestCase, TestResult } from '@playwright/test/reporter';
import { ANNOTATION, ATTACHMENT, deploymentAnnouncement } from '../../lib/report-contract.ts';
import { bySourceOrder, deploymentOf, outcomeOf, uncitedFailure } from '../../reporter/outcome.ts';
import { capabilitiesOf, postgrestVersionOf, serverHeaderOf, serverInTranscripts } from '../../reporter/run-metadata.ts';
import { judgeRequirement } from '../../reporter/verdict.ts';
import { requirement } from '../../spec/registry.ts';
import type { Target } from '../../fixtures/target.ts';
import { evidenceOf } from '../../reporter/evidence.ts';
import { outcome } from './reporter-sample.ts';

type A = { type: string; description?: string };

function fake(testAnnotations: A[], resultAnnotations: A[], over: Partial<TestResult> = {}): [TestCase, TestResult] {
  const t = {
    title: 't',
    location: { file: '/repo/suites/x.spec.ts', line: 3, column: 1 },
    annotations: testAnnotations,
    parent: { project: () => ({ name: 'http' }) },
  } as unknown as TestCase;
  const r = { status: 'failed', annotations: resultAnnotations, attachments: [], duration: 5, ...over } as unknown as TestResult;
  return [t, r];
}

const cite = (id: string) => ({ type: ANNOTATION.requirement, description: id });

test('live run: cites are test annotations, the violation a result annotation', () => {
  const o = outcomeOf(...fake([cite('cookie-path')], [{ type: ANNOTATION.violation, description: 'cookie-path' }]), '/repo')!;
  assert.deepEqual(o.cites, ['cookie-path']);
  assert.deepEqual(o.violations, ['cookie-path']);
  assert.equal(o.file, 'suites/x.spec.ts', 'relative to the config folder');
  assert.equal(o.project, 'http');
});

test('merged blobs: everything arrives as result annotations, duplicates collapse', () => {
  const all = [cite('cookie-path'), cite('cookie-single'), { type: ANNOTATION.skip, description: 'needs X' }, { type: ANNOTATION.notVerified, description: 'needs X' }];
  const o = outcomeOf(...fake(all, all, { status: 'skipped' }), '/repo')!;
  assert.deepEqual(o.cites, ['cookie-path', 'cookie-single']);
  assert.equal(o.notVerified, 'needs X');
  assert.equal(o.skipReason, 'needs X');
});

test('a test citing nothing is no outcome; its failure is a run error, in one plain line', () => {
  const [t, r] = fake([], [], { error: { message: '\u001b[31mstack failed\u001b[39m\nat line 2' } } as Partial<TestResult>);
  assert.equal(outcomeOf(t, r, '/repo'), undefined);
  assert.equal(uncitedFailure(t, r), 't: stack failed');
  assert.equal(uncitedFailure(...fake([], [], { status: 'passed' })), undefined);
});

test('text attachments are kept, redacted; binary ones are not', () => {
  const [t, r] = fake([cite('cookie-path')], [], {
    attachments: [
      { name: ATTACHMENT.transcript, contentType: 'text/plain', body: Buffer.from('< set-cookie: session_token=abcdef123456; Path=/') },
      { name: 'shot', contentType: 'image/png', body: Buffer.from([1, 2]) },
      { name: 'trace', contentType: 'application/zip', path: '/x.zip' },
    ],
  } as Partial<TestResult>);
  const o = outcomeOf(t, r, '/repo')!;
  assert.deepEqual(o.attachments.map((a) => a.name), [ATTACHMENT.transcript]);
  assert.equal(o.attachments[0].body, '< set-cookie: session_token=[redacted]; Path=/');
});

test('the setup project announces the embedded deployment', () => {
  const announced = { postgrestVersion: '12.0.2', url: 'http://127.0.0.1:5000' };
  assert.equal(deploymentAnnouncement(announced), 'PostgREST 12.0.2 at http://127.0.0.1:5000');
  const d = deploymentOf(...fake([], [{ type: ANNOTATION.deployment, description: deploymentAnnouncement(announced) }]));
  assert.deepEqual(d, announced);
  assert.equal(deploymentOf(...fake([], [{ type: ANNOTATION.deployment, description: 'something else' }])), undefined);
  assert.equal(deploymentOf(...fake([], [])), undefined);
});

test('the PostgREST version from a Server header or a transcript', () => {
  assert.equal(postgrestVersionOf('postgrest/11.2.2'), '11.2.2');
  assert.equal(postgrestVersionOf('nginx'), null);
  assert.equal(postgrestVersionOf(null), null);
  assert.equal(serverInTranscripts(['> GET /\n< 200 (1 ms)\n< Server: postgrest/12.0.2\n<']), 'postgrest/12.0.2');
  assert.equal(serverInTranscripts(['> GET /\n< 200 (1 ms)']), null);
});

test('outcomes sort in source order, whatever order they finished in', () => {
  const a = outcome({ cites: ['x-y'], status: 'passed', file: 'suites/a.spec.ts', line: 20 });
  const b = outcome({ cites: ['x-y'], status: 'passed', file: 'suites/a.spec.ts', line: 3 });
  const c = outcome({ cites: ['x-y'], status: 'passed', file: 'suites/0.spec.ts', line: 50 });
  assert.deepEqual([a, b, c].sort(bySourceOrder), [c, b, a]);
});

test('evidence: expected and actual from the violation attachment, else from verify\'s message', () => {
  const withAttachment = outcome({
    cites: ['cookie-path'], status: 'failed', violations: ['cookie-path'],
    attachments: [{ name: 'violation cookie-path', contentType: 'application/json', body: '{"id":"cookie-path","expected":"Path=/","actual":"Path=/rpc"}' }],
  });
  assert.deepEqual(
    [evidenceOf(withAttachment, 'cookie-path').expected, evidenceOf(withAttachment, 'cookie-path').actual],
    ['Path=/', 'Path=/rpc'],
  );
  const fromMessage = outcome({
    cites: ['cookie-path'], status: 'failed', violations: ['cookie-path'],
    error: '[cookie-path] MUST: The Path ...\n  expected: Path=/\n  actual:   Path=/rpc\nsecond line',
  });
  const e = evidenceOf(fromMessage, 'cookie-path');
  assert.equal(e.expected, 'Path=/');
  assert.equal(e.actual, 'Path=/rpc\nsecond line');
  assert.equal(e.error, undefined);
  assert.equal(evidenceOf(outcome({ cites: ['cookie-path'], status: 'failed', error: 'TypeError: x' }), 'cookie-path').error, 'TypeError: x');
});

test('one GET of the target root reads its Server header; no answer is null, within the timeout', async () => {
  const { createServer } = await import('node:http');
  const server = createServer((_req, res) => res.writeHead(200, { Server: 'postgrest/12.0.2' }).end('{}'));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as { port: number };
  try {
    assert.equal(await serverHeaderOf(`http://127.0.0.1:${port}`), 'postgrest/12.0.2');
  } finally {
    server.close();
  }
  const silent = createServer(() => {}); // accepts, never answers
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
  const started = Date.now();
  try {
    assert.equal(await serverHeaderOf(`http://127.0.0.1:${(silent.address() as { port: number }).port}`, 200), null);
    assert.ok(Date.now() - started < 2000);
  } finally {
    silent.closeAllConnections();
    silent.close();
  }
});

test('capabilities: the target\'s, plus what a pass or fail shows was exercised', () => {
  const needsExpiry = 'expiry-enforced';
  const ran = outcome({ cites: [needsExpiry], status: 'passed' });
  const skipped = outcome({ cites: ['browser-httponly'], status: 'skipped', notVerified: 'no Chromium' });
  const results = [judgeRequirement(requirement(needsExpiry), [ran]), judgeRequirement(requirement('browser-httponly'), [skipped])];
  assert.deepEqual(capabilitiesOf(undefined, results), ['expiry', 'http'], 'a skipped browser test shows no browser');
  const target = { capabilities: new Set(['http', 'database']) } as unknown as Target;
  assert.deepEqual(capabilitiesOf(target, results), ['database', 'expiry', 'http']);
  const browserRan = judgeRequirement(requirement('browser-httponly'), [outcome({ cites: ['browser-httponly'], status: 'failed', violations: ['browser-httponly'] })]);
  assert.ok(capabilitiesOf(undefined, [browserRan]).includes('browser'));
});
