-- about: refresh_session, open to anonymous callers, moves an expired session's deadline forward and so brings it back (logout deletes the session row, so ended sessions stay ended)
-- fails: refresh-no-revival
-- may-fail: expiry-enforced db-own-tests-pass

-- Logout deletes the row, so an ended session is gone, not merely expired.
-- patch: sql/20-auth.sql
-- replace:
    update auth.sessions s
       set expires = least(s.expires, pg_catalog.clock_timestamp())
-- with:
    delete from auth.sessions s
-- replace:
     where s.token = auth.hash_token(refresh.token)
       and s.expires > pg_catalog.clock_timestamp()
-- with:
     where s.token = auth.hash_token(refresh.token)
-- end

-- An expired token makes the request anonymous, so the revival needs anonymous to reach refresh.
grant execute on function api.refresh_session() to anonymous;
