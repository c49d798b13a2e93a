import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { parseSetCookie, type SetCookie } from '../../lib/set-cookie.ts';
import { budgetFrom, replayCommand, replayPathOf } from '../../suites/support/property/budget.ts';
import { judgeSessionCookies, tokenInBody, type CookieContext } from '../../suites/support/property/carry-over.ts';
import { cookieHeaderOf, describeHeader, hostileHeader, hostileLogin } from '../../suites/support/property/hostile.ts';
import { markedQuery, sameId, seenRow } from '../../suites/support/property/run-rows.ts';
import { DeploymentApi } from '../../fixtures/api.ts';
import { loadProfile } from '../../lib/profile.ts';

const DEFAULTS = { runs: 20, timeCapMs: 10_000, shrinkCapMs: 5_000 };

test('budget: defaults with time caps; FC_RUNS lifts the caps; FC_BUDGET scales them; FC_SHRINK_MS sets the shrink cap; FC_PATH needs FC_SEED', () => {
  assert.deepEqual(budgetFrom({}, DEFAULTS), { runs: 20, minRuns: 5, seed: undefined, path: undefined, replayPath: undefined, timeCapMs: 10_000, shrinkCapMs: 5_000 });
  const more = budgetFrom({ FC_RUNS: '500' }, DEFAULTS);
  assert.equal(more.runs, 500);
  assert.equal(more.timeCapMs, undefined);
  const replay = budgetFrom({ FC_SEED: '-42', FC_PATH: '3:0:1', FC_REPLAY: 'AB:C' }, DEFAULTS);
  assert.deepEqual([replay.seed, replay.path, replay.replayPath, replay.timeCapMs], [-42, '3:0:1', 'AB:C', undefined]);
  assert.throws(() => budgetFrom({ FC_PATH: '1' }, DEFAULTS), /FC_SEED/);
  assert.equal(budgetFrom({ FC_SHRINK_MS: '0' }, DEFAULTS).shrinkCapMs, 0, 'no shrinking');
  assert.equal(budgetFrom({ FC_SHRINK_MS: '1500', FC_RUNS: '9' }, DEFAULTS).shrinkCapMs, 1500, 'a shrink cap with FC_RUNS too');
  assert.throws(() => budgetFrom({ FC_SHRINK_MS: '-1' }, DEFAULTS), /FC_SHRINK_MS/);
  assert.deepEqual(
    [budgetFrom({ FC_BUDGET: '0.5' }, DEFAULTS).runs, budgetFrom({ FC_BUDGET: '0.5' }, DEFAULTS).timeCapMs],
    [10, 5_000],
    'FC_BUDGET scales runs and the time cap',
  );
  assert.equal(budgetFrom({ FC_BUDGET: '0.01' }, DEFAULTS).runs, 5, 'never below the floor of runs');
  assert.equal(budgetFrom({ FC_BUDGET: '0.01' }, { ...DEFAULTS, minRuns: 2 }).runs, 2, 'a property may set its own floor');
  assert.equal(budgetFrom({ FC_RUNS: '3' }, DEFAULTS).runs, 3, 'FC_RUNS is taken as given: below the floor the property is then not verified');
  assert.throws(() => budgetFrom({ FC_BUDGET: 'lots' }, DEFAULTS), /FC_BUDGET/);
  assert.throws(() => budgetFrom({ FC_RUNS: 'many' }, DEFAULTS), /FC_RUNS="many" is not valid/);
  assert.throws(() => budgetFrom({ FC_RUNS: '0' }, DEFAULTS), /at least 1/);
  assert.throws(() => budgetFrom({ FC_SEED: '1', FC_PATH: '1;rm' }, DEFAULTS), /FC_PATH/);
});

test('budget: the replay command is one shell line that selects the one test', () => {
  const line = replayCommand({ seed: 7, path: '0:2', replayPath: 'AB"C', file: 'suites/property/model.spec.ts', title: "model: it's (all) fine" });
  assert.equal(line, `FC_SEED=7 FC_PATH=0:2 FC_REPLAY='AB"C' npx playwright test suites/property/model.spec.ts --project=http -g 'model: it'\\''s \\(all\\) fine'`);
  assert.equal(replayPathOf('login(c0, right password),refresh(c0) /*replayPath="BBG:qq"*/'), 'BBG:qq');
  assert.equal(replayPathOf('no metadata'), undefined);
});

const cookie = (line: string): SetCookie => parseSetCookie(line)!;
const ctx = (over: Partial<CookieContext>): CookieContext => ({ role: 'none', presented: 'MINE', callerLive: true, foreign: (t) => t === 'THEIRS', ...over });

test('carry-over: a session cookie a request did not cause is found, its own is not', () => {
  assert.equal(judgeSessionCookies([], ctx({})), undefined);
  assert.equal(judgeSessionCookies([cookie('s=MINE; Path=/')], ctx({})), undefined, 'the caller\'s own cookie sent again');
  assert.equal(judgeSessionCookies([cookie('s=THEIRS; Path=/')], ctx({ role: 'refresh' }))?.requirement, 'isolation-request-scoped');
  assert.equal(judgeSessionCookies([cookie('s=NEW; Path=/')], ctx({}))?.requirement, 'isolation-request-scoped', 'a new session from a read endpoint');
  assert.equal(judgeSessionCookies([cookie('s=NEW; Path=/')], ctx({ role: 'opens', presented: undefined, callerLive: false })), undefined);
  assert.equal(judgeSessionCookies([cookie('s=NEW; Path=/')], ctx({ role: 'refresh' })), undefined, 'a rotating refresh');
  assert.equal(judgeSessionCookies([cookie('s=; Path=/; Max-Age=0')], ctx({}))?.requirement, 'isolation-request-scoped', 'a live caller signed out by a read');
  assert.equal(judgeSessionCookies([cookie('s=; Path=/; Max-Age=0')], ctx({ callerLive: false })), undefined, 'clearing a dead cookie is allowed');
  assert.equal(judgeSessionCookies([cookie('s=; Path=/; Max-Age=0')], ctx({ role: 'logout' })), undefined);
  assert.equal(judgeSessionCookies([cookie('s=A'), cookie('s=B')], ctx({ role: 'opens' }))?.requirement, 'cookie-single');
  assert.equal(tokenInBody('{"t":"abc-123"}', ['zzz', 'abc-123']), 'abc-123');
  assert.equal(tokenInBody('{}', ['', 'zzz']), undefined);
});

test('hostile headers: sendable (no control characters), and reported with the session name as a placeholder', () => {
  for (const h of fc.sample(hostileHeader, { numRuns: 200, seed: 1 })) {
    const header = cookieHeaderOf(h, 'session_token');
    assert.ok(!/[\u0000-\u0008\u000a-\u001f\u007f]/.test(header), JSON.stringify(header.slice(0, 80)));
    assert.ok([...header].every((ch) => ch.charCodeAt(0) <= 0xff), 'a ByteString: UTF-8 bytes, not characters');
  }
  const text = describeHeader({ cookies: [{ name: null, value: 'x'.repeat(100) }, { name: 'a', value: 'b' }], separator: '; ' });
  assert.match(text, /<session cookie> = "x{80}"… \(100 characters\)/);
  assert.ok(!text.includes('session_token'));
});

test('hostile logins are shaped as the deployment identifies users; raw ones are sent as they are', () => {
  assert.equal(hostileLogin({ loginShape: 'wrapped', login: "o'x" }, 'email', 'u1'), "cnf-u1-o'x@example.test");
  assert.equal(hostileLogin({ loginShape: 'wrapped', login: "o'x" }, 'username', 'u1'), "cnf_u1_o'x");
  assert.equal(hostileLogin({ loginShape: 'raw', login: '' }, 'username', 'u1'), '');
});

test('run rows: the marker listing and ids read the same whether numbers or text', () => {
  const api = new DeploymentApi(loadProfile({}));
  const query = markedQuery(api.primary, 'cnf-prop-ab-');
  assert.ok(query.startsWith(`?${api.primary.textColumn}=like.cnf-prop-ab-*&order=${api.primary.idColumn}`), query);
  assert.ok(sameId(7, '7') && !sameId(7, 8) && !sameId(undefined, undefined) && !sameId(null, 'null'));
  const row = seenRow(api.primary, { ...api.primary.patchText('t'), ...api.primary.patchOwner(5), ...api.primary.patchShared(true), [api.primary.idColumn]: 1 });
  assert.deepEqual(row, { id: 1, ownerId: 5, text: 't', shared: true });
});
