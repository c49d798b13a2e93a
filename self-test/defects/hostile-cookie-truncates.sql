-- about: the pre-request hook cuts the cookie value to the token length before checking it, so a live token with anything appended still opens that session
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
        -- the defect: the value is cut to 43 characters instead of rejected
        value := pg_catalog.left(raw::jsonb ->> name, 43);
    exception when data_exception then
        return null;
    end;
    if value is null or value !~ '^[A-Za-z0-9_-]{43}$' then
        return null;
    end if;
    return value;
end
$$;
