-- about: register creates the account but sends no session cookie (the user must log in separately)
-- fails: lifecycle-open
-- may-fail: robustness-hostile-cookie db-own-tests-pass

-- patch: sql/30-api.sql
-- replace:
    perform auth.issue_session_cookie(auth.register(email, name, password));
-- with:
    -- the defect: the reference issues the new session's cookie here
    perform auth.register(email, name, password);
-- end
