-- about: the pre-request hook trusts the origin "null" with credentials (sandboxed frames, file: pages and data: URLs send it), so a script in any sandboxed frame reads a signed-in user's data; pages of real origins get no CORS grant, which is all a browser check from another site sees
-- fails: cors-credentials-own-origins
-- postgrest: server-cors-allowed-origins=https://app.example.test

-- patch: sql/20-auth.sql
-- replace:
    user_id bigint;
-- with:
    user_id bigint;
    origin  text := nullif(pg_catalog.current_setting('request.headers', true), '')::json ->> 'origin';
-- replace:
        perform pg_catalog.set_config('auth.user_id', '', true);
    end if;
-- with:
        perform pg_catalog.set_config('auth.user_id', '', true);
    end if;

    -- the defect: the opaque origin "null" is trusted, with credentials
    if origin = 'null' then
        perform pg_catalog.set_config('response.headers',
            pg_catalog.json_build_array(
                pg_catalog.json_build_object('Access-Control-Allow-Origin', origin),
                pg_catalog.json_build_object('Access-Control-Allow-Credentials', 'true'),
                pg_catalog.json_build_object('Vary', 'Origin'))::text,
            true);
    end if;
-- replace:
    if not auth.origin_allowed() then
-- with:
    -- the defect: the opaque origin "null" passes the Origin check as well
    if not auth.origin_allowed()
       and (nullif(pg_catalog.current_setting('request.headers', true), '')::json ->> 'origin') is distinct from 'null' then
-- end
