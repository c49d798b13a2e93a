-- about: anyone may call logout ("it is harmless"): an anonymous POST /rpc/logout answers 2xx instead of 401, and its deletion cookie lets another site log the user out with a plain form
-- fails: lifecycle-anonymous-refused
-- may-fail: db-own-tests-pass browser-csrf-form

grant execute on function api.logout() to anonymous;
