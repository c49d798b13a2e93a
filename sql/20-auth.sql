-- 20-auth.sql -- passwords, session tokens and the pre-request hook
--
-- The auth schema is private: PostgREST does not expose it and no client can
-- call its functions directly. It answers four questions for the api schema:
--
--   * is this e-mail/password pair right?          auth.login
--   * give this user a new session                 auth.register / auth.login
--   * which user does this cookie belong to?       auth.session_user_id
--   * extend / end this session                    auth.refresh / auth.logout
--
-- and it provides auth.authenticate, the hook PostgREST runs before every
-- request (db-pre-request), which turns a session cookie into a database
-- role and a user id.
--
-- SECURITY DEFINER functions here run with the privileges of their owner,
-- the role auth, which alone may read password hashes and the sessions
-- table. Each of them pins search_path to '' and spells out every schema: a
-- definer function that resolves names through the caller's search_path can
-- be tricked into calling the caller's own look-alike objects with the
-- owner's privileges. pg_catalog is always searched implicitly (and first),
-- so built-in functions and operators are safe even unqualified; we still
-- qualify functions for clarity. Operators from extensions are NOT found
-- with an empty search_path: citext's case-insensitive equality lives in
-- schema extensions, hence the OPERATOR(extensions.=) syntax below. Without
-- it, PostgreSQL would quietly cast both sides to text and compare them
-- case-sensitively.

begin;

create schema if not exists auth authorization auth;
-- Only the hook and the api functions ever need to resolve names in auth.
revoke all on schema auth from public;
grant usage on schema auth to anonymous, api;

------------------------------------------------------------------------------
-- Sessions
--
-- The cookie carries a random token; the table stores only its SHA-256 hash.
-- Anyone who can read this table -- a backup, a replica, a log of a careless
-- query -- learns nothing they can replay as a cookie. A fast hash is right
-- here (unlike for passwords): the token has 256 bits of entropy, so there
-- is nothing to brute-force, and the lookup runs on every request.
--
-- Two deadlines:
--   expires           idle deadline. Moved forward by auth.refresh, never
--                     beyond absolute_expires. It is THE deadline: the
--                     cookie's Max-Age is computed from it.
--   absolute_expires  created + sessions.absolute_seconds. Fixed for the life
--                     of the session, so a stolen cookie that is kept busy
--                     still stops working eventually.
-- A session is live when both lie in the future.
------------------------------------------------------------------------------

create table if not exists auth.sessions (
    -- hex(sha256(cookie value)); the CHECK makes storing a clear token
    -- impossible, not merely unlikely.
    token            text primary key check (token ~ '^[0-9a-f]{64}$'),
    user_id          bigint not null references app.users (user_id) on delete cascade,
    created          timestamptz not null default pg_catalog.clock_timestamp(),
    expires          timestamptz not null,
    absolute_expires timestamptz not null,
    check (expires <= absolute_expires)
);

create index if not exists sessions_user_id_idx on auth.sessions (user_id);

alter table auth.sessions owner to auth;
-- Only the owner (auth) uses this table. RLS with no policies is a second lock
-- on the door in case someone GRANTs it to another role by mistake.
alter table auth.sessions enable row level security;
revoke all on auth.sessions from public;

------------------------------------------------------------------------------
-- Token helpers
------------------------------------------------------------------------------

-- The one definition of "how a token is stored". The conformance suite
-- computes the same expression to find a session by its cookie value.
create or replace function auth.hash_token(token text)
returns text
language sql
immutable
strict
set search_path = ''
as $$
    select pg_catalog.encode(pg_catalog.sha256(pg_catalog.convert_to(token, 'UTF8')), 'hex');
$$;

-- 32 random bytes (256 bits) as URL-safe base64 without padding: 43
-- characters from [A-Za-z0-9_-], all legal in a cookie value without quoting
-- or escaping. (base64 of 32 bytes is 44 characters ending in one '='; the
-- translate() maps + and / to - and _ and deletes the '='.)
create or replace function auth.new_token()
returns text
language sql
volatile
set search_path = ''
as $$
    select pg_catalog.translate(pg_catalog.encode(extensions.gen_random_bytes(32), 'base64'), E'+/=\n', '-_');
$$;

------------------------------------------------------------------------------
-- Opening, checking, refreshing and ending sessions
------------------------------------------------------------------------------

-- Internal: only the other auth functions call it (no EXECUTE for anyone).
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
    insert into auth.sessions (token, user_id, created, expires, absolute_expires)
    values (auth.hash_token(token),
            open_session.user_id,
            t0,
            least(t0 + pg_catalog.make_interval(secs => app.idle_seconds()), abs_deadline),
            abs_deadline);
    return token;
end
$$;

-- Returns a fresh session token, or NULL when the credentials are wrong.
--
-- Unknown e-mail and wrong password must be indistinguishable to a client,
-- not only in the error message (that is api.login's job) but also in time:
-- bcrypt is deliberately slow, so skipping it for unknown addresses would
-- answer "no such account" in a fraction of the time. When there is no user
-- we therefore hash the password anyway, with a throw-away salt of the same
-- cost, and discard the result.
create or replace function auth.login(email text, password text)
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
     where users.email operator(extensions.=) login.email::extensions.citext;

    -- bcrypt reads only the first 72 bytes of a password, so any longer
    -- text sharing them would match too. Registration refuses passwords over
    -- 72 bytes (app.users' trigger), so a longer one cannot be the password:
    -- it is refused, after the same throw-away hash an unknown user costs.
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

-- Creates the account and its first session in one go. The password is
-- hashed by the trigger on app.users; a duplicate e-mail raises
-- unique_violation (23505), which PostgREST reports as 409 Conflict.
create or replace function auth.register(email text, name text, password text)
returns text
language plpgsql
security definer
set search_path = ''
as $$
declare
    new_id bigint;
begin
    insert into app.users (email, name, password)
    values (register.email, register.name, register.password)
    returning users.user_id into new_id;
    return auth.open_session(new_id);
end
$$;

-- Which user does this token belong to, if its session is live?
-- clock_timestamp() rather than now(): now() is frozen at the start of the
-- transaction, and a deadline should be checked against the real clock.
create or replace function auth.session_user_id(token text)
returns bigint
language sql
security definer
set search_path = ''
as $$
    select s.user_id
      from auth.sessions s
     where s.token = auth.hash_token(session_user_id.token)
       and s.expires > pg_catalog.clock_timestamp()
       and s.absolute_expires > pg_catalog.clock_timestamp();
$$;

-- The current deadline of a live session (NULL if none); used for Max-Age.
create or replace function auth.session_expires(token text)
returns timestamptz
language sql
security definer
set search_path = ''
as $$
    select s.expires
      from auth.sessions s
     where s.token = auth.hash_token(session_expires.token)
       and s.expires > pg_catalog.clock_timestamp()
       and s.absolute_expires > pg_catalog.clock_timestamp();
$$;

-- Sliding expiration, bounded: the idle deadline moves to now + idle, but
-- never past the absolute deadline. Only a live session can be refreshed;
-- an expired one stays expired. Returns the new deadline or NULL.
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
     where s.token = auth.hash_token(refresh.token)
       and s.expires > pg_catalog.clock_timestamp()
       and s.absolute_expires > pg_catalog.clock_timestamp()
    returning s.expires;
$$;

-- Ends the session on the server. Clearing the cookie in the browser is not
-- enough: a copy of the cookie (stolen, or just still open in another tab)
-- would keep working. We set the deadline to now instead of deleting the row,
-- so the row remains as a record that the session was ended; least() makes
-- sure an already expired session is never moved later.
create or replace function auth.logout(token text)
returns void
language sql
security definer
set search_path = ''
as $$
    update auth.sessions s
       set expires = least(s.expires, pg_catalog.clock_timestamp())
     where s.token = auth.hash_token(logout.token);
$$;

-- A new password, given the current one, for the caller of this session.
-- Whoever else holds a session of the user (a stolen cookie, a forgotten
-- device) is logged out by it: every other session of the user ends now,
-- the caller's own stays. Returns false, changing nothing, when the session
-- is not live or the current password is wrong.
create or replace function auth.change_password(token text, old_password text, new_password text)
returns boolean
language plpgsql
security definer
set search_path = ''
as $$
declare
    uid  bigint := auth.session_user_id(token);
    hash text;
begin
    if uid is null then
        return false;
    end if;
    select users.password into hash from app.users where users.user_id = uid;
    if old_password is null or pg_catalog.octet_length(old_password) > 72
       or extensions.crypt(old_password, hash) is distinct from hash then
        return false;
    end if;
    update app.users set password = new_password where users.user_id = uid;
    update auth.sessions others
       set expires = least(others.expires, pg_catalog.clock_timestamp())
     where others.user_id = uid
       and others.token <> auth.hash_token(change_password.token);
    return true;
end
$$;

-- Housekeeping for a cron job or an operator; nothing calls it automatically.
create or replace function auth.purge_expired_sessions(older_than interval default '1 day')
returns bigint
language sql
security definer
set search_path = ''
as $$
    with gone as (
        delete from auth.sessions s
         where least(s.expires, s.absolute_expires) < pg_catalog.clock_timestamp() - older_than
        returning 1)
    select pg_catalog.count(*) from gone;
$$;

------------------------------------------------------------------------------
-- Reading the cookie
--
-- PostgREST passes the request's cookies as one JSON object in the setting
-- request.cookies, e.g. {"session_token":"abc..."}. (The seed application
-- read request.cookie.<name>, a per-cookie setting that PostgREST 9 removed.)
--
-- Everything about this input is attacker controlled, so this function
-- tolerates anything and never raises:
--   * NULL    -- the setting was never defined in this session;
--   * ''      -- it was defined by an earlier request on this pooled
--                connection and reset at that transaction's end;
--   * text that is not JSON, or JSON that is not an object;
--   * a value of any length or shape.
-- Only a value that looks exactly like one of our tokens is returned; the
-- rest is NULL, i.e. "anonymous". Rejecting by shape first also keeps
-- megabyte-sized junk away from hashing and the index.
------------------------------------------------------------------------------

------------------------------------------------------------------------------
-- Whose page is asking
--
-- Browsers name the origin of the page behind every cross-origin request,
-- and behind every POST, in the Origin header. A cookie is only trusted when
-- that origin is the deployment's own (the request's Host, or the host a
-- reverse proxy forwarded) or one listed in the setting
-- sessions.allowed_origins (comma-separated, e.g. the front end's origin);
-- with any other Origin the request goes on as anonymous. This is OWASP's
-- "verify origin with standard headers": a form on another site cannot act
-- as the user, and a script on another origin reads nothing of theirs even
-- where PostgREST's CORS answer (PostgREST 11 reflects any Origin with
-- credentials) would let it. Requests without an Origin (same-origin GETs,
-- clients that are not browsers) are not affected.
------------------------------------------------------------------------------

create or replace function auth.origin_allowed()
returns boolean
language plpgsql
stable
set search_path = ''
as $$
declare
    headers jsonb;
    origin  text;
    own     text[];
begin
    begin
        headers := nullif(pg_catalog.current_setting('request.headers', true), '')::jsonb;
    exception when data_exception then
        return false;
    end;
    origin := headers ->> 'origin';
    if origin is null then
        return true;
    end if;
    own := array[headers ->> 'host', headers ->> 'x-forwarded-host'];
    return origin in (select scheme || host
                        from pg_catalog.unnest(own) as host,
                             pg_catalog.unnest(array['http://', 'https://']) as scheme
                       where host is not null)
        or origin = any (pg_catalog.string_to_array(
               pg_catalog.replace(coalesce(pg_catalog.current_setting('sessions.allowed_origins', true), ''), ' ', ''),
               ','));
end
$$;

create or replace function auth.request_token()
returns text
language plpgsql
stable
set search_path = ''
as $$
declare
    name  text := app.cookie_name();
    raw   text := pg_catalog.current_setting('request.cookies', true);
    value text;
begin
    if raw is null or raw = '' then
        return null;
    end if;
    -- A cookie sent from another origin's page is not the user acting.
    if not auth.origin_allowed() then
        return null;
    end if;
    begin
        -- ->> on a JSON array, string or number yields NULL, not an error.
        -- Duplicate cookies: PostgREST (11 and 12) already collapses
        -- "Cookie: a=1; a=2" to {"a":"2"} -- the LAST one wins -- before the
        -- database sees it, and request.headers does not carry the Cookie
        -- header, so SQL cannot detect the duplicate. Should a duplicate key
        -- reach us anyway, jsonb likewise keeps the last one. Either way it
        -- is one candidate that must pass the checks below.
        value := raw::jsonb ->> name;
    exception when data_exception then   -- malformed JSON (22P02) and kin
        return null;
    end;
    if value is null or value !~ '^[A-Za-z0-9_-]{43}$' then
        return null;
    end if;
    return value;
end
$$;

------------------------------------------------------------------------------
-- The pre-request hook
--
-- PostgREST (configured with db-pre-request = auth.authenticate) runs, for
-- every request, inside one transaction:
--
--   BEGIN;
--   SET LOCAL ROLE anonymous;                    -- db-anon-role, no JWT sent
--   SELECT set_config('request.cookies', '{...}', true), ...;
--   SELECT auth.authenticate();                  -- this function
--   <the query for the endpoint>;
--   COMMIT;
--
-- If the cookie names a live session we switch to webuser and record the
-- user id; otherwise we stay anonymous with an empty user id.
--
-- Two rules shape this function:
--
--   * It is SECURITY INVOKER. PostgreSQL refuses SET ROLE inside a SECURITY
--     DEFINER function (the role to return to would be ambiguous), so the
--     privileged lookup is delegated to auth.session_user_id, which is
--     definer, and this function only acts on its answer. It pins its
--     search_path all the same. (A function's SET clause only restores the
--     parameters it names -- here search_path -- when the function returns;
--     the SET LOCAL ROLE and set_config(..., true) below survive until the
--     end of the transaction, which is what we want.)
--
--   * Every setting is transaction-local (SET LOCAL / is_local = true).
--     PostgREST keeps a pool of connections and hands the same connection to
--     request after request, from different users. A session-wide setting
--     would survive COMMIT and the next request on that connection -- maybe
--     an anonymous one, maybe someone else's -- would start out as webuser
--     with the previous user's id. Transaction-local settings vanish at
--     COMMIT or ROLLBACK, so every request starts from nothing.
--     Setting auth.user_id explicitly to '' in the anonymous case is a
--     belt to go with those braces.
------------------------------------------------------------------------------

create or replace function auth.authenticate()
returns void
language plpgsql
security invoker
set search_path = ''
as $$
declare
    token   text := auth.request_token();
    user_id bigint;
begin
    if token is not null then
        user_id := auth.session_user_id(token);
    end if;

    if user_id is not null then
        -- The answer is this user's alone: no shared cache (a CDN, a reverse
        -- proxy) may store it for the next caller of the same URL. Appended to
        -- whatever headers are already set, never hiding one. A response that
        -- sets the cookie later replaces the whole array with its own, which
        -- says no-store as well.
        perform pg_catalog.set_config('response.headers',
            (coalesce(nullif(pg_catalog.current_setting('response.headers', true), ''), '[]')::jsonb
             || '[{"Cache-Control": "no-store"}]'::jsonb)::text,
            true);
        set local role webuser;
        perform pg_catalog.set_config('auth.user_id', user_id::text, true);
    else
        perform pg_catalog.set_config('auth.user_id', '', true);
    end if;
end
$$;

------------------------------------------------------------------------------
-- Writing the cookie
--
-- PostgREST turns the transaction-local setting response.headers -- a JSON
-- array of single-key objects -- into HTTP response headers. We always set
-- the whole array in ONE call, so that whatever happened earlier in the
-- request (api.register opening a session, say) the response carries exactly
-- one Set-Cookie for the session cookie. json_build_* does the quoting; no
-- string concatenation of JSON by hand.
--
-- The flags, and why:
--   Path=/          the cookie is sent to every endpoint of the API.
--   Max-Age=n       the seconds left on the server-side session, so the
--                   browser drops the cookie when the server would refuse it
--                   anyway. (Max-Age, not Expires: no clock-skew or
--                   date-format issues.)
--   HttpOnly        page scripts cannot read it: an XSS bug cannot simply
--                   exfiltrate the session.
--   Secure          only ever sent over HTTPS. (Browsers treat
--                   http://localhost as secure, so development still works.)
--   SameSite=Lax    not sent on cross-site sub-requests such as a POST from
--                   another site's form: the basic CSRF defence.
--   no Domain       the cookie stays with the exact host that set it instead
--                   of being shared with sibling sub-domains.
-- Cache-Control: no-store keeps shared caches and proxies from storing a
-- response that sets or clears a session.
------------------------------------------------------------------------------

create or replace function auth.set_cookie_header(value text, max_age integer)
returns void
language sql
volatile
set search_path = ''
as $$
    select pg_catalog.set_config(
        'response.headers',
        pg_catalog.json_build_array(
            pg_catalog.json_build_object(
                'Set-Cookie',
                pg_catalog.format('%s=%s; Path=/; Max-Age=%s; HttpOnly; Secure; SameSite=Lax',
                                  app.cookie_name(), value, max_age)),
            pg_catalog.json_build_object('Cache-Control', 'no-store')
        )::text,
        true);   -- transaction-local, like every request setting
$$;

-- Send the cookie for a live session; Max-Age counts down to its deadline.
create or replace function auth.issue_session_cookie(token text)
returns void
language plpgsql
volatile
set search_path = ''
as $$
declare
    deadline timestamptz := auth.session_expires(token);
begin
    if deadline is null then
        raise insufficient_privilege using message = 'no live session';
    end if;
    perform auth.set_cookie_header(
        token,
        greatest(0, pg_catalog.floor(pg_catalog.date_part('epoch', deadline - pg_catalog.clock_timestamp())))::integer);
end
$$;

-- Tell the browser to forget the cookie: empty value, Max-Age=0, and the same
-- Path (a cookie is only replaced by one with the same name, path and domain).
create or replace function auth.clear_session_cookie()
returns void
language sql
volatile
set search_path = ''
as $$
    select auth.set_cookie_header('', 0);
$$;

------------------------------------------------------------------------------
-- Ownership and privileges
------------------------------------------------------------------------------

alter function auth.hash_token(text)                    owner to auth;
alter function auth.new_token()                         owner to auth;
alter function auth.open_session(bigint)                owner to auth;
alter function auth.login(text, text)                   owner to auth;
alter function auth.register(text, text, text)          owner to auth;
alter function auth.session_user_id(text)               owner to auth;
alter function auth.session_expires(text)               owner to auth;
alter function auth.refresh(text)                       owner to auth;
alter function auth.logout(text)                        owner to auth;
alter function auth.change_password(text, text, text)   owner to auth;
alter function auth.purge_expired_sessions(interval)    owner to auth;
alter function auth.request_token()                     owner to auth;
alter function auth.origin_allowed()                    owner to auth;
alter function auth.authenticate()                      owner to auth;
alter function auth.set_cookie_header(text, integer)    owner to auth;
alter function auth.issue_session_cookie(text)          owner to auth;
alter function auth.clear_session_cookie()              owner to auth;

revoke execute on all functions in schema auth from public;

-- The hook runs as anonymous; it needs the cookie reader and the lookup.
grant execute on function auth.authenticate()        to anonymous;
grant execute on function auth.request_token()       to anonymous, api;
grant execute on function auth.origin_allowed()      to anonymous, api;
grant execute on function auth.session_user_id(text) to anonymous;

-- The api functions (owned by api) do the rest on the client's behalf.
grant execute on function
    auth.login(text, text),
    auth.register(text, text, text),
    auth.refresh(text),
    auth.logout(text),
    auth.change_password(text, text, text),
    auth.session_expires(text),
    auth.set_cookie_header(text, integer),
    auth.issue_session_cookie(text),
    auth.clear_session_cookie()
to api;

commit;
