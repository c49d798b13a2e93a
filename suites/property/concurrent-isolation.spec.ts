/**
 * Concurrent isolation, generated: a crowd of callers (three users with two
 * sessions each, anonymous callers with no cookie, a junk cookie and a
 * logged-out cookie) send interleaved requests all at once, enough of them
 * in flight to keep every connection of PostgREST's pool (10 by default)
 * busy. Every answer must match its own caller only: current user (where the
 * deployment has it), the rows listed, and Set-Cookie only from session
 * endpoints and only with the caller's own token. A setting made session-wide instead of
 * transaction-local (the user id, response.headers) shows up here as one
 * caller answered with another's identity or cookie. See
 * support/property/crowd.ts for what each caller may be answered.
 */
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { Session, singleObject, type DeploymentApi, type Row } from '../../fixtures/api.ts';
import type { TargetDatabase } from '../../fixtures/database.ts';
import { HttpClient, type HttpResponse } from '../../fixtures/http.ts';
import { newIdentity } from '../../fixtures/identities.ts';
import { cites } from '../../fixtures/requirements.ts';
import { test } from '../../fixtures/test.ts';
import { forgeLike } from '../support/forge-token.ts';
import { rowsOf } from '../support/postgrest-rows.ts';
import { actionsFor, ask, judge, type Action, type Caller, type Crowd } from '../support/property/crowd.ts';
import { assume, expectThat } from '../support/property/mismatch.ts';
import { checkProperty, citesAtRunTime } from '../support/property/run-property.ts';
import { seenRow, showId } from '../support/property/run-rows.ts';
import { MODEL_REQUIREMENTS, MODEL_REQUIREMENTS_BY_CALL, SessionModel, type ModelSession } from '../support/property/session-model.ts';

/** Requests in flight at once: well above the pool, so that every pooled connection serves requests of several callers. */
const IN_FLIGHT = 24;

/**
 * Builds a crowd from nothing: registers and signs in its users, gives each a
 * private row and a shared one (two private ones where rows cannot be
 * shared). Every run gathers its own, so that no run (nor shrinking's
 * re-runs) inherits what an earlier one did to the server.
 */
async function gather(http: HttpClient, api: DeploymentApi): Promise<Crowd> {
  const client = () => new Session(http, api);
  const resource = api.primary;
  // A request that opens no session must leave the client's cookie alone: a new one is someone else's, left on the connection.
  const steady = async (session: Session, what: string, request: () => Promise<HttpResponse>) => {
    const before = session.token;
    const res = await request();
    expectThat(session.token === before, 'isolation-request-scoped', `${what}: no session cookie the request did not ask for`, () => `${res.status} with a session cookie`);
    return res;
  };
  /** The caller's id as current user answers it, where the deployment has current user. */
  const idOf = async (session: Session): Promise<unknown> => {
    if (!api.has('currentUser')) return undefined;
    const me = singleObject<Row>(await steady(session, api.nameOf('currentUser'), () => session.currentUser()));
    const id = me?.[api.userIdField!];
    assume(id !== undefined && id !== null, () => `${api.nameOf('currentUser')} answered without ${api.userIdField}: check profile field session.currentUser.idField`);
    return id;
  };
  const model = new SessionModel();
  const marker = `cnf-crowd-${randomBytes(6).toString('hex')}-`;
  const callers: Caller[] = [];
  let refreshKeepsToken = true;

  for (let user = 0; user < model.users.length; user += 1) {
    const identity = newIdentity(`crowd-u${user}`);
    const sessions = [client(), client()];
    assume((await sessions[0].register(identity)).ok && sessions[0].token !== undefined, () => `user ${user} could not register`);
    assume((await sessions[1].login(identity)).ok && sessions[1].token !== undefined, () => `user ${user} could not log in a second time`);
    model.users[user].registered = true;
    for (const [i, shared] of (resource.sharing === 'none' ? [false, false] : [false, true]).entries()) {
      const text = `${marker}${user}-${i}`;
      const res = await steady(sessions[0], `creating a row in ${resource.name}`, () => sessions[0].createRow({ text, shared }));
      const row = rowsOf<Row>(res).map((r) => seenRow(resource, r))[0];
      assume(res.ok && row?.id !== undefined, () => `user ${user} could not create a row in ${resource.name} (${res.status}), or it came back without ${resource.idColumn}: check profile field resources[0].idColumn`);
      // The model property calls this symptom a violation too: the server filed the row under another caller's id.
      const filed = row.ownerId === undefined || model.learnUserId(user, row.ownerId);
      expectThat(filed, 'isolation-request-scoped', `user ${user}'s new row is filed under their own ${resource.ownerColumn}`, () => `filed under ${showId(row.ownerId)}, another user's`);
      model.rows.push({ id: row.id, owner: user, text, shared: row.shared, deleted: false });
    }
    // The user's id, for current user's answers: its rows showed it, else current user is asked.
    if (model.users[user].userId === undefined) {
      const id = await idOf(sessions[0]);
      expectThat(id === undefined || model.learnUserId(user, id), 'isolation-current-user', `${api.nameOf('currentUser')} answers user ${user} with an id of their own`, () => `${api.userIdField} ${showId(id)}, another user's`);
    }
    for (const [i, session] of sessions.entries()) {
      if (api.has('refresh')) {
        const before = session.token;
        assume((await session.refresh()).ok, () => `user ${user} could not refresh`);
        if (session.token !== before) refreshKeepsToken = false;
      }
      const live = model.open(user * 2 + i);
      callers.push({ label: `user ${user} session ${i + 1}`, client: session, standing: { kind: 'live', session: live }, identity });
    }
  }

  // An account outside the three: its logged-out cookie is replayed, and the anonymous callers log in to it.
  const outsider = newIdentity('crowd-outsider');
  const ended = client();
  assume((await ended.register(outsider)).ok && ended.token !== undefined, () => 'could not register the outsider');
  const endedToken = ended.token;
  const outsiderId = await idOf(ended);
  assume((await ended.logout()).ok, () => 'could not log the outsider out');
  ended.token = endedToken;
  const fourth = model.users.push({ registered: true, userId: outsiderId }) - 1;
  const endedSession: ModelSession = { id: -1, user: fourth, death: 'logout', unsure: false };
  const junk = client();
  junk.token = forgeLike(endedToken);
  const account = outsider;
  callers.push(
    { label: 'anonymous caller 1', client: client(), standing: { kind: 'anonymous' }, account },
    { label: 'anonymous caller 2', client: client(), standing: { kind: 'anonymous' }, account },
    { label: 'caller with a junk cookie', client: junk, standing: { kind: 'anonymous' }, account },
    { label: 'caller with a logged-out cookie', client: ended, standing: { kind: 'dead', session: endedSession, death: 'logout' }, account },
  );

  const tokens = () => callers.map((c) => c.client.token).filter((t): t is string => t !== undefined);
  return { api, model, callers, marker, tokens, refreshKeepsToken };
}

const describeRequest = ([caller, action]: [Caller, Action]) => `${caller.label}: ${action}`;

interface Request {
  caller: number;
  action: number;
}

const burst = fc.array(fc.record({ caller: fc.nat({ max: 99 }), action: fc.nat({ max: 99 }) }), { minLength: 60, maxLength: 160 });

// The model's requirements, and the junk cookies some callers send; refresh and current user where the deployment has them.
test('concurrent isolation: under load, every answer matches its own caller only', cites(...MODEL_REQUIREMENTS, 'robustness-hostile-cookie'), async ({ target, api, database }) => {
  test.setTimeout(60_000);
  if (api.has('refresh')) citesAtRunTime(...MODEL_REQUIREMENTS_BY_CALL.refresh);
  if (api.has('currentUser')) citesAtRunTime(...MODEL_REQUIREMENTS_BY_CALL.currentUser);
  const resolve = (crowd: Crowd, r: Request): [Caller, Action] => {
    const caller = crowd.callers[r.caller % crowd.callers.length];
    const actions = actionsFor(caller, crowd);
    return [caller, actions[r.action % actions.length]];
  };
  let busiest = 0;
  let lastCrowd: Crowd | undefined;

  await checkProperty({
    arbitrary: burst,
    defaults: { runs: 3, minRuns: 2, timeCapMs: 6_000, shrinkCapMs: 8_000 },
    describe: (requests) =>
      `${requests.length} requests sent ${IN_FLIGHT} at a time, in this order:\n${requests.map((r, i) => `  ${i + 1}. ${lastCrowd ? describeRequest(resolve(lastCrowd, r)) : JSON.stringify(r)}`).join('\n')}`,
    run: async (requests, trace) => {
      const http = new HttpClient(target.baseUrl, trace.exchanges);
      trace.note('gather the crowd: three users with two sessions each, their rows, an outsider logged out');
      const crowd = await gather(http, api);
      lastCrowd = crowd;
      const failures: Array<{ at: number; error: unknown }> = [];
      let next = 0;
      const worker = async () => {
        while (next < requests.length) {
          const at = next++;
          const [caller, action] = resolve(crowd, requests[at]);
          trace.note(`#${at + 1} ${caller.label}: ${action}`);
          const answer = await ask(http, caller, action, crowd);
          try {
            judge(caller, action, answer, crowd);
          } catch (error) {
            failures.push({ at, error });
          }
        }
      };
      const watch = database ? watchPool(database, target.config.dbAuthenticatorRole, (n) => (busiest = Math.max(busiest, n))) : undefined;
      // Every worker ends before the run does, even when one fails: no request of this run may outlive it.
      const ended = await Promise.allSettled(Array.from({ length: IN_FLIGHT }, worker));
      await watch?.();
      const crashed = ended.find((e): e is PromiseRejectedResult => e.status === 'rejected');
      if (crashed) throw crashed.reason;
      failures.sort((a, b) => a.at - b.at);
      if (failures.length) throw failures[0].error;
    },
  });
  if (database) test.info().annotations.push({ type: 'pool', description: `up to ${busiest} connections of the authenticator role seen at once` });
});

/** Samples how many connections PostgREST holds while a burst runs; returns a function that stops sampling. */
function watchPool(db: TargetDatabase, role: string, seen: (n: number) => void): () => Promise<void> {
  let stop = false;
  const loop = (async () => {
    while (!stop) {
      const { rows } = await db.query<{ n: string }>('select count(*) as n from pg_stat_activity where usename = $1', [role]);
      seen(Number(rows[0].n));
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  return async () => {
    stop = true;
    await loop;
  };
}
