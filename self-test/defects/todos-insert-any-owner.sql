-- about: the todos insert policy has no WITH CHECK on the owner, so a user can create todos in another user's name
-- fails: isolation-insert
-- may-fail: db-own-tests-pass

drop policy if exists todos_insert on app.todos;
create policy todos_insert on app.todos
    for insert to webuser
    with check (true);
