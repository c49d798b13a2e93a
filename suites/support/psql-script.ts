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
 *
 * The suite runs the whole file inside one transaction of its own and rolls
 * it back, so nothing a deployment's test does is kept. A file's own
 * transaction control (`BEGIN`, `COMMIT`, `ROLLBACK`, as pgTAP's template
 * wraps every file) would end that transaction early, and whatever followed
 * a `COMMIT` would be kept: the scanner drops those statements. Savepoints
 * stay; two-phase commit cannot run inside a transaction and stops the run.
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

/** A statement that would end or open the transaction the suite runs the file in. */
const TRANSACTION_CONTROL = /^(?:begin|start\s+transaction|commit|end|rollback|abort)\b(?!\s+(?:(?:work|transaction)\s+)?(?:to|prepared)\b)/i;
const TWO_PHASE = /^(?:prepare\s+transaction|commit\s+prepared|rollback\s+prepared)\b/i;
/** `BEGIN ATOMIC … END` (a function body in standard SQL): its statements and its END are the function's. */
const ATOMIC_BODY = /^begin\s+atomic\b/i;

/** The SQL of a psql script: meta-commands dropped or inlined. Throws naming file and line on anything else. */
export function sqlOfScript(source: ScriptSource, read: ReadFile = (f) => readFileSync(f, 'utf8'), cwd = process.cwd(), depth = 0): string {
  if (depth > MAX_DEPTH) throw new Error(`${source.name}: \\i nested more than ${MAX_DEPTH} deep (an include loop?)`);
  const text = source.text;
  let out = '';
  let i = 0;
  let line = 1;
  /** Only whitespace and comments since the last `;`: a keyword here starts a statement. */
  let atStatementStart = true;
  let inAtomicBody = false;
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
      atStatementStart = false;
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
      atStatementStart = false;
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
    } else if (atStatementStart && !inAtomicBody && TRANSACTION_CONTROL.test(text.slice(i, i + 64))) {
      // Dropped up to its `;` (these statements hold no quotes), keeping the line count for error positions.
      const end = text.indexOf(';', i);
      const stop = end === -1 ? text.length : end;
      const statement = text.slice(i, stop);
      line += statement.split('\n').length - 1;
      out += `/* ${statement.trim().split(/\s+/)[0].toUpperCase()}: dropped, the suite's transaction is rolled back */${'\n'.repeat(statement.split('\n').length - 1)}`;
      i = stop;
    } else {
      if (atStatementStart && TWO_PHASE.test(text.slice(i, i + 64))) {
        throw new Error(`${source.name}:${line}: two-phase commit cannot run inside the transaction the suite rolls back`);
      }
      if (!identChar(text[i - 1]) && ATOMIC_BODY.test(text.slice(i, i + 64))) inAtomicBody = true;
      else if (atStatementStart && inAtomicBody && /^end\b/i.test(text.slice(i, i + 4))) inAtomicBody = false;
      if (c === ';') atStatementStart = true;
      else if (!/\s/.test(c)) atStatementStart = false;
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
