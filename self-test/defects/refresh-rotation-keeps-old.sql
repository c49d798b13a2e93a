-- about: refresh_session rotates the token (opens a new session and sends its cookie) but leaves the old session alive
-- fails: refresh-rotation
-- may-fail: db-own-tests-pass

create or replace function api.refresh_session()
returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
    token text := auth.request_token();
begin
    if token is null or auth.session_user_id(token) is null then
        raise insufficient_privilege using message = 'no live session';
    end if;
    perform auth.issue_session_cookie(auth.open_session(auth.session_user_id(token)));
end
$$;

grant execute on function auth.open_session(bigint), auth.session_user_id(text) to api;
