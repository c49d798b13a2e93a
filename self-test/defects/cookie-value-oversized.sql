-- about: session tokens are 3072 random bytes (gen_random_bytes gives at most 1024 at a time): the cookie value is 4096 characters, so name plus value exceed the 4096 bytes user agents keep
-- fails: cookie-value-syntax
-- may-fail: db-own-tests-pass

create or replace function auth.new_token()
returns text
language sql
volatile
set search_path = ''
as $$
    select pg_catalog.translate(pg_catalog.encode(extensions.gen_random_bytes(1024) || extensions.gen_random_bytes(1024) || extensions.gen_random_bytes(1024), 'base64'), E'+/=\n', '-_');
$$;

-- The hook accepts the longer token (a regular expression cannot count to 4096).
create or replace function auth.request_token()
returns text
language plpgsql
stable
set search_path = ''
as $$
declare
    name  text := app.cookie_name();
    raw   text := pg_catalog.current_setting('request.cookies', true);
    value text;
begin
    if raw is null or raw = '' then
        return null;
    end if;
    begin
        value := raw::jsonb ->> name;
    exception when data_exception then
        return null;
    end;
    if value is null or value !~ '^[A-Za-z0-9_-]+$' or pg_catalog.length(value) <> 4096 then
        return null;
    end if;
    return value;
end
$$;
