-- about: a function taking one unnamed text parameter adds a row for the caller (POST /rpc/add_note with a text/plain body), and the Origin check looks only at form encodings (urlencoded, multipart): a text/plain form on a sibling origin of the same site, where SameSite=Lax cookies ride along, adds a row as the user; the urlencoded forms are still stopped
-- fails: browser-csrf-form

-- patch: sql/20-auth.sql
-- replace:
    origin := headers ->> 'origin';
    if origin is null then
-- with:
    origin := headers ->> 'origin';
    if origin is null
       or coalesce(headers ->> 'content-type', '') !~* '^\s*(application/x-www-form-urlencoded|multipart/form-data)' then
-- end

create or replace function api.add_note(text)
returns bigint
language sql
security invoker
set search_path = ''
as $$
    insert into api.todos (description) values ($1) returning todo_id
$$;
alter function api.add_note(text) owner to api;
revoke all on function api.add_note(text) from public;
grant execute on function api.add_note(text) to webuser;
