/**
 * CORS with credentials, read off the headers, no browser needed: a request
 * that carries a live session and a foreign Origin must not come back
 * granting that Origin credentialed access. PostgREST 11 grants any Origin
 * by default; PostgREST 12 grants what server-cors-allowed-origins lists and
 * otherwise answers `*` without credentials, which browsers never combine
 * with cookies. A deployment may instead answer such a request as anonymous
 * (an Origin check in its pre-request hook): then nothing is granted for
 * the session, whatever the headers say.
 */
import type { RequestShape } from '../fixtures/api.ts';
import { cites, notVerifiedUnless, verify } from '../fixtures/requirements.ts';
import { test } from '../fixtures/test.ts';
import { controlSucceeded } from './support/controls.ts';

/** Origins no deployment serves: another site, and the opaque origin of sandboxed frames, file: pages and data: URLs. */
const FOREIGN_ORIGINS = ['https://conformance-attacker.example', 'null'];

test('cors-credentials-own-origins: answers for a session grant no foreign Origin credentialed access', cites('cors-credentials-own-origins'), async ({ signedIn, api }) => {
  const probe = api.sessionProbe();
  notVerifiedUnless(probe !== undefined, 'the profile has no request that needs a session: set session.currentUser');
  const reads: RequestShape[] = [probe!, ...api.resources.map((r) => ({ method: 'GET', path: r.path }))];
  const user = await signedIn('cors');
  for (const request of reads) {
    const what = `${request.method} ${request.path}`;
    // The control: without an Origin the session is answered, so an answer below can be the session's.
    controlSucceeded(await user.sendRequest(request), `${what} with the session and no Origin`);
    for (const origin of FOREIGN_ORIGINS) {
      const res = await user.sendRequest(request, { Origin: origin });
      const allowOrigin = res.header('access-control-allow-origin');
      const credentials = res.header('access-control-allow-credentials');
      const granted = allowOrigin === origin && credentials?.trim().toLowerCase() === 'true';
      // Refused or answered as anonymous, the request read nothing of the session's.
      verify('cors-credentials-own-origins', !(granted && res.ok), {
        expected: `${what} with the session and Origin: ${origin} does not answer Access-Control-Allow-Origin: ${origin} with Access-Control-Allow-Credentials: true`,
        actual: `${res.status}, Access-Control-Allow-Origin: ${allowOrigin ?? '(absent)'}, Access-Control-Allow-Credentials: ${credentials ?? '(absent)'}`,
      });
    }
  }
});
