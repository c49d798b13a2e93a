/** Writes the report files into the report folder. */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { redact } from '../lib/redact.ts';

export function writeReport(dir: string, report: unknown): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'report.json'), redact(JSON.stringify(report, null, 2)));
}
