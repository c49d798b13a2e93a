-- about: auth.sessions stores the session token itself instead of its SHA-256 digest (the seed application's way); everything works, and a copy of the table is a copy of every live session
-- fails: db-tokens-hashed
-- may-fail: db-own-tests-pass

-- The reference makes a clear token impossible to store; the defect drops that guard
-- and turns "how a token is stored" into the identity.
alter table auth.sessions drop constraint sessions_token_check;

-- patch: sql/20-auth.sql
-- replace:
    select pg_catalog.encode(pg_catalog.sha256(pg_catalog.convert_to(token, 'UTF8')), 'hex');
-- with:
    select token;
-- end
