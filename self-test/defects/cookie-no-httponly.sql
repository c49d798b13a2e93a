-- about: the session cookie is issued without HttpOnly, so page scripts can read the token
-- fails: cookie-httponly browser-httponly
-- may-fail: db-own-tests-pass

-- patch: sql/20-auth.sql
-- replace:
                pg_catalog.format('%s=%s; Path=/; Max-Age=%s; HttpOnly; Secure; SameSite=Lax',
-- with:
                pg_catalog.format('%s=%s; Path=/; Max-Age=%s; Secure; SameSite=Lax',
-- end
