-- about: logout expires the cookie with Path=/rpc although it was issued with Path=/, so the browser keeps the issued one
-- fails: lifecycle-logout-clears-cookie browser-logout-clears
-- may-fail: db-own-tests-pass

create or replace function api.logout()
returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
    token text := auth.request_token();
begin
    if token is not null then
        perform auth.logout(token);
    end if;
    -- the defect: a deletion cookie with another Path than the issued one
    perform pg_catalog.set_config('response.headers',
        pg_catalog.json_build_array(
            pg_catalog.json_build_object('Set-Cookie',
                pg_catalog.format('%s=; Path=/rpc; Max-Age=0; HttpOnly; Secure; SameSite=Lax', app.cookie_name())),
            pg_catalog.json_build_object('Cache-Control', 'no-store'))::text,
        true);
end
$$;
