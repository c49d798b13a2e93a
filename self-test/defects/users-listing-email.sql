-- about: the users view also selects e-mail addresses, and webuser was granted the column
-- fails: isolation-user-listing
-- may-fail: db-own-tests-pass

grant select (email) on app.users to webuser;
create or replace view api.users
with (security_invoker = true)
as
    select user_id, name, email::text as email
      from app.users;
