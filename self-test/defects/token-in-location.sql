-- about: every response that issues the cookie also sends a Location header with the token in its query string, where it reaches logs and Referer headers
-- fails: token-not-exposed

-- patch: sql/20-auth.sql
-- replace:
            pg_catalog.json_build_object('Cache-Control', 'no-store')
-- with:
            pg_catalog.json_build_object('Cache-Control', 'no-store'),
            -- the defect
            pg_catalog.json_build_object('Location', '/rpc/current_user?session=' || value)
-- end
