-- db-no-rls-exempt-relations: no exposed schema holds a materialized view or
-- a foreign table that a role requests run as may read.
--
-- A structural check: one read-only catalog query returning findings
-- (README.md here says how the suite runs these). Reads:
--
--   conformance.exposed_schemas       PostgREST's db-schemas, comma-separated (DB_SCHEMAS)
--   conformance.anon_role             PostgREST's db-anon-role (DB_ANON_ROLE)
--   conformance.authenticator_role    the role in PostgREST's db-uri (DB_AUTHENTICATOR_ROLE)
--
-- Why: row level security applies to neither. A materialized view holds what
-- its owner saw at the last refresh, a foreign table is read with the
-- credentials of its user mapping: either gives every caller the same rows,
-- whoever they are signed in as. (A materialized view's owner is judged by
-- db-views-respect-rls; this check is about the relation kind itself.)
-- Request roles are the anonymous role and every role the connecting role
-- can SET ROLE to, memberships followed transitively; a relation none of
-- them may read is not reachable from the API and is not judged.

with recursive
settings as (
    select pg_catalog.current_setting('conformance.exposed_schemas', true) as schemas,
           pg_catalog.current_setting('conformance.anon_role', true) as anon,
           pg_catalog.current_setting('conformance.authenticator_role', true) as authenticator
),
exposed as (
    select n.oid, n.nspname
      from pg_catalog.pg_namespace n, settings s
     where n.nspname = any (select pg_catalog.btrim(x) from pg_catalog.unnest(pg_catalog.string_to_array(s.schemas, ',')) x)
),
request_roles (oid) as (
    select r.oid from pg_catalog.pg_roles r, settings s where r.rolname = s.anon
    union
    select m.roleid from pg_catalog.pg_auth_members m join pg_catalog.pg_roles a on a.oid = m.member, settings s
     where a.rolname = s.authenticator
    union
    select m.roleid from pg_catalog.pg_auth_members m join request_roles r on m.member = r.oid
),
-- Every relation of the exposed schemas, and the request roles that may read it.
relations as (
    select pg_catalog.format('%I.%I', n.nspname, c.relname) as subject, c.relkind,
           (select pg_catalog.string_agg(pg_catalog.quote_ident(r.rolname), ', ' order by r.rolname)
              from request_roles q join pg_catalog.pg_roles r on r.oid = q.oid
             where pg_catalog.has_table_privilege(q.oid, c.oid, 'SELECT')) as readers
      from pg_catalog.pg_class c
      join exposed n on n.oid = c.relnamespace
     where c.relkind in ('r', 'p', 'v', 'm', 'f')
),
findings as (
    select subject,
           relkind not in ('m', 'f') as ok,
           pg_catalog.format('%s, readable by %s, is neither a materialized view nor a foreign table', subject, readers) as description,
           pg_catalog.format('%s is a %s that %s may read: row level security does not apply to it, so every caller gets the same rows. Fix: move it out of the exposed schemas and serve it through a security_invoker view or a function that filters by the caller, or revoke select on it from those roles.',
                             subject, case relkind when 'm' then 'materialized view' else 'foreign table' end, readers) as diagnostic
      from relations
     where readers is not null
),
skip (reason) as (
    select 'set conformance.exposed_schemas (DB_SCHEMAS) to PostgREST''s db-schemas'
      from settings where schemas is null
    union all
    select pg_catalog.format('none of the exposed schemas (%s) exists in this database: set DB_SCHEMAS to PostgREST''s db-schemas', schemas)
      from settings where schemas is not null and not exists (select 1 from exposed)
    union all
    select pg_catalog.format('neither the anonymous role %s nor the connecting role %s exists: set DB_ANON_ROLE and DB_AUTHENTICATOR_ROLE',
                             coalesce(anon, '(unset)'), coalesce(authenticator, '(unset)'))
      from settings where not exists (select 1 from request_roles)
    union all
    select pg_catalog.format('no relation of %s is readable by the anonymous role or a role the connecting role can become', schemas)
      from settings where not exists (select 1 from findings)
)
-- The suite prints these rows as TAP (suites/support/database-tap.ts, tapOfFindings):
-- an assertion a finding, in this order, or the reason to skip when there is one.
select subject as sort, ok, description, diagnostic, null::text as skip
  from findings where not exists (select 1 from skip)
union all
select null, null, null, null, reason from skip
order by 1;
