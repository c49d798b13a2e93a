import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { UserError } from '../../lib/user-error.ts';
import { loadColumns, matrix, renderMatrixHtml, renderText } from '../../tools/compare-reports.ts';
import { sampleReport } from './reporter-sample.ts';

function writeReports(reports: Array<[string, unknown]>): { dir: string; files: string[] } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'compare-'));
  const files = reports.map(([name, report]) => {
    mkdirSync(path.join(dir, name));
    const file = path.join(dir, name, 'report.json');
    writeFileSync(file, JSON.stringify(report));
    return file;
  });
  return { dir, files };
}

test('a matrix: requirements down, deployments across, differences marked', () => {
  const a = sampleReport(new Map());
  const b = sampleReport(new Map([['cookie-samesite', 'tracked']]));
  b.requirements.find((r) => r.id === 'lifecycle-open')!.status = 'fail';
  const { dir, files } = writeReports([['staging', a], ['production', b]]);
  try {
    const columns = loadColumns(files);
    assert.deepEqual(columns.map((c) => c.name), ['staging', 'production']);
    const rows = matrix(columns);
    assert.equal(rows.length, a.requirements.length);
    assert.deepEqual(rows.filter((r) => r.differs).map((r) => r.id), ['cookie-samesite', 'lifecycle-open']);
    const text = renderText(columns, rows);
    assert.match(text, /^cookie-httponly +MUST +FAIL +FAIL *$/m);
    assert.match(text, /^cookie-samesite +MUST +FAIL +xfail +\*$/m);
    assert.match(text, /\[1\] staging: /);
    assert.match(text, /2 requirement\(s\) differ/);
    const html = renderMatrixHtml(columns, rows);
    assert.equal(html.match(/<tr class="differs">/g)?.length, 2);
    assert.ok(!html.includes('<script'), 'static page, hostile values escaped');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a file that is not a report is one line', () => {
  const { dir, files } = writeReports([['x', { verdict: 'conformant' }]]);
  try {
    assert.throws(() => loadColumns(files), (e: unknown) => e instanceof UserError && /is not a conformance report/.test(e.message) && !e.message.includes('\n'));
    assert.throws(() => loadColumns([]), UserError);
    assert.throws(() => loadColumns([path.join(dir, 'missing.json')]), /does not exist/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
