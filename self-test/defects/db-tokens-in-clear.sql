-- about: auth.sessions stores the session token itself instead of its SHA-256 digest (the seed application's way); everything works, and a copy of the table is a copy of every live session
-- fails: db-tokens-hashed
-- may-fail: db-own-tests-pass

-- The reference makes a clear token impossible to store; the defect drops that guard
-- and turns "how a token is stored" into the identity.
alter table auth.sessions drop constraint sessions_token_check;

create or replace function auth.hash_token(token text)
returns text
language sql
immutable
strict
set search_path = ''
as $$
    select token;
$$;
