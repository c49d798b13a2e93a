-- about: the pre-request hook ignores the idle deadline, so an expired token still opens its session (logout deletes the session row, so only expiry is affected)
-- fails: expiry-enforced
-- may-fail: refresh-no-revival db-own-tests-pass lifecycle-anonymous-refused

-- Only the absolute deadline is checked; expires (the idle deadline that
-- EXPIRE_SESSION_SQL moves) is never looked at.
create or replace function auth.session_user_id(token text)
returns bigint
language sql
security definer
set search_path = ''
as $$
    select s.user_id
      from auth.sessions s
     where s.token = auth.hash_token(session_user_id.token)
       and s.absolute_expires > pg_catalog.clock_timestamp();
$$;

-- Logout removes the row instead of moving its deadline: a legitimate
-- alternative that keeps this defect to expiry alone.
create or replace function auth.logout(token text)
returns void
language sql
security definer
set search_path = ''
as $$
    delete from auth.sessions s where s.token = auth.hash_token(logout.token);
$$;
