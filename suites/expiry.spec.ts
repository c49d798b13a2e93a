/**
 * Expiry: once the server says a session is over, its token is anonymous at
 * every endpoint, not only at the one a deployment happened to patch. Each
 * case gets its own session, so a refresh that revives the session in one
 * case cannot hide an ignored deadline in another.
 */
import type { DeploymentApi, Session } from '../fixtures/api.ts';
import type { HttpResponse } from '../fixtures/http.ts';
import { cites, notApplicableUnless, precondition, verify } from '../fixtures/requirements.ts';
import { test } from '../fixtures/test.ts';
import { controlSucceeded } from './support/controls.ts';

/** Where an expired token is presented, and how; `has` says whether the deployment offers it. */
const AFTER_EXPIRY: Array<{ endpoint: string; has: (api: DeploymentApi) => string | undefined; call: (s: Session) => Promise<HttpResponse> }> = [
  { endpoint: 'current user', has: (api) => (api.has('currentUser') ? undefined : 'no current-user endpoint (profile session.currentUser)'), call: (s) => s.currentUser() },
  { endpoint: 'refresh', has: (api) => (api.has('refresh') ? undefined : 'no refresh endpoint (profile session.refresh)'), call: (s) => s.refresh() },
  {
    endpoint: 'an owned resource',
    has: (api) => (api.primary.sharing !== 'anyone' ? undefined : 'no owned resource closed to anonymous callers'),
    call: (s) => s.rows(),
  },
];

for (const c of AFTER_EXPIRY) {
  test(`an expired session is anonymous at ${c.endpoint}`, cites('expiry-enforced'), async ({ signedIn, expire, api }) => {
    const lacking = c.has(api);
    notApplicableUnless(lacking === undefined, `the deployment has ${lacking}`);
    const user = await signedIn('expiry');
    // The control: the same call with the live session is answered, so a refusal after expiry is the expiry's doing.
    controlSucceeded(await c.call(user), `${c.endpoint} with a session just opened`);
    const token = user.token!; // after the control: a refresh may have rotated it
    precondition(token !== undefined, `${c.endpoint} ended the session it was called with`);

    await expire(user);
    user.token = token; // present exactly the expired token, whatever the calls above set
    const res = await c.call(user);
    verify('expiry-enforced', res.refused, {
      expected: `${c.endpoint} with the expired token: ${api.refusalText()}`,
      actual: `${res.status} ${res.body.slice(0, 300)}`,
    });
  });
}
