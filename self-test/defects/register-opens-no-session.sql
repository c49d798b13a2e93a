-- about: register creates the account but sends no session cookie (the user must log in separately)
-- fails: lifecycle-open
-- may-fail: robustness-hostile-cookie db-own-tests-pass

create or replace function api.register(email text, name text, password text)
returns void
language plpgsql
security definer
set search_path = ''
as $$
begin
    -- the defect: the reference issues the new session's cookie here
    perform auth.register(email, name, password);
end
$$;
