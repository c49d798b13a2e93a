-- about: the pre-request hook asserts that the cookie looks like a token, so a malformed cookie raises (assert_failure, HTTP 500) instead of meaning anonymous
-- fails: robustness-hostile-cookie
-- may-fail: db-own-tests-pass

-- patch: sql/20-auth.sql
-- replace:
    if value is null or value !~ '^[A-Za-z0-9_-]{43}$' then
-- with:
    -- the defect: an assertion where the reference returns NULL (anonymous)
    assert value is null or value ~ '^[A-Za-z0-9_-]{43}$', 'malformed session cookie';
    if value is null then
-- end
