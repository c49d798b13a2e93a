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

-- The table and the hash change type: both are made again.
drop table auth.sessions;
drop function auth.hash_token(text);

-- patch: sql/20-auth.sql
-- replace:
    -- hex(sha256(cookie value)); the CHECK makes storing a clear token
    -- impossible, not merely unlikely.
    token            text primary key check (token ~ '^[0-9a-f]{64}$'),
-- with:
    -- sha256(cookie value): 32 bytes, never the cookie value itself.
    token_hash       bytea primary key check (pg_catalog.octet_length(token_hash) = 32),
-- replace:
    check (expires <= absolute_expires)
-- with:
    check (expires > created),
    check (expires <= absolute_expires)
-- replace:
create or replace function auth.hash_token(token text)
returns text
-- with:
create or replace function auth.hash_token(token text)
returns bytea
-- replace:
    select pg_catalog.encode(pg_catalog.sha256(pg_catalog.convert_to(token, 'UTF8')), 'hex');
-- with:
    select pg_catalog.sha256(pg_catalog.convert_to(token, 'UTF8'));
-- replace:
    insert into auth.sessions (token, user_id, created, expires, absolute_expires)
-- with:
    insert into auth.sessions (token_hash, user_id, created, expires, absolute_expires)
-- replace:
     where s.token = auth.hash_token(session_user_id.token)
-- with:
     where s.token_hash = auth.hash_token(session_user_id.token)
-- replace:
     where s.token = auth.hash_token(session_expires.token)
-- with:
     where s.token_hash = auth.hash_token(session_expires.token)
-- replace:
     where s.token = auth.hash_token(refresh.token)
-- with:
     where s.token_hash = auth.hash_token(refresh.token)
-- replace:
     where s.token = auth.hash_token(logout.token);
-- with:
     where s.token_hash = auth.hash_token(logout.token);
-- replace:
       and others.token <> auth.hash_token(change_password.token);
-- with:
       and others.token_hash <> auth.hash_token(change_password.token);
-- end

-- What the reference does right after creating them.
create index sessions_user_id_idx on auth.sessions (user_id);
alter table auth.sessions owner to auth;
alter table auth.sessions enable row level security;
revoke all on auth.sessions from public;
alter function auth.hash_token(text) owner to auth;
revoke execute on function auth.hash_token(text) from public;

-- The reference's pgTAP tests that read the sessions table, for this table.
-- patch: sql/tests/10-tests.sql
-- replace:
    return next ok(not exists (select 1 from auth.sessions where sessions.token = tok),
-- with:
    return next ok(not exists (select 1 from auth.sessions where sessions.token_hash = convert_to(tok, 'UTF8')),
-- replace:
                            where s.token = encode(sha256(convert_to(tok, 'UTF8')), 'hex')
-- with:
                            where s.token_hash = sha256(convert_to(tok, 'UTF8'))
-- replace:
                   'its SHA-256 hex digest is');
-- with:
                   'its SHA-256 digest is');
-- replace:
        format('insert into auth.sessions (token, user_id, expires, absolute_expires) values (%L, %s, now(), now())',
-- with:
        format('insert into auth.sessions (token_hash, user_id, expires, absolute_expires) values (convert_to(%L, ''UTF8''), %s, now() + interval ''1 hour'', now() + interval ''1 hour'')',
-- replace:
    h      text := auth.hash_token(tok);
-- with:
    h      bytea := auth.hash_token(tok);
-- replace:
    update auth.sessions set expires = clock_timestamp() + interval '5 seconds' where sessions.token = h
-- with:
    update auth.sessions set expires = clock_timestamp() + interval '5 seconds' where sessions.token_hash = h
-- replace:
           expires = clock_timestamp() + interval '1 second'
     where sessions.token = h
-- with:
           expires = clock_timestamp() + interval '1 second'
     where sessions.token_hash = h
-- replace:
    -- An expired session stays expired.
    update auth.sessions set expires = clock_timestamp() - interval '1 second' where sessions.token = h
-- with:
    -- An expired session stays expired (created moves back too: expires > created).
    update auth.sessions
       set created = clock_timestamp() - interval '1 minute',
           expires = clock_timestamp() - interval '1 second'
     where sessions.token_hash = h
-- replace:
    return next is((select expires from auth.sessions where sessions.token = h), before, 'and its deadline is unchanged');
-- with:
    return next is((select expires from auth.sessions where sessions.token_hash = h), before, 'and its deadline is unchanged');
-- replace:
    return next ok((select expires <= clock_timestamp() from auth.sessions where sessions.token = auth.hash_token(tok)),
-- with:
    return next ok((select expires <= clock_timestamp() from auth.sessions where sessions.token_hash = auth.hash_token(tok)),
-- replace:
     where sessions.token in (tok, encode(sha256(convert_to(tok, 'UTF8')), 'hex'));
-- with:
     where sessions.token_hash = auth.hash_token(tok);
-- replace:
    -- impossible by the CHECK constraint, so push both into the past.
    update auth.sessions
       set absolute_expires = clock_timestamp() - interval '1 second',
           expires = clock_timestamp() - interval '1 second'
     where sessions.token = auth.hash_token(tok);
-- with:
    -- impossible by the CHECK constraint, so push both into the past (and
    -- created before them: expires > created).
    update auth.sessions
       set created = clock_timestamp() - interval '1 minute',
           absolute_expires = clock_timestamp() - interval '1 second',
           expires = clock_timestamp() - interval '1 second'
     where sessions.token_hash = auth.hash_token(tok);
-- replace:
    update auth.sessions set expires = clock_timestamp() + interval '10 seconds'
     where sessions.token = auth.hash_token(tok);
-- with:
    update auth.sessions set expires = clock_timestamp() + interval '10 seconds'
     where sessions.token_hash = auth.hash_token(tok);
-- end

commit;
