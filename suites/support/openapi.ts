/**
 * Reading the root OpenAPI document PostgREST serves (Swagger 2.0): which
 * paths answer GET. Pure, so the exposure scan's idea of "every endpoint" can
 * be tested and read in one place. PostgREST lists only what the requesting
 * role may use (openapi-mode follow-privileges), which is why the scan asks
 * for the document both anonymously and signed in and merges the answers.
 */

/** A path of the document that declares a GET operation. */
export interface GetablePath {
  path: string;
  /** Query parameters the operation declares as required (RPC arguments). */
  requiredQuery: string[];
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The GET-able paths of an OpenAPI document, in document order, or undefined
 * when the value is not a document with a `paths` object (the root is
 * disabled, or answers something else). Templated paths (`/items/{id}`) are
 * left out: PostgREST never emits them and the scan could not fill them in.
 */
export function getablePaths(doc: unknown): GetablePath[] | undefined {
  if (!isObject(doc) || !isObject(doc.paths)) return undefined;
  const out: GetablePath[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    if (!path.startsWith('/') || path.includes('{') || !isObject(item) || !isObject(item.get)) continue;
    const params = Array.isArray(item.get.parameters) ? item.get.parameters : [];
    const requiredQuery = params
      .filter((p): p is Record<string, unknown> => isObject(p) && p.in === 'query' && p.required === true && typeof p.name === 'string')
      .map((p) => p.name as string);
    out.push({ path, requiredQuery });
  }
  return out;
}

/** Merges path lists, first occurrence wins, keeping order. */
export function mergePaths(...lists: Array<GetablePath[] | undefined>): GetablePath[] {
  const seen = new Map<string, GetablePath>();
  for (const list of lists) for (const p of list ?? []) if (!seen.has(p.path)) seen.set(p.path, p);
  return [...seen.values()];
}
