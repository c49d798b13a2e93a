/**
 * The commands of the model-based property: each one makes a request as one
 * client, holds the response up to the session model (session-model.ts), and
 * throws a Mismatch naming the requirement a difference breaks. Commands name
 * their client by a pick (ClientPick in session-model.ts): a fixed client, or
 * one relative to the state, so that the stories that matter come up often.
 */
import fc from 'fast-check';
import { answersAs, Session, singleObject, type DeploymentApi, type OwnedRows, type Row } from '../../../fixtures/api.ts';
import type { HttpResponse } from '../../../fixtures/http.ts';
import type { Identity } from '../../../fixtures/identities.ts';
import { isDeletion, type SetCookie } from '../../../lib/set-cookie.ts';
import { rowsOf } from '../postgrest-rows.ts';
import { judgeSessionCookies, tokenInBody, type CookieRole } from './carry-over.ts';
import { assume, expectThat, Mismatch, Unmet } from './mismatch.ts';
import { markedQuery, sameId, seenRow, showId, type SeenRow } from './run-rows.ts';
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
  type ModelRow,
  type Standing,
} from './session-model.ts';
import type { Trace } from './trace.ts';
import { citeOnce } from './run-property.ts';

/** The real side of a run: one API client per model client, and what the server chose. */
export interface World {
  /** The deployment's API; the run's rows live in its primary resource. */
  api: DeploymentApi;
  clients: Session[];
  /** One identity per model user; registered by the Register command. */
  identities: Identity[];
  /** The token of each model session, by session id. */
  tokens: Map<number, string>;
  /** Every text the run writes starts with it; the listing is filtered by it. */
  marker: string;
  trace: Trace;
  /** Makes the session behind a token expire now (the database capability); absent without it. */
  expire?: (token: string) => Promise<number>;
  /** Texts written so far: the next one is `marker` and this count. */
  texts: number;
}

const short = (res: HttpResponse) => `${res.status} ${res.body.length > 300 ? `${res.body.slice(0, 300)}…` : res.body}`;
const opening = (cookies: SetCookie[]) => cookies.filter((c) => !isDeletion(c)).at(-1);
const resourceOf = (w: World): OwnedRows => w.api.primary;
const nextText = (w: World) => `${w.marker}${(w.texts += 1)}`;

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

/** The rows of an answer, as the model reads them. */
const seenRows = (w: World, res: HttpResponse): SeenRow[] => rowsOf<Row>(res).map((row) => seenRow(resourceOf(w), row));

/** Settles an unsure session by the answer (accepted: it lives on; refused: the logout ended it), then says where the client stood by that session. */
function settled(m: SessionModel, before: Standing, accepted: boolean | undefined): Standing {
  if (before.kind === 'anonymous') return before;
  if (before.kind === 'unsure' && accepted !== undefined) m.settle(before.session, accepted);
  const session = before.session;
  if (session.death) return { kind: 'dead', session, death: session.death };
  return session.unsure ? { kind: 'unsure', session } : { kind: 'live', session };
}

/**
 * A client without a live session must be refused with the profile's
 * statuses at the guarded endpoints; a write may instead answer another
 * 4xx, or 2xx touching no row. `shownUsers`: the model users the answer
 * showed (whose rows, whose identity).
 */
function expectRefused(w: World, standing: Standing, endpoint: GuardedEndpoint, res: HttpResponse, shownUsers: Array<number | undefined>, what: string): void {
  const refused = endpoint === 'write' ? res.refused || (res.status >= 400 && res.status < 500) || (res.ok && shownUsers.length === 0) : res.refused;
  if (refused) return;
  const requirement = unrefusedRequirement(standing, endpoint, revealOf(standing, shownUsers));
  throw new Mismatch(requirement, `${what} refused (${w.api.refusalText()}): the client ${describeStanding(standing)}`, short(res));
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

/** The id field of current user's answer, shown for messages. */
const idField = (w: World) => w.api.userIdField ?? 'id';

/**
 * After register or login: the new session is the user's. With a current-user
 * endpoint its answer shows the user, and the model learns the user's id from
 * it; without one, a request that needs a session must now be answered.
 */
async function opened(m: SessionModel, w: World, c: number, token: string, how: string): Promise<void> {
  const user = SessionModel.userOf(c);
  const session = m.open(c);
  w.tokens.set(session.id, token);
  if (!w.api.has('currentUser')) {
    const probe = w.api.sessionProbe();
    if (!probe) return;
    const { res } = await send(m, w, c, 'none', (s) => s.probe());
    expectThat(res.ok, 'lifecycle-open', `after ${how}, ${probe.method} ${probe.path} answers 2xx`, () => short(res));
    return;
  }
  const { res } = await send(m, w, c, 'none', (s) => s.currentUser());
  const me = res.ok ? singleObject<Row>(res) : undefined;
  const asked = w.api.nameOf('currentUser');
  expectThat(me !== undefined && answersAs(me, w.identities[user]) !== false, 'lifecycle-open', `after ${how}, ${asked} answers as user ${user}`, () => short(res));
  const id = me[idField(w)];
  assume(id !== undefined && id !== null, () => `${asked} answered without ${idField(w)}: check profile field session.currentUser.idField`);
  expectThat(m.learnUserId(user, id), 'isolation-current-user', `${asked} answers with user ${user}'s own ${idField(w)}${m.users[user].userId === undefined ? '' : ` ${showId(m.users[user].userId)}`}`, () => `${idField(w)} ${showId(id)}`);
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
    const token = issuedToken(m, w, sent, w.api.nameOf('register'));
    m.users[user].registered = true;
    await opened(m, w, c, token, w.api.nameOf('register'));
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
    const sent = await send(m, w, c, 'opens', (s) => s.login({ ...identity, password }));
    const login = w.api.nameOf('login');
    if (!this.rightPassword || !registered) {
      const why = registered ? 'a wrong password' : `a ${w.api.profile.identifiedBy === 'email' ? 'e-mail address' : 'user name'} nobody registered`;
      expectThat(sent.res.credentialsRefused, 'lifecycle-bad-credentials', `${login} with ${why} refused (${w.api.refusalText('badCredentials')})`, () => short(sent.res));
      expectThat(opening(sent.cookies) === undefined, 'cookie-none-on-failure', `no session cookie after ${login} with ${why}`, () => 'a session cookie');
      return;
    }
    const token = issuedToken(m, w, sent, login);
    await opened(m, w, c, token, login);
  }
}

export class Logout extends Step {
  protected readonly command = 'logout';
  protected async act(m: SessionModel, w: World, c: number) {
    const sent = await send(m, w, c, 'logout', (s) => s.logout());
    const standing = settled(m, sent.before, !sent.res.refused);
    const logout = w.api.nameOf('logout');
    if (standing.kind !== 'live') return expectRefused(w, standing, 'logout', sent.res, [], logout);
    expectThat(sent.res.ok, 'lifecycle-logout-ends-session', `${logout} of live session #${standing.session.id} answers 2xx`, () => short(sent.res));
    m.end(standing.session, 'logout');
  }
}

/** Only generated when the deployment has a refresh endpoint. */
export class Refresh extends Step {
  protected readonly command = 'refresh';
  protected async act(m: SessionModel, w: World, c: number) {
    const sent = await send(m, w, c, 'refresh', (s) => s.refresh());
    const standing = settled(m, sent.before, !sent.res.refused);
    const cookie = opening(sent.cookies);
    const refresh = w.api.nameOf('refresh');
    if (standing.kind !== 'live') {
      expectRefused(w, standing, 'refresh', sent.res, [], refresh);
      expectThat(cookie === undefined, unrefusedRequirement(standing, 'refresh', 'nothing'), `no session cookie from a refused ${refresh}`, () => `${sent.res.status} with a session cookie`);
      return;
    }
    if (!sent.res.ok) throw liveRefused(standing, refresh, sent.res);
    expectThat(cookie !== undefined, 'refresh-reissues-cookie', `${refresh} re-issues the session cookie`, () => `${sent.res.status} with no session cookie`);
    if (cookie.value !== sent.presented) {
      // A rotating refresh: the client now holds a new session; the old token must die.
      const next = m.rotate(c, standing.session);
      w.tokens.set(next.id, cookie.value);
      await expectRetired(w, c, sent.presented!);
    }
  }
}

/**
 * The token a rotating refresh replaced, tried once at once from a copy of
 * the client (another tab that still has it): it must be refused. Later
 * commands try it again wherever a client still holds it.
 */
async function expectRetired(w: World, c: number, retired: string): Promise<void> {
  const probe = w.api.sessionProbe();
  if (!probe) return;
  // Cited only once a rotation happened: a refresh that never rotates gives this check nothing to judge.
  citeOnce('refresh-rotation');
  const copy = new Session(w.clients[c].http, w.api);
  copy.token = retired;
  const res = await copy.probe();
  expectThat(res.refused, 'refresh-rotation', `the token ${w.api.nameOf('refresh')} replaced is refused at ${probe.method} ${probe.path} (${w.api.refusalText()})`, () => short(res));
}

/** Only generated with the database, which can end a session now. */
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

/** Only generated when the deployment has a current-user endpoint. */
export class WhoAmI extends Step {
  protected readonly command = 'current-user';
  protected async act(m: SessionModel, w: World, c: number) {
    const sent = await send(m, w, c, 'none', (s) => s.currentUser());
    const me = sent.res.ok ? singleObject<Row>(sent.res) : undefined;
    const shownId = me?.[idField(w)];
    const standing = settled(m, sent.before, !sent.res.refused);
    const asked = w.api.nameOf('currentUser');
    if (standing.kind !== 'live') return expectRefused(w, standing, 'current-user', sent.res, shownId == null ? [] : [m.userById(shownId)], asked);
    if (!sent.res.ok) throw liveRefused(standing, asked, sent.res);
    const user = standing.session.user;
    const ok = me !== undefined && answersAs(me, w.identities[user]) !== false && sameId(shownId, m.users[user].userId);
    expectThat(ok, 'isolation-current-user', `${asked} answers as user ${user} (${idField(w)} ${showId(m.users[user].userId)})`, () => short(sent.res));
  }
}

/**
 * Creates one of the run's rows, shared or not. `asUser`, when given, picks
 * another user (among those whose id the run knows) whose id the request
 * names as the owner: the attack of creating a row in someone else's name.
 * When the client sends the owner, a row of its own names its own user's id.
 */
export class CreateRow extends Step {
  readonly shared: boolean;
  readonly asUser?: number;
  /** The client sends the owner's id (the profile's ownerSetBy), so its user's id must be known first. */
  readonly sendsOwner: boolean;

  constructor(pick: ClientPick, options: { shared: boolean; sendsOwner: boolean; asUser?: number }) {
    super(pick);
    this.shared = options.shared;
    this.sendsOwner = options.sendsOwner;
    this.asUser = options.asUser;
  }
  protected get command() {
    return this.asUser === undefined ? 'create-row' : 'create-row-as-another';
  }
  protected arguments() {
    return [this.shared ? 'shared' : 'private', ...(this.asUser === undefined ? [] : [`other user #${this.asUser}`])];
  }
  /** The user whose name a forged row carries: another user than the client's, whose id is known. */
  private victim(m: SessionModel, c: number): number | undefined {
    if (this.asUser === undefined) return undefined;
    const others = m.users.map((u, i) => i).filter((i) => i !== SessionModel.userOf(c) && m.users[i].userId !== undefined);
    return others.length ? others[this.asUser % others.length] : undefined;
  }
  protected allowed(m: SessionModel, c: number) {
    if (this.asUser !== undefined && this.victim(m, c) === undefined) return false;
    // A client-supplied owner is the client's user's id, known once the user has signed in.
    return !this.sendsOwner || m.users[SessionModel.userOf(c)].userId !== undefined;
  }
  protected async act(m: SessionModel, w: World, c: number) {
    const resource = resourceOf(w);
    const text = nextText(w);
    const own = m.users[SessionModel.userOf(c)].userId;
    const victim = this.victim(m, c);
    const body: Row = resource.newRow({ text, shared: this.shared, ownerId: this.sendsOwner ? (own as string | number) : undefined, generator: w.api.generator });
    if (victim !== undefined) Object.assign(body, resource.patchOwner(m.users[victim].userId));
    const sent = await send(m, w, c, 'none', (s) => s.send('POST', resource.path, { json: body, headers: { Prefer: 'return=representation' } }));
    const rows = seenRows(w, sent.res);
    // A forged owner may be refused whatever the session: only a row coming back tells that the session lives.
    const accepted = rows.length > 0 ? true : victim === undefined && sent.res.refused ? false : undefined;
    const standing = settled(m, sent.before, accepted);
    const what = victim === undefined ? `creating a row in ${resource.name}` : `creating a row in ${resource.name} in user ${victim}'s name`;
    if (standing.kind === 'unsure' && victim !== undefined) return;
    if (standing.kind !== 'live') return expectRefused(w, standing, 'write', sent.res, m.ownersOf(rows), what);
    const user = standing.session.user;
    if (victim !== undefined) {
      const stolen = rows.some((r) => sameId(r.ownerId, m.users[victim].userId));
      expectThat(!stolen, 'isolation-insert', `${what} by user ${user}: refused, or the row filed under user ${user}`, () => `${sent.res.status}, a row filed under user ${victim}`);
      if (!sent.res.ok) return;
    }
    assume(sent.res.ok && rows.length === 1, () => `user ${user} ${what} answered ${short(sent.res)}`);
    const row = rows[0];
    assume(row.id !== undefined && row.ownerId !== undefined, () => `the new row came back without ${resource.idColumn} or ${resource.ownerColumn}: check profile fields resources[0].idColumn and ownerColumn`);
    const known = m.users[user].userId;
    expectThat(m.learnUserId(user, row.ownerId), 'isolation-insert', `the new row filed under user ${user}${known === undefined ? '' : ` (${resource.ownerColumn} ${showId(known)})`}`, () => `${resource.ownerColumn} ${showId(row.ownerId)}`);
    assume(row.text === text && row.shared === this.shared, () => `the new row came back as ${JSON.stringify(row)}`);
    m.rows.push({ id: row.id, owner: user, text, shared: row.shared, deleted: false });
  }
}

export class ListRows extends Step {
  protected readonly command = 'list-rows';
  protected async act(m: SessionModel, w: World, c: number) {
    const resource = resourceOf(w);
    const sent = await send(m, w, c, 'none', (s) => s.rows(markedQuery(resource, w.marker)));
    const rows = seenRows(w, sent.res);
    // Where anyone may read shared rows, an answer says nothing about the session; a refusal still ends it.
    const openToAnyone = resource.sharing === 'anyone';
    const standing = settled(m, sent.before, sent.res.refused ? false : openToAnyone ? undefined : true);
    const what = `GET ${resource.name}`;
    if (standing.kind !== 'live') {
      if (sent.res.refused) return;
      const privateRows = rows.filter((r) => !r.shared);
      if (openToAnyone && sent.res.ok && (standing.kind === 'unsure' || privateRows.length === 0)) return;
      return expectRefused(w, standing, 'rows', sent.res, m.ownersOf(privateRows), what);
    }
    if (!sent.res.ok) throw liveRefused(standing, what, sent.res);
    const found = m.compareListing(standing.session.user, rows);
    if (!found) return;
    if (!found.requirement) throw new Unmet(`the listing holds rows the model never saw made: ${found.actual}`);
    throw new Mismatch(found.requirement, found.expected, found.actual);
  }
}

/** Share or unshare only where the resource has a visibility column. */
export type WriteKind = 'retext' | 'toggle-shared' | 'delete';

/** Changes the text of, shares or unshares, or deletes one of the run's rows (picked by index), whoever owns it. */
export class WriteRow extends Step {
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
    return [`row ${this.index}`];
  }
  protected allowed(m: SessionModel) {
    return m.rows.length > 0;
  }
  protected async act(m: SessionModel, w: World, c: number) {
    const resource = resourceOf(w);
    const row = m.rows[this.index % m.rows.length];
    const change = this.changeOf(row, w);
    const patch = this.patchOf(resource, change);
    w.trace.note(`${this.kind} targets row ${showId(row.id)} of user ${row.owner}${row.deleted ? ' (deleted)' : ''}`);
    const filter = resource.byId(row.id);
    const sent = await send(m, w, c, 'none', (s) => (patch ? s.updateRows(filter, patch, resource) : s.deleteRows(filter, resource)));
    const rows = seenRows(w, sent.res);
    const standing = settled(m, sent.before, sent.res.refused ? false : rows.length > 0 ? true : undefined);
    const what = `${this.kind} of row ${showId(row.id)}`;
    if (standing.kind === 'unsure') return; // 2xx touching nothing says nothing about the session
    if (standing.kind !== 'live') return expectRefused(w, standing, 'write', sent.res, m.ownersOf(rows), what);
    const user = standing.session.user;
    if (row.owner !== user) {
      expectThat(rows.length === 0, 'isolation-write', `${what} (user ${row.owner}'s) by user ${user}: refused, or 2xx touching no row`, () => `${sent.res.status}, ${rows.length} row(s) written`);
      return;
    }
    if (row.deleted) {
      assume(rows.length === 0, () => `${what}, deleted earlier, answered ${short(sent.res)}`);
      return;
    }
    assume(sent.res.ok && rows.length === 1 && sameId(rows[0].id, row.id), () => `user ${user}'s ${what} of their own row answered ${short(sent.res)}`);
    if (!change) row.deleted = true;
    else Object.assign(row, change);
  }

  /** What the write does to the row, in the model's terms; undefined for a deletion. */
  private changeOf(row: ModelRow, w: World): Partial<Pick<ModelRow, 'text' | 'shared'>> | undefined {
    switch (this.kind) {
      case 'retext':
        return { text: nextText(w) };
      case 'toggle-shared':
        return { shared: !row.shared };
      case 'delete':
        return undefined;
    }
  }

  /** The same change as the resource's columns take it. */
  private patchOf(resource: OwnedRows, change: Partial<Pick<ModelRow, 'text' | 'shared'>> | undefined): Row | undefined {
    if (!change) return undefined;
    const patch = change.text !== undefined ? resource.patchText(change.text) : resource.patchShared(change.shared!);
    if (!patch) throw new Unmet(`${resource.name} has no visibility column to share a row with (profile resources[0].visibility)`);
    return patch;
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
 * evenly, so repeating one is how it is weighted. A command the deployment
 * cannot take is never generated: refresh without a refresh endpoint,
 * current user without a current-user endpoint, sharing without a
 * visibility column, expire without the database.
 */
export function modelCommandArbitraries(api: DeploymentApi, withExpiry: boolean): Array<fc.Arbitrary<fc.AsyncCommand<SessionModel, World>>> {
  const sharing = api.primary.sharing !== 'none';
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
  const shared = sharing ? fc.boolean() : fc.constant(false);
  const sendsOwner = api.primary.clientSetsOwner;
  const create = fc.tuple(pick, shared).map(([p, s]) => new CreateRow(p, { shared: s, sendsOwner }));
  const createAsAnother = fc.tuple(pick, shared, fc.nat({ max: 3 })).map(([p, s, asUser]) => new CreateRow(p, { shared: s, sendsOwner, asUser }));
  const list = pick.map((p) => new ListRows(p));
  const kinds: WriteKind[] = sharing ? ['retext', 'toggle-shared', 'delete'] : ['retext', 'delete'];
  const write = fc.tuple(pick, fc.nat({ max: 15 }), fc.constantFrom(...kinds)).map(([p, i, kind]) => new WriteRow(p, i, kind));
  return [
    ...[register, register, register, register],
    ...[login, login, login, login],
    ...[logout, logout],
    ...(api.has('refresh') ? [refresh, refresh, refresh] : []),
    tab,
    ...(api.has('currentUser') ? [whoami, whoami] : []),
    ...[create, create, create, createAsAnother],
    ...[list, list, list],
    ...[write, write, write],
    ...(withExpiry ? [expire, expire] : []),
  ];
}
