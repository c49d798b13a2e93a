/**
 * Model-based property: random stories of three users with two clients
 * each (register, log in with the right or a wrong password, log out,
 * refresh, expire, share a cookie with another tab, create rows (some in
 * another user's name), list them, change their text, share, unshare and
 * delete them), on the profile's primary resource. The model
 * (support/property/session-model.ts) says, for every client, whether it is
 * signed in and exactly which of the run's rows it sees; every response is
 * held up to it, and a difference shrinks to the shortest list of commands
 * that still shows it. Commands the deployment cannot take (no refresh
 * endpoint, no current user, no visibility column, no database) are never
 * generated, and what only they would check is not cited.
 *
 * Each run starts from nothing: new users, a new text marker, so runs (and
 * shrinking's re-runs) never see each other's rows.
 */
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { Session } from '../../fixtures/api.ts';
import { HttpClient } from '../../fixtures/http.ts';
import { newIdentity } from '../../fixtures/identities.ts';
import { cites } from '../../fixtures/requirements.ts';
import { test } from '../../fixtures/test.ts';
import { modelCommandArbitraries, type World } from '../support/property/model-commands.ts';
import { replayPathOf } from '../support/property/budget.ts';
import { checkProperty, citesAtRunTime, replayPathFromEnv } from '../support/property/run-property.ts';
import { CLIENT_COUNT, MODEL_REQUIREMENTS, MODEL_REQUIREMENTS_BY_CALL, SessionModel, USER_COUNT } from '../support/property/session-model.ts';

/** Sized so that the property suites finish in about 15 s on a 2-core machine against the embedded deployment. */
const DEFAULTS = { runs: 15, timeCapMs: 10_000, shrinkCapMs: 8_000 };
const MAX_COMMANDS = 100;

/** The model's own requirements, and the writes that only these command lists exercise. */
const CHECKED = [...MODEL_REQUIREMENTS, 'isolation-write', 'isolation-insert'];
/** Checked only with a refresh endpoint (a rotating refresh's old token dying is cited by the command that sees a rotation). */
const CHECKED_WITH_REFRESH = MODEL_REQUIREMENTS_BY_CALL.refresh;
/** Checked only when sessions can be expired through the database (refresh-no-revival also needs refresh). */
const CHECKED_WITH_EXPIRY = ['expiry-enforced'];

/** The commands that ran, one per line (fast-check marks them; the others were skipped by their check). */
function describeCommands(cmds: Iterable<unknown>): string {
  const all = [...cmds] as Array<{ hasRan?: boolean }>;
  const ran = all.filter((c) => c.hasRan);
  return (ran.length ? ran : all).map((c, i) => `  ${i + 1}. ${String(c)}`).join('\n');
}

test('model: every response matches the session model, for three users on two clients each', cites(...CHECKED), async ({ target, api, database }) => {
  test.setTimeout(60_000);
  if (api.has('refresh')) citesAtRunTime(...CHECKED_WITH_REFRESH);
  if (api.has('currentUser')) citesAtRunTime(...MODEL_REQUIREMENTS_BY_CALL.currentUser);
  if (database) citesAtRunTime(...CHECKED_WITH_EXPIRY, ...(api.has('refresh') ? ['refresh-no-revival'] : []));
  const commands = fc.commands(modelCommandArbitraries(api, database !== undefined), { maxCommands: MAX_COMMANDS, size: 'max', replayPath: replayPathFromEnv() });

  await checkProperty({
    arbitrary: commands,
    defaults: DEFAULTS,
    describe: describeCommands,
    commandsReplayPath: (cmds) => replayPathOf(String(cmds)),
    run: async (cmds, trace) => {
      const http = new HttpClient(target.baseUrl, trace.exchanges);
      const world: World = {
        api,
        clients: Array.from({ length: CLIENT_COUNT }, () => new Session(http, api)),
        identities: Array.from({ length: USER_COUNT }, (_, i) => newIdentity(`model-u${i}`)),
        tokens: new Map(),
        marker: `cnf-prop-${randomBytes(6).toString('hex')}-`,
        trace,
        expire: database ? (token) => database.expireSession(token) : undefined,
        texts: 0,
      };
      await fc.asyncModelRun(() => ({ model: new SessionModel(), real: world }), cmds);
    },
  });
});
