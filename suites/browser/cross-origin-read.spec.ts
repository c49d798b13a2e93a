/**
 * Reading the user's data from another origin. A script on a page of another
 * origin calls current_user with credentials included; whether the browser
 * attaches the cookie is SameSite's business, whether the script may read
 * the answer is CORS's. Both relations are tried: a page on another site,
 * and a page on the same site but another origin (a sibling sub-domain in
 * production), against which SameSite does nothing and only CORS protects.
 */
import { ENDPOINTS } from '../../fixtures/api.ts';
import { BROWSER_WAIT_MS, browserStep } from '../../fixtures/browser-user.ts';
import { test } from '../../fixtures/test.ts';
import { BLANK_PAGE, type Relation } from '../../fixtures/cross-site.ts';
import { newIdentity } from '../../fixtures/identities.ts';
import { cites, precondition, verify } from '../../fixtures/requirements.ts';

/** What a script of the other origin got from its credentialed fetch. */
type ReadAttempt = { read: true; status: number; body: string } | { read: false; error: string };

const RELATIONS: Relation[] = ['cross-site', 'same-site'];

for (const relation of RELATIONS) {
  test(`a script on a ${relation} page cannot read current_user with credentials`, cites('browser-cross-origin-read'), async ({ browserUser, probes }) => {
    const identity = newIdentity('cors');
    const opened = await browserUser.register(identity);
    precondition(opened.ok, `register from the page answered ${opened.status}`);
    // The control: from the API's own origin the same call does read the user.
    const own = await browserUser.currentUser();
    precondition(own.ok && own.body.includes(identity.email), `current_user from the API's own origin answered ${own.status}`);

    const origin = probes.origins[relation].origin;
    await browserStep(`opening a page on ${origin}`, () => probes.open(browserUser.page, relation, BLANK_PAGE, 'load'));
    // Recorded for the evidence when the read goes through; a refused one may show no response at all.
    const arrived = browserUser.waitForApiResponse('GET', ENDPOINTS.currentUser);
    arrived.catch(() => undefined);
    const attempt = await browserStep(`the credentialed fetch from ${origin}`, () =>
      browserUser.page.evaluate(
        async ({ url, wait }): Promise<ReadAttempt> => {
          try {
            const res = await fetch(url, { credentials: 'include', signal: AbortSignal.timeout(wait) });
            return { read: true, status: res.status, body: await res.text() };
          } catch (error) {
            // A refused CORS read is a TypeError; a timeout is not a refusal.
            if ((error as Error).name === 'TimeoutError') throw error;
            return { read: false, error: String(error) };
          }
        },
        { url: browserUser.url(ENDPOINTS.currentUser), wait: BROWSER_WAIT_MS },
      ),
    );
    const leaked = attempt.read && attempt.body.includes(identity.email);
    const sent = attempt.read ? (await browserUser.observe(await arrived)).sentSessionCookie : undefined;
    verify('browser-cross-origin-read', !leaked, {
      expected: `a script on ${origin} cannot read the signed-in user's current_user (the browser refuses the response)`,
      actual: attempt.read
        ? `the browser ${sent ? 'sent' : 'did not send'} the session cookie and the script read ${attempt.status}: ${leaked ? 'the signed-in user\'s profile' : attempt.body.slice(0, 200)}`
        : `the fetch failed: ${attempt.error}`,
    });
  });
}
