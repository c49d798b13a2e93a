-- about: refresh_session answers 2xx and re-sends the cookie but leaves the server-side deadline where it was
-- fails: refresh-extends
-- may-fail: db-own-tests-pass

create or replace function auth.refresh(token text)
returns timestamptz
language sql
security definer
set search_path = ''
as $$
    select s.expires
      from auth.sessions s
     where s.token = auth.hash_token(refresh.token)
       and s.expires > pg_catalog.clock_timestamp()
       and s.absolute_expires > pg_catalog.clock_timestamp();
$$;
