/**
 * `npm run docs`: regenerates every generated document from its sources.
 *
 *   spec/tests.json       which tests cite which requirements (Playwright's listing)
 *   spec/SPEC.md          spec/requirements.json, with each requirement's tests
 *   README.md (region)    the environment variables, from SETTINGS in lib/config.ts
 *   docs/kill-table.md    each seeded defect, what it must fail, the tests checking that
 *
 * `npm run docs -- --keep-listing` renders from the committed listing
 * without listing the tests again (for a change to the registry, SETTINGS or
 * a defect). `npm run docs -- --check` rewrites nothing and exits 1 naming what is out of
 * date, from the committed listing (no Playwright start); unit tests do the
 * same, and the self-test's traceability step compares the listing with a
 * fresh one. docs/performance.md is written by `npm run bench`, which
 * measures it.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { killTableFile } from '../self-test/kill-table.ts';
import { writeGenerated, type Generated } from './generated.ts';
import { specFile } from './generate-spec.ts';
import { readmeWithSettings } from './readme-settings.ts';
import { listingFile, listTests, readListing, type ListedTest } from './test-listing.ts';

/** Every generated document, from a listing. */
export function generatedDocs(listing: ListedTest[] = readListing()): Generated[] {
  return [listingFile(listing), specFile(undefined, listing), readmeWithSettings(), killTableFile(undefined, listing)];
}

function main(): void {
  const check = process.argv.includes('--check');
  const listing = check || process.argv.includes('--keep-listing') ? readListing() : listTests();
  const stale = writeGenerated(generatedDocs(listing), check);
  if (check && stale.length) {
    process.stderr.write(`out of date: ${stale.join(', ')}: run npm run docs\n`);
    process.exit(1);
  }
  process.stdout.write(stale.length ? `${check ? 'out of date' : 'wrote'}: ${stale.join(', ')}\n` : 'generated documents are up to date\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) main();
