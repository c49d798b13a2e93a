-- db-anon-no-table-privileges: the anonymous role (PostgREST's db-anon-role)
-- holds no privilege on any table, view or sequence outside the exposed
-- schemas, whether granted to it, to PUBLIC, or to a role it inherits from.
--
-- A structural check: one read-only catalog query printing TAP
-- (README.md here says how the suite runs these). Reads:
--
--   conformance.exposed_schemas   PostgREST's db-schemas, comma-separated (DB_SCHEMAS)
--   conformance.anon_role         PostgREST's db-anon-role (DB_ANON_ROLE)
--
-- Why: every request without a live session runs as this role. Whatever it
-- may touch outside the API is one security-invoker view or function, one
-- misconfigured db-schemas, or one RLS slip away from every visitor on the
-- internet. The API schema is where its access is designed; elsewhere it
-- needs none.

with
settings as (
    select pg_catalog.current_setting('conformance.anon_role', true) as anon,
           pg_catalog.current_setting('conformance.exposed_schemas', true) as schemas
),
anon as (
    select r.oid, r.rolname from pg_catalog.pg_roles r, settings s where r.rolname = s.anon
),
privileges (name, kind) as (
    values ('SELECT', 't'), ('INSERT', 't'), ('UPDATE', 't'), ('DELETE', 't'), ('TRUNCATE', 't'),
           ('REFERENCES', 't'), ('TRIGGER', 't'), ('USAGE', 's'), ('SELECT', 's'), ('UPDATE', 's')
),
relations as (
    select c.oid, c.relkind, pg_catalog.format('%I.%I', n.nspname, c.relname) as subject
      from pg_catalog.pg_class c
      join pg_catalog.pg_namespace n on n.oid = c.relnamespace
     where c.relkind in ('r', 'p', 'v', 'm', 'f', 'S')
       and n.nspname not in ('pg_catalog', 'information_schema')
       and n.nspname !~ '^pg_(toast|temp_)'
       and n.nspname <> all (
               select pg_catalog.btrim(s)
                 from settings, pg_catalog.unnest(pg_catalog.string_to_array(settings.schemas, ',')) s)
       and not exists (select 1 from pg_catalog.pg_depend d
                        where d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass
                          and d.objid = c.oid and d.deptype = 'e')
),
held as (
    select r.subject, r.relkind,
           (select pg_catalog.string_agg(p.name, ', ')
              from privileges p
             where p.kind = case r.relkind when 'S' then 's' else 't' end
               and case r.relkind
                        when 'S' then pg_catalog.has_sequence_privilege(a.oid, r.oid, p.name)
                        else pg_catalog.has_table_privilege(a.oid, r.oid, p.name)
                             or (p.name in ('SELECT', 'INSERT', 'UPDATE', 'REFERENCES')
                                 and pg_catalog.has_any_column_privilege(a.oid, r.oid, p.name)) end) as privileges,
           a.rolname
      from relations r, anon a
),
findings as (
    select subject, privileges is null as ok,
           pg_catalog.format('%s has no privilege on %s', pg_catalog.quote_ident(rolname), subject) as description,
           pg_catalog.format('%s, the anonymous role, holds %s on %s (directly, through PUBLIC or an inherited role): revoke it; anonymous access belongs in the exposed schemas',
                             pg_catalog.quote_ident(rolname), privileges, subject) as diagnostic
      from held
    union all
    select '', true, pg_catalog.format('there is no table, view or sequence outside the exposed schemas'), ''
     where exists (select 1 from anon) and not exists (select 1 from relations)
),
skip (reason) as (
    select 'set conformance.anon_role (DB_ANON_ROLE) and conformance.exposed_schemas (DB_SCHEMAS)'
      from settings where anon is null or schemas is null
    union all
    select pg_catalog.format('there is no role %s in this cluster: set DB_ANON_ROLE to PostgREST''s db-anon-role', pg_catalog.quote_ident(anon))
      from settings where anon is not null and schemas is not null and not exists (select 1 from anon)
)
-- The suite prints these rows as TAP (suites/support/database-tap.ts, tapOfFindings):
-- an assertion a finding, in this order, or the reason to skip when there is one.
select subject as sort, ok, description, diagnostic, null::text as skip
  from findings where not exists (select 1 from skip)
union all
select null, null, null, null, reason from skip
order by 1;
