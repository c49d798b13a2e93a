/**
 * The deployment profile: how the suite uses the API of the deployment under
 * test (spec/profile.schema.json, with every field explained there). It is
 * read from the JSON file CONFORMANCE_PROFILE names, else profiles/reference.json;
 * a profile that does not fit the schema stops the run with one line naming
 * the field. The environment variables that predate profiles keep working and
 * override the fields they name.
 *
 * `fill` turns a body template into the JSON a request carries; it is pure,
 * its unique values coming from a seeded generator, so a property run that
 * is replayed sends the same shapes again.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type AjvModule from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { DEFAULT_EXPIRE_SESSION_SQL, DEFAULT_SESSION_EXPIRES_SQL } from './session-sql.ts';
import { UserError } from './user-error.ts';

// ---------------------------------------------------------------------------
// Types: the schema, as TypeScript
// ---------------------------------------------------------------------------

export type IdentityPart = 'login' | 'password' | 'name' | 'newPassword';
export type Generated =
  | { $generate: 'text' }
  | { $generate: 'email' }
  | { $generate: 'integer'; min: number; max: number }
  | { $generate: 'choice'; of: Literal[] };
export type Literal = string | number | boolean | null;
export type TemplateValue = Literal | { $identity: IdentityPart } | { $owner: true } | Generated;
export type Template = Record<string, TemplateValue>;

export interface Endpoint {
  method: 'GET' | 'POST';
  path: string;
  body?: Template;
  query?: Template;
}

export interface CurrentUserEndpoint extends Endpoint {
  idField: string;
}

export interface Visibility {
  column: string;
  readableBy: 'signed-in' | 'anyone';
}

export interface OwnedResource {
  path: string;
  idColumn: string;
  ownerColumn: string;
  ownerSetBy: 'server' | 'client';
  newRow: Template;
  textColumn: string;
  visibility?: Visibility;
}

export interface UsersListing {
  path: string;
  idColumn?: string;
  privateColumns?: string[];
}

export interface RefusalStatuses {
  unauthenticated?: number[];
  badCredentials?: number[];
}

export interface SessionStorage {
  table?: string;
  tokenStored?: 'clear' | 'sha256-hex' | 'sha256-bytea' | 'unknown';
  expireNowSql: string;
  expiresSql: string;
  absoluteExpiresSql?: string;
}

export interface DatabaseSettings {
  schemas: string[];
  anonRole: string;
  authenticatorRole: string;
  preRequest?: string;
}

export interface Profile {
  $schema?: string;
  profile: 1;
  basePath: string;
  cookieName: string;
  identifiedBy: 'email' | 'username';
  session: {
    register: Endpoint;
    login: Endpoint;
    logout: Endpoint;
    refresh?: Endpoint;
    currentUser?: CurrentUserEndpoint;
    changePassword?: Endpoint;
  };
  resources: OwnedResource[];
  users?: UsersListing;
  refusalStatuses?: RefusalStatuses;
  sessionStorage?: SessionStorage;
  database: DatabaseSettings;
  notes: string[];
}

/** The statuses a refusal may take when the profile does not say otherwise. */
export const DEFAULT_REFUSAL_STATUSES = [401, 403] as const;

export const REFERENCE_PROFILE_PATH = fileURLToPath(new URL('../profiles/reference.json', import.meta.url));
const SCHEMA_PATH = fileURLToPath(new URL('../spec/profile.schema.json', import.meta.url));

// ---------------------------------------------------------------------------
// Loading and validating
// ---------------------------------------------------------------------------

let compiled: ValidateFunction | undefined;

/** ajv is loaded and the schema compiled on first use only: a worker that is handed a validated profile pays nothing. */
function validator(): ValidateFunction {
  if (!compiled) {
    const Ajv = createRequire(import.meta.url)('ajv') as typeof AjvModule;
    compiled = new Ajv.default({ allErrors: true, strict: false }).compile(JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')));
  }
  return compiled;
}

/** ajv's errors as one phrase: the deepest one, which names the field itself rather than an enclosing `if`. */
function describeError(errors: ErrorObject[]): string {
  const useful = errors.filter((e) => e.keyword !== 'if');
  const error = [...(useful.length ? useful : errors)].sort((a, b) => b.instancePath.split('/').length - a.instancePath.split('/').length)[0];
  const where = error.instancePath || '/';
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'additionalProperties') return `${where} has an unknown field ${JSON.stringify(params.additionalProperty)}`;
  if (error.keyword === 'required') return `${where} must have the field ${JSON.stringify(params.missingProperty)}`;
  if (error.keyword === 'enum') return `${where} must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
  return `${where} ${error.message}`;
}

/** The rules the schema cannot state: a client-owned resource's new row must carry the owner. */
function describeInconsistency(profile: Profile): string | undefined {
  for (const [i, r] of profile.resources.entries()) {
    const owner = r.newRow[r.ownerColumn];
    const carriesOwner = typeof owner === 'object' && owner !== null && '$owner' in owner;
    if (r.ownerSetBy === 'client' && !carriesOwner) {
      return `/resources/${i}/newRow must give ${JSON.stringify(r.ownerColumn)} as {"$owner": true} when ownerSetBy is "client"`;
    }
    if (r.ownerSetBy === 'client' && !profile.session.currentUser) {
      return `/session/currentUser is needed when /resources/${i}/ownerSetBy is "client": the owner id comes from its idField`;
    }
  }
  return undefined;
}

/** A parsed profile, checked against the schema; `label` names its source in the one-line error. */
export function validateProfile(value: unknown, label: string): Profile {
  const validate = validator();
  const fix = 'fix the profile (see spec/profile.schema.json)';
  if (!validate(value)) throw new UserError(`${label}: ${describeError(validate.errors ?? [])}: ${fix}`);
  const inconsistency = describeInconsistency(value as Profile);
  if (inconsistency) throw new UserError(`${label}: ${inconsistency}: ${fix}`);
  return value as Profile;
}

function readProfileFile(file: string, label: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UserError(`${label}: cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}): give the path of a profile JSON file, or draft one with npm run -s profile, or postgrest-cookie-conformance --draft-profile`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    // `npm run profile > file` writes npm's own banner lines ("> name@version profile") above the JSON.
    const fix = /^\s*> /.test(text) ? 'it starts with npm\'s banner: draft with npm run -s profile (or npm run --silent profile)' : 'fix the profile (see spec/profile.schema.json)';
    throw new UserError(`${label}: is not JSON (${(error as Error).message.replace(/\s+/g, ' ')}): ${fix}`);
  }
}

/** `a, b,,c` -> ['a', 'b', 'c']. */
const commaList = (value: string) =>
  value
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);

/**
 * The environment variables that predate profiles, applied on top of one.
 * Their values are validated by loadConfig (lib/config.ts), which reads the
 * same variables; here they only take the place of the profile's fields.
 */
export function applyEnvironment(profile: Profile, env: NodeJS.ProcessEnv): Profile {
  const out: Profile = structuredClone(profile);
  if (env.SESSION_COOKIE) out.cookieName = env.SESSION_COOKIE;
  if (env.EXPIRE_SESSION_SQL || env.SESSION_EXPIRES_SQL) {
    const storage = out.sessionStorage;
    out.sessionStorage = {
      ...storage,
      expireNowSql: env.EXPIRE_SESSION_SQL || storage?.expireNowSql || DEFAULT_EXPIRE_SESSION_SQL,
      expiresSql: env.SESSION_EXPIRES_SQL || storage?.expiresSql || DEFAULT_SESSION_EXPIRES_SQL,
    };
  }
  if (env.DB_SCHEMAS && commaList(env.DB_SCHEMAS).length) out.database.schemas = commaList(env.DB_SCHEMAS);
  if (env.DB_ANON_ROLE) out.database.anonRole = env.DB_ANON_ROLE;
  if (env.DB_AUTHENTICATOR_ROLE) out.database.authenticatorRole = env.DB_AUTHENTICATOR_ROLE;
  return out;
}

/**
 * The profile of this run: CONFORMANCE_PROFILE's file, else the reference
 * app's, validated, with the environment's overrides applied. A bad profile
 * throws a UserError naming the variable, the file and the field.
 */
export function loadProfile(env: NodeJS.ProcessEnv = process.env): Profile {
  const file = env.CONFORMANCE_PROFILE || REFERENCE_PROFILE_PATH;
  const label = env.CONFORMANCE_PROFILE ? `CONFORMANCE_PROFILE=${env.CONFORMANCE_PROFILE}` : 'profiles/reference.json';
  return applyEnvironment(validateProfile(readProfileFile(file, label), label), env);
}

// ---------------------------------------------------------------------------
// Filling templates
// ---------------------------------------------------------------------------

/** Where generated values come from: unique within one generator, the same sequence for the same seed. */
export interface Generator {
  /** A text no other call of this generator returns. */
  text(): string;
  /** An address at example.test (reserved, RFC 2606) no other call returns. */
  email(): string;
  /** An integer in [min, max]. */
  integer(min: number, max: number): number;
  /** One of the values. */
  choice<T>(of: readonly T[]): T;
}

/**
 * A Generator from a seed. The pseudo-random numbers come from mulberry32,
 * a few lines of integer arithmetic: the values need to be reproducible and
 * well spread, not secret, and no npm package offers less than fast-check's
 * whole random module for that.
 */
export function seededGenerator(seed: number, prefix = 'conformance'): Generator {
  let state = seed >>> 0;
  let counter = 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  // The seed in every value keeps two runs' values apart; the counter keeps one run's apart.
  const unique = () => `${prefix}-${(seed >>> 0).toString(36)}-${(counter += 1)}-${Math.floor(next() * 36 ** 4).toString(36)}`;
  return {
    text: unique,
    email: () => `${unique()}@example.test`,
    integer: (min, max) => min + Math.floor(next() * (max - min + 1)),
    choice: (of) => of[Math.floor(next() * of.length)],
  };
}

/** What a template is filled with: who calls, where new values come from, and the caller's id for a client-supplied owner. */
export interface FillContext {
  identity?: { login: string; password: string; name: string; newPassword?: string };
  generator: Generator;
  ownerId?: string | number;
}

/** One template value, filled in. */
function fillValue(key: string, value: TemplateValue, context: FillContext): unknown {
  if (value === null || typeof value !== 'object') return value;
  if ('$identity' in value) {
    const part = context.identity?.[value.$identity];
    if (part === undefined) throw new Error(`template field ${key} needs the caller's ${value.$identity}, and the call has none`);
    return part;
  }
  if ('$owner' in value) {
    if (context.ownerId === undefined) throw new Error(`template field ${key} needs the caller's id (currentUser's idField), and the call has none`);
    return context.ownerId;
  }
  switch (value.$generate) {
    case 'text':
      return context.generator.text();
    case 'email':
      return context.generator.email();
    case 'integer':
      return context.generator.integer(value.min, value.max);
    case 'choice':
      return context.generator.choice(value.of);
  }
}

/** A template filled in: the JSON object a request carries. Fields are filled in the template's order, so a seed gives the same object. */
export function fill(template: Template, context: FillContext): Record<string, unknown> {
  return Object.fromEntries(Object.entries(template).map(([key, value]) => [key, fillValue(key, value, context)]));
}

/** The request an endpoint makes: the path under BASE_URL (basePath and query included), and the JSON body if any. */
export function requestOf(profile: Pick<Profile, 'basePath'>, endpoint: Endpoint, context: FillContext): { method: string; path: string; json?: unknown } {
  const query = endpoint.query ? new URLSearchParams(Object.entries(fill(endpoint.query, context)).map(([k, v]) => [k, String(v)])).toString() : '';
  return {
    method: endpoint.method,
    path: `${pathUnder(profile, endpoint.path)}${query ? `?${query}` : ''}`,
    ...(endpoint.body ? { json: fill(endpoint.body, context) } : {}),
  };
}

/** A profile path under its basePath: `/api` + `/rpc/login` -> `/api/rpc/login`. */
export function pathUnder(profile: Pick<Profile, 'basePath'>, path: string): string {
  return `${profile.basePath.replace(/\/+$/, '')}${path}`;
}
