-- about: the anonymous role may read every table of the app schema (the classic "grant select on all tables" shortcut); RLS still hides the rows today, so nothing shows over HTTP
-- fails: db-anon-no-table-privileges

grant select on all tables in schema app to anonymous;
