-- about: logout ends the server session but sends no Set-Cookie, so the dead token stays in the browser
-- fails: lifecycle-logout-clears-cookie browser-logout-clears
-- may-fail: db-own-tests-pass

-- patch: sql/30-api.sql
-- replace:
    perform auth.clear_session_cookie();
-- with:
    -- the defect: the reference calls auth.clear_session_cookie() here
-- end
