/**
 * A pgTAP test file as pg_prove hands it to psql, turned into plain SQL the
 * suite can send over its own connection. pgTAP files usually open with psql
 * meta-commands that only shape psql's output (`\set QUIET 1`, `\pset
 * format unaligned`) and sometimes include a shared set-up file (`\i
 * setup.sql`): the first kind is dropped, the second inlined. Any other
 * meta-command changes what the file means, so it stops the run with the file
 * and line instead of being guessed at.
 *
 * Like psql, a backslash is a meta-command only outside quotes, dollar quotes
 * and comments; a small scanner tracks those so that `E'\n'` or a regular
 * expression inside a function body stays SQL.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Meta-commands that shape psql's output or set psql variables (QUIET, ECHO,
 * ON_ERROR_STOP...). Errors always stop the file here, as ON_ERROR_STOP does
 * under pg_prove; a variable interpolated into SQL (`:name`) is not supported
 * and fails as SQL.
 */
const OUTPUT_ONLY = new Set(['set', 'unset', 'pset', 'timing', 'echo', 'qecho', 'warn', 'a', 't', 'x', 'H', 'f', 'C', 'T', 'encoding']);
/** `\i` resolves against the working folder, `\ir` against the including file (as in psql). */
const INCLUDES: Record<string, 'cwd' | 'file'> = { i: 'cwd', include: 'cwd', ir: 'file', include_relative: 'file' };
const MAX_DEPTH = 16;

export interface ScriptSource {
  /** Shown in errors. */
  name: string;
  text: string;
  /** Folder `\ir` resolves against. */
  dir: string;
}

export type ReadFile = (file: string) => string;

const identChar = (c: string | undefined) => c !== undefined && /[A-Za-z0-9_$]/.test(c);

function unquote(arg: string): string {
  const m = /^'((?:[^']|'')*)'$/.exec(arg);
  return m ? m[1].replace(/''/g, "'") : arg;
}

/** The SQL of a psql script: meta-commands dropped or inlined. Throws naming file and line on anything else. */
export function sqlOfScript(source: ScriptSource, read: ReadFile = (f) => readFileSync(f, 'utf8'), cwd = process.cwd(), depth = 0): string {
  if (depth > MAX_DEPTH) throw new Error(`${source.name}: \\i nested more than ${MAX_DEPTH} deep (an include loop?)`);
  const text = source.text;
  let out = '';
  let i = 0;
  let line = 1;
  while (i < text.length) {
    const c = text[i];
    const next = text[i + 1];
    if (c === '\n') {
      line += 1;
      out += c;
      i += 1;
    } else if (c === '-' && next === '-') {
      const end = text.indexOf('\n', i);
      const stop = end === -1 ? text.length : end;
      out += text.slice(i, stop);
      i = stop;
    } else if (c === '/' && next === '*') {
      // Block comments nest in PostgreSQL.
      let depthC = 0;
      let j = i;
      do {
        if (text.startsWith('/*', j)) {
          depthC += 1;
          j += 2;
        } else if (text.startsWith('*/', j)) {
          depthC -= 1;
          j += 2;
        } else j += 1;
      } while (depthC > 0 && j < text.length);
      const chunk = text.slice(i, j);
      line += chunk.split('\n').length - 1;
      out += chunk;
      i = j;
    } else if (c === "'" || c === '"') {
      const escapes = c === "'" && /[Ee]/.test(text[i - 1] ?? '') && !identChar(text[i - 2]);
      let j = i + 1;
      while (j < text.length) {
        if (escapes && text[j] === '\\') j += 2;
        else if (text[j] === c && text[j + 1] === c) j += 2;
        else if (text[j] === c) break;
        else j += 1;
      }
      const chunk = text.slice(i, j + 1);
      line += chunk.split('\n').length - 1;
      out += chunk;
      i = j + 1;
    } else if (c === '$' && !identChar(text[i - 1]) && /^\$(?:[A-Za-z_][A-Za-z0-9_]*)?\$/.test(text.slice(i, i + 64))) {
      const tag = /^\$(?:[A-Za-z_][A-Za-z0-9_]*)?\$/.exec(text.slice(i, i + 64))![0];
      const end = text.indexOf(tag, i + tag.length);
      const stop = end === -1 ? text.length : end + tag.length;
      const chunk = text.slice(i, stop);
      line += chunk.split('\n').length - 1;
      out += chunk;
      i = stop;
    } else if (c === '\\') {
      const end = text.indexOf('\n', i);
      const stop = end === -1 ? text.length : end;
      const [command, ...args] = text.slice(i + 1, stop).trim().split(/\s+/);
      const where = `${source.name}:${line}`;
      if (command in INCLUDES) {
        if (args.length === 0) throw new Error(`${where}: \\${command} needs a file name`);
        const file = unquote(args.join(' '));
        const resolved = path.resolve(INCLUDES[command] === 'cwd' ? cwd : source.dir, file);
        let included: string;
        try {
          included = read(resolved);
        } catch {
          throw new Error(`${where}: \\${command} ${file}: no such file`);
        }
        out += sqlOfScript({ name: file, text: included, dir: path.dirname(resolved) }, read, cwd, depth + 1);
        if (!out.endsWith('\n')) out += '\n';
      } else if (!OUTPUT_ONLY.has(command)) {
        throw new Error(
          `${where}: the psql meta-command \\${command} is not supported here: the suite runs pgTAP files as plain SQL, keeping only \\i, \\ir and output settings`,
        );
      }
      i = stop;
    } else {
      out += c;
      i += 1;
    }
  }
  return out;
}

/** Reads a pgTAP file given by path (relative to the working folder). */
export function sqlOfPgTapFile(file: string, read: ReadFile = (f) => readFileSync(f, 'utf8'), cwd = process.cwd()): string {
  const resolved = path.resolve(cwd, file);
  return sqlOfScript({ name: file, text: read(resolved), dir: path.dirname(resolved) }, read, cwd);
}
