/**
 * PostgREST's root OpenAPI document (Swagger 2.0, as 11.2 and 12.0 emit it),
 * read into what the profile drafter needs: every function with all its
 * arguments (required or not) and types, every table or view with its
 * columns. PostgREST lists only what the requesting role may use, so the
 * drafter reads the document anonymously and signed in, and keeps both.
 *
 * What the document says, and what it leaves out:
 * - a column's `default` appears for tables and for views given one with
 *   ALTER VIEW; a view never lists `required` columns, a table lists every
 *   NOT NULL column, identity columns included;
 * - the primary key is marked `<pk/>` and a foreign key
 *   `<fk table='users' column='user_id'/>` in the column's description;
 * - a function's return type and volatility are not given (GET is listed for
 *   every function).
 */

export interface Column {
  name: string;
  /** JSON Schema type: string, integer, number, boolean, array. */
  type?: string;
  /** The PostgreSQL type: text, bigint, boolean, uuid, timestamp with time zone, ... */
  format?: string;
  required: boolean;
  hasDefault: boolean;
  primaryKey: boolean;
  /** The relation (by its endpoint name) a foreign key points to. */
  references?: { table: string; column: string };
}

export interface Relation {
  /** `/todos`. */
  path: string;
  name: string;
  columns: Column[];
}

export interface Rpc {
  /** `/rpc/login`. */
  path: string;
  name: string;
  /** Every argument; `required` for those without a default. */
  args: Column[];
}

export interface ApiShape {
  relations: Relation[];
  functions: Rpc[];
  /** The document's basePath: `/` unless PostgREST was told where a proxy serves it (openapi-server-proxy-uri). */
  basePath: string;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

function columnsOf(schema: Record<string, unknown>): Column[] {
  const properties = isObject(schema.properties) ? schema.properties : {};
  const required = new Set(Array.isArray(schema.required) ? schema.required.filter((n): n is string => typeof n === 'string') : []);
  return Object.entries(properties).map(([name, p]) => {
    const prop = isObject(p) ? p : {};
    const description = str(prop.description) ?? '';
    const fk = /<fk table='([^']+)' column='([^']+)'\/>/.exec(description);
    return {
      name,
      type: str(prop.type),
      format: str(prop.format),
      required: required.has(name),
      hasDefault: 'default' in prop,
      primaryKey: description.includes('<pk/>'),
      ...(fk ? { references: { table: fk[1], column: fk[2] } } : {}),
    };
  });
}

/** A function's arguments, from its POST body schema. */
function argsOf(item: Record<string, unknown>): Column[] {
  const post = isObject(item.post) && Array.isArray(item.post.parameters) ? item.post.parameters : [];
  const body = post.find((p): p is Record<string, unknown> => isObject(p) && p.in === 'body' && isObject(p.schema));
  return body && isObject(body.schema) ? columnsOf(body.schema) : [];
}

/** The API a document describes; undefined when the value is not an OpenAPI document with paths. */
export function readApiShape(doc: unknown): ApiShape | undefined {
  if (!isObject(doc) || !isObject(doc.paths)) return undefined;
  const definitions = isObject(doc.definitions) ? doc.definitions : {};
  const shape: ApiShape = { relations: [], functions: [], basePath: str(doc.basePath) ?? '/' };
  for (const [path, item] of Object.entries(doc.paths)) {
    if (!isObject(item) || path === '/' || path.includes('{')) continue;
    if (path.startsWith('/rpc/')) {
      shape.functions.push({ path, name: path.slice('/rpc/'.length), args: argsOf(item) });
    } else {
      const name = path.slice(1);
      const definition = definitions[name];
      shape.relations.push({ path, name, columns: isObject(definition) ? columnsOf(definition) : [] });
    }
  }
  return shape;
}

/** Several documents' shapes as one: the first listing of a path wins. */
export function mergeShapes(shapes: ApiShape[]): ApiShape {
  const firstByPath = <T extends { path: string }>(lists: T[][]): T[] => {
    const seen = new Map<string, T>();
    for (const x of lists.flat()) if (!seen.has(x.path)) seen.set(x.path, x);
    return [...seen.values()];
  };
  return {
    relations: firstByPath(shapes.map((s) => s.relations)),
    functions: firstByPath(shapes.map((s) => s.functions)),
    basePath: shapes[0]?.basePath ?? '/',
  };
}
