-- about: tokens keep the 43-character shape but only 12 random bytes vary (a constant prefix, then 24 hex digits): 96 bits, above the MUST, below the SHOULD
-- fails: token-entropy-recommended

create or replace function auth.new_token()
returns text
language sql
volatile
set search_path = ''
as $$
    select 'sess' || pg_catalog.repeat('0', 15) || pg_catalog.encode(extensions.gen_random_bytes(12), 'hex');
$$;
