-- db-authenticator-safe: the role PostgREST connects as is NOINHERIT, is
-- neither a superuser nor BYPASSRLS, and cannot switch to a role that is.
--
-- A structural check: one read-only catalog query printing TAP
-- (README.md here says how the suite runs these). Reads:
--
--   conformance.authenticator_role   the role in PostgREST's db-uri (DB_AUTHENTICATOR_ROLE)
--
-- Why: PostgREST switches from this role to the anonymous role or the role
-- a request is authenticated as, and everything rests on that switch.
-- INHERIT would give the connection the union of all those roles'
-- privileges before (and without) any switch. A superuser session can undo
-- the switch (RESET ROLE, SET ROLE to anyone) from any SQL that reaches it;
-- membership in a superuser or BYPASSRLS role is the same power one SET ROLE
-- away, and a JWT role claim can name that role.

with recursive
settings as (select pg_catalog.current_setting('conformance.authenticator_role', true) as name),
role as (select r.* from pg_catalog.pg_roles r, settings s where r.rolname = s.name),
-- Granted memberships, followed transitively (pg_has_role would call a
-- superuser a member of everything and repeat the point above).
memberships (roleid) as (
    select m.roleid from pg_catalog.pg_auth_members m, role a where m.member = a.oid
    union
    select m.roleid from pg_catalog.pg_auth_members m join memberships s on m.member = s.roleid
),
powerful as (
    select pg_catalog.string_agg(pg_catalog.quote_ident(p.rolname), ', ' order by p.rolname) as names
      from memberships s join pg_catalog.pg_roles p on p.oid = s.roleid
     where p.rolsuper or p.rolbypassrls
),
findings (n, ok, description, diagnostic) as (
    select 1, not a.rolinherit,
           pg_catalog.format('%s is NOINHERIT', pg_catalog.quote_ident(a.rolname)),
           pg_catalog.format('%s inherits the privileges of every role it is a member of, before any role switch: alter role %s noinherit',
                             pg_catalog.quote_ident(a.rolname), pg_catalog.quote_ident(a.rolname))
      from role a
    union all
    select 2, not a.rolsuper,
           pg_catalog.format('%s is not a superuser', pg_catalog.quote_ident(a.rolname)),
           pg_catalog.format('%s is a superuser: any SQL that reaches the connection can RESET ROLE and skip every GRANT and policy: alter role %s nosuperuser',
                             pg_catalog.quote_ident(a.rolname), pg_catalog.quote_ident(a.rolname))
      from role a
    union all
    select 3, not a.rolbypassrls,
           pg_catalog.format('%s is not BYPASSRLS', pg_catalog.quote_ident(a.rolname)),
           pg_catalog.format('%s bypasses row level security: alter role %s nobypassrls',
                             pg_catalog.quote_ident(a.rolname), pg_catalog.quote_ident(a.rolname))
      from role a
    union all
    select 4, p.names is null,
           pg_catalog.format('%s cannot switch to a superuser or BYPASSRLS role', pg_catalog.quote_ident(a.rolname)),
           pg_catalog.format('%s is a member of %s, a superuser or BYPASSRLS role, and can SET ROLE to it: revoke that membership',
                             pg_catalog.quote_ident(a.rolname), p.names)
      from role a, powerful p
),
skip (reason) as (
    select 'set conformance.authenticator_role (DB_AUTHENTICATOR_ROLE) to the role PostgREST connects as'
      from settings where name is null
    union all
    select pg_catalog.format('there is no role %s in this cluster: set DB_AUTHENTICATOR_ROLE to the role in PostgREST''s db-uri', pg_catalog.quote_ident(name))
      from settings where name is not null and not exists (select 1 from role)
)
-- The suite prints these rows as TAP (suites/support/database-tap.ts, tapOfFindings):
-- an assertion a finding, in this order, or the reason to skip when there is one.
select n as sort, ok, description, diagnostic, null::text as skip
  from findings where not exists (select 1 from skip)
union all
select null, null, null, null, reason from skip
order by 1;
