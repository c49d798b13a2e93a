import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { budgetFrom } from '../../suites/support/property/budget.ts';
import { explore } from '../../suites/support/property/explore.ts';
import { Mismatch, Unmet } from '../../suites/support/property/mismatch.ts';
import { SuiteError } from '../../fixtures/requirements.ts';

const budget = (over: Partial<ReturnType<typeof budgetFrom>> = {}) => ({ ...budgetFrom({ FC_SEED: '42' }, { runs: 40, timeCapMs: 60_000, shrinkCapMs: 60_000 }), ...over });
const arbitrary = fc.integer({ min: 0, max: 1000 });

test('a violation is kept through shrinking: smaller values that hit a precondition or an error never replace it', async () => {
  // Values of 100 and more violate; below 50 the run cannot even start, and 50 to 99 meet a network fault.
  const run = async (n: number) => {
    if (n < 50) throw new Unmet('the user could not register');
    if (n < 100) throw new SuiteError('network', 'POST /rpc/login: connection reset');
    throw new Mismatch('isolation-read', 'no private row of another user', `row ${n}`);
  };
  const { failure, details } = await explore({ arbitrary: arbitrary.filter((n) => n >= 100), run }, budget());
  assert.ok(failure?.error instanceof Mismatch);
  assert.equal((failure.error as Mismatch).requirement, 'isolation-read');
  // Shrunk as far as the same violation goes, and no further.
  assert.equal(details.counterexample?.[0], 100);
});

test('only the same violation may stand for the counterexample while shrinking', async () => {
  const run = async (n: number) => {
    if (n >= 500) throw new Mismatch('isolation-read', 'x', String(n));
    if (n >= 10) throw new Mismatch('cookie-single', 'y', String(n));
  };
  const { failure, details } = await explore({ arbitrary: arbitrary.filter((n) => n >= 500), run }, budget());
  assert.equal((failure?.error as Mismatch).requirement, 'isolation-read');
  assert.equal(details.counterexample?.[0], 500);
});

test('an error stops the property at once: no shrinking, no further runs', async () => {
  let calls = 0;
  const run = async (n: number) => {
    calls += 1;
    if (n > 3) throw new SuiteError('check', 'checks/db-x.sql stopped at 42601: syntax error');
  };
  const { failure, details } = await explore({ arbitrary, run }, budget());
  assert.ok(failure?.error instanceof SuiteError);
  assert.equal(details.numShrinks, 0);
  assert.ok(calls <= 3, `${calls} runs made`);
});

test('examples do not count towards the floor, and the time cap does not stop runs below it', async () => {
  const slow = async () => new Promise<void>((r) => setTimeout(r, 10));
  const withExamples = await explore({ arbitrary, run: slow, examples: [1, 2, 3] }, budget({ runs: 5, minRuns: 5 }));
  assert.equal(withExamples.completed, 5);
  // A cap shorter than the floor's runs: the floor is still made, and little more.
  const capped = await explore({ arbitrary, run: slow }, budget({ runs: 50, minRuns: 4, timeCapMs: 25 }));
  assert.ok(capped.completed >= 4 && capped.completed <= 6, `${capped.completed} runs`);
});

test('past three times its cap a property stops below the floor, which leaves it unproven', async () => {
  const slow = async () => new Promise<void>((r) => setTimeout(r, 60));
  const { completed, failure } = await explore({ arbitrary, run: slow }, budget({ runs: 50, minRuns: 20, timeCapMs: 50 }));
  assert.equal(failure, undefined);
  assert.ok(completed < 20, `${completed} runs`);
});

test('a network fault voids its run, and the property goes on; past the allowance it is an error', async () => {
  let faults = 2;
  const flaky = async () => {
    if (faults-- > 0) throw new SuiteError('network', 'POST /rpc/login: connection reset');
  };
  const survived = await explore({ arbitrary, run: flaky }, budget({ runs: 6, minRuns: 6 }));
  assert.equal(survived.failure, undefined);
  assert.deepEqual([survived.completed, survived.voided], [6, 2]);
  const down = async () => {
    throw new SuiteError('timeout', 'GET /todos: no answer within 15 s');
  };
  const stopped = await explore({ arbitrary, run: down }, budget({ runs: 6, minRuns: 6 }));
  assert.ok(stopped.failure?.error instanceof SuiteError);
  assert.equal(stopped.voided, 3);
  // A hook that does not fit is no network fault: it stops the property at once.
  const hook = await explore({ arbitrary, run: async () => { throw new SuiteError('hook', 'EXPIRE_SESSION_SQL failed'); } }, budget());
  assert.equal(hook.voided, 0);
});
