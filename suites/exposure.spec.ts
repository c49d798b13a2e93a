/**
 * Exposure scan: everything the root OpenAPI document of every exposed schema
 * lists (asked anonymously and signed in, since PostgREST lists only what the
 * asking role may use) is requested anonymously and as user B, functions with
 * their required arguments filled in, and no answer may carry a session token
 * issued in this test, a password hash, or A's private row (one on every
 * owned resource of the profile). New views and functions are where leaks
 * appear; this scan needs no list of them. The document and every path it
 * lists are under the profile's basePath.
 *
 * What the scan may do to a deployment it has never seen:
 *   - Tables and views are only read (GET). Functions are called with GET
 *     first: PostgREST runs every GET in a read-only transaction, so that call
 *     cannot change anything, and its arguments are filled to find the suite's
 *     own user B (text: B's login, the e-mail or user name the deployment
 *     signs in by; integers or uuids: B's user id, where it is one).
 *   - Only a function that GET cannot run (405: it writes; or an unnamed
 *     parameter) is called with POST, and only where EXPOSURE_SCAN_WRITES
 *     allows it (the embedded deployment; a user's only when asked: a
 *     function that writes may do whatever its author let it), and then with arguments that name B or
 *     nothing: text is B's login, integers are 0 (no serial key has that
 *     value), booleans false, a uuid B's id or a fresh one. So a function that writes can only
 *     touch the suite's own user, whoever the caller, even one that ignores
 *     Row Level Security. It may end B's session (a logout, an account
 *     deletion): the profile's logout goes last, and after any other call that
 *     ends it, B signs in again. The suite's own session endpoints are the
 *     profile's (session.*): they are called wherever the scan runs.
 * Without a document for a schema the scan has nothing to go by, and the
 * requirement is not verified; it is never passed on a fixed list.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Row, Session } from '../fixtures/api.ts';
import type { HttpResponse } from '../fixtures/http.ts';
import { cites, noteThat, notVerifiedUnless, precondition, verify } from '../fixtures/requirements.ts';
import { test } from '../fixtures/test.ts';
import { pathUnder } from '../lib/profile.ts';
import { containsPasswordHash } from '../lib/redact.ts';
import { exposedEndpoints, mergeEndpoints, readCall, writeCall, type Call, type Endpoint, type Fill } from './support/openapi.ts';
import { rowsOf } from './support/postgrest-rows.ts';

const OPENAPI_ACCEPT = 'application/openapi+json, application/json;q=0.9';

/**
 * The profile header that picks a schema. The first schema of db-schemas is
 * PostgREST's default and is asked for without one, so that a deployment
 * exposing a single schema is scanned whatever DB_SCHEMAS names it.
 */
function schemaHeader(schemas: string[], schema: string, header: 'Accept-Profile' | 'Content-Profile'): Record<string, string> {
  return schema === schemas[0] ? {} : { [header]: schema };
}

/** The schema's document (at `root`) as this client may see it: its endpoints, or the status that said there is none. */
async function documented(client: Session, root: string, headers: Record<string, string>): Promise<Endpoint[] | number> {
  const res = await client.send('GET', root, { headers: { Accept: OPENAPI_ACCEPT, ...headers } });
  return (res.ok && exposedEndpoints(res.tryJson())) || res.status;
}

/** A private row of A's on every owned resource, each shown to A itself first (the positive control of the scan's test for it). */
async function privateRows(a: Session): Promise<string[]> {
  return Promise.all(
    a.api.resources.map(async (r) => {
      const text = `cnf-secret-${randomBytes(12).toString('hex')}`;
      const created = await a.createRow({ text, shared: false }, r);
      precondition(created.ok, `A creating a private row of ${r.name} answered ${created.status}`);
      const own = await a.rows(`?${r.byText(text)}`, undefined, r);
      precondition(own.body.includes(text), `A's own list of ${r.name} did not show A's private row (${own.status})`);
      return text;
    }),
  );
}

/** B's user id, which the scan's arguments use: current user's answer, else the owner of a row B creates. */
async function userIdOf(b: Session): Promise<unknown> {
  const id = await b.userId();
  if (id !== undefined) return id;
  const r = b.api.primary;
  const row = rowsOf<Row>(await b.createRow({ text: 'scanner' }, r))[0];
  return row && r.owner(row);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface Planned {
  schema: string;
  endpoint: Endpoint;
}

test('no exposed endpoint returns session tokens, password hashes or private rows', cites('exposure-scan'), async ({ anonymous, signedIn, target, api }) => {
  const [a, b] = await Promise.all([signedIn('exposed-owner'), signedIn('scanner')]);
  const [secretRows, id] = await Promise.all([privateRows(a), userIdOf(b)]);
  precondition(id !== undefined && id !== null, `B's user id, which the scan's arguments use, could not be learned from ${api.nameOf('currentUser')} or a row of ${api.primary.name}`);

  const integer = Number.isSafeInteger(Number(id)) && String(id) !== '' ? Number(id) : 0;
  const READ: Fill = { text: api.loginOf(b.identity!), integer, boolean: true, uuid: UUID.test(String(id)) ? String(id) : randomUUID(), now: new Date() };
  const WRITE: Fill = { ...READ, integer: 0, boolean: false };

  // Every exposed schema's document, anonymously and as B, merged.
  const root = pathUnder(api.profile, '/');
  const schemas = target.config.dbSchemas;
  const plan: Planned[] = [];
  const undocumented: string[] = [];
  for (const schema of schemas) {
    const headers = schemaHeader(schemas, schema, 'Accept-Profile');
    const answers = await Promise.all([documented(anonymous(), root, headers), documented(b, root, headers)]);
    const endpoints = mergeEndpoints(...answers.map((x) => (typeof x === 'number' ? undefined : x)));
    if (endpoints) plan.push(...endpoints.map((endpoint) => ({ schema, endpoint })));
    else undocumented.push(`${schema} (GET ${root} answered ${answers.join(' anonymously, ')} as B)`);
  }
  notVerifiedUnless(
    undocumented.length < schemas.length,
    `no OpenAPI document to scan: ${undocumented.join('; ')}; the scan needs PostgREST's root document (openapi-mode follow-privileges or ignore-privileges) and DB_SCHEMAS naming its db-schemas`,
  );

  const tokens = new Map<string, string>([
    [a.token!, "A's session token"],
    [b.token!, "B's session token"],
  ]);
  let answered = 0;
  const lost: string[] = [];

  /** Makes one call as `as` and checks the answer. */
  const scan = async (as: 'anonymously' | 'as B', { schema }: Planned, call: Call): Promise<HttpResponse> => {
    // A new anonymous client for every call: a call that opens a session must not make the next one signed in.
    const client = as === 'as B' ? b : anonymous();
    const headers = schemaHeader(schemas, schema, call.method === 'GET' ? 'Accept-Profile' : 'Content-Profile');
    const path = pathUnder(api.profile, call.path);
    const res = await client.send(call.method, path, { headers, json: call.json });
    if (client.token) tokens.set(client.token, as === 'as B' ? "B's session token" : 'a session token issued to the anonymous scanner');
    if (res.ok) answered += 1;
    const found = [
      ...[...tokens].filter(([token]) => res.body.includes(token)).map(([, what]) => what),
      ...(containsPasswordHash(res.body) ? ['a password hash'] : []),
      ...(secretRows.some((text) => res.body.includes(text)) ? ["A's private row"] : []),
    ];
    const body = call.json === undefined ? '' : ` ${JSON.stringify(call.json)}`;
    verify('exposure-scan', found.length === 0, {
      expected: `${call.method} ${path}${body} ${as}${schema === schemas[0] ? '' : ` (schema ${schema})`}: a body without session tokens, password hashes or A's private rows`,
      actual: `${res.status}, body contains ${found.join(', ')}`,
    });
    return res;
  };

  // The suite's own session endpoints, as the document names them (paths under the base path).
  const sessionPaths = new Set(Object.values(api.profile.session).map((e) => e.path));
  const endsSession = (w: Planned) => w.endpoint.path === api.profile.session.logout.path;
  /** Whether B still holds a live session; without a request that tells, B signs in again to be sure. */
  const stillSignedIn = async () => api.sessionProbe() !== undefined && (await b.probe()).ok;

  const skippedWrites: string[] = [];
  for (const as of ['anonymously', 'as B'] as const) {
    // Reads first, all of them; then the functions that only POST can run.
    const writes: Planned[] = [];
    for (const planned of plan) {
      const read = readCall(planned.endpoint, READ);
      const res = read && (await scan(as, planned, read));
      if (planned.endpoint.kind === 'function' && (!res || res.status === 405)) writes.push(planned);
    }
    // The logout goes last, so that B scans everything else signed in.
    writes.sort((x, y) => Number(endsSession(x)) - Number(endsSession(y)));
    // The session endpoints the suite calls anyway are always scanned; other writers only where allowed.
    const allowed = target.config.exposureScanWrites ? writes : writes.filter((w) => sessionPaths.has(w.endpoint.path));
    skippedWrites.push(...writes.filter((w) => !allowed.includes(w)).map((w) => w.endpoint.path));
    for (const [i, planned] of allowed.entries()) {
      const call = writeCall(planned.endpoint, WRITE);
      if (!call) continue;
      await scan(as, planned, call);
      if (as !== 'as B' || i === allowed.length - 1 || (await stillSignedIn())) continue;
      const again = await b.login(b.identity!);
      if (!again.ok) lost.push(`B could not sign in again after POST ${planned.endpoint.path} (${again.status}); the rest was scanned without a session`);
    }
  }

  test.info().annotations.push({
    type: 'scanned',
    description: `${plan.length} endpoints of ${schemas.length - undocumented.length} schema(s) under ${root}, ${answered} answers 2xx: ${plan.map((p) => p.endpoint.path).join(' ')}${lost.length ? `; ${lost.join('; ')}` : ''}`,
  });
  if (skippedWrites.length) {
    noteThat(`functions that write were not called (${[...new Set(skippedWrites)].join(' ')}): set EXPOSURE_SCAN_WRITES=1 where the deployment's data may be changed`);
  }
  // A scan that read nothing, or missed a schema, has not checked what the requirement asks.
  notVerifiedUnless(plan.length > 0 && answered > 0, `the scan had nothing to check: ${plan.length} endpoints listed, ${answered} answered 2xx`);
  notVerifiedUnless(undocumented.length === 0, `no OpenAPI document for ${undocumented.join('; ')}: that schema was not scanned; DB_SCHEMAS must name PostgREST's db-schemas`);
});
