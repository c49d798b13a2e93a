-- about: logout ends the server session but sends no Set-Cookie, so the dead token stays in the browser
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
    -- the defect: the reference calls auth.clear_session_cookie() here
end
$$;
