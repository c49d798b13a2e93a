/**
 * `npm run profile -- --base-url URL [--database-url URL]`: prints a draft
 * profile of a deployment (JSON, on standard output) for a person to review
 * and name with CONFORMANCE_PROFILE. What it did and what it guessed go into
 * the profile's `notes`; progress goes to standard error.
 *
 * PostgREST shows an anonymous caller only what it may use (register, log
 * in), so the drafter reads the OpenAPI document anonymously, registers one
 * account of its own (`conformance-draft-…`, at example.test), signs in, and
 * reads the document again with the session cookie; it asks the current-user
 * endpoint, if any, which fields it answers with, and logs out.
 */
import { randomBytes, randomInt } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { HttpClient, type HttpResponse } from '../fixtures/http.ts';
import { pathUnder, requestOf, seededGenerator, type Endpoint, type FillContext, type Profile } from '../lib/profile.ts';
import { parseSetCookie } from '../lib/set-cookie.ts';
import { exitOnUserError, UserError } from '../lib/user-error.ts';
import { readCatalog, type Catalog } from './profile-catalog.ts';
import { draftProfile, type Observed } from './profile-draft.ts';

const OPENAPI = { Accept: 'application/openapi+json' };
const log = (line: string) => process.stderr.write(`profile: ${line}\n`);

async function openapiDocument(http: HttpClient, basePath: string, cookie?: string): Promise<unknown> {
  const res = await http.request('GET', pathUnder({ basePath }, '/'), { headers: { ...OPENAPI, ...(cookie ? { Cookie: cookie } : {}) } });
  const doc = res.tryJson<{ paths?: unknown }>();
  if (res.status !== 200 || !doc?.paths) {
    throw new UserError(`GET ${http.baseUrl}${pathUnder({ basePath }, '/')} answered ${res.status} without an OpenAPI document: give the URL PostgREST's root answers at (openapi-mode must not be disabled)`);
  }
  return doc;
}

/** The session cookie a sign-in answer set: the one HttpOnly cookie, else the only one. */
function sessionCookieOf(res: HttpResponse): { name: string; value: string } | undefined {
  const cookies = res.setCookies.map((line) => parseSetCookie(line)).filter((c): c is NonNullable<typeof c> => c !== undefined && c.value !== '');
  const httpOnly = cookies.filter((c) => c.httpOnly);
  const pick = httpOnly.length === 1 ? httpOnly[0] : cookies.length === 1 ? cookies[0] : undefined;
  return pick && { name: pick.name, value: pick.value };
}

/** Calls a session endpoint of a draft, as the suite would. */
function call(http: HttpClient, profile: Profile, endpoint: Endpoint, context: FillContext, cookie?: string): Promise<HttpResponse> {
  const request = requestOf(profile, endpoint, context);
  return http.request(request.method, request.path, { json: request.json, headers: cookie ? { Cookie: cookie } : {} });
}

/** Signs a new account in and reads what a signed-in caller sees; each step that fails is a note, not a stop. */
async function explore(http: HttpClient, first: Profile, observed: Observed, notes: string[]): Promise<unknown> {
  const tag = randomBytes(4).toString('hex');
  const identity = {
    login: first.identifiedBy === 'email' ? `conformance-draft-${tag}@example.test` : `conformance_draft_${tag}`,
    password: `cnf-pw-${randomBytes(12).toString('base64url')}`,
    name: `Conformance draft ${tag}`,
  };
  const context: FillContext = { identity, generator: seededGenerator(randomInt(2 ** 31), 'conformance-draft') };
  const registered = await call(http, first, first.session.register, context);
  notes.push(`The drafter registered ${identity.login} through ${first.session.register.path} (answered ${registered.status}).`);
  let cookie = sessionCookieOf(registered);
  const loggedIn = await call(http, first, first.session.login, context);
  cookie = sessionCookieOf(loggedIn) ?? cookie;
  if (!cookie) {
    notes.push(`Signing in through ${first.session.login.path} answered ${loggedIn.status} and set no session cookie: the draft holds only what anonymous callers see; check the login template.`);
    return undefined;
  }
  observed.cookieName = cookie.name;
  const header = `${cookie.name}=${cookie.value}`;
  const signedIn = await openapiDocument(http, first.basePath, header);
  const draft = draftProfile({ signedIn }, undefined, observed);
  const current = draft.session.currentUser;
  if (current) {
    let res = await http.request('GET', pathUnder(first, current.path), { headers: { Cookie: header } });
    observed.currentUserByGet = res.ok;
    if (!res.ok) res = await http.request('POST', pathUnder(first, current.path), { json: {}, headers: { Cookie: header } });
    const body = res.tryJson<unknown>();
    const row = Array.isArray(body) ? body[0] : body;
    if (res.ok && row && typeof row === 'object') observed.currentUserFields = Object.keys(row);
    else notes.push(`${current.path} answered ${res.status} to the signed-in drafter: which field holds the caller's id is a guess.`);
  }
  await call(http, first, draft.session.logout, context, header);
  return signedIn;
}

/**
 * Drafts the profile of the deployment whose PostgREST root answers at
 * `baseUrl` (its path, if any, becomes the basePath), reading the catalog too
 * when a database URL is given. Used by this command and, when a run has
 * BASE_URL but no CONFORMANCE_PROFILE, by the suite's global setup.
 */
export async function draftDeployment(baseUrl: string, databaseUrl?: string, progress: (line: string) => void = log): Promise<Profile> {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new UserError(`--base-url ${baseUrl} is not an absolute URL: give one starting with http:// or https://`);
  }
  const observed: Observed = { basePath: url.pathname.replace(/(.)\/+$/, '$1') };
  const http = new HttpClient(url.origin);
  const basePath = observed.basePath ?? '/';
  progress(`reading ${url.origin}${pathUnder({ basePath }, '/')}`);
  const anonymous = await openapiDocument(http, basePath);
  let catalog: Catalog | undefined;
  if (databaseUrl) {
    progress('reading the database catalog');
    catalog = await readCatalog(databaseUrl);
  }
  const notes: string[] = [];
  const first = draftProfile({ anonymous }, catalog, observed);
  progress('registering and signing in one account of its own to read what a signed-in user sees');
  const signedIn = await explore(http, first, observed, notes);
  const profile = draftProfile({ anonymous, signedIn }, catalog, observed);
  profile.notes.push(...notes);
  return profile;
}

const DRAFT_USAGE = 'npm run -s profile -- --base-url URL [--database-url URL] > profile.json';

async function main() {
  let values: { 'base-url'?: string; 'database-url'?: string; help?: boolean };
  try {
    ({ values } = parseArgs({ options: { 'base-url': { type: 'string' }, 'database-url': { type: 'string' }, help: { type: 'boolean', short: 'h' } } }));
  } catch (error) {
    throw new UserError(`${(error as Error).message}: usage: ${DRAFT_USAGE}`);
  }
  if (values.help) {
    process.stdout.write(`usage: ${DRAFT_USAGE}\nPrints a draft profile of the deployment at --base-url (its PostgREST root, with any path prefix); with --database-url it reads the catalog too. Its "notes" explain every guess and gap: review them, then name the file with CONFORMANCE_PROFILE.\n`);
    return;
  }
  const baseUrl = values['base-url'];
  if (!baseUrl) throw new UserError(`give --base-url URL, the URL of the deployment (its PostgREST root), and optionally --database-url URL: usage: ${DRAFT_USAGE}`);
  const profile = await draftDeployment(baseUrl, values['database-url']);
  process.stdout.write(`${JSON.stringify(profile, null, 2)}\n`);
}

// Run as a command (npm run profile), not when imported by the suite.
if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  main().catch((error) => exitOnUserError(error, error instanceof UserError ? 2 : 1));
}
