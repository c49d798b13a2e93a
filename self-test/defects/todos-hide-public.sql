-- about: the todos read policy forgets public todos: each user sees only their own
-- fails: isolation-public
-- may-fail: db-own-tests-pass

drop policy if exists todos_select on app.todos;
create policy todos_select on app.todos
    for select to webuser
    using (user_id = app.current_user_id());
