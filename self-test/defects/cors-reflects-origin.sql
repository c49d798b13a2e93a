-- about: the pre-request hook answers CORS itself, echoing the request's Origin with Access-Control-Allow-Credentials: true; PostgREST's own CORS is limited to the real front end and adds nothing for other origins, so a script on any origin reads a signed-in user's data
-- fails: browser-cross-origin-read cors-credentials-own-origins browser-csrf-form
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

    -- the defect: any origin is trusted, with credentials
    if origin is not null then
        perform pg_catalog.set_config('response.headers',
            pg_catalog.json_build_array(
                pg_catalog.json_build_object('Access-Control-Allow-Origin', origin),
                pg_catalog.json_build_object('Access-Control-Allow-Credentials', 'true'),
                pg_catalog.json_build_object('Vary', 'Origin'))::text,
            true);
    end if;
-- replace:
    if not auth.origin_allowed() then
        return null;
    end if;
-- with:
    -- the defect: no Origin check (the reference's defence in depth) behind it
-- end
