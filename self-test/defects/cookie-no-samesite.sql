-- about: the session cookie declares no SameSite attribute (browsers that default to Lax still send it on top-level cross-site POSTs)
-- fails: cookie-samesite browser-csrf-form
-- may-fail: db-own-tests-pass

-- patch: sql/20-auth.sql
-- replace:
                pg_catalog.format('%s=%s; Path=/; Max-Age=%s; HttpOnly; Secure; SameSite=Lax',
-- with:
                pg_catalog.format('%s=%s; Path=/; Max-Age=%s; HttpOnly; Secure',
-- end
