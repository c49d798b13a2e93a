-- about: changing the password leaves every other session of the user alive, so whoever holds a copy of the cookie stays signed in
-- fails: lifecycle-password-change-ends-sessions
-- may-fail: db-own-tests-pass

-- patch: sql/20-auth.sql
-- replace:
    update app.users set password = new_password where users.user_id = uid;
    update auth.sessions others
       set expires = least(others.expires, pg_catalog.clock_timestamp())
     where others.user_id = uid
       and others.token <> auth.hash_token(change_password.token);
-- with:
    update app.users set password = new_password where users.user_id = uid;
    -- the defect: the other sessions are left as they were
-- end
