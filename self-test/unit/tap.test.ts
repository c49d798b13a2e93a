import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeFailures, mergeSummaries, parseTap } from '../../suites/support/tap.ts';

/** What pgTAP's runtests() prints (1.2.0), one passing, one failing, one dead and one empty test function. */
const RUNTESTS = `    # Subtest: tests.test_a()
    ok 1 - first
    ok 2 - second
    1..2
ok 1 - tests.test_a
    # Subtest: tests.test_died()
    # Test died: P0001: I died
    #         DETAIL:     some detail
    1..0
not ok 2 - tests.test_died
# Failed test 2: "tests.test_died"
    # Subtest: tests.test_empty()
    1..0
    # No tests run!
not ok 3 - tests.test_empty
# Failed test 3: "tests.test_empty"
    # Subtest: tests.test_failing()
    not ok 1 - boom
    # Failed test 1: "boom"
    not ok 2 - one is two
    # Failed test 2: "one is two"
    #         have: 1
    #         want: 2
    1..2
    # Looks like you failed 2 tests of 2
not ok 4 - tests.test_failing
# Failed test 4: "tests.test_failing"
1..4
# Looks like you failed 3 tests of 4
`;

test('runtests output: every assertion, under its test function, with its diagnostics', () => {
  const s = parseTap(RUNTESTS);
  assert.equal(s.ok, false);
  assert.deepEqual(
    s.points.map((p) => [p.path.join('/'), p.name, p.ok]),
    [
      ['tests.test_a', 'first', true],
      ['tests.test_a', 'second', true],
      ['', 'tests.test_died', false],
      ['', 'tests.test_empty', false],
      ['tests.test_failing', 'boom', false],
      ['tests.test_failing', 'one is two', false],
    ],
  );
  const [died, empty, boom, oneIsTwo] = s.failures;
  assert.deepEqual(died.diagnostics, ['Test died: P0001: I died', '        DETAIL:     some detail']);
  assert.deepEqual(empty.diagnostics, ['No tests run!']);
  assert.deepEqual(boom.diagnostics, ['Failed test 1: "boom"']);
  // The tally after the plan belongs to no assertion.
  assert.deepEqual(oneIsTwo.diagnostics, ['Failed test 2: "one is two"', '        have: 1', '        want: 2']);
  assert.deepEqual(s.problems, []);
  assert.match(describeFailures(s), /^tests\.test_failing: not ok 2 - one is two\n {4}Failed test 2: "one is two"\n {12}have: 1/m);
});

test('a passing runtests run is ok', () => {
  const s = parseTap('    # Subtest: tests.test_a()\n    ok 1 - first\n    1..1\nok 1 - tests.test_a\n1..1\n');
  assert.equal(s.ok, true);
  assert.equal(s.points.length, 1);
  assert.equal(s.failures.length, 0);
});

test('a pgTAP file: leading plan, diagnostics after the failing point, the tally kept apart', () => {
  const s = parseTap('1..3\nok 1 - fine\nnot ok 2 - one is two\n# Failed test 2: "one is two"\n#         have: 1\nok 3 - last\n# Looks like you failed 1 test of 3\n');
  assert.deepEqual(s.failures.map((p) => [p.id, p.diagnostics.length]), [[2, 2]]);
  assert.deepEqual(s.points[2].diagnostics, []);
  assert.deepEqual(s.problems, []);
});

test('a broken plan is a problem even when an assertion failed too', () => {
  assert.deepEqual(parseTap('1..3\nok 1\nnot ok 2\n').problems, ['planned 3 tests but ran 2']);
  assert.deepEqual(parseTap('1..3\nok 1\nok 2\n').problems, ['planned 3 tests but ran 2']);
  assert.equal(parseTap('1..3\nok 1\nok 2\n').ok, false);
});

test('no plan, a bail out, or no output at all fail the run', () => {
  assert.equal(parseTap('ok 1\nok 2\n').ok, false);
  const bailed = parseTap('1..2\nok 1\nBail out! database gone\n');
  assert.equal(bailed.ok, false);
  assert.ok(bailed.problems.some((p) => p.includes('database gone')));
  assert.deepEqual(parseTap('').problems, ['no TAP output at all']);
  assert.deepEqual(parseTap('ok 1\nok 2\n').points[1].diagnostics, []);
});

test('skip-all: nothing checked, with the reason', () => {
  const s = parseTap('1..0 # SKIP there is no role nobody\n');
  assert.equal(s.skipAll, 'there is no role nobody');
  assert.deepEqual(s.problems, []);
  assert.equal(s.points.length, 0);
});

test('TODO failures are not failures; SKIP points pass', () => {
  const s = parseTap('1..3\nnot ok 1 - later # TODO not yet\nok 2 - skipped # SKIP no db\nok 3\n');
  assert.equal(s.ok, true);
  assert.equal(s.points[0].todo, 'not yet');
  assert.equal(s.points[1].skip, 'no db');
});

test('YAML diagnostics become lines', () => {
  const s = parseTap('1..1\nnot ok 1 - c\n  ---\n  message: hi\n  found: 3\n  ...\n');
  assert.deepEqual(s.failures[0].diagnostics, ['message: hi', 'found: 3']);
});

test('non-TAP output between points is ignored, as pg_prove ignores it', () => {
  assert.equal(parseTap('1..1\n42\nok 1 - fine\n').ok, true);
});

test('merged runs keep every point and problem', () => {
  const m = mergeSummaries([parseTap('1..1\nok 1\n'), parseTap('1..2\nnot ok 1 - x\n')]);
  assert.equal(m.points.length, 2);
  assert.equal(m.failures.length, 1);
  assert.deepEqual(m.problems, ['planned 2 tests but ran 1']);
  assert.equal(m.ok, false);
});

test('a check\'s findings become TAP in one place: a point a finding, a skip, or a skip for finding nothing', async () => {
  const { tapOfFindings } = await import('../../suites/support/database-tap.ts');
  const row = (ok: boolean, description: string, diagnostic = '') => ({ ok, description, diagnostic, skip: null });
  assert.equal(tapOfFindings([row(true, 'a is fine'), row(false, 'b is fine', 'b is not: fix b')], 'checks/x.sql'), 'ok 1 - a is fine\nnot ok 2 - b is fine\n# b is not: fix b\n1..2');
  assert.equal(tapOfFindings([{ ok: null, description: null, diagnostic: null, skip: 'no such role' }], 'checks/x.sql'), '1..0 # SKIP no such role');
  assert.equal(tapOfFindings([], 'checks/x.sql'), '1..0 # SKIP checks/x.sql found nothing to judge');
});
