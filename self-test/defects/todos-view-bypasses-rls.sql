-- about: the todos view runs as its owner, a superuser (no security_invoker), so row level security never applies to it
-- fails: isolation-read isolation-write isolation-insert
-- may-fail: exposure-scan db-views-respect-rls db-own-tests-pass

alter view api.todos set (security_invoker = false);
alter view api.todos owner to current_user;
