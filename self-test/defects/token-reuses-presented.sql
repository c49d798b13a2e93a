-- about: a new session adopts the token the client presented, when it looks like a token (session fixation)
-- fails: token-fresh-on-login
-- may-fail: robustness-hostile-cookie lifecycle-open refresh-requires-session
-- (a caller that presents a fixed junk cookie finds it turned into a live session once
-- someone logs in presenting the same value: the concurrent-isolation property may see
-- its refresh succeed)
-- may-fail: db-own-tests-pass

-- patch: sql/20-auth.sql
-- replace:
    token        text := auth.new_token();
-- with:
    -- the defect: keep the token the browser already has
    token        text := coalesce(auth.request_token(), auth.new_token());
-- end
