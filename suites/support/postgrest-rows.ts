/**
 * Reading PostgREST row responses: the rows of a JSON array body and the
 * total of a Content-Range header. Pure; the isolation and exposure suites
 * share them so that "what did the caller get to see" is read one way.
 */
import type { HttpResponse } from '../../fixtures/http.ts';

/** The rows of a 2xx JSON array body; none for anything else (a refusal shows no rows). */
export function rowsOf<T>(res: HttpResponse): T[] {
  if (!res.ok) return [];
  const body = res.tryJson<unknown>();
  return Array.isArray(body) ? (body as T[]) : [];
}

/**
 * The total after the slash of a Content-Range header (`0-9/42`, `*\/0`), or
 * undefined when there is none or it is `*` (the server did not count).
 */
export function contentRangeTotal(header: string | undefined): number | undefined {
  const m = /\/\s*(\d+)\s*$/.exec(header ?? '');
  return m ? Number(m[1]) : undefined;
}
