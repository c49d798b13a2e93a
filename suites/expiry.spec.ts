/**
 * Expiry: once the server says a session is over, its token is anonymous at
 * every endpoint, not only at the one a deployment happened to patch. Each
 * case gets its own session, so a refresh that revives the session in one
 * case cannot hide an ignored deadline in another.
 */
import type { Session } from '../fixtures/api.ts';
import type { HttpResponse } from '../fixtures/http.ts';
import { cites, precondition, verify } from '../fixtures/requirements.ts';
import { test } from '../fixtures/test.ts';
import { controlSucceeded } from './support/controls.ts';

/** Where an expired token is presented, and how. */
const AFTER_EXPIRY: Array<{ endpoint: string; call: (s: Session) => Promise<HttpResponse> }> = [
  { endpoint: 'GET /rpc/current_user', call: (s) => s.currentUser() },
  { endpoint: 'POST /rpc/refresh_session', call: (s) => s.refresh() },
  { endpoint: 'GET /todos', call: (s) => s.todos() },
];

for (const c of AFTER_EXPIRY) {
  test(`an expired session is anonymous at ${c.endpoint}`, cites('expiry-enforced'), async ({ signedIn, expire }) => {
    const user = await signedIn('expiry');
    // The control: the same call with the live session is answered, so a refusal after expiry is the expiry's doing.
    controlSucceeded(await c.call(user), `${c.endpoint} with a session just opened`);
    const token = user.token!; // after the control: a refresh may have rotated it
    precondition(token !== undefined, `${c.endpoint} ended the session it was called with`);

    await expire(user);
    user.token = token; // present exactly the expired token, whatever the calls above set
    const res = await c.call(user);
    verify('expiry-enforced', res.refused, {
      expected: `${c.endpoint} with the expired token: 401 or 403`,
      actual: `${res.status} ${res.body.slice(0, 300)}`,
    });
  });
}
