/**
 * Shared caches: an answer made for one signed-in user must not be stored by
 * a CDN or proxy and handed to the next caller of the same URL. Each GET the
 * API protects is asked for with a live session; the answer must say, in
 * Cache-Control or Vary, that a shared cache may not reuse it for anyone else.
 */
import { PROTECTED_ENDPOINTS } from '../fixtures/api.ts';
import { cites, verify } from '../fixtures/requirements.ts';
import { test } from '../fixtures/test.ts';
import { controlSucceeded } from './support/controls.ts';
import { sharedCacheGuard } from './support/shared-cache.ts';

for (const endpoint of PROTECTED_ENDPOINTS.filter((e) => e.method === 'GET')) {
  test(`isolation-cache-private: GET ${endpoint.path} for a session is kept from shared caches`, cites('isolation-cache-private'), async ({ signedIn }) => {
    const res = await (await signedIn('cache')).send('GET', endpoint.path, {});
    // The control: only an answer actually made for the session says anything about how it is cached.
    controlSucceeded(res, `GET ${endpoint.path} with a session`);
    verify('isolation-cache-private', sharedCacheGuard((name) => res.header(name)) !== undefined, {
      expected: `GET ${endpoint.path} answered for a session carries Cache-Control: no-store or private, or Vary: Cookie`,
      actual: `Cache-Control: ${res.header('cache-control') ?? '(absent)'}; Vary: ${res.header('vary') ?? '(absent)'}`,
    });
  });
}
