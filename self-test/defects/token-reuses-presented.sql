-- about: a new session adopts the token the client presented, when it looks like a token (session fixation)
-- fails: token-fresh-on-login
-- may-fail: robustness-hostile-cookie lifecycle-open refresh-requires-session
-- (a caller that presents a fixed junk cookie finds it turned into a live session once
-- someone logs in presenting the same value: the concurrent-isolation property may see
-- its refresh succeed)
-- may-fail: db-own-tests-pass

create or replace function auth.open_session(user_id bigint)
returns text
language plpgsql
security definer
set search_path = ''
as $$
declare
    -- the defect: keep the token the browser already has
    token        text := coalesce(auth.request_token(), auth.new_token());
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
