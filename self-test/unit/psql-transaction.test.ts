import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sqlOfScript } from '../../suites/support/psql-script.ts';

const sql = (text: string) => sqlOfScript({ name: 't.sql', text, dir: '/' }, () => '', '/');
/** The statements left, comments and empty statements aside. */
const statements = (text: string) =>
  sql(text)
    .replace(/\/\*[^]*?\*\//g, '')
    .split(';')
    .map((s) => s.trim())
    .filter(Boolean);

test("a pgTAP file's own BEGIN, COMMIT and ROLLBACK are dropped: nothing escapes the suite's rolled-back transaction", () => {
  const cases: Array<{ text: string; kept: string[] }> = [
    { text: "BEGIN;\nselect plan(1);\nselect ok(true);\nselect * from finish();\nROLLBACK;\n", kept: ['select plan(1)', 'select ok(true)', 'select * from finish()'] },
    { text: 'begin;\ninsert into t values (1);\ncommit;\ninsert into t values (2);\n', kept: ['insert into t values (1)', 'insert into t values (2)'] },
    { text: 'start transaction isolation level serializable; select 1; end;', kept: ['select 1'] },
    { text: 'BEGIN WORK; select 1; COMMIT AND CHAIN; select 2; abort;', kept: ['select 1', 'select 2'] },
    { text: '/* c */ -- note\n  COMMIT;\nselect 1;', kept: ['-- note', 'select 1'] },
  ];
  for (const c of cases) assert.deepEqual(statements(c.text), c.kept, c.text);
});

test('savepoints, and the words in strings, bodies and names, stay', () => {
  const untouched = [
    'savepoint a; rollback to savepoint a; rollback work to a; release savepoint a',
    "select 'commit'; select \"end\" from t; select commit_ts from t",
    'do $$ begin perform 1; end $$',
    'create function f() returns int language sql begin atomic select 1; end',
    'select 1 -- then commit',
  ];
  assert.deepEqual(untouched.map(sql), untouched);
});

test('lines are kept, so an error still names the line it is on', () => {
  const out = sql('begin\n  isolation level serializable;\nselect nope from;\n');
  assert.equal(out.split('\n').findIndex((l) => l.includes('select nope')), 2);
});

test('two-phase commit stops the run with the file and line', () => {
  assert.throws(() => sql("select 1;\nprepare transaction 'x';"), /t\.sql:2: two-phase commit/);
  assert.throws(() => sql("commit prepared 'x';"), /t\.sql:1: two-phase commit/);
});
