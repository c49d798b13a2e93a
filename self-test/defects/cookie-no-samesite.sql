-- about: the session cookie declares no SameSite attribute (browsers that default to Lax still send it on top-level cross-site POSTs for two minutes; the Origin check of the reference then still keeps such a post anonymous)
-- fails: cookie-samesite
-- may-fail: db-own-tests-pass browser-csrf-form

-- patch: sql/20-auth.sql
-- replace:
                pg_catalog.format('%s=%s; Path=/; Max-Age=%s; HttpOnly; Secure; SameSite=Lax',
-- with:
                pg_catalog.format('%s=%s; Path=/; Max-Age=%s; HttpOnly; Secure',
-- end
