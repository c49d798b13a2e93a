-- about: logout expires the cookie with Path=/rpc although it was issued with Path=/, so the browser keeps the issued one
-- fails: lifecycle-logout-clears-cookie browser-logout-clears
-- may-fail: db-own-tests-pass

-- patch: sql/30-api.sql
-- replace:
    perform auth.clear_session_cookie();
-- with:
    -- the defect: a deletion cookie with another Path than the issued one
    perform pg_catalog.set_config('response.headers',
        pg_catalog.json_build_array(
            pg_catalog.json_build_object('Set-Cookie',
                pg_catalog.format('%s=; Path=/rpc; Max-Age=0; HttpOnly; Secure; SameSite=Lax', app.cookie_name())),
            pg_catalog.json_build_object('Cache-Control', 'no-store'))::text,
        true);
-- end
