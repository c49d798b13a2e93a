-- about: a login with an unknown e-mail fails with its own message ("no such account"), telling an attacker which addresses have accounts
-- fails: lifecycle-no-enumeration
-- may-fail: db-own-tests-pass

-- patch: sql/20-auth.sql
-- replace:
        perform extensions.crypt(coalesce(password, ''), extensions.gen_salt('bf', app.bcrypt_cost()));
        return null;
-- with:
        perform extensions.crypt(coalesce(password, ''), extensions.gen_salt('bf', app.bcrypt_cost()));
        -- the defect: the reference returns NULL here, like for a wrong password
        raise insufficient_privilege using message = 'no such account';
-- end
