/**
 * Shared caches: an answer made for one signed-in user must not be stored by
 * a CDN or proxy and handed to the next caller of the same URL. Each GET the
 * API protects is asked for with a live session; the answer must say, in
 * Cache-Control or Vary, that a shared cache may not reuse it for anyone else.
 */
import { cites, notApplicableUnless, verify } from '../fixtures/requirements.ts';
import { test } from '../fixtures/test.ts';
import { controlSucceeded } from './support/controls.ts';
import { sharedCacheGuard } from './support/shared-cache.ts';

test('isolation-cache-private: every protected GET answered for a session is kept from shared caches', cites('isolation-cache-private'), async ({ signedIn, api }) => {
  const gets = api.protectedRequests().filter((r) => r.method === 'GET');
  notApplicableUnless(gets.length > 0, 'the deployment has no GET that needs a session');
  const session = await signedIn('cache');
  for (const { path } of gets) {
    const res = await session.send('GET', path, {});
    // The control: only an answer actually made for the session says anything about how it is cached.
    controlSucceeded(res, `GET ${path} with a session`);
    verify('isolation-cache-private', sharedCacheGuard((name) => res.header(name)) !== undefined, {
      expected: `GET ${path} answered for a session carries Cache-Control: no-store or private, or Vary: Cookie`,
      actual: `Cache-Control: ${res.header('cache-control') ?? '(absent)'}; Vary: ${res.header('vary') ?? '(absent)'}`,
    });
  }
});
