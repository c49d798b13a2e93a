-- about: the cookie value is "<token>,<issued-at epoch>": a comma is not a cookie-octet, and user agents split or drop such values
-- fails: cookie-value-syntax
-- may-fail: robustness-hostile-cookie db-own-tests-pass refresh-rotation

create or replace function auth.issue_session_cookie(token text)
returns void
language plpgsql
volatile
set search_path = ''
as $$
declare
    deadline timestamptz := auth.session_expires(token);
begin
    if deadline is null then
        raise insufficient_privilege using message = 'no live session';
    end if;
    perform auth.set_cookie_header(
        -- the defect: a comma-separated issue time after the token
        token || ',' || pg_catalog.floor(pg_catalog.date_part('epoch', pg_catalog.clock_timestamp()))::bigint,
        greatest(0, pg_catalog.floor(pg_catalog.date_part('epoch', deadline - pg_catalog.clock_timestamp())))::integer);
end
$$;

-- The hook reads the part before the comma (which also accepts a live token followed by anything after a comma).
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
        value := pg_catalog.split_part(raw::jsonb ->> name, ',', 1);
    exception when data_exception then
        return null;
    end;
    if value is null or value !~ '^[A-Za-z0-9_-]{43}$' then
        return null;
    end if;
    return value;
end
$$;
