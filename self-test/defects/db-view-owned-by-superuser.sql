-- about: the users view runs as its owner, a superuser, without security_invoker; over HTTP nothing changes (every signed-in user may list users anyway), but RLS no longer applies to anything read through it
-- fails: db-views-respect-rls
-- may-fail: db-own-tests-pass

-- An ordinary (definer) view, owned by the role that ran the migration.
alter view api.users set (security_invoker = false);
alter view api.users owner to current_user;
