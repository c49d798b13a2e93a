/**
 * Drafts a deployment profile (spec/profile.schema.json) from what the
 * deployment shows: its OpenAPI documents (anonymous and signed in), what a
 * few calls answered, and, when given a database, its catalog. Pure, so every
 * guess can be unit-tested on saved documents. Each guess and each gap is
 * written into `notes` for the person who reviews the draft; the suite never
 * reads them.
 *
 * Guesses go by names (login, signin, p_email, owner_id ...) and by what the
 * document marks (primary and foreign keys, defaults, required columns); the
 * catalog confirms or refines them (who may call a function, which columns
 * the database fills in, the sessions table, RLS policies).
 */
import type { CurrentUserEndpoint, Endpoint, OwnedResource, Profile, SessionStorage, Template, TemplateValue, UsersListing } from '../lib/profile.ts';
import { isSecretColumn } from '../suites/support/secret-column.ts';
import type { Catalog, CatalogFunction, ColumnCheck, SessionTable } from './profile-catalog.ts';
import { mergeShapes, readApiShape, type ApiShape, type Column, type Relation, type Rpc } from './profile-openapi.ts';

/** The OpenAPI documents: as an anonymous caller and as a signed-in one (PostgREST lists only what the caller may use). */
export interface OpenApiDocuments {
  anonymous?: unknown;
  signedIn?: unknown;
}

/** What the drafter saw the deployment do. */
export interface Observed {
  /** The path of the URL the drafter was given. */
  basePath?: string;
  /** The cookie the login answer set. */
  cookieName?: string;
  /** The fields of the current-user answer. */
  currentUserFields?: string[];
  /** The current-user endpoint answered GET (true), or refused it for POST (false). */
  currentUserByGet?: boolean;
}

// ---------------------------------------------------------------------------
// Names
// ---------------------------------------------------------------------------

/** Argument prefixes that say nothing about the argument: `p_email`, `_email`, `in_email`, `arg_email`. */
const bare = (name: string) => name.toLowerCase().replace(/^(p_|in_|arg_|_)/, '');
const named = (pattern: RegExp) => (name: string) => pattern.test(bare(name));

const ENDPOINT_NAMES = {
  login: named(/^(login|log_in|signin|sign_in|authenticate|auth|logon|log_on|session_login)$/),
  register: named(/^(register|signup|sign_up|create_account|create_user|new_user|register_user|enroll)$/),
  logout: named(/^(logout|log_out|signout|sign_out|logoff|log_off|end_session)$/),
  refresh: named(/^(refresh|refresh_session|refresh_token|renew|renew_session|extend_session|touch_session|keepalive|keep_alive)$/),
  currentUser: named(/^(current_user|currentuser|me|whoami|who_am_i|current_account|my_account|my_profile|get_me|session_user|current_session_user)$/),
  changePassword: named(/^(change_password|set_password|update_password|password_change|change_pw|reset_own_password)$/),
};
/** A password-change argument: the current password, or the new one. */
const OLD_PASSWORD = named(/^(old|current|existing)_?(password|pass|passwd|pw|pwd)$/);
const NEW_PASSWORD = named(/^new_?(password|pass|passwd|pw|pwd)$/);
const ARG = {
  password: named(/^(password|pass|passwd|pw|pwd|passphrase|secret)$/),
  email: named(/^(email|e_mail|mail|email_address)$/),
  username: named(/^(username|user_name|login|user|handle|nick|account|account_name)$/),
  displayName: named(/^(name|display_name|full_name|fullname|nickname|real_name)$/),
};
const OWNER_COLUMN = named(/^(user_id|owner_id|author_id|created_by|creator_id|account_id|owner|user|author|profile_id|member_id|userid|ownerid)$/);
const USERS_LISTING = named(/^(users|accounts|profiles|members|people|user_profiles)$/);
const VISIBILITY_COLUMN = named(/^(public|is_public|shared|is_shared|published|is_published|visible|is_visible)$/);
const TEXT_COLUMN_ORDER = ['description', 'body', 'content', 'text', 'title', 'note', 'notes', 'message', 'comment', 'name', 'label', 'summary'];
const PRE_REQUEST = named(/^(authenticate|pre_request|prerequest|before_request|check_session|check_auth|authorize|session_check|set_session|identify)$/);
const SESSIONS_TABLE = /^(sessions?|user_sessions?|auth_sessions?|login_sessions?)$/i;
const TOKEN_COLUMN = /^(token|token_hash|hashed_token|token_digest|session_token|session_id|sid|id|key|session_key|hash|digest)$/i;
const IDLE_EXPIRY = /^(expires|expires_at|expiry|expires_on|valid_until|idle_expires|idle_expires_at|expiration)$/i;
const ABSOLUTE_EXPIRY = /^(absolute_expires|absolute_expires_at|absolute_expiry|max_expires|hard_expires|expires_absolute)$/i;

const isTextual = (c: Column) => c.type === 'string' && /^(text|character varying|character|varchar|citext)/.test(c.format ?? 'text');

// ---------------------------------------------------------------------------
// Drafting
// ---------------------------------------------------------------------------

class Draft {
  readonly notes: string[] = [];
  /** The catalog's one-column CHECK constraints, where valid ranges are written. */
  checks: ColumnCheck[] = [];
  note(text: string) {
    this.notes.push(text);
  }
}

/** Bounds of a comparison `(col >= 18)`, `(col < 131)`, `(18 <= col)` as pg_get_constraintdef writes them. */
const COMPARISON = /\(\s*"?([A-Za-z_][A-Za-z0-9_]*)"?\s*(>=|>|<=|<)\s*\(?(-?\d+)\)?(?:::\w+)?\s*\)|\(\s*\(?(-?\d+)\)?(?:::\w+)?\s*(>=|>|<=|<)\s*"?([A-Za-z_][A-Za-z0-9_]*)"?\s*\)/g;
const FLIP: Record<string, string> = { '>=': '<=', '>': '<', '<=': '>=', '<': '>' };

/**
 * The integer range the CHECK constraints on columns named `column` allow
 * (every table's, intersected: an argument named like a column is stored in
 * it), from the comparisons of each constraint joined by AND; undefined when
 * none bounds it. A bound on one side only keeps 98 values on the other.
 */
export function rangeOf(checks: ColumnCheck[], column: string): { min: number; max: number; from: string[] } | undefined {
  let min: number | undefined;
  let max: number | undefined;
  const from: string[] = [];
  for (const check of checks.filter((k) => k.column.toLowerCase() === column.toLowerCase())) {
    // An OR allows values outside each side's bounds: such a constraint is not read.
    if (/\bOR\b/i.test(check.definition)) continue;
    let bounded = false;
    for (const m of check.definition.matchAll(COMPARISON)) {
      const [name, op, value] = m[1] ? [m[1], m[2]!, Number(m[3])] : [m[6]!, FLIP[m[5]!]!, Number(m[4])];
      if (name.toLowerCase() !== column.toLowerCase()) continue;
      bounded = true;
      if (op === '>=' || op === '>') min = Math.max(min ?? -Infinity, op === '>' ? value + 1 : value);
      else max = Math.min(max ?? Infinity, op === '<' ? value - 1 : value);
    }
    if (bounded) from.push(`${check.schema}.${check.table}: ${check.definition}`);
  }
  if (min === undefined && max === undefined) return undefined;
  const lo = min ?? Math.min(1, max! - 98);
  return { min: lo, max: max ?? lo + 98, from };
}

/** A generated value fitting an argument or a column the suite has no value of its own for. */
function generatorFor(c: Column, draft: Draft, where: string): TemplateValue {
  const format = (c.format ?? '').toLowerCase();
  if (ARG.email(c.name)) return { $generate: 'email' };
  if (c.type === 'integer' || c.type === 'number') {
    const range = rangeOf(draft.checks, bare(c.name));
    if (range && range.min <= range.max) {
      draft.note(`${where}: ${c.name} is generated from ${range.min} to ${range.max}, the range of ${range.from.join('; ')}.`);
      return { $generate: 'integer', min: range.min, max: range.max };
    }
    if (range) draft.note(`${where}: the checks on ${bare(c.name)} allow no integer (${range.from.join('; ')}): set the value by hand.`);
    return { $generate: 'integer', min: 1, max: 99 };
  }
  if (c.type === 'boolean') return { $generate: 'choice', of: [true, false] };
  if (format === 'date') {
    draft.note(`${where}: ${c.name} is a date; the draft always sends 2000-01-01: widen the choice if the deployment wants otherwise.`);
    return { $generate: 'choice', of: ['2000-01-01'] };
  }
  if (isTextual(c)) return { $generate: 'text' };
  draft.note(`${where}: ${c.name} is ${c.format ?? c.type ?? 'of an unknown type'}, which the drafter cannot generate: replace the placeholder value with a valid one.`);
  return { $generate: 'choice', of: ['REPLACE-ME'] };
}

/** The function whose name fits, preferring the first in document order. */
function findFunction(api: ApiShape, fits: (name: string) => boolean): Rpc | undefined {
  return api.functions.find((f) => fits(f.name));
}

function catalogFunction(catalog: Catalog | undefined, schemas: string[], name: string): CatalogFunction | undefined {
  return catalog?.functions.find((f) => f.name === name && schemas.includes(f.schema));
}

/** The identifier argument of a login or register call, and what kind of identifier it is. */
function identifierOf(fn: Rpc): { arg: Column; kind: 'email' | 'username' } | undefined {
  const email = fn.args.find((a) => ARG.email(a.name));
  if (email) return { arg: email, kind: 'email' };
  const username = fn.args.find((a) => ARG.username(a.name)) ?? fn.args.find((a) => bare(a.name) === 'name');
  return username ? { arg: username, kind: 'username' } : undefined;
}

/**
 * The body of a session call: the identity's parts where the names say so,
 * generated values for the other required arguments, optional ones left out.
 */
function sessionBody(fn: Rpc, role: 'login' | 'register', login: Column | undefined, draft: Draft): Template {
  const body: Template = {};
  const left: string[] = [];
  for (const arg of fn.args) {
    if (login && bare(arg.name) === bare(login.name)) body[arg.name] = { $identity: 'login' };
    else if (ARG.password(arg.name)) body[arg.name] = { $identity: 'password' };
    else if (role === 'register' && ARG.displayName(arg.name)) body[arg.name] = { $identity: 'name' };
    else if (arg.required) {
      body[arg.name] = generatorFor(arg, draft, role);
      draft.note(`${role}: ${arg.name} is required and not part of an identity; the draft sends ${JSON.stringify(body[arg.name])}.`);
    } else left.push(arg.name);
  }
  if (left.length) draft.note(`${role}: optional arguments left out: ${left.join(', ')}.`);
  if (!Object.values(body).some((v) => typeof v === 'object' && v !== null && '$identity' in v && v.$identity === 'password')) {
    draft.note(`${role}: no argument looks like a password (${fn.args.map((a) => a.name).join(', ') || 'none'}): set session.${role}.body.`);
  }
  return body;
}

/** A session call: POST with a JSON body, since it writes (PostgREST runs GET read-only). */
/** The body of a password change: exactly one argument named like the current password and one like the new one. */
function changePasswordBody(fn: Rpc): Template | undefined {
  const old = fn.args.filter((a) => OLD_PASSWORD(a.name));
  const fresh = fn.args.filter((a) => NEW_PASSWORD(a.name));
  const others = fn.args.filter((a) => a.required && !old.includes(a) && !fresh.includes(a));
  if (old.length !== 1 || fresh.length !== 1 || others.length) return undefined;
  return { [old[0]!.name]: { $identity: 'password' }, [fresh[0]!.name]: { $identity: 'newPassword' } };
}

function sessionEndpoint(fn: Rpc, body: Template): Endpoint {
  return { method: 'POST', path: fn.path, body };
}

function draftSession(api: ApiShape, catalog: Catalog | undefined, schemas: string[], observed: Observed, draft: Draft) {
  const found = Object.fromEntries(Object.entries(ENDPOINT_NAMES).map(([role, fits]) => [role, findFunction(api, fits)])) as Record<keyof typeof ENDPOINT_NAMES, Rpc | undefined>;
  const args = (fn: Rpc) => fn.args.map((a) => a.name).join(', ') || 'no arguments';
  for (const [role, fn] of Object.entries(found)) {
    if (fn) draft.note(`${role}: guessed ${fn.path} from its name; its arguments: ${args(fn)}.`);
  }
  const missing = (role: string, path: string): Rpc => {
    draft.note(`${role}: no function of the document has a name the drafter knows for it: set session.${role} (the draft says ${path}).`);
    return { path, name: path.slice(5), args: [] };
  };
  const loginFn = found.login ?? missing('login', '/rpc/login');
  const registerFn = found.register ?? missing('register', '/rpc/register');
  const logoutFn = found.logout ?? missing('logout', '/rpc/logout');

  const identifier = identifierOf(loginFn) ?? identifierOf(registerFn);
  if (!identifier) draft.note('login: no argument looks like an e-mail address or a user name: set identifiedBy and the login argument of session.login.body and session.register.body.');
  const identifiedBy = identifier?.kind ?? 'email';
  if (identifier) draft.note(`identifiedBy: ${identifiedBy}, from the argument ${identifier.arg.name}.`);
  const registerLogin = identifier && (registerFn.args.find((a) => bare(a.name) === bare(identifier.arg.name)) ?? identifierOf(registerFn)?.arg);

  const session: Profile['session'] & { currentUser?: DraftCurrentUser } = {
    register: sessionEndpoint(registerFn, sessionBody(registerFn, 'register', registerLogin, draft)),
    login: sessionEndpoint(loginFn, sessionBody(loginFn, 'login', identifier?.arg, draft)),
    logout: sessionEndpoint(logoutFn, {}),
  };
  if (found.refresh) session.refresh = sessionEndpoint(found.refresh, {});
  else draft.note('refresh: no function named like a refresh (refresh, refresh_session, renew ...): the refresh requirements will be not applicable; add session.refresh if the deployment has one.');

  if (found.changePassword) {
    const body = changePasswordBody(found.changePassword);
    if (body) session.changePassword = sessionEndpoint(found.changePassword, body);
    else draft.note(`changePassword: ${found.changePassword.path} takes ${args(found.changePassword)}, not one current and one new password the drafter can tell apart: set session.changePassword by hand.`);
  }

  if (found.currentUser) session.currentUser = currentUserEndpoint(found.currentUser, catalog, schemas, observed, draft);
  else draft.note('currentUser: no function named like one (current_user, me, whoami ...): add session.currentUser if the deployment has one.');
  return { session, identifiedBy };
}

/** While drafting: whether idField was worked out, or is the placeholder another clue may replace. */
type DraftCurrentUser = CurrentUserEndpoint & { idFieldKnown?: boolean };

function currentUserEndpoint(fn: Rpc, catalog: Catalog | undefined, schemas: string[], observed: Observed, draft: Draft): DraftCurrentUser {
  const known = catalogFunction(catalog, schemas, fn.name);
  const fields = observed.currentUserFields ?? (known?.resultColumns.length ? known.resultColumns : undefined);
  const idField = fields?.find((f) => /^(user_id|id|account_id|uid|userid|owner_id|member_id|profile_id)$/i.test(f)) ?? fields?.find((f) => /_id$/i.test(f));
  if (idField) draft.note(`currentUser: the caller's id is guessed to be ${idField}, of the fields ${fields!.join(', ')}.`);
  else draft.note(`currentUser: which field holds the caller's id is not known${fields ? ` (fields: ${fields.join(', ')})` : ''}: set session.currentUser.idField.`);
  // PostgREST serves a function on GET only when it is stable or immutable; the catalog or a try says which.
  const byGet = observed.currentUserByGet ?? (known ? known.volatility !== 'v' : true);
  if (observed.currentUserByGet === undefined && !known) draft.note('currentUser: called by GET, as readers usually are; use POST if it is a volatile function.');
  return { method: byGet ? 'GET' : 'POST', path: fn.path, ...(byGet ? {} : { body: {} }), idField: idField ?? 'id', idFieldKnown: idField !== undefined };
}

function draftUsers(api: ApiShape, draft: Draft): UsersListing | undefined {
  const listing = api.relations.find((r) => USERS_LISTING(r.name));
  if (!listing) {
    draft.note('users: no listing named like users, accounts or profiles: the requirements about a users listing will be not applicable; add users if the deployment has one.');
    return undefined;
  }
  const id = listing.columns.find((c) => c.primaryKey) ?? listing.columns.find((c) => /^(user_)?id$/i.test(c.name));
  const privateColumns = listing.columns.filter((c) => isSecretColumn(c.name)).map((c) => c.name);
  draft.note(`users: guessed ${listing.path} from its name; its columns: ${listing.columns.map((c) => c.name).join(', ') || 'not listed'}. If some of them only their owner may see, list them in users.privateColumns: signed in as one account, the drafter cannot tell.`);
  if (privateColumns.length) draft.note(`users: ${privateColumns.join(', ')} named like credentials, marked private: check that only their owner sees them filled.`);
  return { path: listing.path, ...(id ? { idColumn: id.name } : {}), privateColumns };
}

/** Where the database says a relation's column is filled in: its own default or identity, or its base table's. */
function filledByDatabase(catalog: Catalog | undefined, schemas: string[], relation: string, column: string): boolean | undefined {
  const known = catalog?.relations.find((r) => r.name === relation && schemas.includes(r.schema));
  return known ? known.filledColumns.includes(column) : undefined;
}

/** The RLS policies on a relation or the tables behind it that name a column. */
function policiesNaming(catalog: Catalog, schemas: string[], relation: string, column: string): string[] {
  const known = catalog.relations.find((r) => r.name === relation && schemas.includes(r.schema));
  const tables = new Set([...(known?.bases ?? []), ...schemas.map((s) => `${s}.${relation}`)]);
  const word = new RegExp(`(^|[^a-z0-9_])${column.replace(/[^a-z0-9_]/gi, '')}([^a-z0-9_]|$)`, 'i');
  return catalog.policies.filter((p) => tables.has(`${p.schema}.${p.table}`) && word.test(p.expression)).map((p) => `${p.schema}.${p.table} ${p.name}`);
}

function draftResource(relation: Relation, api: ApiShape, anonymous: ApiShape | undefined, users: UsersListing | undefined, catalog: Catalog | undefined, schemas: string[], draft: Draft): OwnedResource | undefined {
  const columns = relation.columns;
  const id = columns.find((c) => c.primaryKey) ?? columns.find((c) => /^id$/i.test(c.name));
  const usersName = users?.path.slice(1);
  const owner =
    columns.find((c) => c !== id && c.references && c.references.table === usersName) ??
    columns.find((c) => c !== id && OWNER_COLUMN(c.name)) ??
    (catalog ? columns.find((c) => c !== id && /_id$/.test(c.name) && policiesNaming(catalog, schemas, relation.name, c.name).length > 0) : undefined);
  if (!id || !owner) return undefined;
  const where = `resource ${relation.path}`;
  const filled = filledByDatabase(catalog, schemas, relation.name, owner.name);
  const serverFilled = filled ?? (owner.hasDefault || !owner.required);
  draft.note(
    `${where}: rows identified by ${id.name}, owned through ${owner.name}, ${serverFilled ? 'filled in by the server' : 'sent by the client'} (${
      filled !== undefined ? `the database ${filled ? 'fills it in' : 'has no default for it'}` : owner.hasDefault ? 'it has a default' : owner.required ? 'required, with no default' : 'not required by the document'
    }).`,
  );
  if (filled === undefined && !owner.required && !owner.hasDefault) {
    draft.note(`${where}: the document marks no column of a view as required, so "server" is a guess: set ownerSetBy to "client" if clients must send ${owner.name}.`);
  }
  if (catalog) {
    const policies = policiesNaming(catalog, schemas, relation.name, owner.name);
    draft.note(policies.length ? `${where}: RLS policies naming ${owner.name}: ${policies.join(', ')}.` : `${where}: no RLS policy names ${owner.name}: check that rows are kept apart.`);
  }
  const text =
    TEXT_COLUMN_ORDER.map((n) => columns.find((c) => c.name.toLowerCase() === n && isTextual(c))).find(Boolean) ??
    columns.find((c) => c !== id && c !== owner && isTextual(c));
  if (!text) {
    draft.note(`${where}: no free-text column, so it cannot serve the checks that write text; left out.`);
    return undefined;
  }
  const newRow: Template = {};
  for (const c of columns) {
    if (c === id) continue;
    if (c === owner) {
      if (!serverFilled) newRow[c.name] = { $owner: true };
      continue;
    }
    const dbFilled = filledByDatabase(catalog, schemas, relation.name, c.name);
    if (c === text) newRow[c.name] = { $generate: 'text' };
    else if (c.required && !c.hasDefault && dbFilled !== true) newRow[c.name] = generatorFor(c, draft, where);
  }
  const visibility = columns.find((c) => c.type === 'boolean' && VISIBILITY_COLUMN(c.name));
  const readableByAnyone = anonymous?.relations.some((r) => r.path === relation.path) ?? false;
  if (visibility) {
    const why = !anonymous ? 'the anonymous document was not read' : readableByAnyone ? 'anonymous callers may read the resource' : 'anonymous callers may not read the resource';
    draft.note(`${where}: ${visibility.name} guessed to share a row with ${readableByAnyone ? 'anyone' : 'other signed-in users'}, as ${why}.`);
  }
  return {
    path: relation.path,
    idColumn: id.name,
    ownerColumn: owner.name,
    ownerSetBy: serverFilled ? 'server' : 'client',
    newRow,
    textColumn: text.name,
    ...(visibility ? { visibility: { column: visibility.name, readableBy: readableByAnyone ? 'anyone' : 'signed-in' } } : {}),
  };
}

const quoteIdent = (name: string) => (/^[a-z_][a-z0-9_]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`);

/** The session SQL for the sessions table the catalog holds, if one fits. */
function draftSessionStorage(catalog: Catalog | undefined, draft: Draft): SessionStorage | undefined {
  if (!catalog) {
    draft.note('sessionStorage: no database given, so the defaults stand (a table auth.sessions(token, expires)): give --database-url, or set sessionStorage.');
    return undefined;
  }
  const fits = (t: SessionTable) => t.columns.some((c) => TOKEN_COLUMN.test(c.name)) && t.columns.some((c) => IDLE_EXPIRY.test(c.name));
  const table = catalog.sessionTables.filter(fits).sort((a, b) => Number(SESSIONS_TABLE.test(b.table)) - Number(SESSIONS_TABLE.test(a.table)))[0];
  if (!table) {
    draft.note('sessionStorage: no table with a token column and an expiry column: set sessionStorage; until then the database checks that expire a session are not verified.');
    return undefined;
  }
  const token = table.columns.find((c) => /token|hash|digest/i.test(c.name)) ?? table.columns.find((c) => TOKEN_COLUMN.test(c.name))!;
  const idle = table.columns.find((c) => IDLE_EXPIRY.test(c.name))!;
  const absolute = table.columns.find((c) => ABSOLUTE_EXPIRY.test(c.name));
  const name = `${quoteIdent(table.schema)}.${quoteIdent(table.table)}`;
  const hexCheck = table.checks.some((k) => k.includes(token.name) && /0-9a-f|\{64\}|64/.test(k));
  const tokenStored: SessionStorage['tokenStored'] =
    token.type === 'bytea' ? 'sha256-bytea' : token.type === 'uuid' ? 'clear' : hexCheck ? 'sha256-hex' : 'unknown';
  draft.note(
    `sessionStorage: ${name}, token in ${token.name} (${token.type}${hexCheck ? ', checked to be 64 hex digits' : ''}: ${tokenStored}), idle deadline ${idle.name}${absolute ? `, absolute deadline ${absolute.name}` : ', no absolute deadline column'}.`,
  );
  if (tokenStored === 'unknown') draft.note(`sessionStorage: whether ${token.name} holds the cookie in clear or its digest is not known; the SQL matches either.`);
  // One match for all three ways of keeping the token, as lib/config.ts's default does: a wrong guess about the storage cannot break it.
  const match = `${quoteIdent(token.name)}::text in ($1, encode(sha256(convert_to($1, 'UTF8')), 'hex'), sha256(convert_to($1, 'UTF8'))::text)`;
  const col = quoteIdent(idle.name);
  return {
    table: `${table.schema}.${table.table}`,
    tokenStored,
    expireNowSql: `update ${name} set ${col} = least(${col}, clock_timestamp()) where ${match}`,
    expiresSql: `select ${col} from ${name} where ${match}`,
    ...(absolute ? { absoluteExpiresSql: `select ${quoteIdent(absolute.name)} from ${name} where ${match}` } : {}),
  };
}

/** db-schemas, the anon role, the authenticator and the pre-request hook, from PostgREST's in-database settings or the catalog's shape. */
function draftDatabase(api: ApiShape, catalog: Catalog | undefined, draft: Draft): Profile['database'] {
  const setting = (name: string) => catalog?.roleSettings.find((s) => s.name === `pgrst.${name}`);
  const fallback = { schemas: ['api'], anonRole: 'anonymous', authenticatorRole: 'authenticator' };
  if (!catalog) {
    draft.note(`database: no database given: schemas ${fallback.schemas.join(', ')}, anon role ${fallback.anonRole} and authenticator ${fallback.authenticatorRole} are the defaults, not read: set database.`);
    return fallback;
  }
  const schemasSetting = setting('db_schemas');
  let schemas: string[];
  if (schemasSetting) {
    schemas = schemasSetting.value.split(',').map((s) => s.trim()).filter(Boolean);
    draft.note(`database.schemas: ${schemas.join(', ')}, from pgrst.db_schemas of role ${schemasSetting.role}.`);
  } else {
    const names = new Set(api.functions.map((f) => f.name));
    const counts = new Map<string, number>();
    for (const f of catalog.functions) if (names.has(f.name)) counts.set(f.schema, (counts.get(f.schema) ?? 0) + 1);
    for (const r of catalog.relations) if (api.relations.some((a) => a.name === r.name)) counts.set(r.schema, (counts.get(r.schema) ?? 0) + 1);
    const best = [...counts].sort((a, b) => b[1] - a[1])[0]?.[0];
    schemas = best ? [best] : fallback.schemas;
    draft.note(`database.schemas: ${schemas.join(', ')}, ${best ? 'the schema holding most of the documented endpoints' : 'a default'} (no pgrst.db_schemas role setting): check PostgREST's db-schemas.`);
  }
  const anonSetting = setting('db_anon_role');
  const login = api.functions.find((f) => ENDPOINT_NAMES.login(f.name));
  const loginExecutors = (login && catalogFunction(catalog, schemas, login.name)?.executors) ?? [];
  const anonRole = anonSetting?.value ?? (loginExecutors.length === 1 ? loginExecutors[0] : fallback.anonRole);
  draft.note(
    `database.anonRole: ${anonRole}, ${anonSetting ? `from pgrst.db_anon_role of role ${anonSetting.role}` : loginExecutors.length === 1 ? `the one role that may call ${login!.path}` : 'a default: check db-anon-role'}.`,
  );
  const members = catalog.roles.filter((r) => r.canLogin && r.memberOf.includes(anonRole));
  const authenticatorRole = (schemasSetting ?? anonSetting)?.role ?? (members.length === 1 ? members[0].name : fallback.authenticatorRole);
  draft.note(
    `database.authenticatorRole: ${authenticatorRole}, ${(schemasSetting ?? anonSetting) ? 'the role holding the pgrst settings' : members.length === 1 ? `the one login role that may become ${anonRole}` : "a default: check the user of PostgREST's db-uri"}.`,
  );
  const preSetting = setting('db_pre_request');
  let preRequest = preSetting?.value;
  if (preRequest) draft.note(`database.preRequest: ${preRequest}, from pgrst.db_pre_request of role ${preSetting!.role}.`);
  else {
    const candidates = catalog.functions.filter((f) => f.argCount === 0 && !schemas.includes(f.schema) && f.executors.includes(anonRole) && (PRE_REQUEST(f.name) || f.readsCookies));
    const named = candidates.filter((f) => PRE_REQUEST(f.name));
    const pick = named.length === 1 ? named[0] : candidates.length === 1 ? candidates[0] : undefined;
    preRequest = pick ? `${pick.schema}.${pick.name}` : undefined;
    draft.note(
      pick
        ? `database.preRequest: ${preRequest}, guessed (no pgrst.db_pre_request role setting): a function without arguments, outside the exposed schemas, that ${anonRole} may call and whose name or source fits a hook; check PostgREST's db-pre-request.`
        : "database.preRequest: not found (no pgrst.db_pre_request role setting, no one function that fits): set it to PostgREST's db-pre-request.",
    );
  }
  return { schemas, anonRole, authenticatorRole, ...(preRequest ? { preRequest } : {}) };
}

/** The profile's basePath: the path of the URL given, else where the document says it is served. */
function draftBasePath(api: ApiShape, observed: Observed): string {
  const fromUrl = observed.basePath && observed.basePath !== '/' ? observed.basePath : undefined;
  const fromDocument = api.basePath !== '/' ? api.basePath : undefined;
  return (fromUrl ?? fromDocument ?? '/').replace(/(.)\/+$/, '$1');
}

/**
 * A draft profile from the OpenAPI documents (or one document), the catalog
 * when a database was given, and what the drafter saw over HTTP.
 */
export function draftProfile(openapi: OpenApiDocuments | unknown, catalog?: Catalog, observed: Observed = {}): Profile {
  const docs: OpenApiDocuments = typeof openapi === 'object' && openapi !== null && ('anonymous' in openapi || 'signedIn' in openapi) ? (openapi as OpenApiDocuments) : { signedIn: openapi };
  const anonymous = docs.anonymous === undefined ? undefined : readApiShape(docs.anonymous);
  const signedIn = docs.signedIn === undefined ? undefined : readApiShape(docs.signedIn);
  const shapes = [signedIn, anonymous].filter((s): s is ApiShape => s !== undefined);
  if (shapes.length === 0) throw new Error('no OpenAPI document with paths to draft a profile from');
  const api = mergeShapes(shapes);
  const draft = new Draft();
  draft.checks = catalog?.columnChecks ?? [];
  if (!signedIn) draft.note('Only the anonymous document was read: what a signed-in user may use is missing from this draft.');

  const database = draftDatabase(api, catalog, draft);
  const { session, identifiedBy } = draftSession(api, catalog, database.schemas, observed, draft);
  const users = draftUsers(api, draft);
  const resources = api.relations
    .filter((r) => r.path !== users?.path)
    .map((r) => draftResource(r, api, docs.anonymous === undefined ? undefined : anonymous, users, catalog, database.schemas, draft))
    .filter((r): r is OwnedResource => r !== undefined);
  const current = session.currentUser;
  const referenced = resources.find((r) => r.ownerSetBy === 'client')?.ownerColumn;
  const ownerTarget = referenced && api.relations.flatMap((r) => r.columns).find((c) => c.name === referenced && c.references)?.references?.column;
  if (current && !current.idFieldKnown && ownerTarget) {
    current.idField = ownerTarget;
    draft.note(`currentUser: idField guessed to be ${ownerTarget}, the column the owner column ${referenced} refers to: check it against the answer of ${current.path}.`);
  }
  if (current) delete current.idFieldKnown;
  if (resources.length === 0) {
    draft.note('resources: no table or view with an id column, an owner column (user_id, owner_id, author_id ...) and a text column: add one, or the isolation checks are not verified.');
  } else if (session.currentUser && resources.some((r) => r.ownerColumn !== session.currentUser!.idField)) {
    draft.note(`resources: an owner column is compared with currentUser's ${session.currentUser.idField}: check that they hold the same ids.`);
  }
  const cookieName = observed.cookieName ?? 'session_token';
  draft.note(observed.cookieName ? `cookieName: ${cookieName}, the cookie the login answer set.` : 'cookieName: session_token is a default, not seen: set cookieName to the session cookie the login sets.');
  const sessionStorage = draftSessionStorage(catalog, draft);

  const profile: Profile = {
    $schema: '../spec/profile.schema.json',
    profile: 1,
    basePath: draftBasePath(api, observed),
    cookieName,
    identifiedBy,
    session,
    resources: resources.length ? resources : [placeholderResource()],
    ...(users ? { users } : {}),
    ...(sessionStorage ? { sessionStorage } : {}),
    database,
    notes: draft.notes,
  };
  return profile;
}

/** The schema wants one resource; this one names itself as what to replace. */
function placeholderResource(): OwnedResource {
  return { path: '/REPLACE-ME', idColumn: 'id', ownerColumn: 'user_id', ownerSetBy: 'server', newRow: { description: { $generate: 'text' } }, textColumn: 'description' };
}
