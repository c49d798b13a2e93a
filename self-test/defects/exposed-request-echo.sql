-- about: a diagnostic api view echoes the request's cookies, session token included, into the response body
-- fails: exposure-scan
-- may-fail: token-not-exposed db-own-tests-pass

create view api.debug_request as
    select pg_catalog.current_setting('request.cookies', true) as cookies,
           pg_catalog.current_setting('request.headers', true) as headers;
alter view api.debug_request owner to api;
grant select on api.debug_request to anonymous, webuser;
