/**
 * Generated documents: written by `npm run docs`, checked by unit tests and
 * `npm run docs -- --check`. A generated file, or a marked region of a
 * hand-written one (`<!-- name:begin -->` … `<!-- name:end -->`), is only
 * ever rewritten whole, so its content is a function of its sources.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** A region's markers, as they appear in the hand-written file. */
export const regionMarkers = (name: string) => ({ begin: `<!-- ${name}:begin -->`, end: `<!-- ${name}:end -->` });

/** The text with the region's body replaced; throws when the markers are missing, so a deleted marker cannot go unnoticed. */
export function replaceRegion(text: string, name: string, body: string): string {
  const { begin, end } = regionMarkers(name);
  const from = text.indexOf(begin);
  const to = text.indexOf(end);
  if (from === -1 || to < from) throw new Error(`no ${begin} … ${end} region to generate into`);
  return `${text.slice(0, from + begin.length)}\n${body.trimEnd()}\n${text.slice(to)}`;
}

/** A file the generator owns, and the text it should hold. */
export interface Generated {
  file: string;
  text: string;
}

/** Writes each file that differs, or with `check` only lists them; returns the relative paths that were (or would be) rewritten. */
export function writeGenerated(files: Generated[], check: boolean): string[] {
  const stale = files.filter((f) => {
    let current: string | undefined;
    try {
      current = readFileSync(f.file, 'utf8');
    } catch {
      current = undefined;
    }
    return current !== f.text;
  });
  if (!check) for (const f of stale) writeFileSync(f.file, f.text);
  return stale.map((f) => path.relative(ROOT, f.file));
}
