-- about: a permissive policy left from a prototype lets the anonymous role read every todo (USING (true)); today only the missing GRANT on api.todos keeps visitors out, so nothing shows over HTTP until someone grants it
-- fails: db-policies-name-caller

create policy todos_prototype_read on app.todos
    for select to anonymous
    using (true);
