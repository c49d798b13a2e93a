-- about: refresh_session is open to anonymous callers and answers 2xx (without a cookie) when there is no live session
-- fails: refresh-requires-session
-- may-fail: lifecycle-anonymous-refused refresh-no-revival expiry-enforced db-own-tests-pass

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
        return;   -- "nothing to refresh" treated as success
    end if;
    perform auth.issue_session_cookie(token);
end
$$;

grant execute on function api.refresh_session() to anonymous;
