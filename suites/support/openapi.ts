/**
 * Reading the root OpenAPI document PostgREST serves (Swagger 2.0, one per
 * exposed schema, chosen with Accept-Profile) into what the exposure scan
 * calls, and filling in the arguments functions require. Pure, so the scan's
 * idea of "every endpoint" can be tested and read in one place.
 *
 * PostgREST lists only what the requesting role may use (openapi-mode
 * follow-privileges), which is why the scan asks for the document both
 * anonymously and signed in and merges the answers. Every function appears
 * under `/rpc/NAME` with a GET operation (its arguments as query parameters)
 * and a POST operation (its arguments as the properties of one JSON body
 * parameter); both name each argument's PostgreSQL type in `format`, and only
 * arguments without a default are `required`. The document says nothing about
 * a function's volatility: PostgREST 11 and 12 list GET even for functions
 * that write.
 */

/** An argument of a function, as the document declares it. */
export interface Argument {
  /** Empty for a function's single unnamed parameter, which only a request body can carry. */
  name: string;
  /** JSON Schema type (string, integer, number, boolean, array), when given. */
  type?: string;
  /** The PostgreSQL type (text, bigint, uuid, timestamp with time zone, jsonb, text[], ...). */
  format?: string;
}

/** Something the document exposes: a table or view (read with GET), or a function (`/rpc/...`). */
export interface Endpoint {
  path: string;
  kind: 'relation' | 'function';
  /** The arguments a function requires (those without a default); none for a relation. */
  required: Argument[];
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

/** A function's required arguments: from its POST body schema, else from its GET query parameters. */
function requiredArguments(item: Record<string, unknown>): Argument[] {
  const post = isObject(item.post) && Array.isArray(item.post.parameters) ? item.post.parameters : [];
  const body = post.find((p): p is Record<string, unknown> => isObject(p) && p.in === 'body' && isObject(p.schema));
  if (body && isObject(body.schema)) {
    const properties = isObject(body.schema.properties) ? body.schema.properties : {};
    const required = Array.isArray(body.schema.required) ? body.schema.required.filter((n): n is string => typeof n === 'string') : [];
    return required.map((name) => {
      const p = isObject(properties[name]) ? properties[name] : {};
      return { name, type: str(p.type), format: str(p.format) };
    });
  }
  const get = isObject(item.get) && Array.isArray(item.get.parameters) ? item.get.parameters : [];
  return get
    .filter((p): p is Record<string, unknown> => isObject(p) && p.in === 'query' && p.required === true && typeof p.name === 'string')
    .map((p) => ({ name: p.name as string, type: str(p.type), format: str(p.format) }));
}

/**
 * The endpoints of an OpenAPI document, in document order, or undefined when
 * the value is not a document with a `paths` object (the root is disabled, or
 * answers something else). Left out: the root itself (the document), and
 * templated paths (`/items/{id}`), which PostgREST never emits and the scan
 * could not fill in.
 */
export function exposedEndpoints(doc: unknown): Endpoint[] | undefined {
  if (!isObject(doc) || !isObject(doc.paths)) return undefined;
  const out: Endpoint[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    if (path === '/' || !path.startsWith('/') || path.includes('{') || !isObject(item)) continue;
    if (path.startsWith('/rpc/')) {
      if (isObject(item.get) || isObject(item.post)) out.push({ path, kind: 'function', required: requiredArguments(item) });
    } else if (isObject(item.get)) {
      out.push({ path, kind: 'relation', required: [] });
    }
  }
  return out;
}

/** Merges endpoint lists, first occurrence wins, keeping order; undefined when no list was a document. */
export function mergeEndpoints(...lists: Array<Endpoint[] | undefined>): Endpoint[] | undefined {
  if (lists.every((l) => l === undefined)) return undefined;
  const seen = new Map<string, Endpoint>();
  for (const list of lists) for (const e of list ?? []) if (!seen.has(e.path)) seen.set(e.path, e);
  return [...seen.values()];
}

/** The values arguments are filled with, by kind. */
export interface Fill {
  text: string;
  /** Integers and other numbers. */
  integer: number;
  boolean: boolean;
  uuid: string;
  now: Date;
}

/** A value of the argument's type, as JSON: what a POST body carries for it. */
export function argumentValue(arg: Argument, fill: Fill): unknown {
  const format = (arg.format ?? '').toLowerCase();
  if (format.endsWith('[]') || arg.type === 'array') return [];
  if (format === 'json' || format === 'jsonb') return {};
  if (format === 'uuid') return fill.uuid;
  if (format === 'date') return fill.now.toISOString().slice(0, 10);
  if (format.startsWith('timestamp')) return fill.now.toISOString();
  if (format.startsWith('time')) return fill.now.toISOString().slice(11, 19);
  if (format === 'boolean' || arg.type === 'boolean') return fill.boolean;
  if (arg.type === 'integer' || arg.type === 'number') return fill.integer;
  return fill.text;
}

/** A request the scan makes. */
export interface Call {
  method: 'GET' | 'POST';
  path: string;
  json?: unknown;
}

/** The value as a query parameter: PostgREST casts the text to the argument's type. */
function queryText(value: unknown): string {
  if (Array.isArray(value)) return '{}'; // an empty PostgreSQL array literal
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/**
 * The GET request that reads an endpoint, arguments in the query string; or
 * undefined for a function with an unnamed parameter (only a body carries it).
 */
export function readCall(endpoint: Endpoint, fill: Fill): Call | undefined {
  if (endpoint.required.some((a) => a.name === '')) return undefined;
  const query = new URLSearchParams(endpoint.required.map((a) => [a.name, queryText(argumentValue(a, fill))])).toString();
  return { method: 'GET', path: query ? `${endpoint.path}?${query}` : endpoint.path };
}

/**
 * The POST request that calls a function, its required arguments in a JSON
 * body; a single unnamed json or jsonb parameter is the body itself. Undefined
 * for relations (a POST would insert a row) and for an unnamed parameter of
 * another type (it needs a body in that type's own media type).
 */
export function writeCall(endpoint: Endpoint, fill: Fill): Call | undefined {
  if (endpoint.kind !== 'function') return undefined;
  const unnamed = endpoint.required.find((a) => a.name === '');
  if (unnamed) {
    const format = (unnamed.format ?? '').toLowerCase();
    return format === 'json' || format === 'jsonb' ? { method: 'POST', path: endpoint.path, json: argumentValue(unnamed, fill) } : undefined;
  }
  return { method: 'POST', path: endpoint.path, json: Object.fromEntries(endpoint.required.map((a) => [a.name, argumentValue(a, fill)])) };
}
