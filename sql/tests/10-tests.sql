-- tests/10-tests.sql -- pgTAP tests for the reference application
--
-- Run them with
--
--   pg_prove --runtests --schema tests --match '^test_' -d <database>
--
-- pg_prove calls pgTAP's runtests(), which runs every function
-- tests.test_*() in its own subtransaction and rolls it back afterwards, so
-- each test starts from the state this deployment was loaded in and may
-- create users, sessions and todos freely.
--
-- Two helpers imitate what happens at run time:
--
--   tests.impersonate(role, user_id)  what auth.authenticate leaves behind:
--                                     SET LOCAL ROLE and a transaction-local
--                                     auth.user_id. Use it to test RLS
--                                     directly.
--   tests.simulate_request(cookies)   what PostgREST does before the query:
--                                     become anonymous, put the cookies in
--                                     request.cookies, run the pre-request
--                                     hook. Use it to test authentication.
--
-- While impersonating, a test only collects values; it returns to the
-- superuser (RESET ROLE) before calling pgTAP's assertion functions, which
-- write into temporary tables the impersonated roles may not touch.

begin;

create extension if not exists pgtap;
create schema if not exists tests;
revoke all on schema tests from public;

------------------------------------------------------------------------------
-- Helpers (none of them matches '^test_', so runtests does not run them)
------------------------------------------------------------------------------

-- Become `role` acting for `user_id` until the end of the transaction (or a
-- RESET ROLE). Unlike the seed's version, it stores exactly the id it is
-- given -- no global variables, nothing to mix up between Alice and Bob.
create or replace function tests.impersonate(role name, user_id bigint)
returns void
language plpgsql
as $$
begin
    perform pg_catalog.set_config('role', role, true);
    perform pg_catalog.set_config('auth.user_id', coalesce(user_id::text, ''), true);
end
$$;

-- Replay the start of a PostgREST request carrying these cookies. `cookies`
-- is the raw text PostgREST would put into request.cookies -- normally a JSON
-- object, but tests also feed it garbage.
create or replace function tests.simulate_request(cookies text)
returns void
language plpgsql
as $$
begin
    perform pg_catalog.set_config('role', 'anonymous', true);
    perform pg_catalog.set_config('request.cookies', coalesce(cookies, ''), true);
    perform pg_catalog.set_config('response.headers', '', true);
    perform auth.authenticate();
end
$$;

-- The usual case: a request with our session cookie set to `tok`.
create or replace function tests.simulate_request_with_token(tok text)
returns void
language sql
as $$
    select tests.simulate_request(pg_catalog.json_build_object(app.cookie_name(), tok)::text);
$$;

create or replace function tests.create_user(email text, name text, password text)
returns bigint
language sql
as $$
    insert into app.users (email, name, password) values (email, name, password)
    returning user_id;
$$;

-- The Set-Cookie headers this transaction would send, in order.
create or replace function tests.set_cookie_headers()
returns text[]
language sql
as $$
    select coalesce(pg_catalog.array_agg(kv.value), '{}')
      from pg_catalog.json_array_elements(
               nullif(pg_catalog.current_setting('response.headers', true), '')::json) e,
           pg_catalog.json_each_text(e) kv
     where pg_catalog.lower(kv.key) = 'set-cookie';
$$;

create or replace function tests.response_header(name text)
returns text
language sql
as $$
    select kv.value
      from pg_catalog.json_array_elements(
               nullif(pg_catalog.current_setting('response.headers', true), '')::json) e,
           pg_catalog.json_each_text(e) kv
     where pg_catalog.lower(kv.key) = pg_catalog.lower(name)
     limit 1;
$$;

------------------------------------------------------------------------------
-- Schema and privilege set-up
------------------------------------------------------------------------------

create or replace function tests.test_schema_rls_enabled()
returns setof text
language plpgsql
as $$
declare
    t record;
begin
    for t in
        select c.oid::regclass as tbl, c.relrowsecurity, c.relforcerowsecurity, n.nspname
          from pg_catalog.pg_class c
          join pg_catalog.pg_namespace n on n.oid = c.relnamespace
         where n.nspname in ('app', 'auth') and c.relkind in ('r', 'p')
         order by 1::text
    loop
        return next ok(t.relrowsecurity, format('RLS is enabled on %s', t.tbl));
        if t.nspname = 'app' then
            return next ok(t.relforcerowsecurity, format('RLS is forced on %s', t.tbl));
        end if;
    end loop;
    return next is((select count(*)::int from pg_catalog.pg_tables
                     where schemaname = 'app' and tablename in ('users', 'todos')), 2,
                   'app.users and app.todos exist');
end
$$;

create or replace function tests.test_schema_views_security_invoker()
returns setof text
language plpgsql
as $$
declare
    v record;
begin
    for v in
        select c.oid::regclass as view, c.reloptions
          from pg_catalog.pg_class c
          join pg_catalog.pg_namespace n on n.oid = c.relnamespace
         where n.nspname = 'api' and c.relkind = 'v'
         order by 1::text
    loop
        return next ok(coalesce('security_invoker=true' = any(v.reloptions), false),
                       format('%s is security_invoker', v.view));
    end loop;
    return next is((select count(*)::int from pg_catalog.pg_views where schemaname = 'api'), 2,
                   'api exposes exactly two views');
end
$$;

create or replace function tests.test_schema_definer_functions_pin_search_path()
returns setof text
language plpgsql
as $$
declare
    unpinned text[];
    definers int;
begin
    -- Every SECURITY DEFINER function outside the system schemas and not
    -- belonging to an extension.
    select pg_catalog.array_agg(p.oid::regprocedure::text order by 1),
           pg_catalog.count(*)
      into unpinned, definers
      from pg_catalog.pg_proc p
      join pg_catalog.pg_namespace n on n.oid = p.pronamespace
     where p.prosecdef
       and n.nspname not in ('pg_catalog', 'information_schema')
       and not exists (select 1 from pg_catalog.pg_depend d
                        where d.classid = 'pg_catalog.pg_proc'::regclass
                          and d.objid = p.oid and d.deptype = 'e')
       and not exists (select 1 from pg_catalog.unnest(p.proconfig) c
                        where c like 'search\_path=%');
    return next is(unpinned, null, 'every SECURITY DEFINER function pins search_path');

    select pg_catalog.count(*) into definers
      from pg_catalog.pg_proc p join pg_catalog.pg_namespace n on n.oid = p.pronamespace
     where p.prosecdef and n.nspname in ('auth', 'api');
    return next cmp_ok(definers, '>=', 8, 'auth and api do have SECURITY DEFINER functions');

    return next ok(not (select prosecdef from pg_catalog.pg_proc
                         where oid = 'auth.authenticate()'::regprocedure),
                   'auth.authenticate is SECURITY INVOKER (SET ROLE is refused in definer functions)');
end
$$;

create or replace function tests.test_schema_roles()
returns setof text
language plpgsql
as $$
declare
    r record;
begin
    select * into r from pg_catalog.pg_roles where rolname = 'authenticator';
    return next ok(r.rolcanlogin, 'authenticator can log in');
    return next ok(not r.rolinherit, 'authenticator is NOINHERIT');
    return next ok(not r.rolsuper and not r.rolbypassrls, 'authenticator is neither superuser nor BYPASSRLS');
    return next ok(pg_catalog.pg_has_role('authenticator', 'anonymous', 'member')
                   and pg_catalog.pg_has_role('authenticator', 'webuser', 'member'),
                   'authenticator may switch to anonymous and webuser');
    return next ok(not pg_catalog.pg_has_role('authenticator', 'anonymous', 'usage'),
                   'authenticator does not inherit the privileges of anonymous');
    return next is((select count(*)::int from pg_catalog.pg_roles
                     where rolname in ('anonymous', 'webuser', 'auth', 'api')
                       and not rolcanlogin and not rolsuper and not rolbypassrls), 4,
                   'anonymous, webuser, auth and api are plain NOLOGIN roles');
    return next is((select nspowner::regrole::text from pg_catalog.pg_namespace where nspname = 'auth'),
                   'auth', 'schema auth is owned by role auth');
    return next is((select nspowner::regrole::text from pg_catalog.pg_namespace where nspname = 'api'),
                   'api', 'schema api is owned by role api');
end
$$;

create or replace function tests.test_schema_privileges()
returns setof text
language plpgsql
as $$
begin
    return next ok(has_function_privilege('anonymous', 'api.login(text,text)', 'execute'), 'anonymous may log in');
    return next ok(has_function_privilege('anonymous', 'api.register(text,text,text)', 'execute'), 'anonymous may register');
    return next ok(not has_function_privilege('webuser', 'api.login(text,text)', 'execute'), 'webuser may not log in again');
    return next ok(not has_function_privilege('anonymous', 'api."current_user"()', 'execute'), 'anonymous has no current_user');
    return next ok(not has_function_privilege('anonymous', 'api.logout()', 'execute'), 'anonymous may not log out');
    return next ok(not has_function_privilege('anonymous', 'api.refresh_session()', 'execute'), 'anonymous may not refresh');
    return next ok(has_function_privilege('webuser', 'api."current_user"()', 'execute'), 'webuser has current_user');
    return next ok(not has_table_privilege('anonymous', 'api.todos', 'select'), 'anonymous cannot read todos');
    return next ok(not has_table_privilege('anonymous', 'api.users', 'select'), 'anonymous cannot read users');
    return next ok(not has_column_privilege('webuser', 'app.users', 'email', 'select'), 'webuser cannot read e-mail addresses');
    return next ok(not has_column_privilege('webuser', 'app.users', 'password', 'select'), 'webuser cannot read password hashes');
    return next ok(not has_table_privilege('webuser', 'auth.sessions', 'select')
                   and not has_table_privilege('anonymous', 'auth.sessions', 'select'),
                   'nobody but auth reads auth.sessions');
    return next ok(not has_function_privilege('anonymous', 'auth.login(text,text)', 'execute'),
                   'anonymous cannot call auth.login directly');
end
$$;

------------------------------------------------------------------------------
-- Passwords and sessions (auth schema)
------------------------------------------------------------------------------

create or replace function tests.test_auth_password_is_hashed()
returns setof text
language plpgsql
as $$
declare
    uid  bigint := tests.create_user('hash@pgtap.invalid', 'Hash', 'correct horse');
    hash text;
begin
    select password into hash from app.users where user_id = uid;
    return next isnt(hash, 'correct horse', 'the clear password is not stored');
    return next is(pg_catalog.left(hash, 7), format('$2a$%s$', pg_catalog.lpad(app.bcrypt_cost()::text, 2, '0')),
                   'it is a bcrypt hash with the configured cost');
    return next is(extensions.crypt('correct horse', hash), hash, 'and it verifies');
end
$$;

create or replace function tests.test_auth_login()
returns setof text
language plpgsql
as $$
declare
    uid   bigint := tests.create_user('login@pgtap.invalid', 'Login', 'right password');
    tok text;
begin
    return next is(auth.login('login@pgtap.invalid', 'wrong password'), null, 'wrong password: no session');
    return next is(auth.login('nobody@pgtap.invalid', 'right password'), null, 'unknown e-mail: no session');
    return next is(auth.login('login@pgtap.invalid', null), null, 'null password: no session');
    return next is(auth.login(null, 'right password'), null, 'null e-mail: no session');
    tok := auth.login('LOGIN@PgTap.INVALID', 'right password');
    return next ok(tok ~ '^[A-Za-z0-9_-]{43}$', 'valid credentials (e-mail case-insensitive): a 43-character URL-safe token');
    return next is(auth.session_user_id(tok), uid, 'the token belongs to the user');
    return next isnt(auth.login('login@pgtap.invalid', 'right password'), tok, 'every login gets a new token');
end
$$;

create or replace function tests.test_auth_token_stored_hashed()
returns setof text
language plpgsql
as $$
declare
    uid   bigint := tests.create_user('hashed@pgtap.invalid', 'Hashed', 'pw');
    tok text := auth.login('hashed@pgtap.invalid', 'pw');
begin
    return next ok(not exists (select 1 from auth.sessions where sessions.token = tok),
                   'the clear token is not in auth.sessions');
    return next ok(exists (select 1 from auth.sessions s
                            where s.token = encode(sha256(convert_to(tok, 'UTF8')), 'hex')
                              and s.user_id = uid),
                   'its SHA-256 hex digest is');
    return next throws_ok(
        format('insert into auth.sessions (token, user_id, expires, absolute_expires) values (%L, %s, now(), now())',
               tok, uid),
        '23514', null, 'a clear token cannot be stored even by mistake');
end
$$;

create or replace function tests.test_auth_deadlines()
returns setof text
language plpgsql
as $$
declare
    uid   bigint := tests.create_user('deadline@pgtap.invalid', 'Deadline', 'pw');
    tok text := auth.login('deadline@pgtap.invalid', 'pw');
    s     auth.sessions;
begin
    select * into s from auth.sessions where user_id = uid;
    return next is(s.expires - s.created, make_interval(secs => least(app.idle_seconds(), app.absolute_seconds())),
                   'the idle deadline is created + sessions.idle_seconds');
    return next is(s.absolute_expires - s.created, make_interval(secs => app.absolute_seconds()),
                   'the absolute deadline is created + sessions.absolute_seconds');
end
$$;

create or replace function tests.test_auth_refresh()
returns setof text
language plpgsql
as $$
declare
    uid    bigint := tests.create_user('refresh@pgtap.invalid', 'Refresh', 'pw');
    tok  text := auth.login('refresh@pgtap.invalid', 'pw');
    h      text := auth.hash_token(tok);
    before timestamptz;
    after  timestamptz;
    abs_deadline timestamptz;
begin
    update auth.sessions set expires = clock_timestamp() + interval '5 seconds' where sessions.token = h
    returning expires into before;
    after := auth.refresh(tok);
    return next ok(after > before, 'refresh moves the idle deadline forward');
    return next ok(after <= clock_timestamp() + make_interval(secs => app.idle_seconds()),
                   'to at most now + sessions.idle_seconds');

    -- Near the end of the absolute lifetime, refresh stops at the absolute deadline.
    update auth.sessions
       set absolute_expires = clock_timestamp() + interval '10 seconds',
           expires = clock_timestamp() + interval '1 second'
     where sessions.token = h
    returning absolute_expires into abs_deadline;
    after := auth.refresh(tok);
    return next is(after, abs_deadline, 'refresh never moves past absolute_expires');

    -- An expired session stays expired.
    update auth.sessions set expires = clock_timestamp() - interval '1 second' where sessions.token = h
    returning expires into before;
    return next is(auth.refresh(tok), null, 'an expired session cannot be refreshed');
    return next is((select expires from auth.sessions where sessions.token = h), before, 'and its deadline is unchanged');
    return next is(auth.refresh('no-such-token-no-such-token-no-such-token-x'), null, 'unknown token: nothing refreshed');
end
$$;

create or replace function tests.test_auth_logout()
returns setof text
language plpgsql
as $$
declare
    uid   bigint := tests.create_user('logout@pgtap.invalid', 'Logout', 'pw');
    tok text := auth.login('logout@pgtap.invalid', 'pw');
    other text := auth.login('logout@pgtap.invalid', 'pw');
begin
    return next is(auth.session_user_id(tok), uid, 'the session is live');
    perform auth.logout(tok);
    return next is(auth.session_user_id(tok), null, 'after logout it is not');
    return next ok((select expires <= clock_timestamp() from auth.sessions where sessions.token = auth.hash_token(tok)),
                   'its deadline has passed');
    return next is(auth.session_user_id(other), uid, 'the same user''s other session is untouched');
end
$$;

create or replace function tests.test_auth_register_duplicate()
returns setof text
language plpgsql
as $$
begin
    return next ok(auth.register('dup@pgtap.invalid', 'Dup', 'pw') is not null, 'register returns a session token');
    return next throws_ok($t$ select auth.register('DUP@pgtap.invalid', 'Dup 2', 'pw') $t$, '23505', null,
                          'the same e-mail (in any case) cannot register twice');
end
$$;

create or replace function tests.test_auth_register_long_email()
returns setof text
language plpgsql
as $$
begin
    return next ok(auth.register(repeat('a', 240) || '@pgtap.invalid', 'Long', 'pw') is not null,
                   'a 254-character e-mail address registers');
    return next throws_ok(format('select auth.register(%L, %L, %L)', repeat('a', 241) || '@pgtap.invalid', 'Longer', 'pw'),
                          '23514', null, 'a 255-character one is a check violation (400), not a program limit (500)');
    return next throws_ok(format('select auth.register(%L, %L, %L)', repeat('a', 5000) || '@pgtap.invalid', 'Huge', 'pw'),
                          '23514', null, 'so is one too big for the unique index');
end
$$;

------------------------------------------------------------------------------
-- The pre-request hook
------------------------------------------------------------------------------

create or replace function tests.test_authenticate_live_session()
returns setof text
language plpgsql
as $$
declare
    uid   bigint := tests.create_user('hook@pgtap.invalid', 'Hook', 'pw');
    tok text := auth.login('hook@pgtap.invalid', 'pw');
    role_seen text;
    id_seen   text;
begin
    perform tests.simulate_request_with_token(tok);
    role_seen := current_user;
    id_seen := current_setting('auth.user_id', true);
    reset role;
    return next is(role_seen, 'webuser', 'a live session makes the request webuser');
    return next is(id_seen, uid::text, 'with auth.user_id set to its user');
    return next is(tests.response_header('Cache-Control'), 'no-store', 'and its answer is marked Cache-Control: no-store');
end
$$;

create or replace function tests.test_authenticate_expired_sessions()
returns setof text
language plpgsql
as $$
declare
    uid   bigint := tests.create_user('expired@pgtap.invalid', 'Expired', 'pw');
    tok text := auth.login('expired@pgtap.invalid', 'pw');
    role_seen text;
    id_seen   text;
begin
    -- The suite's way to expire a session: idle deadline now.
    update auth.sessions set expires = clock_timestamp()
     where sessions.token in (tok, encode(sha256(convert_to(tok, 'UTF8')), 'hex'));
    perform tests.simulate_request_with_token(tok);
    role_seen := current_user;
    id_seen := current_setting('auth.user_id', true);
    reset role;
    return next is(role_seen, 'anonymous', 'idle-expired session: the request stays anonymous');
    return next is(id_seen, '', 'and auth.user_id is empty');

    tok := auth.login('expired@pgtap.invalid', 'pw');
    -- Absolute deadline passed while the idle one is still in the future is
    -- impossible by the CHECK constraint, so push both into the past.
    update auth.sessions
       set absolute_expires = clock_timestamp() - interval '1 second',
           expires = clock_timestamp() - interval '1 second'
     where sessions.token = auth.hash_token(tok);
    perform tests.simulate_request_with_token(tok);
    role_seen := current_user;
    reset role;
    return next is(role_seen, 'anonymous', 'absolute-expired session: the request stays anonymous');
end
$$;

create or replace function tests.test_authenticate_garbage_cookies()
returns setof text
language plpgsql
as $$
declare
    uid     bigint := tests.create_user('garbage@pgtap.invalid', 'Garbage', 'pw');
    tok   text := auth.login('garbage@pgtap.invalid', 'pw');
    cookies text;
    role_seen text;
    id_seen   text;
    err       text;
begin
    foreach cookies in array array[
        '',
        'not json at all',
        '{"session_token": ',
        '[]',
        '"session_token"',
        '{}',
        '{"session_token": null}',
        '{"session_token": 12345}',
        '{"session_token": {"nested": true}}',
        '{"session_token": "%%%"}',
        json_build_object('session_token', repeat('a', 5000))::text,
        json_build_object('session_token', upper(tok))::text,
        json_build_object('session_token', tok || 'x')::text,
        json_build_object('other_cookie', tok)::text
    ]
    loop
        err := null;
        begin
            perform tests.simulate_request(cookies);
            role_seen := current_user;
            id_seen := current_setting('auth.user_id', true);
        exception when others then
            err := sqlerrm;
        end;
        reset role;
        return next is(err, null, format('no error for request.cookies = %s', left(cookies, 60)));
        return next is(role_seen, 'anonymous', format('anonymous for request.cookies = %s', left(cookies, 60)));
        return next is(id_seen, '', format('empty auth.user_id for request.cookies = %s', left(cookies, 60)));
    end loop;

    -- request.cookies never defined in this session at all.
    perform pg_catalog.set_config('role', 'anonymous', true);
    perform auth.authenticate();
    role_seen := current_user;
    reset role;
    return next is(role_seen, 'anonymous', 'anonymous when request.cookies is unset');
end
$$;

------------------------------------------------------------------------------
-- Row level security
------------------------------------------------------------------------------

create or replace function tests.test_rls_todos_isolation()
returns setof text
language plpgsql
as $$
declare
    alice bigint := tests.create_user('alice@pgtap.invalid', 'Alice', 'pw');
    bob   bigint := tests.create_user('bob@pgtap.invalid', 'Bob', 'pw');
    alice_private bigint;
    alice_public  bigint;
    bob_private   bigint;
    seen    bigint[];
    n       bigint;
    state   text;
    new_owner bigint;
begin
    insert into app.todos (user_id, description) values (alice, 'alice private') returning todo_id into alice_private;
    insert into app.todos (user_id, description, public) values (alice, 'alice public', true) returning todo_id into alice_public;
    insert into app.todos (user_id, description) values (bob, 'bob private') returning todo_id into bob_private;

    perform tests.impersonate('webuser', alice);
    select array_agg(todo_id order by todo_id) into seen from api.todos where user_id in (alice, bob);
    reset role;
    return next is(seen, array[alice_private, alice_public], 'Alice sees her own todos only (Bob has no public one)');

    perform tests.impersonate('webuser', bob);
    select array_agg(todo_id order by todo_id) into seen from api.todos where user_id in (alice, bob);
    update api.todos set done = true where todo_id = alice_private;
    get diagnostics n = row_count;
    reset role;
    return next is(seen, array[alice_public, bob_private], 'Bob sees his own and Alice''s public todo');
    return next is(n, 0::bigint, 'Bob''s UPDATE of Alice''s todo matches no row');

    perform tests.impersonate('webuser', bob);
    update api.todos set done = true where todo_id = alice_public;
    get diagnostics n = row_count;
    reset role;
    return next is(n, 0::bigint, 'not even of her public one');

    perform tests.impersonate('webuser', bob);
    delete from api.todos where todo_id in (alice_private, alice_public);
    get diagnostics n = row_count;
    reset role;
    return next is(n, 0::bigint, 'Bob''s DELETE of Alice''s todos matches no row');
    return next is((select count(*) from app.todos where user_id = alice), 2::bigint, 'Alice still has both');

    state := null;
    perform tests.impersonate('webuser', bob);
    begin
        insert into api.todos (user_id, description) values (alice, 'forged');
    exception when others then
        state := sqlstate;
    end;
    reset role;
    return next is(state, '42501', 'Bob cannot insert a todo in Alice''s name');

    perform tests.impersonate('webuser', bob);
    insert into api.todos (description) values ('mine') returning user_id into new_owner;
    reset role;
    return next is(new_owner, bob, 'a todo without user_id belongs to the caller');

    state := null;
    perform tests.impersonate('webuser', bob);
    begin
        update api.todos set user_id = alice where todo_id = bob_private;
    exception when others then
        state := sqlstate;
    end;
    reset role;
    return next is(state, '42501', 'Bob cannot give his todo away');

    perform tests.impersonate('webuser', alice);
    update api.todos set done = true where todo_id = alice_private;
    get diagnostics n = row_count;
    reset role;
    return next is(n, 1::bigint, 'Alice can update her own todo');

    state := null;
    perform tests.impersonate('anonymous', null);
    begin
        perform count(*) from api.todos;
    exception when others then
        state := sqlstate;
    end;
    reset role;
    return next is(state, '42501', 'anonymous cannot read todos');

    -- A webuser whose auth.user_id is empty (which auth.authenticate never
    -- produces, but defence in depth) sees only public todos and owns nothing.
    perform tests.impersonate('webuser', null);
    select array_agg(todo_id order by todo_id) into seen from api.todos where user_id in (alice, bob);
    reset role;
    return next is(seen, array[alice_public], 'webuser without a user id sees public todos only');
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
    n     bigint;
    state text;
begin
    select array_agg(attname::text order by attnum) into cols
      from pg_attribute where attrelid = 'api.users'::regclass and attnum > 0 and not attisdropped;
    return next is(cols, array['user_id', 'name'], 'api.users has only user_id and name');

    perform tests.impersonate('webuser', alice);
    select count(*) into n from api.users where user_id in (alice, bob);
    begin
        perform email from app.users;
    exception when others then
        state := sqlstate;
    end;
    reset role;
    return next is(n, 2::bigint, 'a signed-in user sees every user''s public profile');
    return next is(state, '42501', 'but reading e-mail addresses from app.users is denied');
end
$$;

------------------------------------------------------------------------------
-- The api functions (what PostgREST calls)
------------------------------------------------------------------------------

create or replace function tests.test_api_login_and_cookie()
returns setof text
language plpgsql
as $$
declare
    uid     bigint := tests.create_user('cookie@pgtap.invalid', 'Cookie', 'pw');
    cookies text[];
    cache   text;
    tok   text;
    wrong   text;
    unknown text;
begin
    perform tests.simulate_request(null);
    perform api.login('cookie@pgtap.invalid', 'pw');
    reset role;   -- response.headers is a setting: it survives the role change
    cookies := tests.set_cookie_headers();
    cache := tests.response_header('Cache-Control');
    return next is(array_length(cookies, 1), 1, 'login sends exactly one Set-Cookie');
    return next ok(cookies[1] ~ ('^' || app.cookie_name() || '=[A-Za-z0-9_-]{43}; Path=/; Max-Age=[0-9]+; HttpOnly; Secure; SameSite=Lax$'),
                   'with the token and the flags: ' || regexp_replace(cookies[1], '=[^;]+;', '=...;'));
    return next ok(cookies[1] !~* 'domain=', 'and no Domain');
    return next ok(substring(cookies[1] from 'Max-Age=([0-9]+)')::int between app.idle_seconds() - 2 and app.idle_seconds(),
                   'Max-Age is the idle timeout');
    return next is(cache, 'no-store', 'Cache-Control: no-store');
    tok := substring(cookies[1] from '=([A-Za-z0-9_-]{43});');
    return next is(auth.session_user_id(tok), uid, 'the cookie carries a live session of the user');

    perform tests.simulate_request(null);
    begin
        perform api.login('cookie@pgtap.invalid', 'wrong');
    exception when others then
        wrong := sqlstate || '|' || sqlerrm;
    end;
    begin
        perform api.login('nobody@pgtap.invalid', 'pw');
    exception when others then
        unknown := sqlstate || '|' || sqlerrm;
    end;
    reset role;
    return next is(wrong, '42501|invalid credentials', 'wrong password: 42501 invalid credentials');
    return next is(unknown, wrong, 'unknown e-mail: exactly the same error');
end
$$;

create or replace function tests.test_api_register_sets_one_cookie()
returns setof text
language plpgsql
as $$
declare
    cookies text[];
    me      api."user";
    tok   text;
begin
    perform tests.simulate_request(null);
    perform api.register('new@pgtap.invalid', 'New', 'pw');
    reset role;
    cookies := tests.set_cookie_headers();
    return next is(array_length(cookies, 1), 1, 'register sends exactly one Set-Cookie');
    tok := substring(cookies[1] from '=([A-Za-z0-9_-]{43});');

    perform tests.simulate_request_with_token(tok);
    me := api."current_user"();
    reset role;
    return next is(me.email, 'new@pgtap.invalid', 'and that cookie signs the new user in');
    return next is(me.name, 'New', 'current_user returns the caller''s profile');
end
$$;

create or replace function tests.test_api_refresh_and_logout()
returns setof text
language plpgsql
as $$
declare
    uid     bigint := tests.create_user('out@pgtap.invalid', 'Out', 'pw');
    tok   text := auth.login('out@pgtap.invalid', 'pw');
    cookies text[];
    role_seen text;
    state   text;
begin
    update auth.sessions set expires = clock_timestamp() + interval '10 seconds'
     where sessions.token = auth.hash_token(tok);

    perform tests.simulate_request_with_token(tok);
    perform api.refresh_session();
    reset role;
    cookies := tests.set_cookie_headers();
    return next is(array_length(cookies, 1), 1, 'refresh sends exactly one Set-Cookie');
    return next ok(cookies[1] like app.cookie_name() || '=' || tok || '; Path=/; Max-Age=%; HttpOnly; Secure; SameSite=Lax',
                   'the same token again, with the same flags');
    return next ok(substring(cookies[1] from 'Max-Age=([0-9]+)')::int > 10, 'and a fresh Max-Age');

    perform tests.simulate_request_with_token(tok);
    perform api.logout();
    reset role;
    cookies := tests.set_cookie_headers();
    return next is(cookies, array[app.cookie_name() || '=; Path=/; Max-Age=0; HttpOnly; Secure; SameSite=Lax'],
                   'logout clears the cookie');
    return next is(tests.response_header('Cache-Control'), 'no-store', 'with Cache-Control: no-store');

    perform tests.simulate_request_with_token(tok);
    role_seen := current_user;
    begin
        perform api."current_user"();
    exception when others then
        state := sqlstate;
    end;
    reset role;
    return next is(role_seen, 'anonymous', 'the old cookie, replayed, is anonymous');
    return next is(state, '42501', 'and current_user refuses it');
end
$$;

------------------------------------------------------------------------------
-- Configuration
------------------------------------------------------------------------------

create or replace function tests.test_settings()
returns setof text
language plpgsql
as $$
begin
    perform set_config('sessions.idle_seconds', '', true);
    perform set_config('sessions.cookie_name', '', true);
    return next is(app.idle_seconds(), 900, 'empty setting: default idle timeout');
    return next is(app.cookie_name(), 'session_token', 'empty setting: default cookie name');
    perform set_config('sessions.idle_seconds', '60', true);
    perform set_config('sessions.absolute_seconds', '120', true);
    perform set_config('sessions.cookie_name', '__Host-sid', true);
    return next is(app.idle_seconds(), 60, 'sessions.idle_seconds is honoured');
    return next is(app.absolute_seconds(), 120, 'sessions.absolute_seconds is honoured');
    return next is(app.cookie_name(), '__Host-sid', 'sessions.cookie_name is honoured');
    perform set_config('sessions.idle_seconds', 'ten', true);
    return next throws_ok('select app.idle_seconds()', '22023', null, 'a non-numeric setting is an error, not a guess');
    perform set_config('sessions.bcrypt_cost', '3', true);
    return next throws_ok('select app.bcrypt_cost()', '22023', null, 'bcrypt cost below 4 is rejected');
    perform set_config('sessions.cookie_name', 'bad name;', true);
    return next throws_ok('select app.cookie_name()', '22023', null, 'a cookie name with separators is rejected');
end
$$;

commit;
