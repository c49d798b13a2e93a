-- about: api.login is SECURITY DEFINER but no longer pins search_path, so it resolves names through its caller's (it still works: its body qualifies every name)
-- fails: db-definer-search-path
-- may-fail: db-own-tests-pass

alter function api.login(text, text) reset search_path;
