/**
 * Loads SQL files into a database, one file per query, and turns a failure
 * into one line naming the file and line: the reference app is read by people,
 * and a broken overlay must say where it broke.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { UserError } from '../lib/user-error.ts';

export const SQL_DIR = fileURLToPath(new URL('../sql/', import.meta.url));

/**
 * The reference application: sql/*.sql in name order, then its pgTAP tests
 * (sql/tests, which need the pgtap extension; left out when the server has none).
 */
export function referenceSqlFiles({ tests = true }: { tests?: boolean } = {}): string[] {
  const list = (dir: string) =>
    readdirSync(dir)
      .filter((f) => f.endsWith('.sql'))
      .sort()
      .map((f) => path.join(dir, f));
  return [...list(SQL_DIR), ...(tests ? list(path.join(SQL_DIR, 'tests')) : [])];
}

export interface SqlSource {
  /** Shown in errors: a path relative to the project, or a label. */
  name: string;
  text: string;
}

export function readSources(files: string[]): SqlSource[] {
  const root = path.resolve(SQL_DIR, '..');
  return files.map((file) => ({ name: path.relative(root, file), text: readFileSync(file, 'utf8') }));
}

function lineOf(text: string, position: number | undefined): number | undefined {
  if (!position) return undefined;
  return text.slice(0, position - 1).split('\n').length;
}

export async function loadSql(url: string, sources: SqlSource[]): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (const source of sources) {
      try {
        await client.query(source.text);
      } catch (error) {
        const e = error as { message: string; position?: string; where?: string };
        const line = lineOf(source.text, e.position ? Number(e.position) : undefined);
        const inFunction = !line && e.where ? ` (${e.where.split('\n')[0]})` : '';
        throw new UserError(`${source.name}${line ? `:${line}` : ''}: ${e.message}${inFunction}: fix the SQL and run again`);
      }
    }
  } finally {
    await client.end();
  }
}
