-- about: user_id is updatable and the update policy's WITH CHECK accepts any owner, so a user can hand their todo to someone else
-- fails: isolation-insert
-- may-fail: db-own-tests-pass

grant update (user_id) on app.todos to webuser;
grant update (user_id) on api.todos to webuser;

alter policy todos_update on app.todos with check (true);
