-- about: a failed login answers 204 No Content (no cookie, but a success status clients treat as signed in)
-- fails: lifecycle-bad-credentials
-- may-fail: db-own-tests-pass

create or replace function api.login(email text, password text)
returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
    token text := auth.login(email, password);
begin
    if token is null then
        return;  -- the defect: the reference raises insufficient_privilege (401)
    end if;
    perform auth.issue_session_cookie(token);
end
$$;
