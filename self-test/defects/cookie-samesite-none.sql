-- about: the session cookie declares SameSite=None and the pre-request hook does not check Origin, so a form on another site posts with the user's session and acts as them
-- fails: cookie-samesite browser-csrf-form
-- may-fail: db-own-tests-pass

-- patch: sql/20-auth.sql
-- replace:
                pg_catalog.format('%s=%s; Path=/; Max-Age=%s; HttpOnly; Secure; SameSite=Lax',
-- with:
                pg_catalog.format('%s=%s; Path=/; Max-Age=%s; HttpOnly; Secure; SameSite=None',
-- replace:
    if not auth.origin_allowed() then
        return null;
    end if;
-- with:
    -- the defect: no Origin check either
-- end
