-- about: current_user answers with the lowest user_id instead of the caller (and the policy that kept api to the caller's row is gone)
-- fails: isolation-current-user
-- may-fail: lifecycle-open robustness-hostile-cookie db-own-tests-pass

drop policy if exists users_api_self on app.users;
create policy users_api_self on app.users
    for select to api
    using (true);

create or replace function api."current_user"()
returns api."user"
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
    result api."user";
begin
    if app.current_user_id() is null then
        raise insufficient_privilege using message = 'not signed in';
    end if;
    select u.user_id, u.name, u.email::text
      into result
      from app.users u
     order by u.user_id
     limit 1;
    return result;
end
$$;
