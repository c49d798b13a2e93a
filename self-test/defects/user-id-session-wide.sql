-- about: the pre-request hook stores the user id session-wide (set_config(..., false)) and leaves it alone for anonymous requests, and current_user is open to anonymous callers (it refuses them itself when no user id is set): a pooled connection keeps the last signed-in user's id, so the next anonymous caller on it is answered as that user
-- fails: isolation-request-scoped db-request-settings-local
-- may-fail: lifecycle-bad-credentials lifecycle-anonymous-refused lifecycle-logout-ends-session expiry-enforced refresh-no-revival refresh-requires-session refresh-rotation robustness-hostile-cookie isolation-current-user exposure-scan db-own-tests-pass token-fresh-on-login lifecycle-password-change-ends-sessions

-- patch: sql/20-auth.sql
-- replace:
        perform pg_catalog.set_config('auth.user_id', user_id::text, true);
    else
        perform pg_catalog.set_config('auth.user_id', '', true);
-- with:
        -- the defect: false makes the setting outlive the transaction, and
        -- nothing clears it when the next request on this connection is anonymous
        perform pg_catalog.set_config('auth.user_id', user_id::text, false);
-- end

grant execute on function api."current_user"() to anonymous;
