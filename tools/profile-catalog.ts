/**
 * What the profile drafter reads from the deployment's database catalog when
 * it is given one: PostgREST's in-database settings, roles, the app's own
 * functions and relations, candidate sessions tables and the RLS policies.
 * Read-only queries on pg_catalog, in one read-only transaction; the drafter
 * (tools/profile-draft.ts) makes the guesses, so this file only fetches.
 */
import pg from 'pg';

export interface CatalogFunction {
  schema: string;
  name: string;
  argCount: number;
  /** `i`mmutable, `s`table, `v`olatile: PostgREST serves only the first two on GET. */
  volatility: 'i' | 's' | 'v';
  /** Columns of the composite or RETURNS TABLE result; empty for a scalar or void. */
  resultColumns: string[];
  /** Its source reads the request's cookies: a pre-request hook, or a function that opens or ends sessions. */
  readsCookies: boolean;
  /** Roles granted EXECUTE, other than its owner. */
  executors: string[];
}

export interface CatalogRelation {
  schema: string;
  name: string;
  /** Tables a view reads, schema-qualified; empty for a table. */
  bases: string[];
  /** Columns the database fills in when an insert leaves them out: a default, an identity, or the same column's in a base table. */
  filledColumns: string[];
}

export interface SessionTable {
  schema: string;
  table: string;
  columns: Array<{ name: string; type: string }>;
  /** Its CHECK constraints, as pg_get_constraintdef writes them. */
  checks: string[];
}

export interface Policy {
  schema: string;
  table: string;
  name: string;
  /** USING and WITH CHECK together, as the catalog writes them. */
  expression: string;
}

export interface ColumnCheck {
  schema: string;
  table: string;
  column: string;
  /** The CHECK constraint, as pg_get_constraintdef writes it: `CHECK (((age >= 18) AND (age <= 130)))`. */
  definition: string;
}

export interface Catalog {
  /** PostgREST's in-database configuration: `ALTER ROLE … SET pgrst.db_schemas = …` and the like. */
  roleSettings: Array<{ role: string; name: string; value: string }>;
  /** Ordinary roles: not pg_*, not superusers. */
  roles: Array<{ name: string; canLogin: boolean; memberOf: string[] }>;
  functions: CatalogFunction[];
  relations: CatalogRelation[];
  /** Tables with a timestamp column whose name speaks of expiry. */
  sessionTables: SessionTable[];
  policies: Policy[];
  /** CHECK constraints on one column of the app's tables: where an argument's valid range is written. Absent in catalogs read before it was. */
  columnChecks?: ColumnCheck[];
}

/** Schemas that are PostgreSQL's own, and objects that belong to extensions, are never the app's. */
const APP_SCHEMA = "n.nspname not in ('pg_catalog', 'information_schema', 'pg_toast') and n.nspname !~ '^pg_'";
const NOT_EXTENSION = (oid: string, catalog: string) =>
  `not exists (select 1 from pg_catalog.pg_depend e where e.classid = '${catalog}'::regclass and e.objid = ${oid} and e.deptype = 'e')`;

const QUERIES = {
  roleSettings: `
    select r.rolname as role, split_part(cfg, '=', 1) as name, substr(cfg, strpos(cfg, '=') + 1) as value
      from pg_catalog.pg_db_role_setting s
      join pg_catalog.pg_roles r on r.oid = s.setrole
      cross join lateral unnest(s.setconfig) as cfg
     where s.setdatabase in (0, (select oid from pg_catalog.pg_database where datname = current_database()))
       and cfg like 'pgrst.%'`,
  roles: `
    select r.rolname as name, r.rolcanlogin as "canLogin",
           array(select b.rolname::text from pg_catalog.pg_auth_members m join pg_catalog.pg_roles b on b.oid = m.roleid
                  where m.member = r.oid order by 1) as "memberOf"
      from pg_catalog.pg_roles r
     where r.rolname !~ '^pg_' and not r.rolsuper
     order by 1`,
  functions: `
    select n.nspname as schema, p.proname as name, p.pronargs as "argCount", p.provolatile as volatility,
           coalesce(
             (select array_agg(a.attname::text order by a.attnum) from pg_catalog.pg_type t
                join pg_catalog.pg_attribute a on a.attrelid = t.typrelid
               where t.oid = p.prorettype and t.typrelid <> 0 and a.attnum > 0 and not a.attisdropped),
             (select array_agg(x.name) from unnest(p.proargnames, p.proargmodes) as x(name, mode) where x.mode = 't'),
             '{}') as "resultColumns",
           p.prosrc ~* 'request\\.cookie' as "readsCookies",
           array(select distinct g.rolname::text from aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) a
                   join pg_catalog.pg_roles g on g.oid = a.grantee
                  where a.privilege_type = 'EXECUTE' and a.grantee <> p.proowner order by 1) as executors
      from pg_catalog.pg_proc p
      join pg_catalog.pg_namespace n on n.oid = p.pronamespace
     where ${APP_SCHEMA} and p.prokind = 'f' and ${NOT_EXTENSION('p.oid', 'pg_catalog.pg_proc')}
     order by 1, 2`,
  relations: `
    with rel as (
      select c.oid, n.nspname as schema, c.relname as name,
             array(select distinct bc.oid from pg_catalog.pg_rewrite rw
                     join pg_catalog.pg_depend d on d.classid = 'pg_catalog.pg_rewrite'::regclass and d.objid = rw.oid
                     join pg_catalog.pg_class bc on bc.oid = d.refobjid
                    where rw.ev_class = c.oid and bc.oid <> c.oid and bc.relkind in ('r', 'p', 'v', 'f')) as base_oids
        from pg_catalog.pg_class c
        join pg_catalog.pg_namespace n on n.oid = c.relnamespace
       where ${APP_SCHEMA} and c.relkind in ('r', 'p', 'v', 'm', 'f') and ${NOT_EXTENSION('c.oid', 'pg_catalog.pg_class')}
    )
    select rel.schema, rel.name,
           array(select b.oid::regclass::text from unnest(rel.base_oids) as b(oid) order by 1) as bases,
           array(select a.attname::text from pg_catalog.pg_attribute a
                  where a.attrelid = rel.oid and a.attnum > 0 and not a.attisdropped
                    and (a.atthasdef or a.attidentity <> '' or a.attgenerated <> ''
                         or exists (select 1 from pg_catalog.pg_attribute ba
                                     where ba.attrelid = any (rel.base_oids) and ba.attname = a.attname
                                       and (ba.atthasdef or ba.attidentity <> '' or ba.attgenerated <> '')))
                  order by a.attnum) as "filledColumns"
      from rel
     order by 1, 2`,
  sessionTables: `
    select n.nspname as schema, c.relname as table,
           array(select json_build_object('name', a.attname, 'type', pg_catalog.format_type(a.atttypid, a.atttypmod))
                   from pg_catalog.pg_attribute a where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
                  order by a.attnum) as columns,
           array(select pg_catalog.pg_get_constraintdef(k.oid) from pg_catalog.pg_constraint k
                  where k.conrelid = c.oid and k.contype = 'c' order by k.conname) as checks
      from pg_catalog.pg_class c
      join pg_catalog.pg_namespace n on n.oid = c.relnamespace
     where ${APP_SCHEMA} and c.relkind in ('r', 'p')
       and exists (select 1 from pg_catalog.pg_attribute a
                    where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped and a.attname ~* 'expir'
                      and a.atttypid in ('timestamptz'::regtype, 'timestamp'::regtype))
     order by 1, 2`,
  columnChecks: `
    select n.nspname as schema, c.relname as table, a.attname as column, pg_catalog.pg_get_constraintdef(k.oid) as definition
      from pg_catalog.pg_constraint k
      join pg_catalog.pg_class c on c.oid = k.conrelid
      join pg_catalog.pg_namespace n on n.oid = c.relnamespace
      join pg_catalog.pg_attribute a on a.attrelid = c.oid and a.attnum = k.conkey[1]
     where k.contype = 'c' and cardinality(k.conkey) = 1 and ${APP_SCHEMA}
     order by 1, 2, 3`,
  policies: `
    select schemaname as schema, tablename as table, policyname as name,
           concat_ws(' ', qual, with_check) as expression
      from pg_catalog.pg_policies
     order by 1, 2, 3`,
} as const;

/** The catalog of the database at `databaseUrl`, read in one read-only transaction. */
export async function readCatalog(databaseUrl: string): Promise<Catalog> {
  const client = new pg.Client({ connectionString: databaseUrl, application_name: 'conformance profile drafter' });
  await client.connect();
  try {
    await client.query('begin transaction read only');
    const out: Record<string, unknown[]> = {};
    for (const [key, sql] of Object.entries(QUERIES)) out[key] = (await client.query(sql)).rows;
    await client.query('rollback');
    return out as unknown as Catalog;
  } finally {
    await client.end();
  }
}
