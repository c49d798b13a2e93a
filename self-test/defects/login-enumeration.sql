-- about: a login with an unknown e-mail fails with its own message ("no such account"), telling an attacker which addresses have accounts
-- fails: lifecycle-no-enumeration
-- may-fail: db-own-tests-pass

create or replace function auth.login(email text, password text)
returns text
language plpgsql
security definer
set search_path = ''
as $$
declare
    u record;
begin
    select users.user_id, users.password as hash
      into u
      from app.users
     where users.email operator(extensions.=) login.email::extensions.citext;

    if u.user_id is null or password is null then
        perform extensions.crypt(coalesce(password, ''), extensions.gen_salt('bf', app.bcrypt_cost()));
        -- the defect: the reference returns NULL here, like for a wrong password
        raise insufficient_privilege using message = 'no such account';
    end if;

    if extensions.crypt(password, u.hash) = u.hash then
        return auth.open_session(u.user_id);
    end if;
    return null;
end
$$;
