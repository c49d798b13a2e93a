-- about: the pre-request hook cuts the cookie value to the token length before checking it, so a live token with anything appended still opens that session
-- fails: robustness-hostile-cookie
-- may-fail: db-own-tests-pass

-- patch: sql/20-auth.sql
-- replace:
        value := raw::jsonb ->> name;
-- with:
        -- the defect: the value is cut to 43 characters instead of rejected
        value := pg_catalog.left(raw::jsonb ->> name, 43);
-- end
