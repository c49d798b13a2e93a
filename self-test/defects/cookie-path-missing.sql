-- about: the session cookie declares no Path: the browser scopes it to the directory of the request that set it (/rpc)
-- fails: cookie-path
-- may-fail: db-own-tests-pass

-- patch: sql/20-auth.sql
-- replace:
                pg_catalog.format('%s=%s; Path=/; Max-Age=%s; HttpOnly; Secure; SameSite=Lax',
-- with:
                pg_catalog.format('%s=%s; Max-Age=%s; HttpOnly; Secure; SameSite=Lax',
-- end
