-- about: the users view also selects e-mail addresses, and webuser was granted the column
-- fails: isolation-user-listing
-- may-fail: db-own-tests-pass

-- patch: sql/30-api.sql
-- replace:
    select user_id, name
      from app.users;
-- with:
    select user_id, name, email::text as email
      from app.users;
-- end

grant select (email) on app.users to webuser;
