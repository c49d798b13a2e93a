-- about: the todos read policy forgets public todos: each user sees only their own
-- fails: isolation-public
-- may-fail: db-own-tests-pass

alter policy todos_select on app.todos using (user_id = app.current_user_id());
