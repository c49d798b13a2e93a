-- db-policies-name-caller: on every table the API reaches that has an owner
-- column, every permissive policy for a role that requests run as refers to
-- the caller, or at least filters on a column other than the owner columns.
--
-- A structural check: one read-only catalog query returning findings
-- (README.md here says how the suite runs these). Reads:
--
--   conformance.exposed_schemas       PostgREST's db-schemas, comma-separated (DB_SCHEMAS)
--   conformance.anon_role             PostgREST's db-anon-role (DB_ANON_ROLE)
--   conformance.authenticator_role    the role in PostgREST's db-uri (DB_AUTHENTICATOR_ROLE)
--
-- Why: permissive policies are OR-ed, so one USING (true) -- left from a
-- prototype, or added for an admin screen -- opens every user's rows to every
-- other user of the role, however carefully the other policies compare the
-- owner column with the caller.
--
-- What counts:
--   * request roles: the anonymous role and every role the connecting role
--     can SET ROLE to (memberships, followed transitively); a policy applies
--     to them when it is for PUBLIC or for a role whose privileges they have;
--   * the caller: current_setting, current_user, session_user, current_role,
--     or a function whose source reads one of them, directly or through other
--     functions (app.current_user_id(), auth.uid() and the like);
--   * owner columns: a column whose default refers to the caller, or one named
--     user, user_id, owner, owner_id, account_id, author_id, creator_id,
--     created_by or owned_by, unless it is by itself the table's primary key
--     (the users table's own id is not an owner column);
--   * a policy that filters on another column (USING (public)) states which
--     rows everyone may see, and is not judged wrong here.

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
-- The roles a request can run as.
request_roles (oid) as (
    select r.oid from pg_catalog.pg_roles r, settings s where r.rolname = s.anon
    union
    select m.roleid from pg_catalog.pg_auth_members m join pg_catalog.pg_roles a on a.oid = m.member, settings s
     where a.rolname = s.authenticator
    union
    select m.roleid from pg_catalog.pg_auth_members m join request_roles r on m.member = r.oid
),
-- Every relation reachable from the API: the exposed ones, then what their view rules read.
reach (relid, depth) as (
    select c.oid, 0
      from pg_catalog.pg_class c join exposed n on n.oid = c.relnamespace
     where c.relkind in ('r', 'p', 'v', 'm')
    union
    select d.refobjid, r.depth + 1
      from reach r
      join pg_catalog.pg_rewrite w on w.ev_class = r.relid
      join pg_catalog.pg_depend d on d.classid = 'pg_catalog.pg_rewrite'::pg_catalog.regclass
                                 and d.objid = w.oid
                                 and d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass
                                 and d.refobjid <> r.relid
     where r.depth < 32
),
caller_pattern (re) as (values ('\m(current_setting|current_user|session_user|current_role)\M')),
-- Functions that read the caller, directly or through other functions.
user_functions as (
    select p.oid, p.proname, p.prosrc
      from pg_catalog.pg_proc p join pg_catalog.pg_namespace n on n.oid = p.pronamespace
     where n.nspname not in ('pg_catalog', 'information_schema') and n.nspname !~ '^pg_toast'
),
caller_functions (oid, proname) as (
    select f.oid, f.proname from user_functions f, caller_pattern c where f.prosrc ~* c.re
    union
    select f.oid, f.proname
      from user_functions f join caller_functions k on f.prosrc ~* ('\m' || pg_catalog.regexp_replace(k.proname, '(\W)', '\\\1', 'g') || '\s*\(')
),
tables as (
    select distinct c.oid, pg_catalog.format('%I.%I', n.nspname, c.relname) as subject
      from reach r
      join pg_catalog.pg_class c on c.oid = r.relid
      join pg_catalog.pg_namespace n on n.oid = c.relnamespace
     where c.relkind in ('r', 'p') and c.relrowsecurity
),
columns as (
    select a.attrelid, a.attname,
           (pg_catalog.pg_get_expr(ad.adbin, ad.adrelid) ~* (select re from caller_pattern)
            or exists (select 1 from caller_functions k
                        where pg_catalog.pg_get_expr(ad.adbin, ad.adrelid) ~* ('\m' || pg_catalog.regexp_replace(k.proname, '(\W)', '\\\1', 'g') || '\s*\(')))
           or (a.attname ~* '^(user|user_?id|owner|owner_?id|account_?id|author_?id|creator_?id|created_?by|owned_?by)$'
               and not exists (select 1 from pg_catalog.pg_constraint pk
                                where pk.conrelid = a.attrelid and pk.contype = 'p' and pk.conkey = array[a.attnum]))
           as owner
      from tables t
      join pg_catalog.pg_attribute a on a.attrelid = t.oid and a.attnum > 0 and not a.attisdropped
      left join pg_catalog.pg_attrdef ad on ad.adrelid = a.attrelid and ad.adnum = a.attnum
),
policies as (
    select t.subject, p.oid, p.polname, p.polrelid, p.polcmd,
           -- the expression that chooses rows: WITH CHECK for INSERT, USING otherwise (WITH CHECK when an UPDATE has none)
           case when p.polcmd = 'a' then pg_catalog.pg_get_expr(p.polwithcheck, p.polrelid)
                else coalesce(pg_catalog.pg_get_expr(p.polqual, p.polrelid), pg_catalog.pg_get_expr(p.polwithcheck, p.polrelid)) end as expr,
           (select pg_catalog.string_agg(case when r = 0 then 'public' else pg_catalog.quote_ident(pg_catalog.pg_get_userbyid(r)) end, ', ')
              from pg_catalog.unnest(p.polroles) r) as roles
      from pg_catalog.pg_policy p
      join tables t on t.oid = p.polrelid
     where p.polpermissive
       and exists (select 1 from columns c where c.attrelid = p.polrelid and c.owner)
       and exists (select 1 from pg_catalog.unnest(p.polroles) r, request_roles q
                    where r = 0 or pg_catalog.pg_has_role(q.oid, r, 'USAGE'))
),
judged as (
    select p.*,
           p.expr ~* (select re from caller_pattern)
           or exists (select 1 from pg_catalog.pg_depend d join caller_functions k on k.oid = d.refobjid
                       where d.classid = 'pg_catalog.pg_policy'::pg_catalog.regclass and d.objid = p.oid
                         and d.refclassid = 'pg_catalog.pg_proc'::pg_catalog.regclass) as names_caller,
           exists (select 1 from columns c
                    where c.attrelid = p.polrelid and not c.owner
                      and p.expr ~ ('(^|[^A-Za-z0-9_$"])' || pg_catalog.regexp_replace(pg_catalog.quote_ident(c.attname), '(\W)', '\\\1', 'g') || '($|[^A-Za-z0-9_$"])')) as filters,
           (select pg_catalog.string_agg(pg_catalog.quote_ident(c.attname), ', ') from columns c
             where c.attrelid = p.polrelid and c.owner) as owner_columns
      from policies p
),
findings as (
    select subject || ' ' || polname as sort,
           names_caller or filters as ok,
           pg_catalog.format('policy %I on %s refers to the caller or filters on more than the owner', polname, subject) as description,
           pg_catalog.format('policy %I on %s (%s, to %s) lets rows through by %s, which never refers to the caller nor filters on a column other than the owner column (%s): every user of those roles passes it, and permissive policies are OR-ed. Fix: alter policy %I on %s using (%s = <the caller''s id>), or drop it.',
                             polname, subject,
                             case polcmd when 'r' then 'for select' when 'a' then 'for insert' when 'w' then 'for update' when 'd' then 'for delete' else 'for all' end,
                             roles, coalesce(expr, '(no expression)'), owner_columns,
                             polname, subject, pg_catalog.split_part(owner_columns, ', ', 1)) as diagnostic
      from judged
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
    select pg_catalog.format('no permissive policy for a request role on a table with an owner column is reachable from %s', schemas)
      from settings where not exists (select 1 from findings)
)
-- The suite prints these rows as TAP (suites/support/database-tap.ts, tapOfFindings):
-- an assertion a finding, in this order, or the reason to skip when there is one.
select sort, ok, description, diagnostic, null::text as skip
  from findings where not exists (select 1 from skip)
union all
select null, null, null, null, reason from skip
order by 1;
