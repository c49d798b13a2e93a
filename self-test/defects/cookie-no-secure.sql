-- about: the session cookie is issued without Secure (the embedded target is plain http, so this shows as cookie-secure-http; on https it is cookie-secure)
-- fails: cookie-secure-http
-- may-fail: cookie-secure db-own-tests-pass

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
                pg_catalog.format('%s=%s; Path=/; Max-Age=%s; HttpOnly; SameSite=Lax',
                                  app.cookie_name(), value, max_age)),
            pg_catalog.json_build_object('Cache-Control', 'no-store')
        )::text,
        true);
$$;
