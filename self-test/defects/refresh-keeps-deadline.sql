-- about: refresh_session answers 2xx and re-sends the cookie but leaves the server-side deadline where it was
-- fails: refresh-extends
-- may-fail: db-own-tests-pass

-- patch: sql/20-auth.sql
-- replace:
    update auth.sessions s
       set expires = least(pg_catalog.clock_timestamp()
                           + pg_catalog.make_interval(secs => app.idle_seconds()),
                           s.absolute_expires)
-- with:
    -- the defect: the deadline is read, never moved
    select s.expires
      from auth.sessions s
-- replace:
       and s.absolute_expires > pg_catalog.clock_timestamp()
    returning s.expires;
-- with:
       and s.absolute_expires > pg_catalog.clock_timestamp();
-- end
