-- about: the session cookie's lifetime is an Expires date written the way PostgreSQL prints a timestamp (2026-01-31 17:45:00.123+00): a lenient date parser reads it, browsers reject it and keep the cookie until they close (logout still clears with Max-Age=0)
-- fails: cookie-lifetime browser-expired-not-sent
-- may-fail: db-own-tests-pass

-- patch: sql/20-auth.sql
-- replace:
                pg_catalog.format('%s=%s; Path=/; Max-Age=%s; HttpOnly; Secure; SameSite=Lax',
                                  app.cookie_name(), value, max_age)),
-- with:
                pg_catalog.format('%s=%s; Path=/; %s; HttpOnly; Secure; SameSite=Lax',
                                  app.cookie_name(), value,
                                  case when max_age = 0 then 'Max-Age=0'
                                       -- the defect: timestamptz text is not a cookie date
                                       else 'Expires=' || (pg_catalog.clock_timestamp()
                                                           + pg_catalog.make_interval(secs => max_age))::text
                                  end)),
-- end
