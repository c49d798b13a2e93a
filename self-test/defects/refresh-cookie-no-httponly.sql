-- about: refresh_session re-issues the session cookie without HttpOnly (login still sets it)
-- fails: refresh-reissues-cookie browser-httponly
-- may-fail: cookie-httponly browser-httponly db-own-tests-pass

-- patch: sql/30-api.sql
-- replace:
        raise insufficient_privilege using message = 'no live session';
    end if;
    perform auth.issue_session_cookie(token);
-- with:
        raise insufficient_privilege using message = 'no live session';
    end if;
    -- the defect: the cookie is written here again, without HttpOnly
    perform pg_catalog.set_config('response.headers', pg_catalog.json_build_array(
        pg_catalog.json_build_object('Set-Cookie', pg_catalog.format('%s=%s; Path=/; Max-Age=%s; Secure; SameSite=Lax',
            app.cookie_name(), token,
            pg_catalog.floor(pg_catalog.date_part('epoch', auth.session_expires(token) - pg_catalog.clock_timestamp()))::integer)),
        pg_catalog.json_build_object('Cache-Control', 'no-store'))::text, true);
-- end
