-- about: answers made for a signed-in user carry no Cache-Control (the pre-request hook no longer marks them no-store), so a CDN or proxy in front of the API may store one user's rows and serve them to the next caller of the same URL
-- fails: isolation-cache-private
-- may-fail: db-own-tests-pass

-- patch: sql/20-auth.sql
-- replace:
        perform pg_catalog.set_config('response.headers',
            (coalesce(nullif(pg_catalog.current_setting('response.headers', true), ''), '[]')::jsonb
             || '[{"Cache-Control": "no-store"}]'::jsonb)::text,
            true);
-- with:
-- end
