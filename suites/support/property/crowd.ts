/**
 * The concurrent property's callers and what each may be answered. A crowd
 * is signed-in clients of several users (two sessions each), anonymous ones
 * with no cookie, one with a junk cookie and one with a logged-out cookie.
 * They all send at once; each answer must match its own caller only: the
 * identity, the rows, and any Set-Cookie. What was already checked one
 * request at a time (the model property) is the baseline; what is new here
 * is load, enough to put every pooled database connection to use, and
 * interleaving, which is where a setting that outlives its request shows.
 *
 * Callers act through the profile's API: current user and refresh only where
 * the deployment has them, the run's rows in its primary resource, told
 * apart by the model's record of them (not by an owner column).
 */
import { answersAs, Session, singleObject, type DeploymentApi, type Row } from '../../../fixtures/api.ts';
import type { HttpClient, HttpResponse } from '../../../fixtures/http.ts';
import type { Identity } from '../../../fixtures/identities.ts';
import { addSecret } from '../../../lib/redact.ts';
import { isDeletion, type SetCookie } from '../../../lib/set-cookie.ts';
import { rowsOf } from '../postgrest-rows.ts';
import { judgeSessionCookies, tokenInBody, type CookieRole } from './carry-over.ts';
import { expectThat, Mismatch, Unmet } from './mismatch.ts';
import { markedQuery, sameId, seenRow, showId } from './run-rows.ts';
import { refusedOpeningRequirement, revealOf, unrefusedRequirement, type SessionModel, type Standing } from './session-model.ts';

export type Action = 'current-user' | 'list' | 'refresh' | 'login' | 'login-wrong';

export interface Caller {
  label: string;
  client: Session;
  /** Where the caller stands: signed in (live) as a model user, or not. */
  standing: Standing;
  /** For signed-in callers: the identity current user must show. */
  identity?: Identity;
  /** For login actions: an account to log in to. */
  account?: Identity;
}

export interface Crowd {
  api: DeploymentApi;
  /** The crowd's users and sessions, and the run's rows: every signed-in caller must see exactly its user's and the shared ones. */
  model: SessionModel;
  callers: Caller[];
  marker: string;
  /** Every token a caller of the crowd holds. */
  tokens: () => string[];
  /** Refresh re-issues the same token on this deployment (a rotating one would retire tokens still in flight). */
  refreshKeepsToken: boolean;
}

/** The actions a caller may take: signed-in callers read and refresh, the others also log in; current user and refresh only where the deployment has them. */
export function actionsFor(caller: Caller, crowd: Crowd): Action[] {
  const reads: Action[] = crowd.api.has('currentUser') ? ['current-user', 'list'] : ['list'];
  const refresh = crowd.api.has('refresh');
  if (caller.standing.kind === 'live') return refresh && crowd.refreshKeepsToken ? [...reads, 'refresh'] : reads;
  return [...reads, ...(refresh ? ['refresh' as const] : []), 'login', 'login-wrong'];
}

const ROLE: Record<Action, CookieRole> = { 'current-user': 'none', list: 'none', refresh: 'refresh', login: 'opens', 'login-wrong': 'opens' };

/** One answer, with the token its request carried and the session cookie lines it set. */
export interface Answer {
  res: HttpResponse;
  presented?: string;
  cookies: SetCookie[];
}

/**
 * Sends the caller's request through a client of this run (so that the
 * run's trace holds it) carrying the caller's cookie; the caller's own
 * client is left as it was, whatever the answer sets.
 */
export async function ask(http: HttpClient, caller: Caller, action: Action, crowd: Crowd): Promise<Answer> {
  const as = new Session(http, crowd.api);
  as.token = caller.client.token;
  const presented = as.token;
  const res = await (() => {
    switch (action) {
      case 'current-user':
        return as.currentUser();
      case 'list':
        return as.rows(markedQuery(crowd.api.primary, crowd.marker));
      case 'refresh':
        return as.refresh();
      case 'login':
      case 'login-wrong': {
        const account = caller.account!;
        return as.login({ ...account, password: action === 'login' ? account.password : `${account.password}-wrong` });
      }
    }
  })();
  const cookies = as.sessionCookies(res);
  for (const c of cookies) addSecret(c.value);
  return { res, presented, cookies };
}

const short = (res: HttpResponse) => `${res.status} ${res.body.length > 200 ? `${res.body.slice(0, 200)}…` : res.body}`;

/** Holds one answer up to its caller; throws a Mismatch naming the requirement a difference breaks. */
export function judge(caller: Caller, action: Action, answer: Answer, crowd: Crowd): void {
  const { res, presented: own, cookies } = answer;
  const { api, model } = crowd;
  const finding = judgeSessionCookies(cookies, {
    role: ROLE[action],
    presented: own,
    callerLive: caller.standing.kind === 'live',
    foreign: (token) => token !== own && crowd.tokens().includes(token),
  });
  const who = `${caller.label}, ${action}`;
  if (finding) throw new Mismatch(finding.requirement, `${who}: ${finding.expected}`, `${finding.actual} (${res.status})`);
  expectThat(tokenInBody(res.body, crowd.tokens()) === undefined, 'token-not-exposed', `${who}: no session token in the body`, () => `a session token (redacted) in a ${res.status} body`);

  const issued = cookies.filter((c) => !isDeletion(c)).at(-1);
  const standing = caller.standing;
  const live = standing.kind === 'live';
  const refusal = `refused (${api.refusalText()})`;
  switch (action) {
    case 'current-user': {
      const me = res.ok ? singleObject<Row>(res) : undefined;
      const shownId = me?.[api.userIdField!];
      if (!live) {
        if (res.refused) return;
        const shown = shownId == null ? [] : [model.userById(shownId)];
        throw new Mismatch(unrefusedRequirement(standing, 'current-user', revealOf(standing, shown)), `${who}: ${refusal}`, short(res));
      }
      const userId = model.users[standing.session.user].userId;
      expectThat(res.ok, 'lifecycle-open', `${who}: answered for a live session`, () => short(res));
      const same = me !== undefined && answersAs(me, caller.identity!) !== false && sameId(shownId, userId);
      expectThat(same, 'isolation-current-user', `${who}: answers as ${api.loginOf(caller.identity!)} (${api.userIdField} ${showId(userId)})`, () => short(res));
      return;
    }
    case 'list': {
      const rows = rowsOf<Row>(res).map((r) => seenRow(api.primary, r));
      if (!live) {
        if (res.refused) return;
        const privateRows = rows.filter((r) => !r.shared);
        // Where anyone may read shared rows, an answer with none of the private ones is what anonymous callers get.
        if (api.primary.sharing === 'anyone' && res.ok && privateRows.length === 0) return;
        throw new Mismatch(unrefusedRequirement(standing, 'rows', revealOf(standing, model.ownersOf(privateRows))), `${who}: ${refusal}`, short(res));
      }
      expectThat(res.ok, 'lifecycle-open', `${who}: answered for a live session`, () => short(res));
      const found = model.compareListing(standing.session.user, rows);
      if (!found) return;
      if (!found.requirement) throw new Unmet(`${who}: the listing holds rows the crowd never made: ${found.actual}`);
      throw new Mismatch(found.requirement, `${who}: ${found.expected}`, found.actual);
    }
    case 'refresh':
      if (!live) {
        const requirement = unrefusedRequirement(standing, 'refresh', 'nothing');
        expectThat(res.refused && issued === undefined, requirement, `${who}: ${refusal} with no session cookie`, () => `${short(res)}${issued ? ' with a session cookie' : ''}`);
        return;
      }
      expectThat(res.ok, 'lifecycle-open', `${who}: answered for a live session`, () => short(res));
      // Its own token again, or a new one (a rotation); never another caller's, which judgeSessionCookies caught above.
      expectThat(issued !== undefined, 'refresh-reissues-cookie', `${who}: re-issues the session cookie`, () => `${res.status} with no session cookie`);
      return;
    case 'login': {
      // A caller with a junk cookie or an ended session's cookie counts as anonymous, and anonymous callers may log in.
      const requirement = own !== undefined && standing.kind === 'anonymous' ? 'robustness-hostile-cookie' : refusedOpeningRequirement(standing, res.refused);
      expectThat(res.ok && issued !== undefined, requirement, `${who}: answers 2xx with a session cookie`, () => short(res));
      expectThat(issued.value !== own && !crowd.tokens().includes(issued.value), 'token-fresh-on-login', `${who}: a token never seen before`, () => 'a token the crowd already holds');
      return;
    }
    case 'login-wrong':
      expectThat(res.credentialsRefused, 'lifecycle-bad-credentials', `${who}: refused (${api.refusalText('badCredentials')})`, () => short(res));
      expectThat(issued === undefined, 'cookie-none-on-failure', `${who}: no session cookie`, () => `${res.status} with a session cookie`);
      return;
  }
}
