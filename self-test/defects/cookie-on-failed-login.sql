-- about: a failed login still sets a session cookie (a random token with no session behind it) while answering 401
-- fails: cookie-none-on-failure
-- may-fail: db-own-tests-pass

-- patch: sql/30-api.sql
-- replace:
        raise insufficient_privilege using message = 'invalid credentials';
-- with:
        -- the defect: "reset" the browser's cookie to a fresh random value on failure
        perform auth.set_cookie_header(pg_catalog.md5(pg_catalog.random()::text), app.idle_seconds());
        perform pg_catalog.set_config('response.status', '401', true);
        return;
-- end
