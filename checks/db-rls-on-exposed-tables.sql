-- db-rls-on-exposed-tables: row level security is enabled on every table
-- that an exposed schema holds or that a view in an exposed schema reads,
-- directly or through other views.
--
-- One of the project's structural checks (see README.md here): a single
-- read-only query over the system catalogs that prints TAP, one test point
-- per object it judges, needing nothing installed on the target, not even
-- pgTAP. The suite runs it inside a transaction that is rolled back, after
-- setting:
--
--   conformance.exposed_schemas   PostgREST's db-schemas, comma-separated (DB_SCHEMAS)
--
-- By hand, in psql -At:
--
--   begin;
--   set local conformance.exposed_schemas = 'api';
--   \i checks/db-rls-on-exposed-tables.sql
--   rollback;
--
-- Why: PostgREST answers every request by querying the exposed schemas as
-- the request's role, and row level security is what keeps one user's rows
-- from another. A table reachable from the API without RLS is guarded by
-- GRANTs alone, which cannot tell users of one role apart.

with recursive
exposed as (
    select n.oid, n.nspname
      from pg_catalog.pg_namespace n
     where n.nspname = any (
               select pg_catalog.btrim(s)
                 from pg_catalog.unnest(pg_catalog.string_to_array(
                          pg_catalog.current_setting('conformance.exposed_schemas', true), ',')) s)
),
-- Every relation reachable from the API, with the path that reaches it:
-- the exposed relations themselves, then what their view rules read.
reach (relid, via, depth) as (
    select c.oid, pg_catalog.format('%I.%I', n.nspname, c.relname), 0
      from pg_catalog.pg_class c
      join exposed n on n.oid = c.relnamespace
     where c.relkind in ('r', 'p', 'v', 'm')
    union
    select c.oid, r.via || ' -> ' || pg_catalog.format('%I.%I', n.nspname, c.relname), r.depth + 1
      from reach r
      join pg_catalog.pg_rewrite w on w.ev_class = r.relid
      join pg_catalog.pg_depend d on d.classid = 'pg_catalog.pg_rewrite'::pg_catalog.regclass
                                 and d.objid = w.oid
                                 and d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass
                                 and d.refobjid <> r.relid
      join pg_catalog.pg_class c on c.oid = d.refobjid
      join pg_catalog.pg_namespace n on n.oid = c.relnamespace
     where r.depth < 32
),
tables as (
    select distinct on (c.oid)
           pg_catalog.format('%I.%I', n.nspname, c.relname) as subject, c.relrowsecurity as ok, r.via
      from reach r
      join pg_catalog.pg_class c on c.oid = r.relid
      join pg_catalog.pg_namespace n on n.oid = c.relnamespace
     where c.relkind in ('r', 'p')
     order by c.oid, r.depth
),
findings as (
    select subject, ok,
           pg_catalog.format('row level security is enabled on %s', subject) as description,
           pg_catalog.format('%s is reachable from the API (%s) but row level security is off on it: alter table %s enable row level security, then write its policies',
                             subject, via, subject) as diagnostic
      from tables
),
skip (reason) as (
    select 'set conformance.exposed_schemas (DB_SCHEMAS) to PostgREST''s db-schemas'
     where pg_catalog.current_setting('conformance.exposed_schemas', true) is null
    union all
    select pg_catalog.format('none of the exposed schemas (%s) exists in this database: set DB_SCHEMAS to PostgREST''s db-schemas',
                             pg_catalog.current_setting('conformance.exposed_schemas', true))
     where pg_catalog.current_setting('conformance.exposed_schemas', true) is not null
       and not exists (select 1 from exposed)
    union all
    select pg_catalog.format('the exposed schemas (%s) hold no table or view that reads a table',
                             pg_catalog.current_setting('conformance.exposed_schemas', true))
     where exists (select 1 from exposed) and not exists (select 1 from findings)
)
-- The suite prints these rows as TAP (suites/support/database-tap.ts, tapOfFindings):
-- an assertion a finding, in this order, or the reason to skip when there is one.
select subject as sort, ok, description, diagnostic, null::text as skip
  from findings where not exists (select 1 from skip)
union all
select null, null, null, null, reason from skip
order by 1;
