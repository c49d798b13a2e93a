-- about: responses that set or clear the session cookie carry no Cache-Control: no-store, so a shared cache may store one user's session
-- fails: cookie-no-store
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
                pg_catalog.format('%s=%s; Path=/; Max-Age=%s; HttpOnly; Secure; SameSite=Lax',
                                  app.cookie_name(), value, max_age))
        )::text,
        true);
$$;
