-- about: a failed login still sets a session cookie (a random token with no session behind it) while answering 401
-- fails: cookie-none-on-failure
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
        -- the defect: "reset" the browser's cookie to a fresh random value on failure
        perform auth.set_cookie_header(pg_catalog.md5(pg_catalog.random()::text), app.idle_seconds());
        perform pg_catalog.set_config('response.status', '401', true);
        return;
    end if;
    perform auth.issue_session_cookie(token);
end
$$;
