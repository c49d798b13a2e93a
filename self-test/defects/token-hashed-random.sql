-- about: auth.new_token() makes the token from random() and hides it behind md5: 32 hex characters that look like 128 random bits to any statistic over HTTP, from a generator whose next outputs follow from a few observed ones
-- fails: db-token-csprng

-- The HTTP entropy estimates cannot tell these tokens from random ones: every
-- one is distinct, 32 characters of hex, no common prefix or suffix. Only the
-- source gives it away. Cookie values must match the reference's token shape
-- (43 URL-safe characters, auth.request_token), so the digest is padded with
-- more of the same.

-- patch: sql/20-auth.sql
-- replace:
    select pg_catalog.translate(pg_catalog.encode(extensions.gen_random_bytes(32), 'base64'), E'+/=\n', '-_');
-- with:
    select pg_catalog.left(pg_catalog.md5(pg_catalog.random()::text) || pg_catalog.md5(pg_catalog.random()::text), 43);
-- end
