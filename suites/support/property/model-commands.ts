/**
 * The commands of the model-based property: each one makes a request as one
 * client, holds the response up to the session model (session-model.ts), and
 * throws a Mismatch naming the requirement a difference breaks. Commands name
 * their client by a pick (ClientPick in session-model.ts): a fixed client, or
 * one relative to the state, so that the stories that matter come up often.
 */
import fc from 'fast-check';
import { singleObject, type CurrentUser, type Session, type Todo } from '../../../fixtures/api.ts';
import type { HttpResponse } from '../../../fixtures/http.ts';
import type { Identity } from '../../../fixtures/identities.ts';
import { isDeletion, type SetCookie } from '../../../lib/set-cookie.ts';
import { rowsOf } from '../postgrest-rows.ts';
import { judgeSessionCookies, tokenInBody, type CookieRole } from './carry-over.ts';
import { assume, expectThat, Mismatch, Unmet } from './mismatch.ts';
import {
  CLIENT_COUNT,
  SessionModel,
  describePick,
  refusedOpeningRequirement,
  resolvePick,
  revealOf,
  unrefusedRequirement,
  type ClientPick,
  type GuardedEndpoint,
  type ModelTodo,
  type Standing,
} from './session-model.ts';
import type { Trace } from './trace.ts';

/** The real side of a run: one API client per model client, and what the server chose. */
export interface World {
  clients: Session[];
  /** One identity per model user; registered by the Register command. */
  identities: Identity[];
  /** The token of each model session, by session id. */
  tokens: Map<number, string>;
  /** Every todo description of the run starts with it; the listing is filtered by it. */
  marker: string;
  trace: Trace;
  /** Makes the session behind a token expire now (the database capability); absent without it. */
  expire?: (token: string) => Promise<number>;
  descriptions: number;
}

const short = (res: HttpResponse) => `${res.status} ${res.body.length > 300 ? `${res.body.slice(0, 300)}…` : res.body}`;
const opening = (cookies: SetCookie[]) => cookies.filter((c) => !isDeletion(c)).at(-1);

function describeStanding(standing: Standing): string {
  switch (standing.kind) {
    case 'anonymous':
      return 'holds no session cookie';
    case 'live':
      return `holds live session #${standing.session.id} of user ${standing.session.user}`;
    case 'unsure':
      return `holds session #${standing.session.id} of user ${standing.session.user}, live unless logging out another of the user's sessions ended it`;
    case 'dead':
      return `holds session #${standing.session.id} of user ${standing.session.user}, ended by ${standing.death}`;
  }
}

interface Sent {
  res: HttpResponse;
  /** Where the client stood before the request. */
  before: Standing;
  presented?: string;
  cookies: SetCookie[];
}

/**
 * Sends one request as client `c` and checks what every response must
 * satisfy: no Set-Cookie the request did not cause, no token in the body.
 * A deletion of the cookie makes the client drop it, in the model too.
 */
async function send(m: SessionModel, w: World, c: number, role: CookieRole, request: (s: Session) => Promise<HttpResponse>): Promise<Sent> {
  const session = w.clients[c];
  const before = m.standing(c);
  const presented = session.token;
  const res = await request(session);
  const cookies = session.sessionCookies(res);
  const own = before.kind === 'anonymous' ? undefined : before.session.id;
  const user = SessionModel.userOf(c);
  const finding = judgeSessionCookies(cookies, {
    role,
    presented,
    callerLive: before.kind === 'live',
    foreign: (token) => [...w.tokens].some(([id, t]) => t === token && id !== own && (role !== 'opens' || m.sessions[id].user !== user)),
  });
  if (finding) throw new Mismatch(finding.requirement, finding.expected, `${finding.actual} (${res.status})`);
  expectThat(tokenInBody(res.body, w.tokens.values()) === undefined, 'token-not-exposed', 'no session token in a response body', () => `a session token (redacted) in the body of a ${res.status} response`);
  if (session.token === undefined) m.drop(c);
  return { res, before, presented, cookies };
}

/** Settles an unsure session by the answer (accepted: it lives on; refused: the logout ended it), then says where the client stood by that session. */
function settled(m: SessionModel, before: Standing, accepted: boolean | undefined): Standing {
  if (before.kind === 'anonymous') return before;
  if (before.kind === 'unsure' && accepted !== undefined) m.settle(before.session, accepted);
  const session = before.session;
  if (session.death) return { kind: 'dead', session, death: session.death };
  return session.unsure ? { kind: 'unsure', session } : { kind: 'live', session };
}

/**
 * A client without a live session must be refused: 401 or 403 at the
 * guarded endpoints; a write may instead answer 2xx touching no row.
 */
function expectRefused(m: SessionModel, standing: Standing, endpoint: GuardedEndpoint, res: HttpResponse, shownUserIds: number[], what: string): void {
  const refused = endpoint === 'write' ? res.refused || (res.status >= 400 && res.status < 500) || (res.ok && shownUserIds.length === 0) : res.refused;
  if (refused) return;
  const requirement = unrefusedRequirement(standing, endpoint, revealOf(m, standing, shownUserIds));
  throw new Mismatch(requirement, `${what} refused (401 or 403): the client ${describeStanding(standing)}`, short(res));
}

/** A live session was refused where it should have been served. */
function liveRefused(standing: Standing, what: string, res: HttpResponse): Mismatch {
  return new Mismatch('lifecycle-open', `${what} served: the client ${describeStanding(standing)}`, short(res));
}

abstract class Step implements fc.AsyncCommand<SessionModel, World> {
  constructor(readonly pick: ClientPick) {}

  check(m: Readonly<SessionModel>): boolean {
    const c = resolvePick(m as SessionModel, this.pick);
    return c !== undefined && this.allowed(m as SessionModel, c);
  }

  async run(m: SessionModel, w: World): Promise<void> {
    const c = resolvePick(m, this.pick)!;
    w.trace.note(`${this.label(`c${c}`)}: client c${c} (user ${SessionModel.userOf(c)}) ${describeStanding(m.standing(c))}`);
    m.lastClient = c;
    await this.act(m, w, c);
  }

  toString(): string {
    return this.label(describePick(this.pick));
  }

  /** The command's name in a printed command list. */
  protected abstract readonly command: string;

  /** What the command is given besides the client, for its label. */
  protected arguments(): string[] {
    return [];
  }

  protected label(client: string): string {
    return `${this.command}(${[client, ...this.arguments()].join(', ')})`;
  }

  /** Whether the command may run for this client now; most may, whatever the client holds. */
  protected allowed(_m: SessionModel, _c: number): boolean {
    return true;
  }

  protected abstract act(m: SessionModel, w: World, c: number): Promise<void>;
}

/** After register or login: the new session is the user's (current_user says so), and the model learns the user's id. */
async function opened(m: SessionModel, w: World, c: number, token: string, how: string): Promise<void> {
  const user = SessionModel.userOf(c);
  const session = m.open(c);
  w.tokens.set(session.id, token);
  const { res } = await send(m, w, c, 'none', (s) => s.currentUser());
  const me = res.ok ? singleObject<CurrentUser>(res) : undefined;
  const identity = w.identities[user];
  expectThat(me?.email === identity.email && me.name === identity.name, 'lifecycle-open', `after ${how}, current_user answers as user ${user} (${identity.email})`, () => short(res));
  expectThat(m.learnUserId(user, me.user_id), 'isolation-current-user', `current_user answers with user ${user}'s own user_id${m.users[user].userId === undefined ? '' : ` ${m.users[user].userId}`}`, () => `user_id ${me.user_id}`);
}

/** The token a successful register or login issued: present, and new. */
function issuedToken(m: SessionModel, w: World, sent: Sent, how: string): string {
  const cookie = opening(sent.cookies);
  expectThat(sent.res.ok, refusedOpeningRequirement(sent.before, sent.res.refused), `${how} answers 2xx: the client ${describeStanding(sent.before)}`, () => short(sent.res));
  expectThat(cookie !== undefined, 'lifecycle-open', `${how} sets the session cookie`, () => `${sent.res.status} with ${sent.cookies.length} session cookie line(s)`);
  const reused = cookie.value === sent.presented || [...w.tokens.values()].includes(cookie.value);
  expectThat(!reused, 'token-fresh-on-login', `${how} issues a token never seen before`, () => (cookie.value === sent.presented ? 'the token the client presented' : 'the token of an earlier session'));
  return cookie.value;
}

export class Register extends Step {
  protected readonly command = 'register';
  protected allowed(m: SessionModel, c: number) {
    return !m.users[SessionModel.userOf(c)].registered && m.signedOut(c);
  }
  protected async act(m: SessionModel, w: World, c: number) {
    const user = SessionModel.userOf(c);
    const sent = await send(m, w, c, 'opens', (s) => s.register(w.identities[user]));
    const token = issuedToken(m, w, sent, 'register');
    m.users[user].registered = true;
    await opened(m, w, c, token, 'register');
  }
}

export class Login extends Step {
  constructor(
    pick: ClientPick,
    readonly rightPassword: boolean,
  ) {
    super(pick);
  }
  protected readonly command = 'login';
  protected arguments() {
    return [`${this.rightPassword ? 'right' : 'wrong'} password`];
  }
  protected allowed(m: SessionModel, c: number) {
    return m.signedOut(c);
  }
  protected async act(m: SessionModel, w: World, c: number) {
    const user = SessionModel.userOf(c);
    const identity = w.identities[user];
    const registered = m.users[user].registered;
    const password = this.rightPassword ? identity.password : `${identity.password}-wrong`;
    const sent = await send(m, w, c, 'opens', (s) => s.login(identity.email, password));
    if (!this.rightPassword || !registered) {
      const why = registered ? 'a wrong password' : 'an e-mail nobody registered';
      expectThat(sent.res.refused, 'lifecycle-bad-credentials', `login with ${why} refused (401 or 403)`, () => short(sent.res));
      expectThat(opening(sent.cookies) === undefined, 'cookie-none-on-failure', `no session cookie after a login with ${why}`, () => 'a session cookie');
      return;
    }
    const token = issuedToken(m, w, sent, 'login');
    await opened(m, w, c, token, 'login');
  }
}

export class Logout extends Step {
  protected readonly command = 'logout';
  protected async act(m: SessionModel, w: World, c: number) {
    const sent = await send(m, w, c, 'logout', (s) => s.logout());
    const standing = settled(m, sent.before, !sent.res.refused);
    if (standing.kind !== 'live') return expectRefused(m, standing, 'logout', sent.res, [], 'logout');
    expectThat(sent.res.ok, 'lifecycle-logout-ends-session', `logout of live session #${standing.session.id} answers 2xx`, () => short(sent.res));
    m.end(standing.session, 'logout');
  }
}

export class Refresh extends Step {
  protected readonly command = 'refresh';
  protected async act(m: SessionModel, w: World, c: number) {
    const sent = await send(m, w, c, 'refresh', (s) => s.refresh());
    const standing = settled(m, sent.before, !sent.res.refused);
    const cookie = opening(sent.cookies);
    if (standing.kind !== 'live') {
      expectRefused(m, standing, 'refresh', sent.res, [], 'refresh_session');
      expectThat(cookie === undefined, unrefusedRequirement(standing, 'refresh', 'nothing'), 'no session cookie from a refused refresh', () => `${sent.res.status} with a session cookie`);
      return;
    }
    if (!sent.res.ok) throw liveRefused(standing, 'refresh_session', sent.res);
    expectThat(cookie !== undefined, 'refresh-reissues-cookie', 'refresh_session re-issues the session cookie', () => `${sent.res.status} with no session cookie`);
    if (cookie.value !== sent.presented) {
      // A rotating refresh: the client now holds a new session; the old token must die.
      const next = m.rotate(c, standing.session);
      w.tokens.set(next.id, cookie.value);
    }
  }
}

export class Expire extends Step {
  protected readonly command = 'expire';
  protected allowed(m: SessionModel, c: number) {
    return m.standing(c).kind === 'live';
  }
  protected async act(m: SessionModel, w: World, c: number) {
    const standing = m.standing(c);
    if (standing.kind !== 'live' || !w.expire) throw new Unmet('expire needs a live session and the database');
    const changed = await w.expire(w.tokens.get(standing.session.id)!);
    assume(changed > 0, () => 'EXPIRE_SESSION_SQL changed no row for a live session');
    m.end(standing.session, 'expiry');
  }
}

/** The sibling client starts sending this client's cookie: a second tab of the same browser, or a copy of the cookie. */
export class OpenTab extends Step {
  protected readonly command = 'open-tab';
  protected label(client: string) {
    return `${this.command}(${client} -> its sibling)`;
  }
  protected allowed(m: SessionModel, c: number) {
    const sibling = SessionModel.siblingOf(c);
    return m.held[c] !== undefined && m.held[sibling] !== m.held[c];
  }
  protected async act(m: SessionModel, w: World, c: number) {
    const sibling = SessionModel.siblingOf(c);
    m.share(c, sibling);
    w.clients[sibling].token = w.clients[c].token;
    w.trace.note(`c${sibling} now sends c${c}'s cookie`);
  }
}

export class WhoAmI extends Step {
  protected readonly command = 'current-user';
  protected async act(m: SessionModel, w: World, c: number) {
    const sent = await send(m, w, c, 'none', (s) => s.currentUser());
    const me = sent.res.ok ? singleObject<CurrentUser>(sent.res) : undefined;
    const standing = settled(m, sent.before, !sent.res.refused);
    if (standing.kind !== 'live') return expectRefused(m, standing, 'current_user', sent.res, me?.user_id === undefined ? [] : [me.user_id], 'current_user');
    if (!sent.res.ok) throw liveRefused(standing, 'current_user', sent.res);
    const user = standing.session.user;
    const identity = w.identities[user];
    const ok = me?.email === identity.email && me.name === identity.name && me.user_id === m.users[user].userId;
    expectThat(ok, 'isolation-current-user', `current_user answers as user ${user}: ${JSON.stringify({ user_id: m.users[user].userId, email: identity.email })}`, () => short(sent.res));
  }
}

export class CreateTodo extends Step {
  constructor(
    pick: ClientPick,
    readonly isPublic: boolean,
  ) {
    super(pick);
  }
  protected readonly command = 'create-todo';
  protected arguments() {
    return [this.isPublic ? 'public' : 'private'];
  }
  protected async act(m: SessionModel, w: World, c: number) {
    w.descriptions += 1;
    const description = `${w.marker}${w.descriptions}`;
    const sent = await send(m, w, c, 'none', (s) => s.createTodo({ description, public: this.isPublic }));
    const rows = rowsOf<Todo>(sent.res);
    const standing = settled(m, sent.before, sent.res.refused ? false : rows.length > 0 ? true : undefined);
    if (standing.kind !== 'live') return expectRefused(m, standing, 'write', sent.res, rows.map((r) => r.user_id), 'creating a todo');
    const user = standing.session.user;
    assume(sent.res.ok && rows.length === 1, () => `user ${user} creating a todo answered ${short(sent.res)}`);
    const row = rows[0];
    expectThat(row.user_id === m.users[user].userId, 'isolation-insert', `the new todo filed under user ${user} (user_id ${m.users[user].userId})`, () => `user_id ${row.user_id}`);
    assume(row.description === description && row.public === this.isPublic, () => `the new todo came back as ${JSON.stringify(row)}`);
    m.todos.push({ todoId: row.todo_id, owner: user, description, public: row.public, done: row.done, deleted: false });
  }
}

export class ListTodos extends Step {
  protected readonly command = 'list-todos';
  protected async act(m: SessionModel, w: World, c: number) {
    const sent = await send(m, w, c, 'none', (s) => s.todos(`?description=like.${w.marker}*&order=todo_id`));
    const rows = rowsOf<Todo>(sent.res);
    const standing = settled(m, sent.before, !sent.res.refused);
    if (standing.kind !== 'live') {
      const privateOwners = [...new Set(rows.filter((r) => !r.public).map((r) => r.user_id))];
      return expectRefused(m, standing, 'todos', sent.res, privateOwners, 'GET /todos');
    }
    if (!sent.res.ok) throw liveRefused(standing, 'GET /todos', sent.res);
    const found = m.compareListing(standing.session.user, rows);
    if (!found) return;
    if (!found.requirement) throw new Unmet(`the listing holds rows the model never saw made: ${found.actual}`);
    throw new Mismatch(found.requirement, found.expected, found.actual);
  }
}

export type WriteKind = 'toggle-done' | 'describe' | 'make-public' | 'delete';

/** Update, make public or delete one of the run's todos (picked by index), whoever owns it. */
export class WriteTodo extends Step {
  constructor(
    pick: ClientPick,
    readonly index: number,
    readonly kind: WriteKind,
  ) {
    super(pick);
  }
  protected get command() {
    return this.kind;
  }
  protected arguments() {
    return [`todo ${this.index}`];
  }
  protected allowed(m: SessionModel) {
    return m.todos.length > 0;
  }
  protected async act(m: SessionModel, w: World, c: number) {
    const todo = m.todos[this.index % m.todos.length];
    const filter = `todo_id=eq.${todo.todoId}`;
    const patch = this.patchFor(todo, w);
    w.trace.note(`${this.kind} targets todo ${todo.todoId} of user ${todo.owner}${todo.deleted ? ' (deleted)' : ''}`);
    const sent = await send(m, w, c, 'none', (s) => (patch ? s.updateTodos(filter, patch) : s.deleteTodos(filter)));
    const rows = rowsOf<Todo>(sent.res);
    const standing = settled(m, sent.before, sent.res.refused ? false : rows.length > 0 ? true : undefined);
    const what = `${this.kind} of todo ${todo.todoId}`;
    if (standing.kind === 'unsure') return; // 2xx touching nothing says nothing about the session
    if (standing.kind !== 'live') return expectRefused(m, standing, 'write', sent.res, rows.map((r) => r.user_id), what);
    const user = standing.session.user;
    if (todo.owner !== user) {
      expectThat(rows.length === 0, 'isolation-write', `${what} (user ${todo.owner}'s) by user ${user}: refused, or 2xx touching no row`, () => `${sent.res.status}, ${rows.length} row(s) written`);
      return;
    }
    if (todo.deleted) {
      assume(rows.length === 0, () => `${what}, deleted earlier, answered ${short(sent.res)}`);
      return;
    }
    assume(sent.res.ok && rows.length === 1 && rows[0].todo_id === todo.todoId, () => `user ${user}'s ${what} of their own todo answered ${short(sent.res)}`);
    if (!patch) todo.deleted = true;
    else Object.assign(todo, patch);
  }

  private patchFor(todo: ModelTodo, w: World): Partial<Pick<ModelTodo, 'done' | 'description' | 'public'>> | undefined {
    switch (this.kind) {
      case 'toggle-done':
        return { done: !todo.done };
      case 'describe':
        w.descriptions += 1;
        return { description: `${w.marker}${w.descriptions}` };
      case 'make-public':
        return { public: true };
      case 'delete':
        return undefined;
    }
  }
}

/** Client picks (see ClientPick): the first listed is where shrinking goes. */
const pick: fc.Arbitrary<ClientPick> = fc.oneof(
  { arbitrary: fc.nat({ max: CLIENT_COUNT - 1 }).map((index): ClientPick => ({ kind: 'client', index })), weight: 2 },
  { arbitrary: fc.constant<ClientPick>({ kind: 'same' }), weight: 3 },
  { arbitrary: fc.nat({ max: CLIENT_COUNT - 1 }).map((nth): ClientPick => ({ kind: 'signed-in', nth })), weight: 3 },
  { arbitrary: fc.nat({ max: CLIENT_COUNT - 1 }).map((nth): ClientPick => ({ kind: 'other-user', nth })), weight: 2 },
  { arbitrary: fc.nat({ max: CLIENT_COUNT - 1 }).map((nth): ClientPick => ({ kind: 'stale', nth })), weight: 2 },
);
/** For register and login, which only a signed-out client may do. */
const signedOutPick: fc.Arbitrary<ClientPick> = fc.oneof(
  { arbitrary: fc.nat({ max: CLIENT_COUNT - 1 }).map((index): ClientPick => ({ kind: 'client', index })), weight: 1 },
  { arbitrary: fc.nat({ max: CLIENT_COUNT - 1 }).map((nth): ClientPick => ({ kind: 'signed-out', nth })), weight: 3 },
);

/**
 * The command arbitraries, some listed twice: fast-check picks among them
 * evenly, so repeating one is how it is weighted. Expire only with the database.
 */
export function modelCommandArbitraries(withExpiry: boolean): Array<fc.Arbitrary<fc.AsyncCommand<SessionModel, World>>> {
  const register = fc
    .oneof(
      { arbitrary: fc.nat({ max: CLIENT_COUNT - 1 }).map((nth): ClientPick => ({ kind: 'newcomer', nth })), weight: 3 },
      { arbitrary: signedOutPick, weight: 1 },
    )
    .map((p) => new Register(p));
  const login = fc.tuple(signedOutPick, fc.oneof({ arbitrary: fc.constant(true), weight: 3 }, { arbitrary: fc.constant(false), weight: 1 })).map(([p, right]) => new Login(p, right));
  const logout = pick.map((p) => new Logout(p));
  const refresh = pick.map((p) => new Refresh(p));
  const expire = pick.map((p) => new Expire(p));
  const tab = pick.map((p) => new OpenTab(p));
  const whoami = pick.map((p) => new WhoAmI(p));
  const create = fc.tuple(pick, fc.boolean()).map(([p, pub]) => new CreateTodo(p, pub));
  const list = pick.map((p) => new ListTodos(p));
  const write = fc
    .tuple(pick, fc.nat({ max: 15 }), fc.constantFrom<WriteKind>('toggle-done', 'describe', 'make-public', 'delete'))
    .map(([p, i, kind]) => new WriteTodo(p, i, kind));
  return [
    ...[register, register, register, register],
    ...[login, login, login, login],
    ...[logout, logout],
    ...[refresh, refresh, refresh],
    tab,
    ...[whoami, whoami],
    ...[create, create, create],
    ...[list, list, list],
    ...[write, write, write],
    ...(withExpiry ? [expire, expire] : []),
  ];
}
