/**
 * The session token itself: new on every login (no fixation), hard to guess
 * (entropy estimated from a sample), and never anywhere but in Set-Cookie.
 */
import type { Session } from '../fixtures/api.ts';
import type { HttpResponse } from '../fixtures/http.ts';
import { newIdentity } from '../fixtures/identities.ts';
import { cites, noteThat, notVerifiedUnless, precondition, verify } from '../fixtures/requirements.ts';
import { test } from '../fixtures/test.ts';
import { forgeLike } from './support/forge-token.ts';
import { describeEstimate, estimateEntropy, judgeEntropy } from './support/token-entropy.ts';
import { ENTROPY_SAMPLE_SIZE, sharedTokenSample } from './support/token-sample.ts';

/**
 * Planted tokens to log in with. A live one is another user's session the
 * attacker holds; with it the caller is already signed in, and a deployment
 * may refuse the login instead (a fine policy, as long as it issues nothing).
 */
const PLANTED: Array<{ name: string; mayRefuse: boolean; plant: (victim: Session, signedIn: (label?: string) => Promise<Session>) => Promise<string> }> = [
  { name: 'an attacker-chosen token no session has', mayRefuse: false, plant: async (victim) => forgeLike(victim.token!) },
  { name: "another live session's token", mayRefuse: true, plant: async (_victim, signedIn) => (await signedIn('attacker')).token! },
];

/** Whose session a client holds, by the id current user answers with, or undefined when it answers as nobody. */
async function ownerOf(client: Session): Promise<string | undefined> {
  const id = await client.userId();
  return id === undefined || id === null ? undefined : JSON.stringify(id);
}

for (const planted of PLANTED) {
  test(`token-fresh-on-login: login while presenting ${planted.name} issues a new token`, cites('token-fresh-on-login'), async ({ anonymous, signedIn, api }) => {
    // Whose session a token is can only be asked of current user.
    notVerifiedUnless(api.userIdField !== undefined, 'needs a current-user endpoint to tell whose session a token is: set session.currentUser');
    const victim = await signedIn('victim');
    const identity = victim.identity!;
    const victimId = await ownerOf(victim);
    precondition(victimId !== undefined, `${api.nameOf('currentUser')} answered the victim's own session without its ${api.userIdField}`);
    // Positive control: the same login with no cookie opens a session that current user answers as the victim,
    // else neither a refused attack nor an attacker's copy that answers as nobody would show anything.
    const control = anonymous();
    const controlLogin = await control.login(identity);
    precondition(controlLogin.ok && control.token !== undefined, `login without a planted cookie answered ${controlLogin.status} and set no session cookie`);
    const controlOwner = await ownerOf(control);
    precondition(controlOwner === victimId, `current user with a freshly issued token answers as ${controlOwner}, not as the user who logged in (${victimId})`);

    const presented = await planted.plant(victim, signedIn);
    const client = anonymous();
    client.token = presented;
    const res = await client.login(identity);
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
    const owner = await ownerOf(attacker);
    verify('token-fresh-on-login', owner !== victimId, {
      expected: `after the login, the presented token is not the session of the user who logged in (${victimId})`,
      actual: `current user with the presented token answers as ${owner}`,
    });
  });
}

/**
 * The MUST and the SHOULD, as two checks so that one failing does not hide
 * the other; they judge one shared sample (suites/support/token-sample.ts).
 */
const ENTROPY_FLOORS = [
  { id: 'token-entropy-minimum', bits: 64 },
  { id: 'token-entropy-recommended', bits: 128 },
];

/** Told with every entropy result judged without the database: what values alone cannot show. */
const HASHED_COUNTER_CAVEAT =
  'values alone cannot rule out a hashed low-entropy token (the MD5 of a counter looks random); ' +
  'with DATABASE_URL, db-token-csprng checks how the deployment makes its tokens';

// One worker runs both in turn (without the run-wide full parallelism) so that they judge one sample;
// unlike serial mode, a failing first check does not skip the second.
test.describe(() => {
  test.describe.configure({ mode: 'default' });
  for (const floor of ENTROPY_FLOORS) {
    test(`${floor.id}: a sample of ${ENTROPY_SAMPLE_SIZE} login tokens is credited at least ${floor.bits} bits`, cites(floor.id), async ({ target }) => {
      // Logins may cost a bcrypt round each on a user's deployment.
      test.setTimeout(120_000);
      const sample = await sharedTokenSample(target);
      const estimate = estimateEntropy(sample.tokens);
      const judgement = judgeEntropy(estimate, floor.bits);
      const stopped = sample.stoppedBy ? ` (the sample stopped short: ${sample.stoppedBy})` : '';
      notVerifiedUnless(
        judgement !== 'too-small',
        `a sample of ${estimate.samples} tokens can credit at most ${Math.floor(estimate.creditableBits)} bits, short of ${floor.bits}${stopped}`,
      );
      verify(floor.id, judgement !== 'fail', {
        expected: `distinct tokens whose sample allows at least ${floor.bits} bits, and is credited them by a conservative estimate`,
        actual: describeEstimate(estimate),
      });
      notVerifiedUnless(
        judgement === 'pass',
        `the estimate credits ${Math.floor(estimate.bits)} bits, short of ${floor.bits}, though nothing in the sample shows fewer: ${describeEstimate(estimate)}`,
      );
      if (!target.capabilities.has('database')) noteThat(HASHED_COUNTER_CAVEAT);
    });
  }
});

test('token-not-exposed: the token appears in no body and no header but Set-Cookie', cites('token-not-exposed'), async ({ anonymous }) => {
  const identity = newIdentity('exposure');
  const registering = anonymous();
  const responses: Array<[string, HttpResponse]> = [['register', await registering.register(identity)]];
  precondition(registering.token !== undefined, `register answered ${responses[0][1].status} and set no session cookie`);
  const client = anonymous();
  responses.push(['login', await client.login(identity)]);
  precondition(client.token !== undefined, `login answered ${responses[1][1].status} and set no session cookie`);
  const tokens = new Set([registering.token, client.token]);
  // Every other call a signed-in client makes, where the deployment has it.
  const api = client.api;
  if (api.has('refresh')) responses.push(['refresh', await client.refresh()]);
  if (api.has('currentUser')) responses.push(['current user', await client.currentUser()]);
  if (api.usersPath) responses.push(['users listing', await client.users()]);
  for (const resource of api.resources) responses.push([`GET ${resource.name}`, await client.rows('', undefined, resource)]);
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
