/**
 * RFC 6265 section 5.1.4 path matching, as a browser decides whether to send
 * a cookie to a request path. Pure functions, so the rule can be unit-tested
 * apart from any server.
 */

/** Does a cookie with Path `cookiePath` go with a request to `requestPath`? */
export function pathMatches(requestPath: string, cookiePath: string): boolean {
  if (requestPath === cookiePath) return true;
  if (!requestPath.startsWith(cookiePath)) return false;
  // "/api" covers "/api/todos" but not "/apis": the match must end at a '/'.
  return cookiePath.endsWith('/') || requestPath[cookiePath.length] === '/';
}
