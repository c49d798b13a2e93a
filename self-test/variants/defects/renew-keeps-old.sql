-- about: prefixed-rotating's renew_session hands out a new token but leaves the old session alive, so a stolen cookie outlives its rotation
-- fails: refresh-rotation
-- may-fail: db-own-tests-pass

-- patch: self-test/variants/prefixed-rotating.sql
-- replace:
    update auth.sessions s
       set expires = least(s.expires, t0)
-- with:
    update auth.sessions s
       set expires = s.expires
-- end
