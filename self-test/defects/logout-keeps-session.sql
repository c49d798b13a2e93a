-- about: logout only clears the browser's cookie; the server-side session stays live, so a copy of the token keeps working
-- fails: lifecycle-logout-ends-session
-- may-fail: db-own-tests-pass refresh-requires-session

create or replace function api.logout()
returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
    token text := auth.request_token();
begin
    -- the defect: the reference calls auth.logout(token) here
    perform auth.clear_session_cookie();
end
$$;
