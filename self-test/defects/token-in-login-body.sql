-- about: login answers with the session token in its JSON body as well as in the cookie, where page scripts can read it
-- fails: token-not-exposed

-- The return type changes, so the function is dropped and created again (with its owner and grant).
drop function api.login(text, text);
create function api.login(email text, password text)
returns json
language plpgsql
security definer
set search_path = ''
as $$
declare
    token text := auth.login(email, password);
begin
    if token is null then
        raise insufficient_privilege using message = 'invalid credentials';
    end if;
    perform auth.issue_session_cookie(token);
    return pg_catalog.json_build_object('token', token);
end
$$;
alter function api.login(text, text) owner to api;
revoke execute on function api.login(text, text) from public;
grant execute on function api.login(text, text) to anonymous;
