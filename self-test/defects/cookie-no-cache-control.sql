-- about: responses that set or clear the session cookie carry no Cache-Control: no-store, so a shared cache may store one user's session
-- fails: cookie-no-store
-- may-fail: db-own-tests-pass

-- patch: sql/20-auth.sql
-- replace:
                                  app.cookie_name(), value, max_age)),
            pg_catalog.json_build_object('Cache-Control', 'no-store')
-- with:
                                  app.cookie_name(), value, max_age))
-- end
