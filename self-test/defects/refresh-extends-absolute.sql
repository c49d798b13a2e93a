-- about: refresh_session restarts the absolute lifetime too, so a session kept busy never has to sign in again
-- fails: refresh-absolute-limit
-- may-fail: db-own-tests-pass

-- patch: sql/20-auth.sql
-- replace:
       set expires = least(pg_catalog.clock_timestamp()
                           + pg_catalog.make_interval(secs => app.idle_seconds()),
                           s.absolute_expires)
-- with:
       -- the defect: the absolute deadline moves with every refresh
       set absolute_expires = pg_catalog.clock_timestamp()
                              + pg_catalog.make_interval(secs => app.absolute_seconds()),
           expires = pg_catalog.clock_timestamp()
                     + pg_catalog.make_interval(secs => app.idle_seconds())
-- end
