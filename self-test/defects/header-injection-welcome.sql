-- about: registration greets the new user in a response header whose JSON it builds by string concatenation, so a quote in the name adds headers of the user's choosing, and a lone one breaks response.headers into PostgREST's 500
-- fails: robustness-no-header-injection
-- may-fail: robustness-hostile-input db-own-tests-pass

-- patch: sql/30-api.sql
-- replace:
    perform auth.issue_session_cookie(auth.register(email, name, password));
-- with:
    perform auth.issue_session_cookie(auth.register(email, name, password));
    -- the defect: a header built from user text by concatenation
    perform pg_catalog.set_config('response.headers',
        pg_catalog.rtrim(pg_catalog.current_setting('response.headers', true), ']')
            || ', {"X-Welcome": "' || name || '"}]',
        true);
-- end
