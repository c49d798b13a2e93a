-- about: the reference app with its sessions keyed by the token's SHA-256 digest as bytea (token_hash), and check (expires > created) as the seed app has it; it behaves exactly like the reference and must be judged conformant
-- env: EXPIRE_SESSION_SQL=update auth.sessions set expires = least(expires, clock_timestamp()) where token_hash = sha256(convert_to($1, 'UTF8'))
-- env: SESSION_EXPIRES_SQL=select expires from auth.sessions where token_hash = sha256(convert_to($1, 'UTF8'))

-- A deployment the suite has not seen in this shape: the default expiry
-- hooks match a column named token, so its users give their own (the env
-- lines above, as they would set them). What it changes from sql/20-auth.sql:
--   * auth.sessions.token text (hex digest) becomes token_hash bytea (the
--     digest's 32 bytes), and check (expires > created) joins
--     check (expires <= absolute_expires);
--   * auth.hash_token returns that bytea, and every function reading or
--     writing sessions looks them up by token_hash;
--   * the reference's pgTAP tests that read the sessions table by column are
--     rewritten for it, and its test of an expired session backdates created
--     too, since check (expires > created) forbids an expiry before creation.
-- Everything else (cookie, hook, API) is the reference's.

begin;

drop table auth.sessions;

create table auth.sessions (
    -- sha256(cookie value): 32 bytes, never the cookie value itself.
    token_hash       bytea primary key check (pg_catalog.octet_length(token_hash) = 32),
    user_id          bigint not null references app.users (user_id) on delete cascade,
    created          timestamptz not null default pg_catalog.clock_timestamp(),
    expires          timestamptz not null,
    absolute_expires timestamptz not null,
    check (expires > created),
    check (expires <= absolute_expires)
);

create index sessions_user_id_idx on auth.sessions (user_id);
alter table auth.sessions owner to auth;
alter table auth.sessions enable row level security;
revoke all on auth.sessions from public;

drop function auth.hash_token(text);
create function auth.hash_token(token text)
returns bytea
language sql
immutable
strict
set search_path = ''
as $$
    select pg_catalog.sha256(pg_catalog.convert_to(token, 'UTF8'));
$$;

create or replace function auth.open_session(user_id bigint)
returns text
language plpgsql
security definer
set search_path = ''
as $$
declare
    token        text := auth.new_token();
    t0           timestamptz := pg_catalog.clock_timestamp();
    abs_deadline timestamptz := t0 + pg_catalog.make_interval(secs => app.absolute_seconds());
begin
    insert into auth.sessions (token_hash, user_id, created, expires, absolute_expires)
    values (auth.hash_token(token),
            open_session.user_id,
            t0,
            least(t0 + pg_catalog.make_interval(secs => app.idle_seconds()), abs_deadline),
            abs_deadline);
    return token;
end
$$;

create or replace function auth.session_user_id(token text)
returns bigint
language sql
security definer
set search_path = ''
as $$
    select s.user_id
      from auth.sessions s
     where s.token_hash = auth.hash_token(session_user_id.token)
       and s.expires > pg_catalog.clock_timestamp()
       and s.absolute_expires > pg_catalog.clock_timestamp();
$$;

create or replace function auth.session_expires(token text)
returns timestamptz
language sql
security definer
set search_path = ''
as $$
    select s.expires
      from auth.sessions s
     where s.token_hash = auth.hash_token(session_expires.token)
       and s.expires > pg_catalog.clock_timestamp()
       and s.absolute_expires > pg_catalog.clock_timestamp();
$$;

create or replace function auth.refresh(token text)
returns timestamptz
language sql
security definer
set search_path = ''
as $$
    update auth.sessions s
       set expires = least(pg_catalog.clock_timestamp()
                           + pg_catalog.make_interval(secs => app.idle_seconds()),
                           s.absolute_expires)
     where s.token_hash = auth.hash_token(refresh.token)
       and s.expires > pg_catalog.clock_timestamp()
       and s.absolute_expires > pg_catalog.clock_timestamp()
    returning s.expires;
$$;

-- least(): never later than it was, and (clock_timestamp() being past created) still after created.
create or replace function auth.logout(token text)
returns void
language sql
security definer
set search_path = ''
as $$
    update auth.sessions s
       set expires = least(s.expires, pg_catalog.clock_timestamp())
     where s.token_hash = auth.hash_token(logout.token);
$$;

alter function auth.hash_token(text) owner to auth;
revoke execute on function auth.hash_token(text) from public;

------------------------------------------------------------------------------
-- The reference's pgTAP tests that read the sessions table, for this table
------------------------------------------------------------------------------

create or replace function tests.test_auth_token_stored_hashed()
returns setof text
language plpgsql
as $$
declare
    uid   bigint := tests.create_user('hashed@pgtap.invalid', 'Hashed', 'pw');
    tok text := auth.login('hashed@pgtap.invalid', 'pw');
begin
    return next ok(not exists (select 1 from auth.sessions where sessions.token_hash = convert_to(tok, 'UTF8')),
                   'the clear token is not in auth.sessions');
    return next ok(exists (select 1 from auth.sessions s
                            where s.token_hash = sha256(convert_to(tok, 'UTF8'))
                              and s.user_id = uid),
                   'its SHA-256 digest is');
    return next throws_ok(
        format('insert into auth.sessions (token_hash, user_id, expires, absolute_expires) values (convert_to(%L, ''UTF8''), %s, now() + interval ''1 hour'', now() + interval ''1 hour'')',
               tok, uid),
        '23514', null, 'a clear token cannot be stored even by mistake');
end
$$;

create or replace function tests.test_auth_refresh()
returns setof text
language plpgsql
as $$
declare
    uid    bigint := tests.create_user('refresh@pgtap.invalid', 'Refresh', 'pw');
    tok  text := auth.login('refresh@pgtap.invalid', 'pw');
    h      bytea := auth.hash_token(tok);
    before timestamptz;
    after  timestamptz;
    abs_deadline timestamptz;
begin
    update auth.sessions set expires = clock_timestamp() + interval '5 seconds' where sessions.token_hash = h
    returning expires into before;
    after := auth.refresh(tok);
    return next ok(after > before, 'refresh moves the idle deadline forward');
    return next ok(after <= clock_timestamp() + make_interval(secs => app.idle_seconds()),
                   'to at most now + sessions.idle_seconds');

    -- Near the end of the absolute lifetime, refresh stops at the absolute deadline.
    update auth.sessions
       set absolute_expires = clock_timestamp() + interval '10 seconds',
           expires = clock_timestamp() + interval '1 second'
     where sessions.token_hash = h
    returning absolute_expires into abs_deadline;
    after := auth.refresh(tok);
    return next is(after, abs_deadline, 'refresh never moves past absolute_expires');

    -- An expired session stays expired (created moves back too: expires > created).
    update auth.sessions
       set created = clock_timestamp() - interval '1 minute',
           expires = clock_timestamp() - interval '1 second'
     where sessions.token_hash = h
    returning expires into before;
    return next is(auth.refresh(tok), null, 'an expired session cannot be refreshed');
    return next is((select expires from auth.sessions where sessions.token_hash = h), before, 'and its deadline is unchanged');
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
    return next ok((select expires <= clock_timestamp() from auth.sessions where sessions.token_hash = auth.hash_token(tok)),
                   'its deadline has passed');
    return next is(auth.session_user_id(other), uid, 'the same user''s other session is untouched');
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
     where sessions.token_hash = auth.hash_token(tok);
    perform tests.simulate_request_with_token(tok);
    role_seen := current_user;
    id_seen := current_setting('auth.user_id', true);
    reset role;
    return next is(role_seen, 'anonymous', 'idle-expired session: the request stays anonymous');
    return next is(id_seen, '', 'and auth.user_id is empty');

    tok := auth.login('expired@pgtap.invalid', 'pw');
    -- Absolute deadline passed while the idle one is still in the future is
    -- impossible by the CHECK constraint, so push both into the past (and
    -- created before them: expires > created).
    update auth.sessions
       set created = clock_timestamp() - interval '1 minute',
           absolute_expires = clock_timestamp() - interval '1 second',
           expires = clock_timestamp() - interval '1 second'
     where sessions.token_hash = auth.hash_token(tok);
    perform tests.simulate_request_with_token(tok);
    role_seen := current_user;
    reset role;
    return next is(role_seen, 'anonymous', 'absolute-expired session: the request stays anonymous');
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
     where sessions.token_hash = auth.hash_token(tok);

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

commit;
