-- about: register checks that the name holds no control characters with an assertion, which raises assert_failure (HTTP 500) instead of refusing the input
-- fails: robustness-hostile-input
-- may-fail: db-own-tests-pass robustness-no-header-injection

-- patch: sql/30-api.sql
-- replace:
    perform auth.issue_session_cookie(auth.register(email, name, password));
-- with:
    -- the defect: an assertion where a check constraint (or a 4xx error) belongs
    assert name !~ '[[:cntrl:]]', 'name must be printable';
    perform auth.issue_session_cookie(auth.register(email, name, password));
-- end
