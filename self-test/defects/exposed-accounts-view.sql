-- about: an extra api view, owned by a superuser, publishes every account's e-mail and password hash to anyone
-- fails: exposure-scan
-- may-fail: db-views-respect-rls db-own-tests-pass

create view api.accounts as
    select user_id, email::text as email, password
      from app.users;
alter view api.accounts owner to current_user;
grant select on api.accounts to anonymous, webuser;
