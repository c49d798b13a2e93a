-- db-tokens-hashed: a session cookie value the suite was just issued does
-- not appear in clear in any readable column where sessions are likely to be
-- kept (a table whose name contains "session", or a column whose name
-- contains "token" or "session").
--
-- A structural check: one read-only query printing TAP
-- (README.md here says how the suite runs these). The suite
-- logs in over HTTP first and passes the cookie value it received:
--
--   conformance.cookie_value   the value of a live session cookie
--
-- Only columns the connection can read are searched, and only where row
-- level security would not hide the rows from it; when there is no such
-- column the check skips instead of passing. Each search runs through
-- query_to_xml(), the catalog-only way to run a query built from names.
--
-- Why: a table of live tokens is a table of live sessions. Anyone who reads
-- it (a backup, a replica, a support query, an SQL injection elsewhere) can
-- replay every one of them as a cookie. A digest of the token (SHA-256 is
-- enough: the token is random, there is nothing to brute-force) is as good
-- for lookups and worthless to a thief.

with
settings as (select pg_catalog.current_setting('conformance.cookie_value', true) as token),
me as (select r.rolsuper or r.rolbypassrls as bypass from pg_catalog.pg_roles r where r.rolname = current_user),
candidates as (
    select pg_catalog.format('%I.%I.%I', n.nspname, c.relname, a.attname) as subject,
           pg_catalog.format('%I.%I', n.nspname, c.relname) as relation,
           a.attname, a.atttypid = 'pg_catalog.bytea'::pg_catalog.regtype as is_bytea
      from pg_catalog.pg_class c
      join pg_catalog.pg_namespace n on n.oid = c.relnamespace
      join pg_catalog.pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
      join pg_catalog.pg_type t on t.oid = a.atttypid
     where c.relkind in ('r', 'p')
       and n.nspname not in ('pg_catalog', 'information_schema')
       and n.nspname !~ '^pg_(toast|temp_)'
       and (c.relname ~* 'session' or a.attname ~* 'token|session')
       and (t.typcategory = 'S' or a.atttypid = 'pg_catalog.bytea'::pg_catalog.regtype)
       and not exists (select 1 from pg_catalog.pg_depend d
                        where d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass
                          and d.objid = c.oid and d.deptype = 'e')
       and pg_catalog.has_column_privilege(c.oid, a.attnum, 'SELECT')
       and (not c.relrowsecurity
            or (select bypass from me)
            or (pg_catalog.pg_has_role(c.relowner, 'USAGE') and not c.relforcerowsecurity))
),
searched as (
    select c.subject,
           pg_catalog.query_to_xml(
               case when c.is_bytea
                    -- position(string, substring): the function form of SQL's position(substring IN string),
                    -- which cannot be schema-qualified.
                    then pg_catalog.format('select 1 from %s where pg_catalog.position(%I, pg_catalog.convert_to(%L, ''UTF8'')) > 0 limit 1',
                                           c.relation, c.attname, s.token)
                    else pg_catalog.format('select 1 from %s where pg_catalog.strpos(%I::text, %L) > 0 limit 1',
                                           c.relation, c.attname, s.token) end,
               false, true, '')::text <> '' as found
      from candidates c, settings s
     where s.token is not null and s.token <> ''
),
findings as (
    select subject, not found as ok,
           pg_catalog.format('the session cookie value is not stored in clear in %s', subject) as description,
           pg_catalog.format('%s holds the session cookie value just issued, in clear: store a digest instead (encode(sha256(convert_to(token, ''UTF8'')), ''hex'')) and look sessions up by it',
                             subject) as diagnostic
      from searched
),
skip (reason) as (
    select 'set conformance.cookie_value to a live session cookie value' from settings where token is null or token = ''
    union all
    select 'no readable table named like "session", nor column named like "token" or "session", where the sessions could be looked for'
      from settings where token <> '' and not exists (select 1 from candidates)
)
-- The suite prints these rows as TAP (suites/support/database-tap.ts, tapOfFindings):
-- an assertion a finding, in this order, or the reason to skip when there is one.
select subject as sort, ok, description, diagnostic, null::text as skip
  from findings where not exists (select 1 from skip)
union all
select null, null, null, null, reason from skip
order by 1;
