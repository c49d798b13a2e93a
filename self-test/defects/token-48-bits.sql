-- about: tokens keep the 43-character shape but only 6 random bytes vary (a constant prefix, then 12 hex digits): 48 bits
-- fails: token-entropy-minimum token-entropy-recommended

create or replace function auth.new_token()
returns text
language sql
volatile
set search_path = ''
as $$
    select 'sess' || pg_catalog.repeat('0', 27) || pg_catalog.encode(extensions.gen_random_bytes(6), 'hex');
$$;
