-- db-request-settings-local: no function sets the role, a request.* or
-- response.* setting, or a custom setting of its own (such as the user id)
-- session-wide: every set_config call on them passes is_local true, and no
-- function runs SET ROLE without LOCAL.
--
-- A structural check: one read-only catalog query returning findings
-- (README.md here says how the suite runs these). Reads:
--
--   conformance.tests_schema   the deployment's pgTAP test schema (DB_TESTS_SCHEMA),
--                              left out: tests set what they like in a rolled-back transaction
--
-- Why: PostgREST serves many callers on each pooled connection. A setting made
-- session-wide outlives the request that made it, and the next caller on that
-- connection starts with the previous one's role, user id or Set-Cookie. The
-- concurrent property test sees it only when the pool hands the connection over
-- at the right moment; the function's source shows it every time.
--
-- How: the source of every SQL and PL/pgSQL function outside the system
-- schemas, the extensions and the tests schema is cut at each "set_config(";
-- the call's arguments are read up to its closing parenthesis (nested
-- parentheses and quoted strings skipped). A call is judged when its first
-- argument is a literal naming role or a dotted setting; it is session-wide
-- when its third argument is the literal false. A setting named by an
-- expression, or an is_local given by a variable, is not judged.

with recursive
settings as (
    select coalesce(nullif(pg_catalog.current_setting('conformance.tests_schema', true), ''), 'tests') as tests_schema
),
functions as (
    select p.oid, pg_catalog.format('%I.%I(%s)', n.nspname, p.proname, pg_catalog.pg_get_function_identity_arguments(p.oid)) as subject,
           p.prosrc
      from pg_catalog.pg_proc p
      join pg_catalog.pg_namespace n on n.oid = p.pronamespace
      join pg_catalog.pg_language l on l.oid = p.prolang
     where l.lanname in ('sql', 'plpgsql')
       and n.nspname not in ('pg_catalog', 'information_schema')
       and n.nspname !~ '^pg_(toast|temp)'
       and n.nspname <> (select tests_schema from settings)
       and not exists (select 1 from pg_catalog.pg_depend d
                        where d.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass and d.objid = p.oid and d.deptype = 'e')
),
-- The text after each "set_config(" of each function, numbered.
calls as (
    select f.oid, f.subject, s.k, s.chunk
      from functions f,
           pg_catalog.regexp_split_to_table(f.prosrc, '\mset_config\s*\(', 'i') with ordinality as s(chunk, k)
     where s.k > 1
),
-- Walk each call's text a character at a time to its closing parenthesis,
-- noting the commas between its top-level arguments.
walk (oid, k, chunk, pos, depth, quoted, commas, closing) as (
    select oid, k, chunk, 1, 0, false, array[]::int[], null::int from calls
    union all
    select w.oid, w.k, w.chunk, w.pos + 1,
           case when w.quoted then w.depth when c = '(' then w.depth + 1 when c = ')' then w.depth - 1 else w.depth end,
           case when c = '''' then not w.quoted else w.quoted end,
           case when not w.quoted and c = ',' and w.depth = 0 then w.commas || w.pos else w.commas end,
           case when not w.quoted and c = ')' and w.depth = 0 then w.pos end
      from walk w, pg_catalog.substr(w.chunk, w.pos, 1) c
     where w.closing is null and w.pos <= pg_catalog.length(w.chunk) and w.pos <= 4000
),
arguments as (
    select c.subject, c.k,
           pg_catalog.btrim(pg_catalog.substr(w.chunk, 1, w.commas[1] - 1), E' \t\r\n') as name_arg,
           pg_catalog.regexp_replace(pg_catalog.substr(w.chunk, w.commas[2] + 1, w.closing - w.commas[2] - 1), '\s', '', 'g') as local_arg
      from walk w join calls c on c.oid = w.oid and c.k = w.k
     where w.closing is not null and pg_catalog.cardinality(w.commas) = 2
),
judged as (
    select subject, k, pg_catalog.lower(pg_catalog.substr(name_arg, 2, pg_catalog.length(name_arg) - 2)) as setting,
           pg_catalog.lower(local_arg) ~ '^(false|''(f|false|off|no|0)'')(::bool(ean)?)?$' as session_wide
      from arguments
     where name_arg ~ '^''[^'']+''$'
),
findings as (
    select subject || ' ' || pg_catalog.lpad(k::text, 6, '0') as sort,
           not session_wide as ok,
           pg_catalog.format('%s sets %s transaction-local (call %s)', subject, setting, k - 1) as description,
           pg_catalog.format('%s calls set_config(''%s'', ..., false): the setting outlives the transaction and the next request served on this pooled connection starts with it. Fix: pass true as the third argument.',
                             subject, setting) as diagnostic
      from judged
     where setting = 'role' or setting like '%.%'
    union all
    select f.subject || ' set role', false,
           pg_catalog.format('%s does not SET ROLE session-wide', f.subject),
           pg_catalog.format('%s runs SET ROLE without LOCAL: the role outlives the transaction and the next request served on this pooled connection runs as it. Fix: SET LOCAL ROLE, or set_config(''role'', ..., true).', f.subject)
      from functions f
     -- SET ROLE takes a name, never "=" or TO: an UPDATE's "set role = ..." is not it.
     where f.prosrc ~* '\mset\s+(session\s+)?role\s+(?!to\M)[a-z_"'']'
),
skip (reason) as (
    select 'no SQL or PL/pgSQL function outside the system schemas, the extensions and the tests schema sets the role, a request.* or response.* setting or a custom setting by name'
     where not exists (select 1 from findings)
)
-- The suite prints these rows as TAP (suites/support/database-tap.ts, tapOfFindings):
-- an assertion a finding, in this order, or the reason to skip when there is one.
select sort, ok, description, diagnostic, null::text as skip
  from findings where not exists (select 1 from skip)
union all
select null, null, null, null, reason from skip
order by 1;
