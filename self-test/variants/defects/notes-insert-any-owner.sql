-- about: username-notes' insert policy on notes checks nothing, so a user can write a note in another user's name (owner_id is sent by the client)
-- fails: isolation-insert db-policies-name-caller
-- may-fail: db-own-tests-pass

alter policy notes_insert on app.notes with check (true);
