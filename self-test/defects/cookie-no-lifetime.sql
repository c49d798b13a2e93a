-- about: the session cookie is issued without Max-Age or Expires (a browser-session cookie, which browsers restore across restarts); logout still clears it with Max-Age=0
-- fails: cookie-lifetime browser-expired-not-sent
-- may-fail: db-own-tests-pass

-- patch: sql/20-auth.sql
-- replace:
                pg_catalog.format('%s=%s; Path=/; Max-Age=%s; HttpOnly; Secure; SameSite=Lax',
                                  app.cookie_name(), value, max_age)),
-- with:
                -- the defect: Max-Age only on the clearing cookie
                case when max_age > 0
                     then pg_catalog.format('%s=%s; Path=/; HttpOnly; Secure; SameSite=Lax',
                                            app.cookie_name(), value)
                     else pg_catalog.format('%s=%s; Path=/; Max-Age=%s; HttpOnly; Secure; SameSite=Lax',
                                            app.cookie_name(), value, max_age)
                end),
-- end
