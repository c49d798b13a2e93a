-- about: the session cookie's Max-Age is the absolute lifetime (8 hours) although the server session dies after 15 idle minutes
-- fails: cookie-lifetime browser-expired-not-sent
-- may-fail: db-own-tests-pass

-- patch: sql/20-auth.sql
-- replace:
    perform auth.set_cookie_header(
        token,
        greatest(0, pg_catalog.floor(pg_catalog.date_part('epoch', deadline - pg_catalog.clock_timestamp())))::integer);
-- with:
    -- the defect: Max-Age from the absolute lifetime, not from the session's deadline
    perform auth.set_cookie_header(token, app.absolute_seconds());
-- end
