-- about: the session cookie declares SameSite=None, so cross-site form posts carry the session
-- fails: cookie-samesite browser-csrf-form
-- may-fail: db-own-tests-pass

-- patch: sql/20-auth.sql
-- replace:
                pg_catalog.format('%s=%s; Path=/; Max-Age=%s; HttpOnly; Secure; SameSite=Lax',
-- with:
                pg_catalog.format('%s=%s; Path=/; Max-Age=%s; HttpOnly; Secure; SameSite=None',
-- end
