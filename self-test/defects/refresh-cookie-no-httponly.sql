-- about: refresh_session re-issues the session cookie without HttpOnly (login still sets it)
-- fails: refresh-reissues-cookie browser-httponly
-- may-fail: cookie-httponly browser-httponly db-own-tests-pass

create or replace function api.refresh_session()
returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
    token    text := auth.request_token();
    deadline timestamptz;
begin
    if token is null then
        raise insufficient_privilege using message = 'no live session';
    end if;
    deadline := auth.refresh(token);
    if deadline is null then
        raise insufficient_privilege using message = 'no live session';
    end if;
    perform pg_catalog.set_config('response.headers', pg_catalog.json_build_array(
        pg_catalog.json_build_object('Set-Cookie', pg_catalog.format('%s=%s; Path=/; Max-Age=%s; Secure; SameSite=Lax',
            app.cookie_name(), token,
            pg_catalog.floor(pg_catalog.date_part('epoch', deadline - pg_catalog.clock_timestamp()))::integer)),
        pg_catalog.json_build_object('Cache-Control', 'no-store'))::text, true);
end
$$;
