-- about: the session cookie declares Domain=127.0.0.1 instead of staying host-only
-- fails: cookie-host-only
-- may-fail: db-own-tests-pass

-- patch: sql/20-auth.sql
-- replace:
                pg_catalog.format('%s=%s; Path=/; Max-Age=%s; HttpOnly; Secure; SameSite=Lax',
-- with:
                pg_catalog.format('%s=%s; Path=/; Domain=127.0.0.1; Max-Age=%s; HttpOnly; Secure; SameSite=Lax',
-- end
