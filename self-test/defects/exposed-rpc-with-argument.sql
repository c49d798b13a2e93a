-- about: an api function looks an account up by e-mail for any signed-in user, recording each lookup, and returns the row with its password hash
-- fails: exposure-scan
-- may-fail: db-own-tests-pass

-- The lookup writes, so PostgREST refuses it over GET (a read-only
-- transaction): only a POST with the argument filled in reaches the leak.
create table app.account_lookups (
    looked_up  text not null,
    at         timestamptz not null default pg_catalog.now()
);

create function api.user_lookup(email text)
returns table (user_id bigint, address text, name text, password text)
language plpgsql
security definer
set search_path = ''
as $$
begin
    insert into app.account_lookups (looked_up) values (user_lookup.email);
    return query
        select u.user_id, u.email::text, u.name, u.password
          from app.users u
         where u.email = user_lookup.email::extensions.citext;
end
$$;
alter function api.user_lookup(text) owner to current_user;
grant execute on function api.user_lookup(text) to webuser;
