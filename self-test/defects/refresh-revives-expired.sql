-- about: refresh_session, open to anonymous callers, moves an expired session's deadline forward and so brings it back (logout deletes the session row, so ended sessions stay ended)
-- fails: refresh-no-revival
-- may-fail: expiry-enforced db-own-tests-pass

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
       and s.absolute_expires > pg_catalog.clock_timestamp()
    returning s.expires;
$$;

create or replace function auth.logout(token text)
returns void
language sql
security definer
set search_path = ''
as $$
    delete from auth.sessions s where s.token = auth.hash_token(logout.token);
$$;

-- An expired token makes the request anonymous, so the revival needs anonymous to reach refresh.
grant execute on function api.refresh_session() to anonymous;
