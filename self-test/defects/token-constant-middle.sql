-- about: tokens keep the 43-character base64url shape, but only the first and last 10 characters are random (15 random bytes); the 23 between are the same in every token: 120 bits, above the MUST, below the SHOULD. Looking only for a shared prefix or suffix misses it.
-- fails: token-entropy-recommended

-- patch: sql/20-auth.sql
-- replace:
    select pg_catalog.translate(pg_catalog.encode(extensions.gen_random_bytes(32), 'base64'), E'+/=\n', '-_');
-- with:
    select pg_catalog.left(r, 10) || 'v2-instance-7f3a-shard-' || pg_catalog.right(r, 10)
      from (select pg_catalog.translate(pg_catalog.encode(extensions.gen_random_bytes(15), 'base64'), E'+/=\n', '-_') as r) as random_part;
-- end
