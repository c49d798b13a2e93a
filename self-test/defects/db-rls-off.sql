-- about: row level security is switched off on app.users, which the api.users view reads; today's grants and queries happen to hide the difference over HTTP
-- fails: db-rls-on-exposed-tables
-- may-fail: db-own-tests-pass robustness-hostile-input

alter table app.users disable row level security;
