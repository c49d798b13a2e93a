-- about: the API exposes a materialized view of every user's todo counts to signed-in users; row level security does not apply to it, so after the next refresh every user reads everyone's counts
-- fails: db-no-rls-exempt-relations

create materialized view api.todo_counts as
    select user_id, pg_catalog.count(*) as todos
      from app.todos
     group by user_id;
alter materialized view api.todo_counts owner to api;
grant select on api.todo_counts to webuser;
