-- db-definer-search-path: every SECURITY DEFINER function pins its
-- search_path (a SET search_path clause), outside the system schemas and
-- extensions.
--
-- A structural check: one read-only catalog query printing TAP
-- (README.md here says how the suite runs these). It reads no
-- setting: the whole database is in scope, because a definer function
-- anywhere can be called from the API's functions, policies and triggers.
--
-- Why: a SECURITY DEFINER function runs with its owner's privileges but,
-- unless it pins search_path, resolves unqualified names (tables, functions,
-- even operators) through the CALLER's search_path. A caller who can create
-- objects in a schema on that path plants a look-alike and has it run with
-- the owner's rights (the CVE-2018-1058 class). pg_catalog is searched first
-- implicitly, which is why an empty search_path plus schema-qualified names
-- is the safe pattern.

with definers as (
    select pg_catalog.format('%I.%I(%s)', n.nspname, p.proname, pg_catalog.pg_get_function_identity_arguments(p.oid)) as subject,
           exists (select 1 from pg_catalog.unnest(p.proconfig) c where c like 'search\_path=%') as ok,
           o.rolname as owner
      from pg_catalog.pg_proc p
      join pg_catalog.pg_namespace n on n.oid = p.pronamespace
      join pg_catalog.pg_roles o on o.oid = p.proowner
     where p.prosecdef
       and n.nspname not in ('pg_catalog', 'information_schema')
       and n.nspname !~ '^pg_(toast|temp_)'
       and not exists (select 1 from pg_catalog.pg_depend d
                        where d.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass
                          and d.objid = p.oid and d.deptype = 'e')
),
findings as (
    select subject, ok,
           pg_catalog.format('SECURITY DEFINER function %s pins search_path', subject) as description,
           pg_catalog.format('%s runs with the privileges of %s but resolves names through the caller''s search_path: alter function %s set search_path = '''' (and qualify every name in its body)',
                             subject, pg_catalog.quote_ident(owner), subject) as diagnostic
      from definers
    union all
    select '', true, 'there is no SECURITY DEFINER function outside the system schemas and extensions', ''
     where not exists (select 1 from definers)
)
-- The suite prints these rows as TAP (suites/support/database-tap.ts, tapOfFindings):
-- an assertion a finding, in this order, or the reason to skip when there is one.
select subject as sort, ok, description, diagnostic, null::text as skip
  from findings
order by 1;
