-- db-token-csprng: the session token comes from a cryptographically secure
-- random source (pgcrypto's gen_random_bytes, gen_random_uuid), never from
-- random(), the clock or a sequence.
--
-- A structural check: one read-only catalog query printing TAP
-- (README.md here says how the suite runs these). It reads one setting:
--
--   conformance.tests_schema   the deployment's pgTAP test schema (DB_TESTS_SCHEMA),
--                              whose functions insert test sessions by design
--
-- What it judges, found from the catalog alone:
--   * writers: SQL and PL/pgSQL functions (outside the system schemas, the
--     extensions and the tests schema) whose body inserts into a table or
--     view named like "session", or updates such a relation's token column;
--   * for each writer, the functions it calls (three calls deep) and the
--     functions that call it (three calls up, with what those call): the
--     token is made somewhere on that path, as in the reference app, where
--     auth.register calls auth.open_session, which calls auth.new_token;
--   * defaults of the session relations' columns named like "token" (the
--     seed app's token is a column default).
-- A writer passes when its path, or a column default of the session tables,
-- calls gen_random_bytes, gen_random_uuid or uuid_generate_v4, and the code it
-- runs does not turn random(), the clock or a sequence into text or a digest;
-- it fails when that code does, or when no secure source is on its path but a
-- weak one is. A writer with neither (its token comes in as an argument) is
-- not judged. Calls are
-- found by name in the function's definition (comments removed): a heuristic
-- that can only see SQL, so a token made outside the database (by a proxy or
-- a C function) leaves nothing to judge, and the check skips.
--
-- Why: a digest hides how little entropy a token has. The md5 of random()
-- looks like 128 random bits to any statistic taken over HTTP, but random()
-- has a 31-to-48-bit state that a few observed outputs reveal, and a clock or
-- a counter is guessable outright. Only the source shows it.

with recursive
settings as (
    select coalesce(nullif(pg_catalog.current_setting('conformance.tests_schema', true), ''), 'tests') as tests_schema
),
-- Tables and views named like "session", outside the system schemas and extensions.
relations as (
    select c.oid, c.relkind, c.relname, pg_catalog.format('%I.%I', n.nspname, c.relname) as relation
      from pg_catalog.pg_class c
      join pg_catalog.pg_namespace n on n.oid = c.relnamespace
     where c.relkind in ('r', 'p', 'v')
       and c.relname ~* 'session'
       and c.relname ~ '^\w+$'
       and n.nspname not in ('pg_catalog', 'information_schema')
       and n.nspname !~ '^pg_(toast|temp_)'
       and not exists (select 1 from pg_catalog.pg_depend d
                        where d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass
                          and d.objid = c.oid and d.deptype = 'e')
),
-- What counts as a secure source, and as a weak one fed into a token.
patterns (secure, weak_default, weak_code) as (
    select '\m(gen_random_bytes|gen_random_uuid|uuidv4|uuid_generate_v4)\s*\(',
           '\m(random|now|clock_timestamp|statement_timestamp|transaction_timestamp|timeofday|nextval|txid_current|uuid_generate_v1(mc)?)\s*\(|\mextract\s*\(\s*epoch\M|\mcurrent_timestamp\M|\mlocaltimestamp\M',
           -- random(), the clock or a sequence cast to text or bytes, concatenated, or hashed.
           '\m(random|now|clock_timestamp|statement_timestamp|transaction_timestamp|timeofday|nextval|txid_current)\s*\([^;()]*\)[^;,]{0,30}::\s*(text|varchar|character|bytea)\M'
           || '|\m(random|nextval)\s*\([^;()]*\)[^;,]{0,30}\|\||\|\|[^;,]{0,30}\m(random|nextval)\s*\('
           || '|\mextract\s*\(\s*epoch\M[^;]{0,60}\)\s*::\s*(text|varchar|bytea)\M'
           || '|\m(md5|sha224|sha256|sha384|sha512|digest|hmac|to_hex|uuid_generate_v[35])\s*\(([^;()]|\([^;()]*\))*?\m(random|now|clock_timestamp|statement_timestamp|transaction_timestamp|timeofday|nextval|txid_current|current_timestamp|localtimestamp)\M'
           || '|\muuid_generate_v1(mc)?\s*\('
),
-- Defaults of the session relations' token columns.
token_defaults as (
    select pg_catalog.format('the default of %s.%I', r.relation, a.attname) as subject,
           pg_catalog.pg_get_expr(ad.adbin, ad.adrelid) as expr
      from relations r
      join pg_catalog.pg_attribute a on a.attrelid = r.oid and a.attnum > 0 and not a.attisdropped
      join pg_catalog.pg_attrdef ad on ad.adrelid = r.oid and ad.adnum = a.attnum
     where a.attname ~* 'token'
),
-- Every SQL and PL/pgSQL function that might write sessions, with its definition minus comments.
code as (
    select p.oid, p.proname, n.nspname,
           pg_catalog.format('%I.%I(%s)', n.nspname, p.proname, pg_catalog.pg_get_function_identity_arguments(p.oid)) as subject,
           -- The body as written; a BEGIN ATOMIC body (no prosrc) as PostgreSQL prints it back.
           pg_catalog.regexp_replace(pg_catalog.regexp_replace(
               case when p.prosrc ~ '\S' then p.prosrc else pg_catalog.pg_get_functiondef(p.oid) end,
               '/\*.*?\*/', ' ', 'g'), '--[^\n]*', ' ', 'g') as body
      from pg_catalog.pg_proc p
      join pg_catalog.pg_namespace n on n.oid = p.pronamespace
      join pg_catalog.pg_language l on l.oid = p.prolang
     where p.prokind in ('f', 'p')
       and l.lanname in ('sql', 'plpgsql')
       and p.proname ~ '^\w+$' and n.nspname ~ '^\w+$'
       and n.nspname not in ('pg_catalog', 'information_schema')
       and n.nspname !~ '^pg_(toast|temp_)'
       and n.nspname <> (select tests_schema from settings)
       and not exists (select 1 from pg_catalog.pg_depend d
                        where d.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass
                          and d.objid = p.oid and d.deptype = 'e')
),
writers as (
    select f.oid, f.subject, pg_catalog.string_agg(distinct r.relation, ', ') as relations
      from code f
      join relations r
        on f.body ~* ('\minsert\s+into\s+("?\w+"?\s*\.\s*)?"?' || r.relname || '"?[\s(]')
        or f.body ~* ('\mupdate\s+(only\s+)?("?\w+"?\s*\.\s*)?"?' || r.relname || '"?(\s+(as\s+)?\w+)?\s+set\s+([^;]*?,\s*)?("?\w+"?\.)?"?\w*token\w*"?\s*=')
     group by f.oid, f.subject
),
-- Who calls whom, by name (names that are not plain words are not followed).
calls as (
    select a.oid as caller, b.oid as callee
      from code a join code b on a.oid <> b.oid
     -- Called unqualified, or qualified with its own schema.
     where a.body ~* ('(^|[^.\w"])"?' || b.proname || '"?\s*\(')
        or a.body ~* ('\m"?' || b.nspname || '"?\s*\.\s*"?' || b.proname || '"?\s*\(')
),
below (writer, oid, depth) as (
    select oid, oid, 0 from writers
    union
    select b.writer, c.callee, b.depth + 1 from below b join calls c on c.caller = b.oid where b.depth < 3
),
above (writer, oid, depth) as (
    select oid, oid, 0 from writers
    union
    select a.writer, c.caller, a.depth + 1 from above a join calls c on c.callee = a.oid where a.depth < 3
),
-- The path a token may come from: what the writer runs, and what its callers run.
path (writer, oid) as (
    select writer, oid from below
    union
    select a.writer, c.callee from above a join calls c on c.caller = a.oid
    union
    select writer, oid from above
),
judged as (
    select w.subject, w.relations,
           exists (select 1 from path p join code f on f.oid = p.oid, patterns
                    where p.writer = w.oid and f.body ~* patterns.secure)
           or exists (select 1 from token_defaults d, patterns where d.expr ~* patterns.secure) as secure,
           (select pg_catalog.string_agg(distinct f.subject, ', ')
              from below b join code f on f.oid = b.oid, patterns
             where b.writer = w.oid and f.body ~* patterns.weak_code) as weak_in
      from writers w
),
findings as (
    select subject, secure and weak_in is null as ok,
           pg_catalog.format('the session token written by %s comes from a CSPRNG', subject) as description,
           case when weak_in is not null
                then pg_catalog.format('%s makes a token from random(), the clock or a sequence (in %s): these are guessable; make it from pgcrypto: encode(gen_random_bytes(32), ''base64'') or gen_random_uuid()',
                                       subject, weak_in)
                else pg_catalog.format('%s writes %s, but neither it, what it calls, what calls it nor a column default calls gen_random_bytes or gen_random_uuid: make the token from pgcrypto, e.g. encode(gen_random_bytes(32), ''base64'')',
                                       subject, relations) end as diagnostic
      from judged
     -- A writer whose path shows neither kind of source (the token comes in as an argument, made
     -- outside SQL) says nothing: it is left unjudged, never failed on a guess.
     where secure or weak_in is not null
    union all
    select d.subject, d.expr ~* p.secure,
           pg_catalog.format('%s, a session token, comes from a CSPRNG', d.subject),
           pg_catalog.format('%s is %s: guessable; use pgcrypto, e.g. encode(gen_random_bytes(32), ''base64'')', d.subject, d.expr)
      from token_defaults d, patterns p
     where d.expr ~* p.secure or d.expr ~* p.weak_default
),
skip (reason) as (
    select 'no table or view named like "session" outside the system schemas: the sessions could not be found'
     where not exists (select 1 from relations)
    union all
    select 'no SQL or PL/pgSQL function inserts into ' || (select pg_catalog.string_agg(relation, ', ') from relations)
           || ' with a token it makes in SQL, and no token column default makes a token: the token''s source cannot be judged from the catalog'
     where exists (select 1 from relations) and not exists (select 1 from findings)
)
-- The suite prints these rows as TAP (suites/support/database-tap.ts, tapOfFindings):
-- an assertion a finding, in this order, or the reason to skip when there is one.
select subject as sort, ok, description, diagnostic, null::text as skip
  from findings where not exists (select 1 from skip)
union all
select null, null, null, null, reason from skip
order by 1;
