-- 00-roles.sql -- the cast of database roles
--
-- Roles belong to the whole PostgreSQL cluster, not to one database. The
-- conformance stack loads this application into many databases of the same
-- cluster, so every statement here must be safe to run again and again:
-- each role is created only when pg_roles does not know it yet, and GRANT of
-- a role membership that already exists is merely a notice, not an error.
--
-- Nothing in this file depends on objects inside a database, which is why it
-- runs first. Object privileges (schemas, tables, functions) are granted in
-- the later files, next to the objects they protect.
--
-- The five roles and why each exists:
--
--   authenticator  The only role that can log in. PostgREST connects as this
--                  role and, for every request, switches (SET LOCAL ROLE) to
--                  anonymous and, once the session cookie has been checked,
--                  to webuser. NOINHERIT matters: authenticator is a member of
--                  both roles but must not enjoy their privileges by merely
--                  being connected; it only gets them after an explicit switch.
--                  It must never be a superuser: a superuser ignores row level
--                  security and every GRANT in this application.
--
--   anonymous      What every request is before a valid session is found. It
--                  may only register, log in, and run the pre-request hook.
--
--   webuser        What a request becomes when it carries a live session
--                  cookie. All signed-in users share this one database role;
--                  which user it is travels in the transaction-local setting
--                  auth.user_id and row level security does the rest.
--
--   auth           Owner of the auth schema and of the SECURITY DEFINER
--                  functions that handle passwords and session tokens. Keeping
--                  them under a dedicated, non-login, non-superuser owner means
--                  a bug in one of them can reach only what auth was granted.
--
--   api            Owner of the api schema (the only schema PostgREST exposes)
--                  and of its views and functions, for the same reason.

begin;

do $roles$
declare
    r record;
begin
    for r in
        select * from (values
            ('authenticator', true,  false, 'login noinherit nosuperuser nocreatedb nocreaterole noreplication nobypassrls'),
            ('anonymous',     false, true,  'nologin inherit nosuperuser nocreatedb nocreaterole noreplication nobypassrls'),
            ('webuser',       false, true,  'nologin inherit nosuperuser nocreatedb nocreaterole noreplication nobypassrls'),
            ('auth',          false, true,  'nologin inherit nosuperuser nocreatedb nocreaterole noreplication nobypassrls'),
            ('api',           false, true,  'nologin inherit nosuperuser nocreatedb nocreaterole noreplication nobypassrls')
        ) as t(name, can_login, inherits, options)
    loop
        if not exists (select 1 from pg_catalog.pg_roles where rolname = r.name) then
            begin
                execute pg_catalog.format('create role %I %s', r.name, r.options);
            exception when duplicate_object or unique_violation then
                -- Another database of the cluster is loading this file at the
                -- same moment and won the race. The role exists now; fine.
                null;
            end;
        elsif exists (
            select 1 from pg_catalog.pg_roles
             where rolname = r.name
               and (rolsuper or rolbypassrls or rolcanlogin <> r.can_login
                    or rolinherit <> r.inherits))
        then
            -- The role exists but with attributes this application's security
            -- rests on set differently (say, someone made authenticator a
            -- superuser). Put them back. We only ALTER when something differs,
            -- so parallel loads do not fight over the same catalog row, and we
            -- never touch passwords: those are the deployment's business.
            execute pg_catalog.format('alter role %I %s', r.name, r.options);
        end if;
    end loop;

    -- PostgREST may only switch to these two roles. Membership is what makes
    -- SET ROLE possible; NOINHERIT on authenticator keeps it from being more.
    -- Checked first (and race-tolerant) so that a reload stays quiet.
    for r in select unnest(array['anonymous', 'webuser']) as name loop
        if not pg_catalog.pg_has_role('authenticator', r.name, 'member') then
            begin
                execute pg_catalog.format('grant %I to authenticator', r.name);
            exception when duplicate_object or unique_violation then
                null;
            end;
        end if;
    end loop;
end
$roles$;

commit;
