/**
 * A Set-Cookie line for evidence, with its value replaced by its length:
 * reports show every attribute the server declared but never the token.
 */
import type { SetCookie } from '../../lib/set-cookie.ts';

export function describeCookie(c: SetCookie): string {
  const attributes = c.raw.split(';').slice(1).map((a) => a.trim());
  return [`${c.name}=<${c.value.length} characters>`, ...attributes].join('; ');
}
