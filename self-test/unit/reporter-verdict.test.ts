import assert from 'node:assert/strict';
import { test } from 'node:test';
import { requirement, type Level } from '../../spec/registry.ts';
import { exitStatusOf, gateOf, judgeOutcome, judgeRequirement, verdictOf, type RequirementStatus } from '../../reporter/verdict.ts';
import { outcome } from './reporter-sample.ts';

const ID = 'cookie-httponly';

// What one test outcome says about the requirement ID it cites.
const outcomes: Array<[string, Parameters<typeof outcome>[0], RequirementStatus, RegExp?]> = [
  ['passed', { cites: [ID], status: 'passed' }, 'pass'],
  ['passed with a caveat it could not rule out', { cites: [ID], status: 'passed', note: 'without DATABASE_URL a hashed counter cannot be ruled out' }, 'pass', /^note: without DATABASE_URL/],
  ['failed by violating it', { cites: [ID], status: 'failed', violations: [ID] }, 'fail'],
  // An error is not a violation: the requirement is not verified, and the error is named.
  ['failed with an error (no violation named)', { cites: [ID], status: 'failed', error: 'network fault: POST /rpc/login: ECONNRESET\n  at ...' }, 'not-verified', /^error: network fault: POST \/rpc\/login: ECONNRESET$/],
  ['timed out with no violation named', { cites: [ID], status: 'timedOut', durationMs: 30_000 }, 'not-verified', /^error: timed out after 30 s$/],
  ['stopped at a violation of another requirement', { cites: [ID, 'cookie-samesite'], status: 'failed', violations: ['cookie-samesite'] }, 'not-verified', /violation of cookie-samesite/],
  ['a precondition failed (the test skips itself)', { cites: [ID], status: 'skipped', precondition: 'register answered 500', skipReason: 'precondition failed: register answered 500' }, 'not-verified', /^precondition failed: register answered 500$/],
  ['a precondition failed (reported as a failure by an older run)', { cites: [ID], status: 'failed', precondition: 'register answered 500' }, 'not-verified', /precondition failed: register answered 500/],
  ['skipped for a missing capability', { cites: [ID], status: 'skipped', notVerified: 'needs DATABASE_URL' }, 'not-verified', /needs DATABASE_URL/],
  ['skipped with a plain skip reason', { cites: [ID], status: 'skipped', skipReason: 'fixme' }, 'not-verified', /fixme/],
  ['skipped as not applicable', { cites: [ID], status: 'skipped', notApplicable: 'https only' }, 'not-applicable', /https only/],
  ['interrupted', { cites: [ID], status: 'interrupted' }, 'not-verified', /interrupted/],
];

for (const [name, o, status, reason] of outcomes) {
  test(`judgeOutcome: ${name} -> ${status}`, () => {
    const j = judgeOutcome(outcome(o), ID);
    assert.equal(j.status, status);
    if (reason) assert.match(j.reason ?? '', reason);
  });
}

test('judgeOutcome: the violated requirement fails while its co-cited one is not verified', () => {
  const o = outcome({ cites: [ID, 'cookie-samesite'], status: 'failed', violations: [ID] });
  assert.equal(judgeOutcome(o, ID).status, 'fail');
  assert.equal(judgeOutcome(o, 'cookie-samesite').status, 'not-verified');
});

// How the outcomes of all tests citing a requirement combine.
const combinations: Array<[string, RequirementStatus[], RequirementStatus]> = [
  ['no test', [], 'not-verified'],
  ['all pass', ['pass', 'pass'], 'pass'],
  ['one fail among passes', ['pass', 'fail', 'pass'], 'fail'],
  ['fail beats not-verified', ['not-verified', 'fail'], 'fail'],
  ['pass and not-applicable', ['pass', 'not-applicable'], 'pass'],
  ['all not-applicable', ['not-applicable', 'not-applicable'], 'not-applicable'],
  ['pass and not-verified', ['pass', 'not-verified'], 'not-verified'],
];
const asOutcome = (s: RequirementStatus) =>
  outcome({
    cites: [ID],
    status: s === 'pass' ? 'passed' : s === 'fail' ? 'failed' : 'skipped',
    violations: s === 'fail' ? [ID] : [],
    notApplicable: s === 'not-applicable' ? 'n/a' : undefined,
    notVerified: s === 'not-verified' ? 'n/v' : undefined,
  });
for (const [name, statuses, expected] of combinations) {
  test(`judgeRequirement: ${name} -> ${expected}`, () => {
    const other = outcome({ cites: ['cookie-samesite'], status: 'failed', violations: ['cookie-samesite'] });
    const r = judgeRequirement(requirement(ID), [other, ...statuses.map(asOutcome)]);
    assert.equal(r.status, expected);
    assert.equal(r.tests.length, statuses.length, 'only tests citing it count');
    if (statuses.length === 0) assert.deepEqual(r.reasons, ['no test citing it ran']);
  });
}

// The verdict over requirement statuses, plain and strict.
type Row = { level: Level; status: RequirementStatus };
const rows = (...spec: string[]): Row[] =>
  spec.map((s) => {
    const [level, status] = s.split(':') as [Level, RequirementStatus];
    return { level, status };
  });
const verdicts: Array<[string, Row[], boolean, string]> = [
  ['all pass', rows('MUST:pass', 'SHOULD:pass'), false, 'conformant'],
  ['a MUST fails', rows('MUST:fail', 'SHOULD:pass'), false, 'non-conformant'],
  ['a SHOULD fails, not strict', rows('MUST:pass', 'SHOULD:fail'), false, 'conformant'],
  ['a SHOULD fails, strict', rows('MUST:pass', 'SHOULD:fail'), true, 'non-conformant'],
  ['a MAY fails, strict', rows('MUST:pass', 'MAY:fail'), true, 'conformant'],
  ['a MUST not verified', rows('MUST:pass', 'MUST:not-verified'), false, 'inconclusive'],
  ['a SHOULD not verified, not strict', rows('MUST:pass', 'SHOULD:not-verified'), false, 'conformant'],
  ['a SHOULD not verified, strict', rows('MUST:pass', 'SHOULD:not-verified'), true, 'inconclusive'],
  ['not applicable does not block', rows('MUST:pass', 'MUST:not-applicable'), false, 'conformant'],
  ['a failure beats not-verified', rows('MUST:not-verified', 'MUST:fail'), false, 'non-conformant'],
  ['nothing verified is never conformant', rows('MUST:not-applicable', 'SHOULD:not-verified'), false, 'inconclusive'],
  ['nothing at all', [], false, 'inconclusive'],
];
for (const [name, input, strict, expected] of verdicts) {
  test(`verdictOf: ${name} -> ${expected}`, () => assert.equal(verdictOf(input, strict), expected));
}

// The gate with expected failures, both directions.
const withIds = (...spec: string[]) => rows(...spec.map((s) => s.split('=')[1])).map((r, i) => ({ ...r, id: spec[i].split('=')[0] }));
test('gateOf: without expectations the gate is the verdict', () => {
  const g = gateOf(withIds('a-x=MUST:pass', 'b-x=MUST:fail'), false, new Set());
  assert.deepEqual(g, { passed: false, verdict: 'non-conformant', expectedFailures: [], unexpectedPasses: [] });
});
test('gateOf: a listed failure is set aside, and the rest decides', () => {
  const g = gateOf(withIds('a-x=MUST:pass', 'b-x=MUST:fail'), false, new Set(['b-x']));
  assert.deepEqual(g, { passed: true, verdict: 'conformant', expectedFailures: ['b-x'], unexpectedPasses: [] });
});
test('gateOf: an unlisted failure still fails the gate', () => {
  const g = gateOf(withIds('a-x=MUST:fail', 'b-x=MUST:fail'), false, new Set(['b-x']));
  assert.equal(g.passed, false);
  assert.equal(g.verdict, 'non-conformant');
});
test('gateOf: a listed requirement that passes fails the gate', () => {
  const g = gateOf(withIds('a-x=MUST:pass', 'b-x=MUST:pass'), false, new Set(['b-x']));
  assert.deepEqual(g, { passed: false, verdict: 'conformant', expectedFailures: [], unexpectedPasses: ['b-x'] });
});
test('gateOf: a listed requirement that was not verified keeps its status in the verdict', () => {
  const g = gateOf(withIds('a-x=MUST:pass', 'b-x=MUST:not-verified'), false, new Set(['b-x']));
  assert.deepEqual(g, { passed: false, verdict: 'inconclusive', expectedFailures: [], unexpectedPasses: [] });
});
test('gateOf: setting aside every pass leaves nothing verified', () => {
  const g = gateOf(withIds('b-x=MUST:fail', 'c-x=MUST:not-applicable'), false, new Set(['b-x']));
  assert.equal(g.verdict, 'inconclusive');
  assert.equal(g.passed, false);
});
test('gateOf: strict mode gates a listed SHOULD the same way', () => {
  assert.equal(gateOf(withIds('a-x=MUST:pass', 's-x=SHOULD:fail'), true, new Set(['s-x'])).passed, true);
  assert.equal(gateOf(withIds('a-x=MUST:pass', 's-x=SHOULD:fail'), true, new Set()).passed, false);
});

// The exit status tells the verdicts apart; 2 stays the usage error (bad settings stop the run before any test).
const exits: Array<[string, string[], Set<string>, number]> = [
  ['conformant', ['a-x=MUST:pass'], new Set(), 0],
  ['non-conformant', ['a-x=MUST:pass', 'b-x=MUST:fail'], new Set(), 1],
  ['inconclusive (an error left a MUST not verified)', ['a-x=MUST:pass', 'b-x=MUST:not-verified'], new Set(), 3],
  ['an expected failure that passed', ['a-x=MUST:pass', 'b-x=MUST:pass'], new Set(['b-x']), 1],
  ['an expected failure set aside', ['a-x=MUST:pass', 'b-x=MUST:fail'], new Set(['b-x']), 0],
];
for (const [name, spec, expected, status] of exits) {
  test(`exitStatusOf: ${name} -> ${status}`, () => assert.equal(exitStatusOf(gateOf(withIds(...spec), false, expected)), status));
}
