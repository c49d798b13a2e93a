-- about: the session cookie is issued without Secure (the embedded target is plain http, so this shows as cookie-secure-http; on https it is cookie-secure)
-- fails: cookie-secure-http
-- may-fail: cookie-secure db-own-tests-pass

-- patch: sql/20-auth.sql
-- replace:
                pg_catalog.format('%s=%s; Path=/; Max-Age=%s; HttpOnly; Secure; SameSite=Lax',
-- with:
                pg_catalog.format('%s=%s; Path=/; Max-Age=%s; HttpOnly; SameSite=Lax',
-- end
