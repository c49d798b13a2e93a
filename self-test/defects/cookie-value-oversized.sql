-- about: session tokens are 3072 random bytes (gen_random_bytes gives at most 1024 at a time): the cookie value is 4096 characters, so name plus value exceed the 4096 bytes user agents keep
-- fails: cookie-value-syntax
-- may-fail: db-own-tests-pass

-- patch: sql/20-auth.sql
-- replace:
    select pg_catalog.translate(pg_catalog.encode(extensions.gen_random_bytes(32), 'base64'), E'+/=\n', '-_');
-- with:
    select pg_catalog.translate(pg_catalog.encode(extensions.gen_random_bytes(1024) || extensions.gen_random_bytes(1024) || extensions.gen_random_bytes(1024), 'base64'), E'+/=\n', '-_');
-- replace:
    if value is null or value !~ '^[A-Za-z0-9_-]{43}$' then
-- with:
    -- The hook accepts the longer token (a regular expression cannot count to 4096).
    if value is null or value !~ '^[A-Za-z0-9_-]+$' or pg_catalog.length(value) <> 4096 then
-- end
