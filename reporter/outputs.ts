/**
 * Writes the report folder: report.json, index.html, summary.md, junit.xml.
 * Every byte written goes through `redact`; afterwards every file in the
 * folder, and in Playwright's output folders, is scanned for every secret
 * the run saw. A hit means some path skipped redaction: the
 * value is masked in place and the run says so loudly.
 */
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { redact } from '../lib/redact.ts';
import { renderHtml } from './html.ts';
import { renderJunit } from './junit.ts';
import type { Report } from './report.ts';
import { renderSummary } from './summary.ts';

export const REPORT_FILES = ['report.json', 'index.html', 'summary.md', 'junit.xml'] as const;

/** Writes the four files; returns their paths, by name. */
export function writeReport(dir: string, report: Report): Record<(typeof REPORT_FILES)[number], string> {
  mkdirSync(dir, { recursive: true });
  const contents: Record<(typeof REPORT_FILES)[number], string> = {
    'report.json': `${JSON.stringify(report, null, 2)}\n`,
    'index.html': renderHtml(report),
    'summary.md': renderSummary(report),
    'junit.xml': renderJunit(report),
  };
  const paths = Object.fromEntries(REPORT_FILES.map((name) => [name, path.join(dir, name)])) as Record<(typeof REPORT_FILES)[number], string>;
  for (const name of REPORT_FILES) writeFileSync(paths[name], redact(contents[name]));
  return paths;
}

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...filesUnder(full));
    else if (entry.isFile()) out.push(full);
  }
  return out;
}

/**
 * Masks any known secret found in a file under `dir`; returns the files it
 * had to fix (normally none). Byte-exact for binary files: the search runs
 * on latin1 text, which maps bytes one to one.
 */
export function scrubFolder(dir: string, secrets: string[]): string[] {
  const fixed: string[] = [];
  if (secrets.length === 0) return fixed;
  const needles = secrets.map((s) => Buffer.from(s, 'utf8').toString('latin1')).sort((a, b) => b.length - a.length);
  for (const file of filesUnder(dir)) {
    if (statSync(file).size > 50 * 1024 * 1024) continue;
    const text = readFileSync(file).toString('latin1');
    if (!needles.some((n) => text.includes(n))) continue;
    let clean = text;
    for (const n of needles) clean = clean.split(n).join('[redacted]');
    writeFileSync(file, Buffer.from(clean, 'latin1'));
    fixed.push(file);
  }
  return fixed;
}
