/**
 * The model that the model-based property test holds every response up to:
 * three users, two clients (browsers) each, the sessions they hold and the
 * rows they made (an id, an owner, a text, shared or not: nothing of any
 * deployment's columns). Pure: no HTTP here. The commands (model-commands.ts) ask it
 * what a response must be, and tell it what the server chose (tokens, ids).
 *
 * A client holds at most one session cookie. A session is live until it is
 * logged out, expires, or is replaced by a rotating refresh; a client may go
 * on holding a dead one (another tab, a copy of the cookie), and the server
 * must then treat it as anonymous.
 *
 * One thing the specification leaves open: whether logging out ends only that
 * session or every session of the user. After a logout the user's other live
 * sessions are therefore "unsure" until their next request settles it.
 */
import { sameId, showId, type SeenRow } from './run-rows.ts';

export const USER_COUNT = 3;
export const CLIENTS_PER_USER = 2;
export const CLIENT_COUNT = USER_COUNT * CLIENTS_PER_USER;

/**
 * What holding answers up to the model checks for any mix of callers, on any
 * deployment: who is signed in, who each answer is for, which rows it shows,
 * which cookies it sets. Every property built on the model cites these, and
 * adds what its own commands exercise.
 */
export const MODEL_REQUIREMENTS = [
  'lifecycle-open',
  'lifecycle-bad-credentials',
  'lifecycle-anonymous-refused',
  'lifecycle-logout-ends-session',
  'cookie-none-on-failure',
  'cookie-single',
  'token-fresh-on-login',
  'token-not-exposed',
  'isolation-read',
  'isolation-public',
  'isolation-request-scoped',
];

/**
 * What the model checks only through a session call the deployment may lack:
 * cited at run time when the profile has the call (citesAtRunTime), so that a
 * deployment without it never passes them here without a check; the
 * requirements' own tests then say they do not apply.
 */
export const MODEL_REQUIREMENTS_BY_CALL = {
  refresh: ['refresh-requires-session', 'refresh-reissues-cookie'],
  currentUser: ['isolation-current-user'],
} as const;

export type Death = 'logout' | 'expiry' | 'rotation';

export interface ModelSession {
  id: number;
  user: number;
  death?: Death;
  /** Another session of this user was logged out while this one was live (see above). */
  unsure: boolean;
}

export interface ModelUser {
  registered: boolean;
  /** The id the server gave the user (as current user or an owner column shows it), once a response has shown it. */
  userId?: unknown;
}

/** One row of the run, generically: its id, its owner (a model user), its text, whether it is shared. */
export interface ModelRow {
  id: unknown;
  owner: number;
  text: string;
  shared: boolean;
  deleted: boolean;
}

/** Where a client stands, from the cookie it holds. */
export type Standing =
  | { kind: 'anonymous' }
  | { kind: 'live'; session: ModelSession }
  | { kind: 'unsure'; session: ModelSession }
  | { kind: 'dead'; session: ModelSession; death: Death };

export interface Discrepancy {
  /** The requirement broken; absent when the model cannot say (rows it never saw made): the run proves nothing. */
  requirement?: string;
  expected: string;
  actual: string;
}

export class SessionModel {
  readonly users: ModelUser[] = Array.from({ length: USER_COUNT }, () => ({ registered: false }));
  readonly sessions: ModelSession[] = [];
  /** The session whose cookie each client holds, whatever that session's state. */
  readonly held: Array<number | undefined> = Array.from({ length: CLIENT_COUNT }, () => undefined);
  readonly rows: ModelRow[] = [];
  /** The client the previous command acted on; commands may name it again, so that one client's stories are common. */
  lastClient = 0;

  static userOf(client: number): number {
    return Math.floor(client / CLIENTS_PER_USER);
  }

  /** The other client of the same user (the other browser, or another tab when the cookie is shared). */
  static siblingOf(client: number): number {
    const user = SessionModel.userOf(client);
    return user * CLIENTS_PER_USER + ((client - user * CLIENTS_PER_USER + 1) % CLIENTS_PER_USER);
  }

  standing(client: number): Standing {
    const id = this.held[client];
    if (id === undefined) return { kind: 'anonymous' };
    const session = this.sessions[id];
    if (session.death) return { kind: 'dead', session, death: session.death };
    return session.unsure ? { kind: 'unsure', session } : { kind: 'live', session };
  }

  /** Definitely signed out: the only state in which the model lets a client register or log in. */
  signedOut(client: number): boolean {
    const kind = this.standing(client).kind;
    return kind === 'anonymous' || kind === 'dead';
  }

  /** Holds a session that is live or may be. */
  mayBeSignedIn(client: number): boolean {
    const kind = this.standing(client).kind;
    return kind === 'live' || kind === 'unsure';
  }

  /** A new live session for the client's user, now held by the client. */
  open(client: number): ModelSession {
    const session: ModelSession = { id: this.sessions.length, user: SessionModel.userOf(client), unsure: false };
    this.sessions.push(session);
    this.held[client] = session.id;
    return session;
  }

  end(session: ModelSession, death: Death): void {
    if (session.death) return;
    session.death = death;
    session.unsure = false;
    if (death !== 'logout') return;
    for (const other of this.sessions) {
      if (other.user === session.user && !other.death && other !== session) other.unsure = true;
    }
  }

  /** An unsure session answered: accepted means it lives on, refused means the logout ended it too. */
  settle(session: ModelSession, accepted: boolean): void {
    if (!session.unsure) return;
    if (accepted) session.unsure = false;
    else this.end(session, 'logout');
  }

  /** A rotating refresh: the old session is retired and a new one, of the same user, takes its place in this client. */
  rotate(client: number, old: ModelSession): ModelSession {
    this.end(old, 'rotation');
    return this.open(client);
  }

  drop(client: number): void {
    this.held[client] = undefined;
  }

  /** Another tab of the same browser: `to` now sends the cookie `from` holds. */
  share(from: number, to: number): void {
    this.held[to] = this.held[from];
  }

  /** Records the id the server showed for a user; false when it contradicts what was seen before or names another user. */
  learnUserId(user: number, id: unknown): boolean {
    const known = this.users[user].userId;
    if (known !== undefined) return sameId(known, id);
    if (id === undefined || id === null || this.users.some((u, i) => i !== user && sameId(u.userId, id))) return false;
    this.users[user].userId = id;
    return true;
  }

  userById(id: unknown): number | undefined {
    const i = this.users.findIndex((u) => sameId(u.userId, id));
    return i < 0 ? undefined : i;
  }

  rowById(id: unknown): ModelRow | undefined {
    return this.rows.find((r) => sameId(r.id, id));
  }

  /** The model user each row belongs to: by the model's record of the row, else by the owner id it shows; undefined when unknown. */
  ownersOf(rows: SeenRow[]): Array<number | undefined> {
    return rows.map((r) => this.rowById(r.id)?.owner ?? this.userById(r.ownerId));
  }

  /** What a signed-in user sees: their own rows and everybody's shared ones. */
  visibleTo(user: number): ModelRow[] {
    return this.rows.filter((r) => !r.deleted && (r.owner === user || r.shared));
  }

  /** Compares a signed-in user's listing of this run's rows with the model; undefined when they agree. */
  compareListing(user: number, rows: SeenRow[]): Discrepancy | undefined {
    const show = (ids: unknown[]) => `[${ids.map(showId).join(', ')}]`;
    const expected = this.visibleTo(user);
    const expectedText = `exactly the rows ${show(expected.map((r) => r.id))} (user ${user}'s own and the shared ones)`;
    const seenText = `rows ${show(rows.map((r) => r.id))}`;
    const unknown = rows.filter((r) => this.rowById(r.id) === undefined || this.rowById(r.id)!.deleted);
    if (unknown.length) {
      return { expected: expectedText, actual: `${seenText}, of which ${show(unknown.map((r) => r.id))} were never created or were deleted` };
    }
    const hidden = rows.filter((r) => !expected.some((e) => sameId(e.id, r.id)));
    if (hidden.length) {
      return { requirement: 'isolation-read', expected: expectedText, actual: `${seenText}: another user's private row ${show(hidden.map((r) => r.id))} among them` };
    }
    for (const row of rows) {
      const mine = this.rowById(row.id)!;
      const owner = this.users[mine.owner].userId;
      const same = row.text === mine.text && row.shared === mine.shared && (owner === undefined || sameId(row.ownerId, owner));
      if (!same) {
        const show = (ownerId: unknown, text: string, shared: boolean) => JSON.stringify({ owner: ownerId, text, shared });
        return {
          requirement: 'isolation-write',
          expected: `row ${showId(mine.id)} as its owner left it: ${show(owner, mine.text, mine.shared)}`,
          actual: show(row.ownerId, row.text, row.shared),
        };
      }
    }
    const missing = expected.filter((e) => !rows.some((r) => sameId(r.id, e.id)));
    if (missing.length) {
      return { requirement: 'isolation-public', expected: expectedText, actual: `${seenText}: ${show(missing.map((r) => r.id))} missing` };
    }
    return undefined;
  }
}

/**
 * How a command names its client. Fixed indexes alone would spend most
 * commands on clients nobody signed in yet; relative picks keep the stories
 * that matter common: the same client again (expire, then refresh), a
 * signed-in client, a signed-in client of another user (one writes, another
 * reads), a signed-out one (to log in), one of a user not yet registered
 * (to register), one that still holds the cookie of a session that ended
 * (to try it again). Relative picks are resolved against the model when the command runs.
 */
export type ClientPick =
  | { kind: 'client'; index: number }
  | { kind: 'same' }
  | { kind: 'signed-in'; nth: number }
  | { kind: 'other-user'; nth: number }
  | { kind: 'signed-out'; nth: number }
  | { kind: 'newcomer'; nth: number }
  | { kind: 'stale'; nth: number };

/** The client a pick names in this state, or undefined when there is none (the command is then skipped). */
export function resolvePick(m: SessionModel, pick: ClientPick): number | undefined {
  switch (pick.kind) {
    case 'client':
      return pick.index;
    case 'same':
      return m.lastClient;
    case 'signed-in':
    case 'other-user': {
      const lastUser = SessionModel.userOf(m.lastClient);
      const candidates = [...m.held.keys()].filter((c) => m.standing(c).kind === 'live' && (pick.kind === 'signed-in' || SessionModel.userOf(c) !== lastUser));
      return candidates.length ? candidates[pick.nth % candidates.length] : undefined;
    }
    case 'signed-out':
    case 'newcomer':
    case 'stale': {
      const fits = {
        'signed-out': (c: number) => m.signedOut(c),
        newcomer: (c: number) => m.signedOut(c) && !m.users[SessionModel.userOf(c)].registered,
        stale: (c: number) => m.standing(c).kind === 'dead',
      }[pick.kind];
      const candidates = [...m.held.keys()].filter(fits);
      return candidates.length ? candidates[pick.nth % candidates.length] : undefined;
    }
  }
}

export function describePick(pick: ClientPick): string {
  switch (pick.kind) {
    case 'client':
      return `c${pick.index}`;
    case 'same':
      return 'same client';
    case 'signed-in':
      return `signed-in client #${pick.nth}`;
    case 'other-user':
      return `another user's signed-in client #${pick.nth}`;
    case 'signed-out':
      return `signed-out client #${pick.nth}`;
    case 'newcomer':
      return `client of an unregistered user #${pick.nth}`;
    case 'stale':
      return `client holding an ended session #${pick.nth}`;
  }
}

/** The endpoints a client without a live session must be refused at. */
export type GuardedEndpoint = 'current-user' | 'rows' | 'write' | 'logout' | 'refresh';

/**
 * What a response that should have been a refusal gave away:
 *   holder    it acted as the user whose (dead) cookie the request carried;
 *   stranger  it acted as a user the request did not name at all: that
 *             identity came from somewhere else, an earlier request;
 *   nothing   it answered without acting as anyone.
 */
export type Reveal = 'holder' | 'stranger' | 'nothing';

const DEATH_REQUIREMENT: Record<Death, string> = {
  logout: 'lifecycle-logout-ends-session',
  expiry: 'expiry-enforced',
  rotation: 'refresh-rotation',
};

/**
 * The requirement broken when a client without a live session is not
 * refused. A dead cookie that still opens current user or the listing of
 * rows counts as a session that did not end, even when the answer shows no
 * identity (the holder may own no private row); whether callers without any
 * cookie are refused is checked on those callers themselves.
 */
export function unrefusedRequirement(standing: Standing, endpoint: GuardedEndpoint, reveal: Reveal): string {
  if (reveal === 'stranger') return 'isolation-request-scoped';
  if (endpoint === 'refresh') {
    if (standing.kind === 'dead' && standing.death === 'expiry') return 'refresh-no-revival';
    if (standing.kind === 'dead' && standing.death === 'rotation') return 'refresh-rotation';
    return 'refresh-requires-session';
  }
  if (standing.kind === 'dead' && (reveal === 'holder' || endpoint === 'current-user' || endpoint === 'rows')) return DEATH_REQUIREMENT[standing.death];
  return 'lifecycle-anonymous-refused';
}

/**
 * The requirement broken when a signed-out client is refused a login or
 * registration: a dead cookie that still counted as a session (anonymous
 * callers may log in), or else the opening itself failed.
 */
export function refusedOpeningRequirement(standing: Standing, refused: boolean): string {
  return refused && standing.kind === 'dead' ? DEATH_REQUIREMENT[standing.death] : 'lifecycle-open';
}

/**
 * Who a response acted as, for a client without a live session, given the
 * model users it shows (undefined: a user the model does not know).
 */
export function revealOf(standing: Standing, shownUsers: Array<number | undefined>): Reveal {
  if (shownUsers.length === 0) return 'nothing';
  const holder = standing.kind === 'anonymous' ? undefined : standing.session.user;
  return shownUsers.every((user) => user !== undefined && user === holder) ? 'holder' : 'stranger';
}
