-- about: tokens keep the 43-character shape but only 12 random bytes vary (a constant prefix, then 24 hex digits): 96 bits, above the MUST, below the SHOULD
-- fails: token-entropy-recommended

-- patch: sql/20-auth.sql
-- replace:
    select pg_catalog.translate(pg_catalog.encode(extensions.gen_random_bytes(32), 'base64'), E'+/=\n', '-_');
-- with:
    select 'sess' || pg_catalog.repeat('0', 15) || pg_catalog.encode(extensions.gen_random_bytes(12), 'hex');
-- end
