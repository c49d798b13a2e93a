-- about: an app shaped unlike the reference: accounts signed up and in by user name with p_-prefixed arguments (/rpc/signup with a required age, /rpc/signin, /rpc/signout), no refresh endpoint, the caller at /rpc/me answering account_id, private notes whose owner_id the client sends, a shared flag, a listing at /accounts, and a __Host-sid cookie; secure and conforming, it must be judged conformant with a drafted profile
-- settings: sessions.cookie_name=__Host-sid
-- profile-edit: /users/privateColumns = ["age"] -- the listing fills age in on the caller's own row only, and the drafter, signed in as one account, sees no one else's row
-- defects: cookie-no-httponly signout-keeps-session notes-insert-any-owner db-tokens-in-clear

-- What it keeps of the reference: the roles, app.users (with a user name and
-- an age added, e-mail no longer asked for), the whole auth schema (hashed
-- tokens, idle and absolute deadlines, the pre-request hook, the cookie
-- writer, which gives __Host-sid the Secure, Path=/ and no Domain it needs).
-- What it rebuilds: the api schema, from nothing, and the owned rows (notes
-- instead of todos). Its pgTAP tests that named the old API are rewritten
-- for this one; the others run unchanged.
--
-- One profile edit (the header): which columns of /accounts only their owner
-- sees filled. The rest the drafter works out: with the database URL, that
-- notes.owner_id has no default (the client sends it) and the age range in
-- the check constraint; the cookie from the sign-in answer; no refresh.

begin;

------------------------------------------------------------------------------
-- Accounts: a user name (case-insensitive, unique) and an age; no e-mail.
------------------------------------------------------------------------------

alter table app.users alter column email drop not null;
alter table app.users
    add column username extensions.citext unique
        check (pg_catalog.length(username::text) between 3 and 64 and username::text ~ '^[A-Za-z0-9_.-]+$'),
    add column age integer check (age between 18 and 130);

grant select (username, age) on app.users to auth, api;
grant insert (username, age) on app.users to auth;
-- The listing shows user names to signed-in users, as the reference shows
-- names, and each user their own age (the view hides the others').
grant select (username, age) on app.users to webuser;

-- Sign-in by user name: the reference's auth.login, looking the account up by
-- its user name. Same uniform failure, in answer and in time (a bcrypt of the
-- same cost when there is no such account or the text is too long).
create or replace function auth.login_username(username text, password text)
returns text
language plpgsql
security definer
set search_path = ''
as $$
declare
    u record;
begin
    select users.user_id, users.password as hash
      into u
      from app.users
     where users.username operator(extensions.=) login_username.username::extensions.citext;
    -- bcrypt reads only the first 72 bytes, and no stored password is longer
    -- (app.users' trigger): a longer text is never the password, whatever
    -- its first 72 bytes are. Refused after the same throw-away hash.
    if u.user_id is null or password is null or pg_catalog.octet_length(password) > 72 then
        perform extensions.crypt(coalesce(password, ''), extensions.gen_salt('bf', app.bcrypt_cost()));
        return null;
    end if;
    if extensions.crypt(password, u.hash) = u.hash then
        return auth.open_session(u.user_id);
    end if;
    return null;
end
$$;

-- The account and its first session; a taken user name is 23505 (409), a
-- missing one or an age out of range a client error (400).
create or replace function auth.register_username(username text, password text, age integer)
returns text
language plpgsql
security definer
set search_path = ''
as $$
declare
    new_id bigint;
begin
    if username is null or age is null then
        raise not_null_violation using message = 'user name and age are required';
    end if;
    insert into app.users (username, name, password, age)
    values (register_username.username, register_username.username, register_username.password, register_username.age)
    returning users.user_id into new_id;
    return auth.open_session(new_id);
end
$$;

alter function auth.login_username(text, text) owner to auth;
alter function auth.register_username(text, text, integer) owner to auth;
revoke execute on function auth.login_username(text, text), auth.register_username(text, text, integer) from public;
grant execute on function auth.login_username(text, text), auth.register_username(text, text, integer) to api;

------------------------------------------------------------------------------
-- Notes: the owner is sent by the client (no default); RLS insists it is the
-- caller. A shared note is readable by every signed-in user.
------------------------------------------------------------------------------

drop schema api cascade;
drop table app.todos;

create table app.notes (
    note_id  bigint generated always as identity primary key,
    owner_id bigint not null references app.users (user_id) on delete cascade,
    body     text not null,
    shared   boolean not null default false,
    created  timestamptz not null default pg_catalog.clock_timestamp()
);
create index notes_owner_id_idx on app.notes (owner_id);

alter table app.notes enable row level security;
alter table app.notes force row level security;

create policy notes_select on app.notes for select to webuser
    using (owner_id = app.current_user_id() or shared);
create policy notes_insert on app.notes for insert to webuser
    with check (owner_id = app.current_user_id());
create policy notes_update on app.notes for update to webuser
    using (owner_id = app.current_user_id())
    with check (owner_id = app.current_user_id());
create policy notes_delete on app.notes for delete to webuser
    using (owner_id = app.current_user_id());

revoke all on app.notes from public;
grant select, delete on app.notes to webuser;
grant insert (owner_id, body, shared) on app.notes to webuser;
grant update (body, shared) on app.notes to webuser;

------------------------------------------------------------------------------
-- The API, rebuilt.
------------------------------------------------------------------------------

create schema api authorization api;
revoke all on schema api from public;
grant usage on schema api to anonymous, webuser;

create view api.notes with (security_invoker = true) as
    select note_id, owner_id, body, shared, created from app.notes;
create view api.accounts with (security_invoker = true) as
    select user_id as account_id, username,
           case when user_id = app.current_user_id() then age end as age
      from app.users
     where username is not null;
alter view api.notes owner to api;
alter view api.accounts owner to api;
revoke all on api.notes, api.accounts from public;
grant select, delete on api.notes to webuser;
grant insert (owner_id, body, shared) on api.notes to webuser;
grant update (body, shared) on api.notes to webuser;
grant select on api.accounts to webuser;

create type api.account as (account_id bigint, username text, age integer);
alter type api.account owner to api;

-- POST /rpc/signup {"p_username", "p_password", "p_age"}: the account, signed in.
create or replace function api.signup(p_username text, p_password text, p_age integer)
returns void
language plpgsql
security definer
set search_path = ''
as $$
begin
    perform auth.issue_session_cookie(auth.register_username(p_username, p_password, p_age));
end
$$;

-- POST /rpc/signin {"p_username", "p_password"}: one answer for every failure.
create or replace function api.signin(p_username text, p_password text)
returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
    token text := auth.login_username(p_username, p_password);
begin
    if token is null then
        raise insufficient_privilege using message = 'invalid credentials';
    end if;
    perform auth.issue_session_cookie(token);
end
$$;

-- POST /rpc/signout: ends the session on the server and clears the cookie.
create or replace function api.signout()
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

-- GET /rpc/me: the caller's own account.
create or replace function api.me()
returns api.account
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
    result api.account;
begin
    select u.user_id, u.username::text, u.age
      into result
      from app.users u
     where u.user_id = app.current_user_id();
    if result.account_id is null then
        raise insufficient_privilege using message = 'not signed in';
    end if;
    return result;
end
$$;

alter function api.signup(text, text, integer) owner to api;
alter function api.signin(text, text) owner to api;
alter function api.signout() owner to api;
alter function api.me() owner to api;
revoke execute on all functions in schema api from public;
grant execute on function api.signup(text, text, integer), api.signin(text, text) to anonymous;
grant execute on function api.signout(), api.me() to webuser;

------------------------------------------------------------------------------
-- Its pgTAP tests: the reference's that named the old API, for this one.
------------------------------------------------------------------------------

-- patch: sql/tests/10-tests.sql
-- replace:
                     where schemaname = 'app' and tablename in ('users', 'todos')), 2,
                   'app.users and app.todos exist');
-- with:
                     where schemaname = 'app' and tablename in ('users', 'notes')), 2,
                   'app.users and app.notes exist');
-- end

drop function tests.test_rls_todos_isolation();

create or replace function tests.test_schema_privileges()
returns setof text
language plpgsql
as $$
begin
    return next ok(has_function_privilege('anonymous', 'api.signin(text,text)', 'execute'), 'anonymous may sign in');
    return next ok(has_function_privilege('anonymous', 'api.signup(text,text,integer)', 'execute'), 'anonymous may sign up');
    return next ok(not has_function_privilege('webuser', 'api.signin(text,text)', 'execute'), 'webuser may not sign in again');
    return next ok(not has_function_privilege('anonymous', 'api.me()', 'execute'), 'anonymous has no me');
    return next ok(not has_function_privilege('anonymous', 'api.signout()', 'execute'), 'anonymous may not sign out');
    return next ok(has_function_privilege('webuser', 'api.me()', 'execute'), 'webuser has me');
    return next ok(not has_table_privilege('anonymous', 'api.notes', 'select'), 'anonymous cannot read notes');
    return next ok(not has_table_privilege('anonymous', 'api.accounts', 'select'), 'anonymous cannot read accounts');
    return next ok(not has_column_privilege('webuser', 'app.users', 'password', 'select'), 'webuser cannot read password hashes');
    return next ok(not has_column_privilege('webuser', 'app.notes', 'owner_id', 'update'), 'no note changes hands');
    return next ok(not has_table_privilege('webuser', 'auth.sessions', 'select'), 'nobody but auth reads auth.sessions');
    return next ok(not has_function_privilege('anonymous', 'auth.login_username(text,text)', 'execute'),
                   'anonymous cannot call auth.login_username directly');
end
$$;

create or replace function tests.test_rls_notes_isolation()
returns setof text
language plpgsql
as $$
declare
    alice bigint := tests.create_user('alice@pgtap.invalid', 'Alice', 'pw');
    bob   bigint := tests.create_user('bob@pgtap.invalid', 'Bob', 'pw');
    alice_private bigint;
    alice_shared  bigint;
    bob_private   bigint;
    seen  bigint[];
    n     bigint;
    state text;
begin
    insert into app.notes (owner_id, body) values (alice, 'alice private') returning note_id into alice_private;
    insert into app.notes (owner_id, body, shared) values (alice, 'alice shared', true) returning note_id into alice_shared;
    insert into app.notes (owner_id, body) values (bob, 'bob private') returning note_id into bob_private;

    perform tests.impersonate('webuser', bob);
    select array_agg(note_id order by note_id) into seen from api.notes where owner_id in (alice, bob);
    update api.notes set body = 'taken' where note_id in (alice_private, alice_shared);
    get diagnostics n = row_count;
    reset role;
    return next is(seen, array[alice_shared, bob_private], 'Bob sees his own note and Alice''s shared one');
    return next is(n, 0::bigint, 'Bob''s UPDATE of Alice''s notes matches no row');

    perform tests.impersonate('webuser', bob);
    delete from api.notes where note_id in (alice_private, alice_shared);
    get diagnostics n = row_count;
    reset role;
    return next is(n, 0::bigint, 'Bob''s DELETE of Alice''s notes matches no row');

    perform tests.impersonate('webuser', bob);
    begin
        insert into api.notes (owner_id, body) values (alice, 'forged');
    exception when others then
        state := sqlstate;
    end;
    reset role;
    return next is(state, '42501', 'Bob cannot write a note in Alice''s name');

    state := null;
    perform tests.impersonate('webuser', bob);
    begin
        insert into api.notes (body) values ('no owner');
    exception when others then
        state := sqlstate;
    end;
    reset role;
    return next ok(state in ('23502', '42501'), 'a note without an owner is refused');

    perform tests.impersonate('webuser', bob);
    insert into api.notes (owner_id, body) values (bob, 'mine');
    get diagnostics n = row_count;
    reset role;
    return next is(n, 1::bigint, 'Bob writes a note of his own');

    state := null;
    perform tests.impersonate('anonymous', null);
    begin
        perform count(*) from api.notes;
    exception when others then
        state := sqlstate;
    end;
    reset role;
    return next is(state, '42501', 'anonymous cannot read notes');
end
$$;

create or replace function tests.test_rls_users_hide_email()
returns setof text
language plpgsql
as $$
declare
    alice bigint := tests.create_user('alice@pgtap.invalid', 'Alice', 'pw');
    bob   bigint := tests.create_user('bob@pgtap.invalid', 'Bob', 'pw');
    cols  text[];
    ages  int[];
    state text;
begin
    update app.users set username = name, age = 40 where user_id in (alice, bob);
    select array_agg(attname::text order by attnum) into cols
      from pg_attribute where attrelid = 'api.accounts'::regclass and attnum > 0 and not attisdropped;
    return next is(cols, array['account_id', 'username', 'age'], 'api.accounts has only account_id, username and age');
    perform tests.impersonate('webuser', alice);
    select array_agg(age order by account_id) into ages from api.accounts where account_id in (alice, bob);
    begin
        perform password from app.users;
    exception when others then
        state := sqlstate;
    end;
    reset role;
    return next is(ages, array[40, null], 'a signed-in user sees their own age only');
    return next is(state, '42501', 'and cannot read password hashes from app.users');
end
$$;

create or replace function tests.test_api_login_and_cookie()
returns setof text
language plpgsql
as $$
declare
    cookies text[];
    tok     text;
    wrong   text;
    unknown text;
begin
    perform auth.register_username('cookie_user', 'pw', 30);
    perform tests.simulate_request(null);
    perform api.signin('COOKIE_user', 'pw');
    reset role;
    cookies := tests.set_cookie_headers();
    return next is(array_length(cookies, 1), 1, 'sign-in sends exactly one Set-Cookie');
    return next ok(cookies[1] ~ ('^' || app.cookie_name() || '=[A-Za-z0-9_-]{43}; Path=/; Max-Age=[0-9]+; HttpOnly; Secure; SameSite=Lax$'),
                   'with the token and the flags (user name case-insensitive)');
    return next is(tests.response_header('Cache-Control'), 'no-store', 'Cache-Control: no-store');
    tok := substring(cookies[1] from '=([A-Za-z0-9_-]{43});');
    return next ok(auth.session_user_id(tok) is not null, 'the cookie carries a live session');

    perform tests.simulate_request(null);
    begin
        perform api.signin('cookie_user', 'wrong');
    exception when others then
        wrong := sqlstate || '|' || sqlerrm;
    end;
    begin
        perform api.signin('nobody_here', 'pw');
    exception when others then
        unknown := sqlstate || '|' || sqlerrm;
    end;
    reset role;
    return next is(wrong, '42501|invalid credentials', 'wrong password: 42501 invalid credentials');
    return next is(unknown, wrong, 'unknown user name: exactly the same error');
end
$$;

create or replace function tests.test_api_register_sets_one_cookie()
returns setof text
language plpgsql
as $$
declare
    cookies text[];
    me      api.account;
    tok     text;
begin
    perform tests.simulate_request(null);
    perform api.signup('new_user', 'pw', 42);
    reset role;
    cookies := tests.set_cookie_headers();
    return next is(array_length(cookies, 1), 1, 'sign-up sends exactly one Set-Cookie');
    tok := substring(cookies[1] from '=([A-Za-z0-9_-]{43});');
    perform tests.simulate_request_with_token(tok);
    me := api.me();
    reset role;
    return next is(me.username, 'new_user', 'and that cookie signs the new account in');
    return next is(me.age, 42, 'me answers the caller''s own account');
    return next throws_ok($t$ select auth.register_username('young_user', 'pw', 17) $t$, '23514', null, 'an age under 18 is refused');
    return next throws_ok($t$ select auth.register_username('NEW_USER', 'pw', 30) $t$, '23505', null, 'a taken user name (in any case) is refused');
end
$$;

drop function tests.test_api_refresh_and_logout();

create or replace function tests.test_api_signout()
returns setof text
language plpgsql
as $$
declare
    tok       text := auth.register_username('out_user', 'pw', 50);
    cookies   text[];
    role_seen text;
begin
    perform tests.simulate_request_with_token(tok);
    perform api.signout();
    reset role;
    cookies := tests.set_cookie_headers();
    return next is(cookies, array[app.cookie_name() || '=; Path=/; Max-Age=0; HttpOnly; Secure; SameSite=Lax'], 'sign-out clears the cookie');
    perform tests.simulate_request_with_token(tok);
    role_seen := current_user;
    reset role;
    return next is(role_seen, 'anonymous', 'the old cookie, replayed, is anonymous');
end
$$;

notify pgrst, 'reload schema';

commit;
