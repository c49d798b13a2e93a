-- about: the deployment's own pgTAP tests hold an assertion the deployment does not meet (its test says sessions go idle after 10 minutes; the app keeps the 15-minute default)
-- fails: db-own-tests-pass

create or replace function tests.test_zz_idle_timeout()
returns setof text
language plpgsql
as $$
begin
    return next is(app.idle_seconds(), 600, 'sessions go idle after 10 minutes');
end
$$;
