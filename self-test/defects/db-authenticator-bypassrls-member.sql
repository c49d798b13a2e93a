-- about: an operator's maintenance role with BYPASSRLS is granted to authenticator "for the migrations"; requests still switch to anonymous or webuser, but one SET ROLE from the connection, a pre-request hook's bug or a leaked db-uri, reads every user's rows
-- fails: db-authenticator-safe
-- may-fail: db-own-tests-pass

-- Roles belong to the cluster; every defect run gets a cluster of its own.
create role maintenance nologin bypassrls;
grant maintenance to authenticator;
