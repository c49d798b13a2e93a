-- about: the cookie is written to response.headers session-wide (set_config(..., false)), so the Set-Cookie of a login, refresh or logout stays on its pooled connection and is sent again with later responses served there, to other callers
-- fails: isolation-request-scoped db-request-settings-local
-- may-fail: lifecycle-open lifecycle-logout-ends-session lifecycle-logout-clears-cookie expiry-enforced refresh-extends refresh-no-revival refresh-requires-session refresh-rotation refresh-reissues-cookie robustness-hostile-cookie isolation-read isolation-write isolation-insert isolation-public isolation-current-user exposure-scan browser-csrf-form browser-logout-clears browser-expired-not-sent db-own-tests-pass
--
-- So many knock-ons because a test client takes whatever Set-Cookie it is
-- sent, as a browser does (the browser suite's Chromium too): once another
-- caller's cookie reaches it, it goes on as that user (or signed out), and
-- any later check of its identity, rows or session may fail.

-- patch: sql/20-auth.sql
-- replace:
        true);   -- transaction-local, like every request setting
-- with:
        false);   -- the defect: session-wide, it outlives the request
-- end
