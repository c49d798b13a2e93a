-- about: refresh_session re-issues the session cookie without HttpOnly (login still sets it)
-- fails: refresh-reissues-cookie browser-httponly
-- may-fail: cookie-httponly browser-httponly db-own-tests-pass

-- patch: sql/30-api.sql
-- replace:
    if token is null or auth.refresh(token) is null then
        raise insufficient_privilege using message = 'no live session';
    end if;
    perform auth.issue_session_cookie(token);
-- with:
    if token is null or auth.refresh(token) is null then
        raise insufficient_privilege using message = 'no live session';
    end if;
    perform auth.issue_session_cookie(token);
    -- the defect: the re-issued cookie loses its HttpOnly flag
    perform pg_catalog.set_config('response.headers', pg_catalog.replace(pg_catalog.current_setting('response.headers'), ' HttpOnly;', ''), true);
-- end
