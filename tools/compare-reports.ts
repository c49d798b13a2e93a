/**
 * `npm run compare -- a/report.json b/report.json ... [--out FILE] [--fail-on-difference]`
 *
 * Puts several conformance reports side by side (Autobahn style): one row per
 * requirement, one column per deployment, the status in each cell. Prints a
 * text matrix and writes a self-contained HTML matrix (by default
 * conformance-report/comparison.html). Each column is named after the folder
 * holding its report.json, so keep one folder per deployment. With
 * --fail-on-difference the exit status is 1 when any requirement's cell
 * differs between the reports, e.g. a sharded run against an unsharded one.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { exitOnUserError, UserError } from '../lib/user-error.ts';
import { categoryTitle } from '../reporter/categories.ts';
import { escapeXml as h } from '../lib/escape.ts';
import { assertValidReport, type Report, type ReportRequirement } from '../reporter/report.ts';
import { shownStatus, STATUS_LABEL, type ShownStatus } from '../reporter/status-label.ts';

export interface Column {
  name: string;
  report: Report;
}

export interface Row {
  id: string;
  level: string;
  category: string;
  title: string;
  cells: Array<ReportRequirement | undefined>;
  differs: boolean;
}

/** Column name: the report's folder, made unique. */
function columnNames(files: string[]): string[] {
  const names = files.map((f) => path.basename(path.dirname(path.resolve(f))));
  return names.map((n, i) => (names.indexOf(n) === i && names.lastIndexOf(n) === i ? n : `${n} (${i + 1})`));
}

export function loadColumns(files: string[]): Column[] {
  if (files.length === 0) throw new UserError('give one or more report.json files: npm run compare -- a/report.json b/report.json');
  const names = columnNames(files);
  return files.map((file, i) => {
    if (!existsSync(file)) throw new UserError(`${file} does not exist: give the report.json a run wrote`);
    let report: unknown;
    try {
      report = JSON.parse(readFileSync(file, 'utf8'));
      assertValidReport(report);
    } catch (error) {
      throw new UserError(`${file} is not a conformance report (${(error as Error).message.split('\n').slice(0, 2).join(' ')})`);
    }
    return { name: names[i], report };
  });
}

/** Requirements in the order the reports list them (the registry's), each with a cell per column. */
export function matrix(columns: Column[]): Row[] {
  const rows = new Map<string, Row>();
  for (const [i, column] of columns.entries()) {
    for (const r of column.report.requirements) {
      if (!rows.has(r.id)) {
        rows.set(r.id, { id: r.id, level: r.level, category: r.category, title: r.title, cells: columns.map(() => undefined), differs: false });
      }
      rows.get(r.id)!.cells[i] = r;
    }
  }
  for (const row of rows.values()) row.differs = new Set(row.cells.map(cellText)).size > 1;
  return [...rows.values()];
}

/** The cell words and what they mean, under the matrix. */
const LEGEND = (Object.entries(STATUS_LABEL) as Array<[ShownStatus, { short: string; long: string }]>)
  .map(([, { short, long }]) => (short.toLowerCase() === long ? short : `${short} ${long}`))
  .join(' · ');

function cellText(c: ReportRequirement | undefined): string {
  return c ? STATUS_LABEL[shownStatus(c)].short : '-';
}

export function renderText(columns: Column[], rows: Row[]): string {
  const idWidth = Math.max(...rows.map((r) => r.id.length), 11);
  const width = Math.max(6, ...columns.map((c) => c.report.verdict.length));
  const head = `${'requirement'.padEnd(idWidth)}  level   ${columns.map((_, i) => `[${i + 1}]`.padEnd(width)).join(' ')}`;
  const lines = [head, '-'.repeat(head.length)];
  for (const r of rows) {
    lines.push(`${r.id.padEnd(idWidth)}  ${r.level.padEnd(6)}  ${r.cells.map((c) => cellText(c).padEnd(width)).join(' ')}${r.differs ? '  *' : ''}`);
  }
  lines.push('-'.repeat(head.length));
  lines.push(`${'verdict'.padEnd(idWidth)}          ${columns.map((c) => c.report.verdict.padEnd(width)).join(' ')}`);
  lines.push('');
  for (const [i, c] of columns.entries()) {
    const m = c.report.metadata;
    lines.push(`[${i + 1}] ${c.name}: ${c.report.target.description}${m.postgrestVersion ? `, PostgREST ${m.postgrestVersion}` : ''}, ${c.report.verdict}${m.strict ? ' (strict)' : ''}, ${m.startTime}`);
  }
  const differing = rows.filter((r) => r.differs).length;
  lines.push('', differing ? `* ${differing} requirement(s) differ between the reports` : 'Every requirement has the same status in every report.');
  return `${lines.join('\n')}\n`;
}

export function renderMatrixHtml(columns: Column[], rows: Row[]): string {
  const head = columns
    .map((c) => {
      const m = c.report.metadata;
      return `<th><div class="col">${h(c.name)}</div><div class="sub">${h(c.report.target.description)}${m.postgrestVersion ? `<br>PostgREST ${h(m.postgrestVersion)}` : ''}</div><div class="v v-${h(c.report.verdict)}">${h(c.report.verdict)}</div></th>`;
    })
    .join('');
  const body: string[] = [];
  let category = '';
  for (const r of rows) {
    if (r.category !== category) {
      category = r.category;
      body.push(`<tr class="cat"><td colspan="${columns.length + 2}">${h(categoryTitle(category))}</td></tr>`);
    }
    const cells = r.cells
      .map((c) => {
        const cls = c ? shownStatus(c) : 'absent';
        const tip = c ? [c.status, ...c.reasons, ...(c.evidence[0]?.actual ? [`actual: ${c.evidence[0].actual}`] : [])].join(' | ') : 'not in this report';
        return `<td class="cell ${h(cls)}" title="${h(tip)}">${h(cellText(c))}</td>`;
      })
      .join('');
    body.push(`<tr${r.differs ? ' class="differs"' : ''}><td class="id"><code>${h(r.id)}</code><div class="t">${h(r.title)}</div></td><td class="lv">${h(r.level)}</td>${cells}</tr>`);
  }
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>Conformance comparison</title>
<style>
body{font:14px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2328;margin:24px}
h1{font-size:22px;margin:0 0 12px}
table{border-collapse:collapse}
th,td{border:1px solid #d0d7de;padding:4px 8px;vertical-align:middle}
th{background:#f6f8fa;font-weight:normal;text-align:center;min-width:120px}
.col{font-weight:600}.sub{color:#59636e;font-size:12px}
.v{margin-top:4px;font-weight:600;border-radius:4px;color:#fff;padding:1px 4px}
.v-conformant{background:#1e7b34}.v-non-conformant{background:#b3261e}.v-inconclusive{background:#9a5b00}
tr.cat td{background:#eaeef2;font-weight:600}
td.id{min-width:300px}td.id code{font-weight:600}.t{color:#59636e;font-size:12px}
td.lv{font-size:12px;text-align:center;width:60px}
td.cell{text-align:center;font-weight:600;color:#fff}
.pass{background:#1e7b34}.fail{background:#b3261e}.not-verified{background:#9a5b00}.not-applicable{background:#80868b}
.xfail{background:#f2c94c;color:#3d2c00!important}.xpass{background:#7b1fa2}.absent{background:#fff;color:#59636e!important}
tr.differs td.id{box-shadow:inset 4px 0 #7b1fa2}
p.legend{color:#59636e;font-size:12px}
</style></head><body>
<h1>Conformance comparison</h1>
<table><thead><tr><th>Requirement</th><th>Level</th>${head}</tr></thead>
<tbody>${body.join('\n')}</tbody></table>
<p class="legend">${LEGEND} · - not in that report. A purple edge marks a requirement whose status differs between reports. Hover a cell for the reason.</p>
</body></html>
`;
}

function main(): void {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { out: { type: 'string', default: path.join('conformance-report', 'comparison.html') }, 'fail-on-difference': { type: 'boolean', default: false } },
  });
  const columns = loadColumns(positionals);
  const rows = matrix(columns);
  process.stdout.write(renderText(columns, rows));
  mkdirSync(path.dirname(values.out!), { recursive: true });
  writeFileSync(values.out!, renderMatrixHtml(columns, rows));
  process.stdout.write(`wrote ${values.out}\n`);
  if (values['fail-on-difference'] && rows.some((r) => r.differs)) process.exit(1);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  try {
    main();
  } catch (error) {
    exitOnUserError(error);
  }
}
