-- about: the todos update and delete policies check nothing, so a user can change or delete every todo they can see
-- fails: isolation-write
-- may-fail: db-own-tests-pass

drop policy if exists todos_update on app.todos;
create policy todos_update on app.todos
    for update to webuser
    using (true)
    with check (true);

drop policy if exists todos_delete on app.todos;
create policy todos_delete on app.todos
    for delete to webuser
    using (true);
