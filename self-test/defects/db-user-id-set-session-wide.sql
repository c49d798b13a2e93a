-- about: a support helper, not called by the API, sets the user id session-wide (set_config(..., false)): whichever pooled connection runs it keeps acting as that user for every later request served on it
-- fails: db-request-settings-local

create function auth.act_as(user_id bigint)
returns void
language plpgsql
set search_path = ''
as $$
begin
    perform pg_catalog.set_config('auth.user_id', act_as.user_id::text, false);
end
$$;
alter function auth.act_as(bigint) owner to auth;
revoke execute on function auth.act_as(bigint) from public;
