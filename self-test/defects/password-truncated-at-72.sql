-- about: login compares only what bcrypt reads, the first 72 bytes: a longer text that starts with the password logs in as its owner
-- fails: lifecycle-password-whole
-- may-fail: db-own-tests-pass

-- patch: sql/20-auth.sql
-- replace:
    if u.user_id is null or password is null or pg_catalog.octet_length(password) > 72 then
-- with:
    if u.user_id is null or password is null then
-- end
