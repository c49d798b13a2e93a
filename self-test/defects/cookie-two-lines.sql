-- about: every response that sets or clears the session cookie sends its Set-Cookie line twice
-- fails: cookie-single
-- may-fail: db-own-tests-pass

-- patch: sql/20-auth.sql
-- replace:
                                  app.cookie_name(), value, max_age)),
-- with:
                                  app.cookie_name(), value, max_age)),
            -- the defect: a second, identical line
            pg_catalog.json_build_object('Set-Cookie',
                pg_catalog.format('%s=%s; Path=/; Max-Age=%s; HttpOnly; Secure; SameSite=Lax', app.cookie_name(), value, max_age)),
-- end
