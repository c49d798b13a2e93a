-- about: current_user answers with the lowest user_id instead of the caller (and the policy that kept api to the caller's row is gone)
-- fails: isolation-current-user
-- may-fail: lifecycle-open robustness-hostile-cookie db-own-tests-pass

-- The policy that kept api to the caller's row is gone, and the lookup takes the lowest id.
alter policy users_api_self on app.users using (true);

-- patch: sql/30-api.sql
-- replace:
     where u.user_id = app.current_user_id();
-- with:
     where app.current_user_id() is not null   -- the defect: any row will do
     order by u.user_id
     limit 1;
-- end
