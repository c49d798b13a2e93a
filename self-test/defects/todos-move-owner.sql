-- about: user_id is updatable and the update policy's WITH CHECK accepts any owner, so a user can hand their todo to someone else
-- fails: isolation-insert
-- may-fail: db-own-tests-pass

grant update (user_id) on app.todos to webuser;
grant update (user_id) on api.todos to webuser;

drop policy if exists todos_update on app.todos;
create policy todos_update on app.todos
    for update to webuser
    using (user_id = app.current_user_id())
    with check (true);
