/**
 * Where each statement of an SQL file begins and ends, for the patch form of
 * the seeded defects (self-test/sql-patch.ts): a patch re-runs the whole
 * reference statements its lines fall in, so it must know where they are.
 *
 * A statement ends at a semicolon outside quotes, dollar quotes and comments,
 * and begins at its first word (the comments before it are not part of it).
 * That is all a splitter needs to know about SQL; a full parser would be a
 * heavy dependency, and none of the maintained ones on npm reads PL/pgSQL
 * bodies, which are most of what the defects change.
 */

export interface StatementRange {
  /** Offset of the statement's first character. */
  start: number;
  /** Offset just past its terminating semicolon (or the end of the text). */
  end: number;
}

/**
 * One token at a time, in this order: a line comment; the start of a block
 * comment (nested, so scanned by hand); an escape string E'..'; a string;
 * a quoted identifier; a dollar-quoted string ($$..$$ or $tag$..$tag$); a word
 * (so that the `$` inside `a$b$` or a parameter `$1` starts no dollar quote);
 * a semicolon; anything else. An unterminated quote runs to the end of the text.
 */
const TOKEN =
  /--[^\n]*|\/\*|[Ee]'(?:[^'\\]|\\[\s\S]|'')*(?:'|$)|'(?:[^']|'')*(?:'|$)|"(?:[^"]|"")*(?:"|$)|\$([A-Za-z_][A-Za-z0-9_]*)?\$[\s\S]*?(?:\$\1\$|$)|[A-Za-z0-9_$]+|;|\s+|[\s\S]/y;

/** The end of the block comment starting at `from` (PostgreSQL's block comments nest). */
function blockCommentEnd(text: string, from: number): number {
  let depth = 0;
  let i = from;
  while (i < text.length) {
    const pair = text.slice(i, i + 2);
    if (pair === '/*') depth += 1;
    else if (pair === '*/') depth -= 1;
    else {
      i += 1;
      continue;
    }
    i += 2;
    if (depth === 0) return i;
  }
  return text.length;
}

/** The statements of an SQL text, in order. */
export function sqlStatements(text: string): StatementRange[] {
  const statements: StatementRange[] = [];
  let start: number | undefined;
  let i = 0;
  while (i < text.length) {
    let end: number;
    if (text.startsWith('/*', i)) end = blockCommentEnd(text, i);
    else {
      TOKEN.lastIndex = i;
      end = TOKEN.exec(text)![0].length + i;
    }
    const token = text.slice(i, end);
    const blank = /^\s/.test(token) || token.startsWith('--') || token.startsWith('/*');
    if (!blank && start === undefined) start = i;
    if (token === ';' && start !== undefined) {
      statements.push({ start, end });
      start = undefined;
    }
    i = end;
  }
  if (start !== undefined) statements.push({ start, end: text.length });
  return statements;
}
