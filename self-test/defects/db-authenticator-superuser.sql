-- about: PostgREST connects as a superuser (authenticator is given SUPERUSER); requests still switch to anonymous or webuser, so nothing shows over HTTP
-- fails: db-authenticator-safe
-- may-fail: db-own-tests-pass

-- Roles belong to the cluster; every defect run gets a cluster of its own.
alter role authenticator superuser;
