-- about: the todos read policy lets every signed-in user see every todo, private ones included
-- fails: isolation-read db-policies-name-caller
-- may-fail: exposure-scan db-own-tests-pass

alter policy todos_select on app.todos using (true);
