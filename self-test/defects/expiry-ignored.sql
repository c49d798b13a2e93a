-- about: the pre-request hook ignores the idle deadline, so an expired token still opens its session (logout deletes the session row, so only expiry is affected: the sessions a password change ends by expiring them stay open too)
-- fails: expiry-enforced lifecycle-password-change-ends-sessions
-- may-fail: refresh-no-revival db-own-tests-pass lifecycle-anonymous-refused

-- Only the absolute deadline is checked; expires (the idle deadline that
-- EXPIRE_SESSION_SQL moves) is never looked at. Logout removes the row
-- instead of moving its deadline: a legitimate alternative that keeps this
-- defect to expiry alone.

-- patch: sql/20-auth.sql
-- replace:
     where s.token = auth.hash_token(session_user_id.token)
       and s.expires > pg_catalog.clock_timestamp()
-- with:
     where s.token = auth.hash_token(session_user_id.token)
-- replace:
    update auth.sessions s
       set expires = least(s.expires, pg_catalog.clock_timestamp())
-- with:
    delete from auth.sessions s
-- end
