import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { DeploymentApi } from '../../fixtures/api.ts';
import { loadProfile, type Profile } from '../../lib/profile.ts';
import { actionsFor, type Caller } from '../../suites/support/property/crowd.ts';
import { modelCommandArbitraries } from '../../suites/support/property/model-commands.ts';
import { refusedOpeningRequirement, resolvePick, revealOf, SessionModel, unrefusedRequirement } from '../../suites/support/property/session-model.ts';
import type { SeenRow } from '../../suites/support/property/run-rows.ts';

/** Three registered users with known ids 101, 102, 103. */
function world(): SessionModel {
  const m = new SessionModel();
  m.users.forEach((u, i) => {
    u.registered = true;
    assert.ok(m.learnUserId(i, 101 + i));
  });
  return m;
}

/** A row as the server would list it, from the model's record (ids as the server gives them). */
const row = (m: SessionModel, id: number, patch: Partial<SeenRow> = {}): SeenRow => {
  const r = m.rowById(id)!;
  return { id: r.id, ownerId: m.users[r.owner].userId, text: r.text, shared: r.shared, ...patch };
};

test('model: clients of a user, siblings, and where a client stands', () => {
  assert.equal(SessionModel.userOf(0), 0);
  assert.equal(SessionModel.userOf(5), 2);
  assert.equal(SessionModel.siblingOf(2), 3);
  assert.equal(SessionModel.siblingOf(3), 2);
  const m = world();
  assert.equal(m.standing(0).kind, 'anonymous');
  const s = m.open(0);
  assert.equal(m.standing(0).kind, 'live');
  m.share(0, 1);
  m.end(s, 'expiry');
  assert.deepEqual([m.standing(0).kind, m.standing(1).kind], ['dead', 'dead']);
  assert.ok(m.signedOut(1) && !m.mayBeSignedIn(1));
  m.drop(0);
  assert.equal(m.standing(0).kind, 'anonymous');
});

test('model: a logout leaves the user\'s other sessions unsure until their next answer settles it', () => {
  const m = world();
  const a = m.open(0);
  const b = m.open(1);
  const other = m.open(2);
  m.end(a, 'logout');
  assert.equal(m.standing(1).kind, 'unsure');
  assert.equal(m.standing(2).kind, 'live', "another user's session is not touched");
  assert.ok(!m.signedOut(1) && m.mayBeSignedIn(1), 'an unsure client neither logs in nor counts as signed in');
  m.settle(b, true);
  assert.equal(m.standing(1).kind, 'live');
  const c = m.open(1);
  m.end(m.open(0), 'logout');
  m.settle(c, false);
  assert.deepEqual(m.standing(1), { kind: 'dead', session: c, death: 'logout' });
  assert.equal(other.unsure, false);
});

test('model: a rotating refresh retires the old session and opens one of the same user', () => {
  const m = world();
  const old = m.open(4);
  m.share(4, 5);
  const next = m.rotate(4, old);
  assert.equal(next.user, 2);
  assert.equal(m.standing(4).kind, 'live');
  assert.deepEqual(m.standing(5), { kind: 'dead', session: old, death: 'rotation' });
});

test('model: user ids are learned once and never shared', () => {
  const m = new SessionModel();
  assert.ok(m.learnUserId(0, 7));
  assert.ok(m.learnUserId(0, 7));
  assert.ok(!m.learnUserId(0, 8), 'a user does not change id');
  assert.ok(!m.learnUserId(1, 7), 'two users do not share an id');
  assert.ok(m.learnUserId(0, '7'), 'the same id, given as text');
  assert.ok(!m.learnUserId(2, undefined), 'an answer without an id teaches nothing');
  assert.equal(m.userById(7), 0);
  assert.equal(m.userById('7'), 0);
});

test('model: the listing a user must see, and what each difference breaks', () => {
  const m = world();
  m.rows.push(
    { id: 1, owner: 0, text: 'a-private', shared: false, deleted: false },
    { id: 2, owner: 0, text: 'a-shared', shared: true, deleted: false },
    { id: 3, owner: 1, text: 'b-private', shared: false, deleted: false },
    { id: 4, owner: 1, text: 'b-gone', shared: true, deleted: true },
  );
  assert.deepEqual(m.visibleTo(1).map((r) => r.id), [2, 3]);
  assert.equal(m.compareListing(1, [row(m, 2), row(m, 3)]), undefined);
  assert.equal(m.compareListing(1, [row(m, 2, { id: '2' }), row(m, 3)]), undefined, 'an id given as text is the same row');
  assert.equal(m.compareListing(1, [row(m, 1), row(m, 2), row(m, 3)])?.requirement, 'isolation-read');
  assert.equal(m.compareListing(1, [row(m, 2)])?.requirement, 'isolation-public');
  assert.equal(m.compareListing(1, [row(m, 2, { text: 'changed' }), row(m, 3)])?.requirement, 'isolation-write');
  assert.equal(m.compareListing(1, [row(m, 2, { shared: false }), row(m, 3)])?.requirement, 'isolation-write');
  assert.equal(m.compareListing(1, [row(m, 2, { ownerId: 102 }), row(m, 3)])?.requirement, 'isolation-write');
  const unknown = m.compareListing(1, [row(m, 2), row(m, 3), { id: 99, ownerId: 101, text: 'x', shared: true }]);
  assert.ok(unknown && unknown.requirement === undefined, 'rows the model never saw made prove nothing');
  const resurrected = m.compareListing(1, [row(m, 2), row(m, 3), row(m, 4)]);
  assert.ok(resurrected && resurrected.requirement === undefined, 'a deleted row coming back is not attributed');
  assert.deepEqual(m.ownersOf([row(m, 3), { id: 98, ownerId: 103, text: 'y', shared: false }, { id: 97, ownerId: 999, text: 'z', shared: false }]), [1, 2, undefined], 'by the model, else by the owner id, else unknown');
});

test('model: which requirement an answer breaks when it should have been a refusal', () => {
  const m = world();
  const anonymous = { kind: 'anonymous' } as const;
  const s = m.open(0);
  m.end(s, 'logout');
  const loggedOut = m.standing(0);
  const expired = { kind: 'dead', session: { ...s, death: 'expiry' as const }, death: 'expiry' as const } as const;
  assert.equal(unrefusedRequirement(anonymous, 'current-user', 'nothing'), 'lifecycle-anonymous-refused');
  assert.equal(unrefusedRequirement(anonymous, 'current-user', 'stranger'), 'isolation-request-scoped');
  assert.equal(unrefusedRequirement(loggedOut, 'current-user', 'holder'), 'lifecycle-logout-ends-session');
  assert.equal(unrefusedRequirement(loggedOut, 'rows', 'nothing'), 'lifecycle-logout-ends-session', 'a dead cookie that opens the list still counts');
  assert.equal(unrefusedRequirement(loggedOut, 'logout', 'nothing'), 'lifecycle-anonymous-refused');
  assert.equal(unrefusedRequirement(loggedOut, 'write', 'nothing'), 'lifecycle-anonymous-refused');
  assert.equal(unrefusedRequirement(anonymous, 'rows', 'nothing'), 'lifecycle-anonymous-refused');
  assert.equal(unrefusedRequirement(expired, 'rows', 'holder'), 'expiry-enforced');
  assert.equal(unrefusedRequirement(expired, 'refresh', 'nothing'), 'refresh-no-revival');
  assert.equal(unrefusedRequirement(loggedOut, 'refresh', 'nothing'), 'refresh-requires-session');
  assert.equal(unrefusedRequirement(anonymous, 'refresh', 'nothing'), 'refresh-requires-session');
  assert.equal(unrefusedRequirement(anonymous, 'refresh', 'stranger'), 'isolation-request-scoped');

  assert.equal(revealOf(loggedOut, []), 'nothing');
  assert.equal(revealOf(loggedOut, [0]), 'holder');
  assert.equal(revealOf(loggedOut, [0, 1]), 'stranger');
  assert.equal(revealOf(loggedOut, [undefined]), 'stranger', 'a user the model does not know is not the holder');
  assert.equal(revealOf(anonymous, [0]), 'stranger', 'an anonymous caller holds nobody: any identity came from elsewhere');

  assert.equal(refusedOpeningRequirement(expired, true), 'expiry-enforced', 'a login refused because the expired cookie still counted');
  assert.equal(refusedOpeningRequirement(expired, false), 'lifecycle-open');
  assert.equal(refusedOpeningRequirement(anonymous, true), 'lifecycle-open');
});

test('model: relative client picks resolve against the state, or skip the command', () => {
  const m = world();
  assert.equal(resolvePick(m, { kind: 'signed-in', nth: 0 }), undefined);
  assert.equal(resolvePick(m, { kind: 'signed-out', nth: 7 }), 1);
  m.open(1);
  m.open(4);
  m.lastClient = 1;
  assert.equal(resolvePick(m, { kind: 'same' }), 1);
  assert.equal(resolvePick(m, { kind: 'client', index: 3 }), 3);
  assert.equal(resolvePick(m, { kind: 'signed-in', nth: 1 }), 4);
  assert.equal(resolvePick(m, { kind: 'other-user', nth: 0 }), 4, "the live client of another user than the last one's");
  assert.equal(resolvePick(m, { kind: 'stale', nth: 0 }), undefined);
  m.end(m.sessions[1], 'expiry');
  assert.equal(resolvePick(m, { kind: 'stale', nth: 3 }), 4);
  assert.equal(resolvePick(m, { kind: 'other-user', nth: 0 }), undefined);
});

/** The reference's profile with changes: a deployment of another shape. */
function apiOf(change: (p: Profile) => void = () => {}): DeploymentApi {
  const profile = structuredClone(loadProfile({}));
  change(profile);
  return new DeploymentApi(profile);
}

/** The names of the commands fast-check generates for this deployment. */
function generated(api: DeploymentApi, withExpiry: boolean): Set<string> {
  const names = new Set<string>();
  const lists = fc.sample(fc.commands(modelCommandArbitraries(api, withExpiry), { maxCommands: 60 }), { numRuns: 40, seed: 3 });
  for (const list of lists) for (const command of list) names.add(String(command).split('(')[0]);
  return names;
}

test('model: a command the deployment cannot take is never generated', () => {
  const reference = generated(apiOf(), true);
  for (const name of ['register', 'login', 'logout', 'refresh', 'expire', 'open-tab', 'current-user', 'create-row', 'create-row-as-another', 'list-rows', 'retext', 'toggle-shared', 'delete']) {
    assert.ok(reference.has(name), `the reference gets ${name}`);
  }
  const bare = generated(
    apiOf((p) => {
      delete p.session.refresh;
      delete p.session.currentUser;
      delete p.resources[0].visibility;
    }),
    false,
  );
  for (const name of ['refresh', 'expire', 'current-user', 'toggle-shared']) assert.ok(!bare.has(name), `no ${name} without what it needs`);
  assert.ok(bare.has('create-row') && bare.has('list-rows') && bare.has('retext'));
});

test('crowd: callers read, refresh and log in only through calls the deployment has', () => {
  const crowdOf = (api: DeploymentApi, refreshKeepsToken = true) => ({ api, model: new SessionModel(), callers: [], marker: 'm-', tokens: () => [], refreshKeepsToken });
  const live = { label: 'live', client: undefined!, standing: { kind: 'live', session: { id: 0, user: 0, unsure: false } } } as Caller;
  const anonymous = { label: 'anonymous', client: undefined!, standing: { kind: 'anonymous' } } as Caller;
  assert.deepEqual(actionsFor(live, crowdOf(apiOf())), ['current-user', 'list', 'refresh']);
  assert.deepEqual(actionsFor(live, crowdOf(apiOf(), false)), ['current-user', 'list'], 'a rotating refresh would retire tokens still in flight');
  assert.deepEqual(actionsFor(anonymous, crowdOf(apiOf())), ['current-user', 'list', 'refresh', 'login', 'login-wrong']);
  const bare = apiOf((p) => {
    delete p.session.refresh;
    delete p.session.currentUser;
  });
  assert.deepEqual(actionsFor(live, crowdOf(bare)), ['list']);
  assert.deepEqual(actionsFor(anonymous, crowdOf(bare)), ['list', 'login', 'login-wrong']);
});
