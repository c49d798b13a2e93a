-- 10-app.sql -- the application data: users and their todos
--
-- The app schema holds the tables. It is never exposed by PostgREST; clients
-- only ever see it through the views and functions of the api schema
-- (30-api.sql). Who may see which row is decided here, in one place, by row
-- level security (RLS), so that every path to the data -- views, functions,
-- a future second API -- goes through the same rules.
--
-- The tables are owned by the role that loads this file (a superuser in the
-- conformance stack). Note that superusers and roles with BYPASSRLS skip RLS
-- entirely; that is why none of the roles PostgREST can switch to is either.

begin;

-- Extensions live in their own schema, `extensions`, instead of `public`.
-- Every SECURITY DEFINER function in this application runs with an empty
-- search_path and names everything it calls by schema, so a dedicated schema
-- makes those names unambiguous and keeps helper functions out of the schema
-- that every role can see by default.
create schema if not exists extensions;
create extension if not exists pgcrypto with schema extensions;
create extension if not exists citext   with schema extensions;

do $check$
begin
    -- CREATE EXTENSION IF NOT EXISTS does nothing when the extension is
    -- already installed -- possibly in another schema. Every function below
    -- says extensions.crypt(...), so fail loudly now rather than at the
    -- first login.
    if exists (select 1
                 from pg_catalog.pg_extension e
                 join pg_catalog.pg_namespace n on n.oid = e.extnamespace
                where e.extname in ('pgcrypto', 'citext')
                  and n.nspname <> 'extensions') then
        raise exception 'pgcrypto and citext must be installed in schema "extensions"'
            using hint = 'alter extension pgcrypto set schema extensions; alter extension citext set schema extensions;';
    end if;
end
$check$;

create schema if not exists app;

-- Default privileges: PostgreSQL lets PUBLIC execute every new function. In
-- this application every EXECUTE is granted explicitly, next to the function,
-- so each file revokes the blanket grant for its schemas at its end.

------------------------------------------------------------------------------
-- Configuration
--
-- Everything a deployment may want to tune is a custom setting in the
-- "sessions." namespace, so it can be changed without editing SQL:
--
--   postgres -c sessions.bcrypt_cost=4              (how the test stack does it)
--   alter database app set sessions.idle_seconds = 600;   (a deployment)
--
--   sessions.cookie_name       name of the cookie         default session_token
--   sessions.idle_seconds      idle timeout               default 900 (15 min)
--   sessions.absolute_seconds  absolute session lifetime  default 28800 (8 h)
--   sessions.bcrypt_cost       bcrypt work factor         default 12
--   sessions.allowed_origins   other origins whose pages  default none (only the
--                              may use the session        deployment's own; see
--                              (comma-separated)          auth.origin_allowed)
--
-- current_setting(name, true) returns NULL when the setting was never defined
-- and '' when it was defined and later reset, so both mean "use the default".
-- These readers are the only place that knows the names and the defaults.
------------------------------------------------------------------------------

create or replace function app.setting(name text, fallback text)
returns text
language sql
stable
set search_path = ''
as $$
    select coalesce(nullif(pg_catalog.current_setting(name, true), ''), fallback);
$$;

-- An integer setting with bounds. A value that is not an integer or is out of
-- range is a deployment mistake; we refuse to guess and raise an error
-- instead of silently falling back to something weaker.
create or replace function app.int_setting(name text, fallback integer, min_value integer, max_value integer)
returns integer
language plpgsql
stable
set search_path = ''
as $$
declare
    raw text := app.setting(name, fallback::text);
    val integer;
begin
    if raw !~ '^\s*[0-9]{1,9}\s*$' then
        raise exception 'setting % must be an integer, got "%"', name, raw
            using errcode = 'invalid_parameter_value';
    end if;
    val := raw::integer;
    if val < min_value or val > max_value then
        raise exception 'setting % must be between % and %, got %', name, min_value, max_value, val
            using errcode = 'invalid_parameter_value';
    end if;
    return val;
end
$$;

create or replace function app.cookie_name()
returns text
language plpgsql
stable
set search_path = ''
as $$
declare
    v text := app.setting('sessions.cookie_name', 'session_token');
begin
    -- The name is pasted into a Set-Cookie header, so it must be an RFC 6265
    -- "token": no spaces, separators, quotes or control characters. A name
    -- such as __Host-session is allowed and is a good idea in production (the
    -- browser then insists on Secure, Path=/ and no Domain, which is exactly
    -- what this application sends).
    if v !~ '^[A-Za-z0-9!#$%&''*+.^_`|~-]{1,64}$' then
        raise exception 'setting sessions.cookie_name is not a valid cookie name: "%"', v
            using errcode = 'invalid_parameter_value';
    end if;
    return v;
end
$$;

create or replace function app.idle_seconds()
returns integer language sql stable set search_path = ''
as $$ select app.int_setting('sessions.idle_seconds', 900, 1, 31536000) $$;

create or replace function app.absolute_seconds()
returns integer language sql stable set search_path = ''
as $$ select app.int_setting('sessions.absolute_seconds', 28800, 1, 31536000) $$;

-- pgcrypto accepts bcrypt costs from 4 to 31. Production should use at least
-- 10 (the default here is 12); the conformance stack uses 4 so that the test
-- suite is not dominated by hashing time.
create or replace function app.bcrypt_cost()
returns integer language sql stable set search_path = ''
as $$ select app.int_setting('sessions.bcrypt_cost', 12, 4, 31) $$;

------------------------------------------------------------------------------
-- Who is asking?
--
-- The pre-request hook (auth.authenticate, 20-auth.sql) stores the id of the
-- signed-in user in the transaction-local setting auth.user_id. Everything
-- else -- column defaults, RLS policies, api.current_user -- asks this one
-- function. An absent or empty setting means "nobody" (NULL), and NULL never
-- equals any user_id, so a policy comparing with it matches no rows.
------------------------------------------------------------------------------

create or replace function app.current_user_id()
returns bigint
language sql
stable
set search_path = ''
as $$
    select nullif(pg_catalog.current_setting('auth.user_id', true), '')::bigint;
$$;

------------------------------------------------------------------------------
-- Users
------------------------------------------------------------------------------

create table if not exists app.users (
    user_id  bigint generated always as identity primary key,
    -- citext: Alice@Example.com and alice@example.com are the same account,
    -- both for the unique constraint and for the lookup at login.
    -- At most 254 characters, the longest address SMTP carries (RFC 5321).
    -- The limit also keeps an oversized address a client error: without it
    -- the unique index, whose entries cannot exceed about 2.7 kB, refuses the
    -- row with a program-limit error that PostgREST answers with a 500.
    email    extensions.citext not null unique
             check (pg_catalog.length(email::text) <= 254
                    and email::text ~ '^[^@[:space:]]+@[^@[:space:]]+$'),
    name     text not null check (pg_catalog.length(name) between 1 and 200),
    -- Never the password itself: the trigger below replaces it with a bcrypt
    -- hash before the row is stored.
    password text not null
);

-- Hash on the way in. Doing it in a trigger rather than in the register
-- function means no code path (a later "change password" function, a manual
-- INSERT by an operator) can store a clear-text password by forgetting to.
create or replace function app.hash_password()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
    if tg_op = 'INSERT' or new.password is distinct from old.password then
        if new.password is null or pg_catalog.length(new.password) = 0 then
            raise exception 'password must not be empty' using errcode = 'check_violation';
        end if;
        -- bcrypt only looks at the first 72 bytes; reject longer input rather
        -- than let two different long passwords share a hash.
        if pg_catalog.octet_length(new.password) > 72 then
            raise exception 'password must be at most 72 bytes' using errcode = 'check_violation';
        end if;
        new.password := extensions.crypt(new.password, extensions.gen_salt('bf', app.bcrypt_cost()));
    end if;
    return new;
end
$$;

drop trigger if exists hash_password on app.users;
create trigger hash_password
    before insert or update of password on app.users
    for each row execute function app.hash_password();

------------------------------------------------------------------------------
-- Todos
------------------------------------------------------------------------------

create table if not exists app.todos (
    todo_id     bigint generated always as identity primary key,
    -- The default makes "insert a todo" mean "insert MY todo": clients need
    -- not (and usually should not) send user_id at all.
    user_id     bigint not null default app.current_user_id()
                references app.users (user_id) on delete cascade,
    description text not null,
    public      boolean not null default false,
    done        boolean not null default false,
    created     timestamptz not null default pg_catalog.clock_timestamp()
);

create index if not exists todos_user_id_idx on app.todos (user_id);

------------------------------------------------------------------------------
-- Row level security
--
-- ENABLE turns RLS on for everyone except the table owner, superusers and
-- BYPASSRLS roles; FORCE extends it to the owner too, so that handing the
-- tables to a non-superuser owner later does not silently open them. With
-- RLS on and no matching policy, a role sees nothing: policies only ever
-- add access.
------------------------------------------------------------------------------

alter table app.users enable row level security;
alter table app.users force row level security;
alter table app.todos enable row level security;
alter table app.todos force row level security;

-- users --------------------------------------------------------------------

-- Signed-in users may see every user, but column privileges (30-api.sql:
-- GRANT SELECT (user_id, name)) restrict what they see to the public profile:
-- RLS chooses rows, GRANT chooses columns.
drop policy if exists users_webuser_select on app.users;
create policy users_webuser_select on app.users
    for select to webuser
    using (true);

-- The auth role (owner of the login/register functions) must find any user
-- by email to check a password, and must create users at registration.
drop policy if exists users_auth_select on app.users;
create policy users_auth_select on app.users
    for select to auth
    using (true);

drop policy if exists users_auth_insert on app.users;
create policy users_auth_insert on app.users
    for insert to auth
    with check (true);

-- ... and may change a password, only the signed-in caller's own
-- (auth.change_password checks the old one first).
drop policy if exists users_auth_update on app.users;
create policy users_auth_update on app.users
    for update to auth
    using (user_id = app.current_user_id())
    with check (user_id = app.current_user_id());

-- The api role owns api.current_user, which shows the caller their own
-- e-mail address. Even that SECURITY DEFINER function can only ever read the
-- row of the user the request was authenticated as.
drop policy if exists users_api_self on app.users;
create policy users_api_self on app.users
    for select to api
    using (user_id = app.current_user_id());

-- todos --------------------------------------------------------------------

-- Read: my todos and everybody's public ones.
drop policy if exists todos_select on app.todos;
create policy todos_select on app.todos
    for select to webuser
    using (user_id = app.current_user_id() or public);

-- Write: only my own. WITH CHECK stops me from creating a todo in someone
-- else's name or moving one of mine to them; USING stops me from touching
-- theirs at all (an UPDATE or DELETE of their row simply matches 0 rows).
drop policy if exists todos_insert on app.todos;
create policy todos_insert on app.todos
    for insert to webuser
    with check (user_id = app.current_user_id());

drop policy if exists todos_update on app.todos;
create policy todos_update on app.todos
    for update to webuser
    using (user_id = app.current_user_id())
    with check (user_id = app.current_user_id());

drop policy if exists todos_delete on app.todos;
create policy todos_delete on app.todos
    for delete to webuser
    using (user_id = app.current_user_id());

------------------------------------------------------------------------------
-- Privileges
------------------------------------------------------------------------------

revoke all on schema app from public;
revoke execute on all functions in schema app from public;
revoke all on schema extensions from public;

-- Every role that runs application code needs to resolve names in app.
grant usage on schema app to anonymous, webuser, auth, api;

-- The session and settings helpers are called from the pre-request hook (as
-- anonymous), from policies and defaults (as webuser) and from the auth/api
-- functions.
grant execute on function
    app.setting(text, text),
    app.int_setting(text, integer, integer, integer),
    app.cookie_name(),
    app.idle_seconds(),
    app.absolute_seconds(),
    app.current_user_id()
to anonymous, webuser, auth, api;

grant execute on function app.bcrypt_cost() to auth;
grant execute on function app.hash_password() to auth;

-- Hashing and token generation are done by the auth role only.
grant usage on schema extensions to auth, api;

-- Table privileges. The api views are security_invoker (see 30-api.sql), so
-- the role of the request itself needs these, and RLS filters what it gets.
grant select (user_id, name) on app.users to webuser;
-- user_id may be sent on INSERT (RLS WITH CHECK insists it is the caller's
-- own id) but never changed afterwards: no todo changes hands.
grant select, delete on app.todos to webuser;
grant insert (user_id, description, public, done) on app.todos to webuser;
grant update (description, public, done) on app.todos to webuser;

grant select (user_id, email, password) on app.users to auth;
grant insert (email, name, password) on app.users to auth;
grant update (password) on app.users to auth;

grant select (user_id, name, email) on app.users to api;

commit;
