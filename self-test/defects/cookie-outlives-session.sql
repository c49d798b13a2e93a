-- about: the session cookie's Max-Age is the absolute lifetime (8 hours) although the server session dies after 15 idle minutes
-- fails: cookie-lifetime browser-expired-not-sent
-- may-fail: db-own-tests-pass

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
    -- the defect: Max-Age from the absolute lifetime, not from the session's deadline
    perform auth.set_cookie_header(token, app.absolute_seconds());
end
$$;
