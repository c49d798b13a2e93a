/**
 * Reading the user's data from another origin. A script on a page of another
 * origin calls the current-user endpoint with credentials included; whether
 * the browser attaches the cookie is SameSite's business, whether the script
 * may read the answer is CORS's. Both relations are tried: a page on another
 * site, and a page on the same site but another origin (a sibling sub-domain
 * in production), against which SameSite does nothing and only CORS protects.
 *
 * What shows that the answer is the user's is what the deployment answers
 * with from its own origin: the user's login (e-mail address or user name),
 * else the user's id in the profile's id field.
 */
import type { DeploymentApi, RequestShape } from '../../fixtures/api.ts';
import { BROWSER_WAIT_MS, browserStep } from '../../fixtures/browser-user.ts';
import { BLANK_PAGE, type Relation } from '../../fixtures/cross-site.ts';
import { newIdentity, type Identity } from '../../fixtures/identities.ts';
import { cites, notApplicableUnless, notVerifiedUnless, precondition, verify } from '../../fixtures/requirements.ts';
import { test } from '../../fixtures/test.ts';

/** What a script of the other origin got from its credentialed fetch. */
type ReadAttempt = { read: true; status: number; body: string } | { read: false; error: string };

const RELATIONS: Relation[] = ['cross-site', 'same-site'];

/** An answer's JSON as one object: PostgREST answers a single-row RPC with an object, or an array of one. */
function answerObject(body: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(body);
    const one = Array.isArray(value) ? (value.length === 1 ? value[0] : undefined) : value;
    return typeof one === 'object' && one !== null ? (one as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** What tells an answer to be this user's: the login in it, or the id current user answered from the API's own origin. */
interface UserMarks {
  login: string;
  idField?: string;
  id?: unknown;
}

function marksOf(api: DeploymentApi, identity: Identity, ownBody: string): UserMarks {
  const idField = api.userIdField;
  return { login: api.loginOf(identity), idField, id: idField === undefined ? undefined : answerObject(ownBody)?.[idField] };
}

function showsUser(body: string, marks: UserMarks): boolean {
  if (body.includes(marks.login)) return true;
  return marks.idField !== undefined && marks.id !== undefined && marks.id !== null && answerObject(body)?.[marks.idField] === marks.id;
}

for (const relation of RELATIONS) {
  test(`a script on a ${relation} page cannot read the current user with credentials`, cites('browser-cross-origin-read'), async ({ browserUser, probes, api }) => {
    notApplicableUnless(api.has('currentUser'), 'the deployment has no current-user endpoint (profile session.currentUser)');
    const request: RequestShape = api.request('currentUser');
    const identity = newIdentity('cors');
    const opened = await browserUser.register(identity);
    precondition(opened.ok, `register from the page answered ${opened.status}`);
    // The control: from the API's own origin the same call does read the user.
    const own = await browserUser.currentUser();
    precondition(own.ok, `${api.nameOf('currentUser')} from the API's own origin answered ${own.status}`);
    const marks = marksOf(api, identity, own.body);
    notVerifiedUnless(
      showsUser(own.body, marks),
      `${api.nameOf('currentUser')} answered the user from the API's own origin with neither the login nor an id in ${marks.idField ?? '(no id field)'}: set profile field session.currentUser.idField`,
    );

    const origin = probes.origins[relation].origin;
    await browserStep(`opening a page on ${origin}`, () => probes.open(browserUser.page, relation, BLANK_PAGE, 'load'));
    // Recorded for the evidence when the read goes through; a refused one may show no response at all.
    const arrived = browserUser.waitForApiResponse(request.method, request.path);
    arrived.catch(() => undefined);
    const attempt = await browserStep(`the credentialed fetch from ${origin}`, () =>
      browserUser.page.evaluate(
        async ({ url, method, body, wait }): Promise<ReadAttempt> => {
          try {
            // The call as the app makes it; a JSON body makes the browser ask CORS first (a preflight).
            const headers: Record<string, string> = body === undefined ? {} : { 'Content-Type': 'application/json' };
            const res = await fetch(url, { method, headers, body, credentials: 'include', signal: AbortSignal.timeout(wait) });
            return { read: true, status: res.status, body: await res.text() };
          } catch (error) {
            // A refused CORS read is a TypeError; a timeout is not a refusal.
            if ((error as Error).name === 'TimeoutError') throw error;
            return { read: false, error: String(error) };
          }
        },
        { url: browserUser.url(request.path), method: request.method, body: request.json === undefined ? undefined : JSON.stringify(request.json), wait: BROWSER_WAIT_MS },
      ),
    );
    const leaked = attempt.read && showsUser(attempt.body, marks);
    const sent = attempt.read ? (await browserUser.observe(await arrived)).sentSessionCookie : undefined;
    verify('browser-cross-origin-read', !leaked, {
      expected: `a script on ${origin} cannot read the signed-in user's ${api.nameOf('currentUser')} (the browser refuses the response)`,
      actual: attempt.read
        ? `the browser ${sent ? 'sent' : 'did not send'} the session cookie and the script read ${attempt.status}: ${leaked ? 'the signed-in user\'s answer' : attempt.body.slice(0, 200)}`
        : `the fetch failed: ${attempt.error}`,
    });
  });
}
