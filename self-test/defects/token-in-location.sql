-- about: every response that issues the cookie also sends a Location header with the token in its query string, where it reaches logs and Referer headers
-- fails: token-not-exposed

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
            pg_catalog.json_build_object('Cache-Control', 'no-store'),
            -- the defect
            pg_catalog.json_build_object('Location', '/rpc/current_user?session=' || value)
        )::text,
        true);
$$;
