import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { sqlOfPgTapFile, sqlOfScript } from '../../suites/support/psql-script.ts';

const script = (text: string, files: Record<string, string> = {}) =>
  sqlOfScript({ name: 't.sql', text, dir: '/project/tests' }, (f) => {
    if (!(f in files)) throw new Error('ENOENT');
    return files[f];
  }, '/project');

test('output-only meta-commands are dropped, keeping line numbers', () => {
  const sql = script('\\unset ECHO\n\\set QUIET 1\n\\pset format unaligned\n\\pset tuples_only true\nSELECT plan(1);\n');
  assert.equal(sql, '\n\n\n\nSELECT plan(1);\n');
});

test('\\i resolves against the working folder, \\ir against the including file', () => {
  const files = { '/project/setup.sql': 'select 1;', '/project/tests/helpers.sql': "select 'h';\n\\ir more/x.sql\n", '/project/tests/more/x.sql': 'select 2;' };
  const sql = script("\\i setup.sql\n\\ir helpers.sql\nselect 3;\n", files);
  assert.equal(sql, "select 1;\n\nselect 'h';\nselect 2;\n\n\nselect 3;\n");
});

test('a quoted include name is unquoted', () => {
  assert.equal(script("\\i 'my setup.sql'\n", { '/project/my setup.sql': 'select 1;\n' }), 'select 1;\n\n');
});

test('backslashes inside strings, dollar quotes and comments are SQL, not meta-commands', () => {
  const cases = [
    "select E'a\\\\b', E'it\\'s \\\\x';\n",
    "select 'a\\b';\n",
    'create function f() returns int language plpgsql as $body$\nbegin\n\\not a command\nreturn 1; end $body$;\n',
    'select $$\n\\x\n$$;\n',
    '-- \\i nothing.sql\nselect 1;\n',
    '/* outer /* nested */ \\i nope */ select 1;\n',
    'select "we\\ird";\n',
  ];
  for (const text of cases) assert.equal(script(text), text, text);
});

test('a meta-command that changes the meaning stops with file and line', () => {
  assert.throws(() => script('select 1;\n\\c otherdb\n'), /^Error: t\.sql:2: the psql meta-command \\c is not supported/);
  assert.throws(() => script('select 1 \\gset\n'), /\\gset is not supported/);
});

test('a missing include names the file', () => {
  assert.throws(() => script('\\i nope.sql\n'), /t\.sql:1: \\i nope\.sql: no such file/);
});

test('an include loop stops', () => {
  assert.throws(() => script('\\i a.sql\n', { '/project/a.sql': '\\i a.sql\n' }), /nested more than/);
});

test('a file by path: relative to the working folder, and \\ir relative to it', () => {
  const files: Record<string, string> = { '/w/t/x.sql': '\\ir y.sql\nselect 1;\n', '/w/t/y.sql': 'select 0;\n' };
  const sql = sqlOfPgTapFile('t/x.sql', (f) => files[path.resolve(f)] ?? assert.fail(`read ${f}`), '/w');
  assert.equal(sql, 'select 0;\n\nselect 1;\n');
});
