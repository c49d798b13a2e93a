-- about: a failed login answers 204 No Content (no cookie, but a success status clients treat as signed in)
-- fails: lifecycle-bad-credentials
-- may-fail: db-own-tests-pass

-- patch: sql/30-api.sql
-- replace:
        raise insufficient_privilege using message = 'invalid credentials';
-- with:
        return;  -- the defect: the reference raises insufficient_privilege (401)
-- end
