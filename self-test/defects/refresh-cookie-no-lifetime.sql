-- about: refresh_session re-issues the session cookie without Max-Age or Expires, so the renewed cookie dies with the browser
-- fails: refresh-reissues-cookie
-- may-fail: cookie-lifetime db-own-tests-pass

create or replace function api.refresh_session()
returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
    token text := auth.request_token();
begin
    if token is null or auth.refresh(token) is null then
        raise insufficient_privilege using message = 'no live session';
    end if;
    perform pg_catalog.set_config('response.headers', pg_catalog.json_build_array(
        pg_catalog.json_build_object('Set-Cookie', pg_catalog.format('%s=%s; Path=/; HttpOnly; Secure; SameSite=Lax',
            app.cookie_name(), token)),
        pg_catalog.json_build_object('Cache-Control', 'no-store'))::text, true);
end
$$;
