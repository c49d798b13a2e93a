-- about: refresh_session rotates the token (opens a new session and sends its cookie) but leaves the old session alive, and the new session gets a new absolute deadline
-- fails: refresh-rotation refresh-absolute-limit
-- may-fail: db-own-tests-pass

-- patch: sql/30-api.sql
-- replace:
    if token is null or auth.refresh(token) is null then
-- with:
    if token is null or auth.session_user_id(token) is null then
-- replace:
        raise insufficient_privilege using message = 'no live session';
    end if;
    perform auth.issue_session_cookie(token);
-- with:
        raise insufficient_privilege using message = 'no live session';
    end if;
    -- the defect: a new session for the same user, and the old one left alive
    perform auth.issue_session_cookie(auth.open_session(auth.session_user_id(token)));
-- end

grant execute on function auth.open_session(bigint), auth.session_user_id(text) to api;
