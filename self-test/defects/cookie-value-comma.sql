-- about: the cookie value is "<token>,<issued-at epoch>": a comma is not a cookie-octet, and user agents split or drop such values
-- fails: cookie-value-syntax
-- may-fail: robustness-hostile-cookie db-own-tests-pass refresh-rotation

-- patch: sql/20-auth.sql
-- replace:
    perform auth.set_cookie_header(
        token,
-- with:
    perform auth.set_cookie_header(
        -- the defect: a comma-separated issue time after the token
        token || ',' || pg_catalog.floor(pg_catalog.date_part('epoch', pg_catalog.clock_timestamp()))::bigint,
-- replace:
        value := raw::jsonb ->> name;
-- with:
        -- The hook reads the part before the comma (which also accepts a live token followed by anything after a comma).
        value := pg_catalog.split_part(raw::jsonb ->> name, ',', 1);
-- end
