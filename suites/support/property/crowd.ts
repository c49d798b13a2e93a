/**
 * The concurrent property's callers and what each may be answered. A crowd
 * is signed-in clients of several users (two sessions each), anonymous ones
 * with no cookie, one with a junk cookie and one with a logged-out cookie.
 * They all send at once; each answer must match its own caller only: the
 * identity, the rows, and any Set-Cookie. What was already checked one
 * request at a time (the model property) is the baseline; what is new here
 * is load, enough to put every pooled database connection to use, and
 * interleaving, which is where a setting that outlives its request shows.
 */
import { BODIES, ENDPOINTS, singleObject, type CurrentUser, type Session, type Todo } from '../../../fixtures/api.ts';
import type { HttpResponse } from '../../../fixtures/http.ts';
import { isDeletion } from '../../../lib/set-cookie.ts';
import { rowsOf } from '../postgrest-rows.ts';
import { judgeSessionCookies, tokenInBody, type CookieRole } from './carry-over.ts';
import { expectThat, Mismatch } from './mismatch.ts';
import { refusedOpeningRequirement, revealOf, unrefusedRequirement, type SessionModel, type Standing } from './session-model.ts';

export type Action = 'current-user' | 'list' | 'refresh' | 'login' | 'login-wrong';

export interface Caller {
  label: string;
  client: Session;
  /** Where the caller stands: signed in (live) as a model user, or not. */
  standing: Standing;
  /** For signed-in callers: the identity current_user must show. */
  identity?: { email: string; userId: number };
  /** For login actions: an account to log in to. */
  account?: { email: string; password: string };
}

export interface Crowd {
  model: SessionModel;
  callers: Caller[];
  /** The run's todos: every signed-in caller must see exactly its user's and the public ones. */
  todos: Array<Todo & { owner: number }>;
  marker: string;
  /** Every token a caller of the crowd holds. */
  tokens: () => string[];
  /** Refresh re-issues the same token on this deployment (a rotating one would retire tokens still in flight). */
  refreshKeepsToken: boolean;
}

/** The actions a caller may take: signed-in callers read and refresh, the others also log in. */
export function actionsFor(caller: Caller, crowd: Crowd): Action[] {
  if (caller.standing.kind === 'live') return crowd.refreshKeepsToken ? ['current-user', 'list', 'refresh'] : ['current-user', 'list'];
  return ['current-user', 'list', 'refresh', 'login', 'login-wrong'];
}

const ROLE: Record<Action, CookieRole> = { 'current-user': 'none', list: 'none', refresh: 'refresh', login: 'opens', 'login-wrong': 'opens' };

export function send(caller: Caller, action: Action, crowd: Crowd): Promise<HttpResponse> {
  const c = caller.client;
  switch (action) {
    case 'current-user':
      return c.http.request('GET', ENDPOINTS.currentUser, { headers: c.cookieHeader() });
    case 'list':
      return c.http.request('GET', `${ENDPOINTS.todos}?description=like.${crowd.marker}*&order=todo_id`, { headers: c.cookieHeader() });
    case 'refresh':
      return c.http.request('POST', ENDPOINTS.refresh, { json: {}, headers: c.cookieHeader() });
    case 'login':
    case 'login-wrong': {
      const { email, password } = caller.account!;
      const sent = action === 'login' ? password : `${password}-wrong`;
      return c.http.request('POST', ENDPOINTS.login, { json: BODIES.login(email, sent), headers: c.cookieHeader() });
    }
  }
}

const short = (res: HttpResponse) => `${res.status} ${res.body.length > 200 ? `${res.body.slice(0, 200)}…` : res.body}`;

/** Holds one answer up to its caller; throws a Mismatch naming the requirement a difference breaks. */
export function judge(caller: Caller, action: Action, res: HttpResponse, crowd: Crowd): void {
  const own = caller.client.token;
  const cookies = caller.client.sessionCookies(res);
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
  switch (action) {
    case 'current-user': {
      const me = res.ok ? singleObject<CurrentUser>(res) : undefined;
      if (!live) {
        if (res.refused) return;
        const shown = me?.user_id === undefined ? [] : [me.user_id];
        throw new Mismatch(unrefusedRequirement(caller.standing, 'current_user', revealOf(crowd.model, caller.standing, shown)), `${who}: refused (401 or 403)`, short(res));
      }
      expectThat(res.ok, 'lifecycle-open', `${who}: answered for a live session`, () => short(res));
      expectThat(me?.email === caller.identity!.email && me.user_id === caller.identity!.userId, 'isolation-current-user', `${who}: answers as ${caller.identity!.email}`, () => short(res));
      return;
    }
    case 'list': {
      const rows = rowsOf<Todo>(res);
      if (!live) {
        if (res.refused) return;
        const shown = [...new Set(rows.filter((r) => !r.public).map((r) => r.user_id))];
        throw new Mismatch(unrefusedRequirement(caller.standing, 'todos', revealOf(crowd.model, caller.standing, shown)), `${who}: refused (401 or 403)`, short(res));
      }
      expectThat(res.ok, 'lifecycle-open', `${who}: answered for a live session`, () => short(res));
      const user = standing.session.user;
      const expected = crowd.todos.filter((t) => t.owner === user || t.public).map((t) => t.todo_id);
      const seen = rows.map((r) => r.todo_id);
      const extra = seen.filter((id) => !expected.includes(id));
      const missing = expected.filter((id) => !seen.includes(id));
      const show = (ids: number[]) => `[${ids.join(', ')}]`;
      expectThat(extra.length === 0, 'isolation-read', `${who}: exactly the todos ${show(expected)}`, () => `rows ${show(seen)}: ${show(extra)} are another user's private todos`);
      expectThat(missing.length === 0, 'isolation-public', `${who}: exactly the todos ${show(expected)}`, () => `rows ${show(seen)}: ${show(missing)} missing`);
      return;
    }
    case 'refresh':
      if (!live) {
        const requirement = unrefusedRequirement(caller.standing, 'refresh', 'nothing');
        expectThat(res.refused && issued === undefined, requirement, `${who}: refused (401 or 403) with no session cookie`, () => `${short(res)}${issued ? ' with a session cookie' : ''}`);
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
      expectThat(res.refused, 'lifecycle-bad-credentials', `${who}: refused (401 or 403)`, () => short(res));
      expectThat(issued === undefined, 'cookie-none-on-failure', `${who}: no session cookie`, () => `${res.status} with a session cookie`);
      return;
  }
}
