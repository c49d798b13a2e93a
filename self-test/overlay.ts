/**
 * An overlay file on the reference app, as the seeded defects
 * (self-test/defects/) and the conforming variants (self-test/variants/) are
 * written: header lines saying what it is (`-- about:`, `-- settings:`...),
 * then SQL, plain or in the patch form of self-test/sql-patch.ts. The SQL is
 * resolved when the file is read, so a patch that no longer fits the
 * reference fails whoever reads it: the unit tests, the traceability check,
 * a sweep before anything starts.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { readSources, referenceSqlFiles, type SqlSource } from '../stack/sql-loader.ts';
import { applyPatches } from './sql-patch.ts';

/** What every overlay file says, whatever it is for. */
export interface Overlay {
  /** The file name without `.sql`. */
  name: string;
  file: string;
  /** The file relative to the working folder, for messages. */
  where: string;
  /** What it is (`-- about:` lines, joined). */
  about: string;
  /** Server settings for its deployment (`-- settings: NAME=VALUE ...`). */
  settings: Record<string, string>;
  /** PostgREST settings (config names) added to the reference's (`-- postgrest: NAME=VALUE ...`). */
  postgrest: Record<string, string>;
  /**
   * The SQL to load after the reference: plain SQL as written, patches
   * resolved. Named, for SQL errors whose line numbers count in this text, by
   * the file when it has no patches, else by the command that prints it.
   */
  overlay: SqlSource;
}

/** The reference files by their project-relative names (sql/20-auth.sql...). */
function readReference(file: string): string {
  const source = readSources(referenceSqlFiles()).find((s) => s.name === file);
  if (!source) throw new Error(`not a file of the reference app (sql/*.sql, sql/tests/*.sql)`);
  return source.text;
}

const COMMON_KEYS = ['about', 'settings', 'postgrest'];

/**
 * Reads an overlay; `header` holds the values of its other header lines
 * (`-- key: value`, one value a line) for the given keys. `patchable` names
 * further SQL texts its patch sections may patch besides the reference's
 * files (a seeded defect of a conforming variant patches the variant's SQL).
 */
export function readOverlay(file: string, keys: readonly string[], patchable: Record<string, string> = {}): Overlay & { header: Record<string, string[]> } {
  const text = readFileSync(file, 'utf8');
  const where = path.relative(process.cwd(), file);
  const header: Record<string, string[]> = {};
  for (const line of text.split('\n')) {
    const m = /^--\s*([a-z-]+):\s*(.*)$/.exec(line);
    if (m && [...COMMON_KEYS, ...keys].includes(m[1]!)) (header[m[1]!] ??= []).push(m[2]!);
  }
  const about = (header.about ?? []).join(' ');
  if (!about) throw new Error(`${where}: an overlay needs an "-- about:" header line saying what it is`);
  const sql = applyPatches(text, where, (name) => patchable[name] ?? readReference(name));
  return {
    name: path.basename(file, '.sql'),
    file,
    where,
    about,
    settings: settingsOf(header.settings, where),
    postgrest: settingsOf(header.postgrest, where),
    overlay: { name: sql === text ? where : `${where} with its patches applied (npx tsx self-test/overlay.ts ${where})`, text: sql },
    header,
  };
}

/** The `.sql` files of a folder, in name order. */
export function overlayFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort()
    .map((f) => path.join(dir, f));
}

/** `NAME=VALUE` -> [NAME, VALUE]; the value may hold further `=`. */
export function nameValue(text: string, where: string): [string, string] {
  const i = text.indexOf('=');
  if (i <= 0) throw new Error(`${where}: "${text}" is not NAME=VALUE`);
  return [text.slice(0, i).trim(), text.slice(i + 1).trim()];
}

/** Header values that are space- or comma-separated lists, as one list. */
export function listOf(values: string[] | undefined): string[] {
  return (values ?? []).flatMap((v) => v.split(/[\s,]+/)).filter(Boolean);
}

/** Header values that are lists of NAME=VALUE (`-- settings:`, `-- postgrest:`), as one record. */
function settingsOf(values: string[] | undefined, where: string): Record<string, string> {
  return Object.fromEntries(
    (values ?? []).flatMap((v) => v.split(/\s+/).filter(Boolean)).map((kv) => nameValue(kv, where)),
  );
}

// `npx tsx self-test/overlay.ts FILE`: prints the SQL an overlay loads, patches resolved.
if (process.argv[1] && import.meta.url.endsWith(path.basename(process.argv[1]))) {
  for (const file of process.argv.slice(2)) process.stdout.write(`${readOverlay(file, []).overlay.text}\n`);
}
