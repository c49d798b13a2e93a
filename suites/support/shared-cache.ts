/**
 * What a shared cache (RFC 9111) may do with a response, read from its
 * Cache-Control and Vary fields. Only the directives that keep a shared cache
 * from serving one caller's answer to another count:
 *   no-store                 nothing may store it (§5.2.2.5);
 *   private                  a shared cache may not store it (§5.2.2.7), but
 *                            private="field" only withholds those fields;
 *   Vary: Cookie, Vary: *    a stored answer is reused only for a request
 *                            with the same Cookie, or never (§4.1).
 * no-cache, max-age=0, s-maxage=0 and must-revalidate still let it store the
 * answer and reuse it after revalidation (or when the origin is unreachable),
 * so they do not count.
 *
 * Written here rather than taken from a library: http-cache-semantics, the
 * usual one, answers whether a stored response is fresh right now, which for
 * a response without explicit freshness depends on the cache's heuristics;
 * the question here is only which directives are present.
 */

/** The comma-separated members of a list field (RFC 9110 §5.6.1), commas inside quoted strings kept. */
export function listMembers(value: string | undefined): string[] {
  return (value ?? '').match(/(?:[^,"]|"(?:[^"\\]|\\.)*")+/g)?.map((m) => m.trim()).filter(Boolean) ?? [];
}

/** Cache-Control directives by lower-case name; a directive without a value maps to undefined. */
export function cacheDirectives(cacheControl: string | undefined): Map<string, string | undefined> {
  const out = new Map<string, string | undefined>();
  for (const member of listMembers(cacheControl)) {
    const eq = member.indexOf('=');
    const name = (eq < 0 ? member : member.slice(0, eq)).trim().toLowerCase();
    if (!out.has(name)) out.set(name, eq < 0 ? undefined : member.slice(eq + 1).trim());
  }
  return out;
}

/** The directive or field that keeps shared caches from reusing the answer for someone else, or undefined when none does. */
export function sharedCacheGuard(header: (name: string) => string | undefined): string | undefined {
  const directives = cacheDirectives(header('cache-control'));
  if (directives.has('no-store')) return 'Cache-Control: no-store';
  if (directives.has('private') && directives.get('private') === undefined) return 'Cache-Control: private';
  const vary = listMembers(header('vary')).map((v) => v.toLowerCase());
  if (vary.includes('*')) return 'Vary: *';
  if (vary.includes('cookie')) return 'Vary: Cookie';
  return undefined;
}
