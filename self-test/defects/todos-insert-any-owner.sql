-- about: the todos insert policy has no WITH CHECK on the owner, so a user can create todos in another user's name
-- fails: isolation-insert db-policies-name-caller
-- may-fail: db-own-tests-pass

alter policy todos_insert on app.todos with check (true);
