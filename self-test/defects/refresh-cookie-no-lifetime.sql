-- about: refresh_session re-issues the session cookie without Max-Age or Expires, so the renewed cookie dies with the browser
-- fails: refresh-reissues-cookie
-- may-fail: cookie-lifetime db-own-tests-pass

-- patch: sql/30-api.sql
-- replace:
        raise insufficient_privilege using message = 'no live session';
    end if;
    perform auth.issue_session_cookie(token);
-- with:
        raise insufficient_privilege using message = 'no live session';
    end if;
    -- the defect: the cookie is written here again, without Max-Age
    perform pg_catalog.set_config('response.headers', pg_catalog.json_build_array(
        pg_catalog.json_build_object('Set-Cookie', pg_catalog.format('%s=%s; Path=/; HttpOnly; Secure; SameSite=Lax', app.cookie_name(), token)),
        pg_catalog.json_build_object('Cache-Control', 'no-store'))::text, true);
-- end
