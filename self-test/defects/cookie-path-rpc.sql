-- about: the session cookie is scoped to Path=/rpc, so the browser never sends it to /todos or /users
-- fails: cookie-path
-- may-fail: db-own-tests-pass

-- patch: sql/20-auth.sql
-- replace:
                pg_catalog.format('%s=%s; Path=/; Max-Age=%s; HttpOnly; Secure; SameSite=Lax',
-- with:
                pg_catalog.format('%s=%s; Path=/rpc; Max-Age=%s; HttpOnly; Secure; SameSite=Lax',
-- end
