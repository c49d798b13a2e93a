-- about: the pre-request hook asserts that the cookie looks like a token, so a malformed cookie raises (assert_failure, HTTP 500) instead of meaning anonymous
-- fails: robustness-hostile-cookie
-- may-fail: db-own-tests-pass

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
    -- the defect: an assertion where the reference returns NULL (anonymous)
    assert value is null or value ~ '^[A-Za-z0-9_-]{43}$', 'malformed session cookie';
    if value is null then
        return null;
    end if;
    return value;
end
$$;
