-- about: the todos read policy lets every signed-in user see every todo, private ones included
-- fails: isolation-read
-- may-fail: exposure-scan db-own-tests-pass

drop policy if exists todos_select on app.todos;
create policy todos_select on app.todos
    for select to webuser
    using (true);
