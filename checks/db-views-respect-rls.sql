-- db-views-respect-rls: no view reachable from an exposed schema runs its
-- query as a role that row level security does not apply to: every such view
-- is security_invoker, or its owner is neither a superuser, nor BYPASSRLS,
-- nor the owner of a table it reads whose RLS is not forced. Materialized
-- views are filled by their owner, so the same rule applies to their owner.
--
-- A structural check: one read-only catalog query printing TAP
-- (README.md here says how the suite runs these). Reads:
--
--   conformance.exposed_schemas   PostgREST's db-schemas, comma-separated (DB_SCHEMAS)
--
-- Why: an ordinary view reads its tables with its OWNER's privileges, and
-- RLS then judges the owner, not the role of the request. A view created by
-- a superuser (the usual migration role) hands every row to every user, and
-- nothing over HTTP looks wrong until someone asks for another user's data.

with recursive
exposed as (
    select n.oid, n.nspname
      from pg_catalog.pg_namespace n
     where n.nspname = any (
               select pg_catalog.btrim(s)
                 from pg_catalog.unnest(pg_catalog.string_to_array(
                          pg_catalog.current_setting('conformance.exposed_schemas', true), ',')) s)
),
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
views as (
    select distinct on (c.oid)
           c.oid, c.relkind, c.relowner, r.via,
           pg_catalog.format('%I.%I', n.nspname, c.relname) as subject,
           c.relkind = 'v' and exists (
               select 1 from pg_catalog.unnest(c.reloptions) o
                where pg_catalog.lower(o) ~ '^security_invoker=(true|on|yes|1)$') as invoker
      from reach r
      join pg_catalog.pg_class c on c.oid = r.relid
      join pg_catalog.pg_namespace n on n.oid = c.relnamespace
     where c.relkind in ('v', 'm')
     order by c.oid, r.depth
),
judged as (
    select v.*, o.rolname as owner, o.rolsuper as super, o.rolbypassrls as bypass,
           (select pg_catalog.string_agg(distinct pg_catalog.format('%I.%I', tn.nspname, t.relname), ', ')
              from pg_catalog.pg_rewrite w
              join pg_catalog.pg_depend d on d.classid = 'pg_catalog.pg_rewrite'::pg_catalog.regclass
                                         and d.objid = w.oid
                                         and d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass
              join pg_catalog.pg_class t on t.oid = d.refobjid
              join pg_catalog.pg_namespace tn on tn.oid = t.relnamespace
             where w.ev_class = v.oid
               and t.relkind in ('r', 'p')
               and t.relrowsecurity and not t.relforcerowsecurity
               and pg_catalog.pg_has_role(v.relowner, t.relowner, 'USAGE')) as owns_unforced
      from views v
      join pg_catalog.pg_roles o on o.oid = v.relowner
),
findings as (
    select subject,
           invoker or not (super or bypass or owns_unforced is not null) as ok,
           pg_catalog.format('%s %s applies row level security to the requesting role',
                             case relkind when 'm' then 'materialized view' else 'view' end, subject) as description,
           pg_catalog.format('%s%s runs its query as its owner %s, %s%s: row level security is not applied to the role of the request. %s',
                             subject, case when via <> subject then ' (reached through ' || via || ')' else '' end,
                             pg_catalog.quote_ident(owner),
                             case when super then 'a superuser'
                                  when bypass then 'a BYPASSRLS role'
                                  else 'the owner of ' || owns_unforced || ' (RLS not forced)' end,
                             case relkind when 'v' then ', and it is not security_invoker' else '' end,
                             case relkind
                                  when 'v' then pg_catalog.format('Fix: alter view %s set (security_invoker = true), or give it an owner that RLS applies to.', subject)
                                  else 'Fix: give it an owner that RLS applies to, or do not expose it.' end) as diagnostic
      from judged
    union all
    -- Nothing to judge is still an answer when the schemas exist: no view, no bypass.
    select '', true, pg_catalog.format('no view is reachable from the exposed schemas (%s)',
                                        pg_catalog.current_setting('conformance.exposed_schemas', true)), ''
     where exists (select 1 from exposed) and not exists (select 1 from views)
),
skip (reason) as (
    select 'set conformance.exposed_schemas (DB_SCHEMAS) to PostgREST''s db-schemas'
     where pg_catalog.current_setting('conformance.exposed_schemas', true) is null
    union all
    select pg_catalog.format('none of the exposed schemas (%s) exists in this database: set DB_SCHEMAS to PostgREST''s db-schemas',
                             pg_catalog.current_setting('conformance.exposed_schemas', true))
     where pg_catalog.current_setting('conformance.exposed_schemas', true) is not null
       and not exists (select 1 from exposed)
)
-- The suite prints these rows as TAP (suites/support/database-tap.ts, tapOfFindings):
-- an assertion a finding, in this order, or the reason to skip when there is one.
select subject as sort, ok, description, diagnostic, null::text as skip
  from findings where not exists (select 1 from skip)
union all
select null, null, null, null, reason from skip
order by 1;
