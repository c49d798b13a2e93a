import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadDefects } from '../defects.ts';
import { applyPatches } from '../sql-patch.ts';
import { sqlStatements } from '../sql-statements.ts';
import { loadVariants } from '../variants.ts';

const REFERENCE = `-- a header comment; with a semicolon
begin;

create or replace function f(x text)
returns text
language plpgsql
as $body$
begin
    return x || ';';   -- a semicolon in a string, in a dollar quote
end
$body$;

/* a block /* nested */ comment; */
create or replace function g()
returns text
language sql
as $$
    select 'it''s; fine', E'\\'; still a string';
$$;

grant execute on function f(text) to public;
commit;
`;

const statementsOf = (text: string) => sqlStatements(text).map((s) => text.slice(s.start, s.end));

test('statements end at semicolons outside strings, dollar quotes and comments, and begin at their first word', () => {
  assert.deepEqual(
    statementsOf(REFERENCE).map((s) => s.split('\n')[0]),
    ['begin;', 'create or replace function f(x text)', 'create or replace function g()', 'grant execute on function f(text) to public;', 'commit;'],
  );
  assert.ok(statementsOf(REFERENCE)[1]!.endsWith('$body$;'));
  assert.deepEqual(statementsOf('select $1, a$b$c; select "x;y"; select 1'), ['select $1, a$b$c;', 'select "x;y";', 'select 1']);
  assert.deepEqual(statementsOf("select 'unterminated; text"), ["select 'unterminated; text"]);
});

const read = (files: Record<string, string>) => (file: string) => {
  if (!(file in files)) throw new Error('not a file of the reference app');
  return files[file]!;
};
const apply = (overlay: string) => applyPatches(overlay, 'self-test/defects/x.sql', read({ 'sql/ref.sql': REFERENCE }));

test('a patch stands for the whole statements it changes, replacements made, in file order with the plain SQL', () => {
  const sql = apply(
    [
      'drop function g();',
      '-- patch: sql/ref.sql',
      '-- replace:',
      "    return x || ';';   -- a semicolon in a string, in a dollar quote",
      '-- with:',
      "    return x || '!';",
      '-- replace:',
      "    select 'it''s; fine', E'\\'; still a string';",
      '-- with:',
      "    select 'changed';",
      '-- end',
      'select 1;',
    ].join('\n'),
  );
  const statements = statementsOf(sql);
  assert.equal(statements.length, 4);
  assert.equal(statements[0], 'drop function g();');
  assert.match(statements[1]!, /^create or replace function f\(x text\)\nreturns text\n[^]*return x \|\| '!';\nend\n\$body\$;$/);
  assert.match(statements[2]!, /^create or replace function g\(\)[^]*select 'changed';\n\$\$;$/);
  assert.equal(statements[3], 'select 1;');
  assert.match(sql, /^-- sql\/ref\.sql:4, patched by self-test\/defects\/x\.sql:3$/m, 'each changed statement says where it comes from');
  assert.doesNotMatch(sql, /grant execute|commit/, 'statements the patch does not touch are not repeated');
});

test('a replace block must match exactly once, as whole lines; otherwise one line names the overlay, the block and the reference file', () => {
  const block = (replace: string) => `-- patch: sql/ref.sql\n-- replace:\n${replace}\n-- with:\nselect 2;\n-- end\n`;
  assert.throws(
    () => apply(block('returns text')),
    (e: Error) => e.message === 'self-test/defects/x.sql:2: the replace block "returns text" occurs 2 times in sql/ref.sql, not once: give it more lines of context',
  );
  assert.throws(
    () => apply(block('    return x;')),
    (e: Error) => /^self-test\/defects\/x\.sql:2: the replace block "return x;" occurs 0 times in sql\/ref\.sql, not once: the reference changed/.test(e.message) && !e.message.includes('\n'),
  );
  assert.throws(() => apply(block('returns')), /occurs 0 times/, 'part of a line is not a line');
  assert.throws(() => apply(block('-- a header comment; with a semicolon')), /changes no statement of sql\/ref\.sql/);
  assert.throws(() => applyPatches(block('begin;'), 'x.sql', read({})), /: x\.sql:1: cannot patch sql\/ref\.sql: not a file of the reference app$/);
});

test('the patch form is checked: sections are closed, blocks complete, directives in their place', () => {
  assert.throws(() => apply('-- patch: sql/ref.sql\n-- replace:\nbegin;\n'), /x\.sql:1: the patch section is not closed/);
  assert.throws(() => apply('-- patch: sql/ref.sql\n-- replace:\nbegin;\n-- end\n'), /x\.sql:4: the block at line 2 has no "-- with:"/);
  assert.throws(() => apply('-- replace:\nbegin;\n'), /x\.sql:1: "-- replace" outside a "-- patch: FILE" section/);
  assert.throws(() => apply('-- patch: sql/ref.sql\n-- end\n'), /has no "-- replace:" block/);
  assert.throws(() => apply('-- patch:\n'), /needs the reference file/);
  assert.throws(() => apply('-- patch: sql/ref.sql\nselect 1;\n-- end\n'), /only "-- replace:"/);
  assert.equal(apply('select 1;\n-- patched: not a directive\n'), 'select 1;\n-- patched: not a directive\n', 'plain SQL is left as written');
});

test('every shipped defect and variant applies cleanly to the current reference', () => {
  // Loading resolves the patches: a reference change that breaks one fails here, naming it.
  const overlays = [...loadDefects(), ...loadVariants()];
  assert.ok(overlays.length > 50);
  const patched = overlays.filter((o) => o.overlay.text.includes(', patched by '));
  assert.ok(patched.length >= 40, `${patched.length} overlays in the patch form`);
});
