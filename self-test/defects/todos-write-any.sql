-- about: the todos update and delete policies check nothing, so a user can change or delete every todo they can see
-- fails: isolation-write db-policies-name-caller
-- may-fail: db-own-tests-pass

alter policy todos_update on app.todos using (true) with check (true);
alter policy todos_delete on app.todos using (true);
