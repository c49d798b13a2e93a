/**
 * Patches of the reference app, the form a seeded defect (or a conforming
 * variant) takes when it changes reference code instead of adding its own:
 *
 *   -- patch: sql/20-auth.sql
 *   -- replace:
 *                   pg_catalog.format('%s=%s; Path=/; Max-Age=%s; HttpOnly; Secure; SameSite=Lax',
 *   -- with:
 *                   pg_catalog.format('%s=%s; Path=/; Max-Age=%s; Secure; SameSite=Lax',
 *   -- end
 *
 * A section names one reference file and holds one or more replace/with
 * pairs. Each replace text is whole lines that must occur exactly once in
 * that file, as it is now: when the reference changes under a defect, loading
 * the defect fails at once with one line naming the defect file, the block and
 * the reference file, instead of the defect silently reverting the change or
 * no longer breaking anything. The section stands for the reference statements
 * its replacements fall in, whole (a CREATE FUNCTION with its body), with the
 * replacements made: that is the SQL the defect's overlay runs in its place.
 * Everything outside sections is plain SQL and runs as written, in file order.
 *
 * Why not unified diffs (the `diff` package's applyPatch): a reader of a
 * defect wants to see the line it breaks and what it becomes, without hunk
 * headers and line counts to keep right by hand; and a diff's context lines
 * say nothing about which statements to re-run.
 */
import { sqlStatements } from './sql-statements.ts';

interface Block {
  /** Line of the `-- replace:` in the patching file. */
  line: number;
  replace: string;
  with: string;
}

interface Section {
  /** Line of the `-- patch:` in the patching file. */
  line: number;
  /** The reference file, relative to the project (e.g. sql/20-auth.sql). */
  file: string;
  blocks: Block[];
}

/** A line of the patch form: the directive and its argument, or undefined for SQL. */
function directive(line: string): { name: string; arg: string } | undefined {
  const m = /^-- (patch|replace|with|end)(?::(.*))?\s*$/.exec(line);
  if (!m) return undefined;
  return { name: m[1]!, arg: (m[2] ?? '').trim() };
}

/** The overlay as plain SQL text and patch sections, in file order. */
function parse(text: string, where: string): Array<string | Section> {
  const parts: Array<string | Section> = [];
  let plain: string[] = [];
  let section: Section | undefined;
  let block: { line: number; replace: string[]; with?: string[] } | undefined;
  const fail = (line: number, message: string): never => {
    throw new Error(`${where}:${line}: ${message}`);
  };
  /** Ends the open block, if any; a block needs its "-- with:". */
  const closeBlock = (n: number) => {
    if (!block) return;
    if (!block.with) fail(n, `the block at line ${block.line} has no "-- with:"`);
    section!.blocks.push({ line: block.line, replace: block.replace.join('\n'), with: block.with!.join('\n') });
    block = undefined;
  };
  text.split('\n').forEach((line, i) => {
    const n = i + 1;
    const d = directive(line);
    if (!section) {
      if (!d) plain.push(line);
      else if (d.name !== 'patch') fail(n, `"-- ${d.name}" outside a "-- patch: FILE" section`);
      else if (!d.arg) fail(n, '"-- patch:" needs the reference file it patches, e.g. -- patch: sql/20-auth.sql');
      else {
        parts.push(plain.join('\n'));
        plain = [];
        section = { line: n, file: d.arg, blocks: [] };
      }
      return;
    }
    switch (d?.name) {
      case 'patch':
        return fail(n, `"-- patch:" inside the section opened at line ${section.line}: close that one with "-- end" first`);
      case 'replace':
        closeBlock(n);
        block = { line: n, replace: [] };
        return;
      case 'with':
        if (!block || block.with) return fail(n, '"-- with:" without a "-- replace:" before it');
        block.with = [];
        return;
      case 'end':
        closeBlock(n);
        if (section.blocks.length === 0) fail(n, `the section at line ${section.line} has no "-- replace:" block`);
        parts.push(section);
        section = undefined;
        return;
      default:
        if (block) (block.with ?? block.replace).push(line);
        else if (line.trim() !== '') fail(n, 'inside a patch section, only "-- replace:" ... "-- with:" ... blocks and "-- end"');
    }
  });
  if (section) fail(section.line, 'the patch section is not closed with "-- end"');
  parts.push(plain.join('\n'));
  return parts;
}

/** Offsets of every occurrence of `lines` as whole lines of `text`. */
function occurrences(text: string, lines: string): number[] {
  const found: number[] = [];
  const padded = `\n${text}\n`;
  const needle = `\n${lines}\n`;
  for (let at = padded.indexOf(needle); at !== -1; at = padded.indexOf(needle, at + 1)) found.push(at);
  return found;
}

const firstLine = (text: string) => {
  const line = text.split('\n').find((l) => l.trim()) ?? '';
  const trimmed = line.trim();
  return trimmed.length > 60 ? `${trimmed.slice(0, 57)}...` : trimmed;
};

/**
 * The SQL a section stands for: the reference statements its blocks touch,
 * whole, with the replacements made, each preceded by a comment saying where
 * it comes from.
 */
function applySection(section: Section, reference: string, where: string): string {
  const statements = sqlStatements(reference);
  const spans = section.blocks.map((block) => {
    const blockWhere = `${where}:${block.line}: the replace block "${firstLine(block.replace)}"`;
    if (block.replace.trim() === '') throw new Error(`${where}:${block.line}: the replace block is empty`);
    const found = occurrences(reference, block.replace);
    if (found.length !== 1) {
      throw new Error(
        `${blockWhere} occurs ${found.length} times in ${section.file}, not once: ${found.length ? 'give it more lines of context' : 'the reference changed, update the defect to it'}`,
      );
    }
    const start = found[0]!;
    const end = start + block.replace.length;
    const touched = statements.filter((s) => s.start < end && s.end > start);
    if (touched.length === 0) throw new Error(`${blockWhere} changes no statement of ${section.file} (only comments or blank lines)`);
    return { block, start, end, from: Math.min(start, touched[0]!.start), to: Math.max(end, touched.at(-1)!.end) };
  });
  spans.sort((a, b) => a.start - b.start);
  for (let i = 1; i < spans.length; i++) {
    if (spans[i]!.start < spans[i - 1]!.end) throw new Error(`${where}:${spans[i]!.block.line}: the replace block overlaps the one at line ${spans[i - 1]!.block.line}`);
  }
  // Blocks in one statement (or in statements they join) become one chunk of the reference.
  const chunks: Array<{ from: number; to: number; spans: typeof spans }> = [];
  for (const span of spans) {
    const last = chunks.at(-1);
    if (last && span.from < last.to) {
      last.to = Math.max(last.to, span.to);
      last.spans.push(span);
    } else chunks.push({ from: span.from, to: span.to, spans: [span] });
  }
  const lineAt = (offset: number) => reference.slice(0, offset).split('\n').length;
  return chunks
    .map(({ from, to, spans: inside }) => {
      let text = '';
      let at = from;
      for (const span of inside) {
        text += reference.slice(at, span.start) + span.block.with;
        at = span.end;
      }
      text += reference.slice(at, to);
      return `-- ${section.file}:${lineAt(from)}, patched by ${where}:${inside.map((s) => s.block.line).join(',')}\n${text}`;
    })
    .join('\n\n');
}

/**
 * The SQL of an overlay file in the patch form: its plain SQL as written and
 * each patch section replaced by the patched reference statements. `where`
 * names the overlay in errors; `readReference` gives a reference file's text
 * by its project-relative name (and throws for a file that is not one).
 */
export function applyPatches(text: string, where: string, readReference: (file: string) => string): string {
  return parse(text, where)
    .map((part) => {
      if (typeof part === 'string') return part;
      let reference: string;
      try {
        reference = readReference(part.file);
      } catch (error) {
        throw new Error(`${where}:${part.line}: cannot patch ${part.file}: ${(error as Error).message}`);
      }
      return applySection(part, reference, where);
    })
    .join('\n');
}
