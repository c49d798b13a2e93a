-- about: tokens keep the 43-character shape but only 6 random bytes vary (a constant prefix, then 12 hex digits): 48 bits
-- fails: token-entropy-minimum token-entropy-recommended

-- patch: sql/20-auth.sql
-- replace:
    select pg_catalog.translate(pg_catalog.encode(extensions.gen_random_bytes(32), 'base64'), E'+/=\n', '-_');
-- with:
    select 'sess' || pg_catalog.repeat('0', 27) || pg_catalog.encode(extensions.gen_random_bytes(6), 'hex');
-- end
