/**
 * Exposure scan: every GET-able path the root OpenAPI document lists (asked
 * anonymously and signed in, since PostgREST lists only what the asking role
 * may use), requested anonymously and as user B, must not return a session
 * token issued in this test, a password hash, or A's private todo. New views
 * and functions are where leaks appear; this scan needs no list of them.
 */
import { randomBytes } from 'node:crypto';
import { ENDPOINTS, PROTECTED_ENDPOINTS, type Session } from '../fixtures/api.ts';
import { cites, precondition, verify } from '../fixtures/requirements.ts';
import { test } from '../fixtures/test.ts';
import { containsPasswordHash } from '../lib/redact.ts';
import { getablePaths, mergePaths, type GetablePath } from './support/openapi.ts';

const OPENAPI_ACCEPT = 'application/openapi+json, application/json;q=0.9';

/** The known GET endpoints, for deployments whose root document is disabled. */
const FALLBACK: GetablePath[] = PROTECTED_ENDPOINTS.filter((e) => e.method === 'GET').map((e) => ({ path: e.path, requiredQuery: [] }));

async function openapiPaths(session: Session): Promise<GetablePath[] | undefined> {
  const res = await session.send('GET', '/', { headers: { Accept: OPENAPI_ACCEPT } });
  return res.ok ? getablePaths(res.tryJson()) : undefined;
}

test('no exposed endpoint returns session tokens, password hashes or private rows', cites('exposure-scan'), async ({ anonymous, signedIn }) => {
  const [a, b] = await Promise.all([signedIn('exposed-owner'), signedIn('scanner')]);
  const secretRow = `cnf-secret-${randomBytes(12).toString('hex')}`;
  const created = await a.createTodo({ description: secretRow, public: false });
  precondition(created.ok, `A creating a private todo answered ${created.status}`);

  const listed = mergePaths(await openapiPaths(anonymous()), await openapiPaths(b));
  const paths = listed.length > 0 ? listed : FALLBACK;
  // A path that may end B's session goes last, so that B scans everything else signed in.
  paths.sort((x, y) => Number(x.path === ENDPOINTS.logout) - Number(y.path === ENDPOINTS.logout));

  const tokens = new Map<string, string>([
    [a.token!, "A's session token"],
    [b.token!, "B's session token"],
  ]);
  const scanners: Array<[string, Session]> = [
    ['anonymously', anonymous()],
    ['as B', b],
  ];
  for (const [as, scanner] of scanners) {
    for (const { path } of paths) {
      const res = await scanner.send('GET', path);
      if (scanner.token) tokens.set(scanner.token, "B's session token"); // a rotating refresh may issue another
      const found = [
        ...[...tokens].filter(([token]) => res.body.includes(token)).map(([, what]) => what),
        ...(containsPasswordHash(res.body) ? ['a password hash'] : []),
        ...(res.body.includes(secretRow) ? ["A's private todo"] : []),
      ];
      verify('exposure-scan', found.length === 0, {
        expected: `GET ${path} ${as}: a body without session tokens, password hashes or A's private todo`,
        actual: `${res.status}, body contains ${found.join(', ')}`,
      });
    }
  }
  test.info().annotations.push({ type: 'scanned', description: `${paths.length} paths${listed.length ? '' : ' (fallback: no OpenAPI document)'}: ${paths.map((p) => p.path).join(' ')}` });
});
