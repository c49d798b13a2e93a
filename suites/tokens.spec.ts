/**
 * The session token itself: new on every login (no fixation), hard to guess
 * (entropy estimated from a sample), and never anywhere but in Set-Cookie.
 */
import { singleObject, type CurrentUser, type Session } from '../fixtures/api.ts';
import type { HttpResponse } from '../fixtures/http.ts';
import { newIdentity } from '../fixtures/identities.ts';
import { cites, precondition, verify } from '../fixtures/requirements.ts';
import { test } from '../fixtures/test.ts';
import { forgeLike } from './support/forge-token.ts';
import { describeEstimate, estimateEntropy } from './support/token-entropy.ts';

/** Tokens in the entropy sample: enough that a shared prefix or a repeat shows, few enough to stay fast. */
const ENTROPY_SAMPLE = 12;

/**
 * Planted tokens to log in with. A live one is another user's session the
 * attacker holds; with it the caller is already signed in, and a deployment
 * may refuse the login instead (a fine policy, as long as it issues nothing).
 */
const PLANTED: Array<{ name: string; mayRefuse: boolean; plant: (victim: Session, signedIn: (label?: string) => Promise<Session>) => Promise<string> }> = [
  { name: 'an attacker-chosen token no session has', mayRefuse: false, plant: async (victim) => forgeLike(victim.token!) },
  { name: "another live session's token", mayRefuse: true, plant: async (_victim, signedIn) => (await signedIn('attacker')).token! },
];

for (const planted of PLANTED) {
  test(`token-fresh-on-login: login while presenting ${planted.name} issues a new token`, cites('token-fresh-on-login'), async ({ anonymous, signedIn }) => {
    const victim = await signedIn('victim');
    const identity = victim.identity!;
    const presented = await planted.plant(victim, signedIn);
    const client = anonymous();
    client.token = presented;
    const res = await client.login(identity.email, identity.password);
    if (!res.ok) {
      precondition(planted.mayRefuse && res.refused, `login with ${planted.name} in the Cookie header answered ${res.status}`);
      return;
    }
    verify('token-fresh-on-login', client.token !== presented, {
      expected: 'login answers with a Set-Cookie carrying a token different from the one presented',
      actual: client.sessionCookies(res).length ? 'the Set-Cookie carries the presented token' : 'login set no cookie: the client keeps the presented token',
    });
    // The attacker's copy must not have become the victim's session either.
    const attacker = anonymous();
    attacker.token = presented;
    const me = await attacker.currentUser();
    const owner = me.ok ? singleObject<CurrentUser>(me)?.email : undefined;
    verify('token-fresh-on-login', owner !== identity.email, {
      expected: `after the login, the presented token is not ${identity.email}'s session`,
      actual: `current_user with the presented token answers as ${owner}`,
    });
  });
}

/** The MUST and the SHOULD, each judged on its own sample so that one failing does not hide the other. */
const ENTROPY_FLOORS = [
  { id: 'token-entropy-minimum', bits: 64 },
  { id: 'token-entropy-recommended', bits: 128 },
];

for (const floor of ENTROPY_FLOORS) {
  test(`${floor.id}: a sample of ${ENTROPY_SAMPLE} tokens carries at least ${floor.bits} bits`, cites(floor.id), async ({ anonymous, signedIn }) => {
    const first = await signedIn('entropy');
    const { email, password } = first.identity!;
    const clients = Array.from({ length: ENTROPY_SAMPLE - 1 }, () => anonymous());
    const logins = await Promise.all(clients.map((c) => c.login(email, password)));
    precondition(
      logins.every((r, i) => r.ok && clients[i].token !== undefined),
      `logins answered ${logins.map((r) => r.status).join(', ')}`,
    );
    const estimate = estimateEntropy([first.token!, ...clients.map((c) => c.token!)]);
    verify(floor.id, estimate.bits >= floor.bits, {
      expected: `distinct tokens carrying at least ${floor.bits} bits by the estimate (varying length × log2 of the alphabet)`,
      actual: describeEstimate(estimate),
    });
  });
}

test('token-not-exposed: the token appears in no body and no header but Set-Cookie', cites('token-not-exposed'), async ({ anonymous }) => {
  const identity = newIdentity('exposure');
  const registering = anonymous();
  const responses: Array<[string, HttpResponse]> = [['register', await registering.register(identity)]];
  precondition(registering.token !== undefined, `register answered ${responses[0][1].status} and set no session cookie`);
  const client = anonymous();
  responses.push(['login', await client.login(identity.email, identity.password)]);
  precondition(client.token !== undefined, `login answered ${responses[1][1].status} and set no session cookie`);
  const tokens = new Set([registering.token, client.token]);
  responses.push(
    ['refresh_session', await client.refresh()],
    ['current_user', await client.currentUser()],
    ['users', await client.users()],
    ['todos', await client.todos()],
  );
  tokens.add(client.token); // refresh may rotate it
  for (const [step, res] of responses) {
    for (const token of tokens) {
      if (!token) continue;
      verify('token-not-exposed', !res.body.includes(token), {
        expected: `the ${step} response body does not contain a session token`,
        actual: `the ${step} body contains the token (${token.length} characters)`,
      });
      const header = res.headers.find(([name, value]) => name !== 'set-cookie' && value.includes(token));
      verify('token-not-exposed', header === undefined, {
        expected: `no ${step} response header but Set-Cookie (Location, Content-Location, Link...) contains a session token`,
        actual: `the ${header?.[0]} header contains the token`,
      });
    }
  }
});
