-- about: the session cookie is issued without Max-Age or Expires (a browser-session cookie, which browsers restore across restarts); logout still clears it with Max-Age=0
-- fails: cookie-lifetime browser-expired-not-sent
-- may-fail: db-own-tests-pass

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
                -- the defect: Max-Age only on the clearing cookie
                case when max_age > 0
                     then pg_catalog.format('%s=%s; Path=/; HttpOnly; Secure; SameSite=Lax',
                                            app.cookie_name(), value)
                     else pg_catalog.format('%s=%s; Path=/; Max-Age=%s; HttpOnly; Secure; SameSite=Lax',
                                            app.cookie_name(), value, max_age)
                end),
            pg_catalog.json_build_object('Cache-Control', 'no-store')
        )::text,
        true);
$$;
