-- about: login answers with the session token in its JSON body as well as in the cookie, where page scripts can read it
-- fails: token-not-exposed

-- The return type changes, so the function is dropped and created again (with its owner and grants).
drop function api.login(text, text);

-- patch: sql/30-api.sql
-- replace:
create or replace function api.login(email text, password text)
returns void
-- with:
create or replace function api.login(email text, password text)
returns json
-- replace:
        raise insufficient_privilege using message = 'invalid credentials';
    end if;
    perform auth.issue_session_cookie(token);
-- with:
        raise insufficient_privilege using message = 'invalid credentials';
    end if;
    perform auth.issue_session_cookie(token);
    return pg_catalog.json_build_object('token', token);
-- end

alter function api.login(text, text) owner to api;
revoke execute on function api.login(text, text) from public;
grant execute on function api.login(text, text) to anonymous;
