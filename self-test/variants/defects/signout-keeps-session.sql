-- about: username-notes' signout only clears the browser's cookie; the server-side session stays live, so a copy of the token keeps working; and, writing nothing, the signout now answers GET, so a link from another site signs the user out
-- fails: lifecycle-logout-ends-session browser-csrf-form
-- may-fail: db-own-tests-pass

-- patch: self-test/variants/username-notes.sql
-- replace:
    if token is not null then
        perform auth.logout(token);
    end if;
-- with:
    -- the defect: the variant calls auth.logout(token) here
-- end
