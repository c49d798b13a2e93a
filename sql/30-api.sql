-- 30-api.sql -- what PostgREST exposes
--
-- PostgREST is started with db-schemas = api: every view in this schema
-- becomes a REST resource (/users, /todos) and every function an RPC
-- endpoint (/rpc/login, ...). Nothing else in the database is reachable over
-- HTTP. Anything that should not be an endpoint -- helpers included -- lives
-- in app or auth instead.
--
-- The views hold no security logic of their own. They choose the columns a
-- client may see; RLS on the app tables (10-app.sql) chooses the rows.

begin;

create schema if not exists api authorization api;
revoke all on schema api from public;
grant usage on schema api to anonymous, webuser;

------------------------------------------------------------------------------
-- Views
--
-- Why security_invoker: an ordinary view runs its query with the privileges
-- of the view's OWNER. Row level security then evaluates policies for the
-- owner, not for the requesting role, and if the owner is a superuser or the
-- owner of the table, RLS is skipped altogether -- every user would see every
-- todo. With security_invoker = true (PostgreSQL 15+) the view runs as the
-- role of the request (webuser), so the policies written for webuser apply
-- and the view needs no trust of its own. The price: webuser must hold the
-- privileges on app.users / app.todos itself (granted in 10-app.sql), which
-- is honest about what the role can really do.
------------------------------------------------------------------------------

-- The public profile of every user: id and name. Never e-mail or password;
-- webuser has no column privilege on those, so even a view that tried to
-- show them would fail rather than leak.
create or replace view api.users
with (security_invoker = true)
as
    select user_id, name
      from app.users;

-- Simple single-table views are automatically updatable, so INSERT, UPDATE
-- and DELETE on api.todos go straight through to app.todos -- and through
-- its RLS policies. user_id may be omitted on insert: app.todos fills it in
-- from the session.
create or replace view api.todos
with (security_invoker = true)
as
    select todo_id, user_id, description, public, done, created
      from app.todos;

alter view api.users owner to api;
alter view api.todos owner to api;

revoke all on api.users, api.todos from public;
grant select on api.users to webuser;
grant select, delete on api.todos to webuser;
grant insert (user_id, description, public, done) on api.todos to webuser;
grant update (description, public, done) on api.todos to webuser;

------------------------------------------------------------------------------
-- RPC endpoints
--
-- The functions below are SECURITY DEFINER, owned by the role api, with an
-- empty search_path. The caller (anonymous or webuser) needs only EXECUTE on
-- the one function it is allowed to call; what the function may do is what
-- the api role was granted -- a handful of auth functions and the caller's
-- own row in app.users.
--
-- None of them returns a token, a password or a hash. The token travels only
-- in the Set-Cookie header, where HttpOnly keeps it away from page scripts;
-- putting it in a JSON body would hand it straight back to them.
------------------------------------------------------------------------------

-- What api.current_user returns: one object, the caller's own profile.
do $type$
begin
    if not exists (select 1
                     from pg_catalog.pg_type t
                     join pg_catalog.pg_namespace n on n.oid = t.typnamespace
                    where n.nspname = 'api' and t.typname = 'user') then
        create type api."user" as (user_id bigint, name text, email text);
    end if;
end
$type$;
alter type api."user" owner to api;

-- POST /rpc/register {"email", "name", "password"}
-- Creates the account and signs it in. A taken e-mail address fails with
-- unique_violation (HTTP 409). That does tell the caller the address is
-- registered; any sign-up form that reports "already taken" does, so keep
-- rate limiting in front of this endpoint.
create or replace function api.register(email text, name text, password text)
returns void
language plpgsql
security definer
set search_path = ''
as $$
begin
    -- auth.register opens the session itself instead of calling login, so
    -- the password is hashed once, and the cookie is written exactly once.
    perform auth.issue_session_cookie(auth.register(email, name, password));
end
$$;

-- POST /rpc/login {"email", "password"}
-- One answer for every failure: same SQLSTATE, same message, no detail or
-- hint, so the response cannot tell "no such user" from "wrong password".
-- insufficient_privilege (42501) becomes 401 Unauthorized in PostgREST when
-- the request carried no JWT, which is always the case here.
create or replace function api.login(email text, password text)
returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
    token text := auth.login(email, password);
begin
    if token is null then
        raise insufficient_privilege using message = 'invalid credentials';
    end if;
    perform auth.issue_session_cookie(token);
end
$$;

-- POST /rpc/logout
-- Ends the session on the server (so a copy of the cookie is worthless) and
-- tells the browser to delete its copy.
create or replace function api.logout()
returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
    token text := auth.request_token();
begin
    if token is not null then
        perform auth.logout(token);
    end if;
    perform auth.clear_session_cookie();
end
$$;

-- POST /rpc/refresh_session
-- Pushes the idle deadline forward (never past the absolute one) and sends
-- the same cookie again with a Max-Age matching the new deadline. The token
-- itself does not change.
create or replace function api.refresh_session()
returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
    token text := auth.request_token();
begin
    if token is null or auth.refresh(token) is null then
        raise insufficient_privilege using message = 'no live session';
    end if;
    perform auth.issue_session_cookie(token);
end
$$;

-- GET or POST /rpc/current_user
-- The caller's own profile, e-mail included. STABLE (it only reads), which
-- is what allows PostgREST to serve it on GET. The name is a reserved word in
-- SQL, hence the quotes; over HTTP it is simply /rpc/current_user.
create or replace function api."current_user"()
returns api."user"
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
    result api."user";
begin
    -- The RLS policy users_api_self already limits the api role to this one
    -- row; the WHERE clause says the same thing out loud.
    select u.user_id, u.name, u.email::text
      into result
      from app.users u
     where u.user_id = app.current_user_id();
    if result.user_id is null then
        raise insufficient_privilege using message = 'not signed in';
    end if;
    return result;
end
$$;

-- POST /rpc/change_password {"old_password", "new_password"}
-- The signed-in caller's new password; the caller stays signed in, every
-- other session of theirs ends. A wrong current password is refused like a
-- failed login (42501 -> 401/403), a new one the table refuses (empty, over
-- 72 bytes) with its check_violation (400).
create or replace function api.change_password(old_password text, new_password text)
returns void
language plpgsql
security definer
set search_path = ''
as $$
begin
    if not auth.change_password(auth.request_token(), old_password, new_password) then
        raise insufficient_privilege using message = 'password not changed';
    end if;
end
$$;

alter function api.register(text, text, text) owner to api;
alter function api.change_password(text, text) owner to api;
alter function api.login(text, text)          owner to api;
alter function api.logout()                   owner to api;
alter function api.refresh_session()          owner to api;
alter function api."current_user"()           owner to api;

-- Who may call what. Anonymous visitors can only register or log in; a
-- signed-in user can do neither again (log out first) but can see who they
-- are, refresh and log out. Anyone else gets 42501 -> 401.
revoke execute on all functions in schema api from public;
grant execute on function api.register(text, text, text) to anonymous;
grant execute on function api.login(text, text)          to anonymous;
grant execute on function api.logout()                   to webuser;
grant execute on function api.refresh_session()          to webuser;
grant execute on function api."current_user"()           to webuser;
grant execute on function api.change_password(text, text) to webuser;

-- Ask a running PostgREST to reload its schema cache, so reloading this file
-- is picked up without a restart. Harmless when nobody is listening.
notify pgrst, 'reload schema';

commit;
