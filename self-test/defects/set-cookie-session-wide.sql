-- about: the cookie is written to response.headers session-wide (set_config(..., false)), so the Set-Cookie of a login, refresh or logout stays on its pooled connection and is sent again with later responses served there, to other callers
-- fails: isolation-request-scoped
-- may-fail: lifecycle-open lifecycle-logout-ends-session lifecycle-logout-clears-cookie expiry-enforced refresh-extends refresh-no-revival refresh-requires-session refresh-rotation refresh-reissues-cookie robustness-hostile-cookie isolation-read isolation-write isolation-insert isolation-public isolation-current-user exposure-scan browser-csrf-form browser-logout-clears browser-expired-not-sent db-own-tests-pass
--
-- So many knock-ons because a test client takes whatever Set-Cookie it is
-- sent, as a browser does (the browser suite's Chromium too): once another
-- caller's cookie reaches it, it goes on as that user (or signed out), and
-- any later check of its identity, rows or session may fail.

create or replace function auth.set_cookie_header(value text, max_age integer)
returns void
language sql
volatile
set search_path = ''
as $$
    select pg_catalog.set_config(
        'response.headers',
        pg_catalog.json_build_array(
            pg_catalog.json_build_object(
                'Set-Cookie',
                pg_catalog.format('%s=%s; Path=/; Max-Age=%s; HttpOnly; Secure; SameSite=Lax',
                                  app.cookie_name(), value, max_age)),
            pg_catalog.json_build_object('Cache-Control', 'no-store')
        )::text,
        false);   -- the defect: session-wide, it outlives the request
$$;
