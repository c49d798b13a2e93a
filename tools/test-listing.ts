/**
 * Which tests cite which requirements, as Playwright lists them
 * (`playwright test --list --reporter=json`): the source of the "Checked by"
 * lines of spec/SPEC.md, of the kill table, and of the traceability check.
 * Listing costs a Playwright start-up (seconds), so the listing is kept in
 * spec/tests.json, written by `npm run docs`; the generated documents are
 * rendered from that file, and the self-test's traceability step fails when
 * it no longer matches a fresh listing.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ANNOTATION } from '../lib/report-contract.ts';
import { ROOT, type Generated } from './generated.ts';

export const LISTING_FILE = path.join(ROOT, 'spec', 'tests.json');

export interface ListedTest {
  /** File and line of the test() call, relative to the repository: `suites/cookie-flags.spec.ts:210`. */
  location: string;
  /** The describe titles and the test's own, joined by › as Playwright prints them. */
  title: string;
  project: string;
  /** The requirement ids the test cites (its `requirement` annotations). */
  requirements: string[];
}

interface JsonSuite {
  title: string;
  specs?: Array<{ title: string; file: string; line: number; tests: Array<{ projectName: string; annotations: Array<{ type: string; description?: string }> }> }>;
  suites?: JsonSuite[];
}

/** The tests that cite a requirement, from Playwright's JSON listing, in a stable order. */
export function testsOfListing(json: { suites: JsonSuite[] }): ListedTest[] {
  const found: ListedTest[] = [];
  const walk = (suite: JsonSuite, describes: string[]) => {
    for (const spec of suite.specs ?? []) {
      for (const t of spec.tests) {
        const requirements = t.annotations.filter((a) => a.type === ANNOTATION.requirement).map((a) => a.description ?? '');
        if (requirements.length === 0) continue;
        found.push({ location: `${spec.file}:${spec.line}`, title: [...describes, spec.title].join(' › '), project: t.projectName, requirements });
      }
    }
    // A file's suite is titled with its path; describe blocks below it add to the title.
    for (const child of suite.suites ?? []) walk(child, [...describes, child.title]);
  };
  for (const file of json.suites) walk(file, []);
  const line = (t: ListedTest) => Number(t.location.split(':')[1]);
  const file = (t: ListedTest) => t.location.split(':')[0];
  return found.sort((a, b) => file(a).localeCompare(file(b)) || line(a) - line(b) || a.title.localeCompare(b.title) || a.project.localeCompare(b.project));
}

/** A fresh listing: runs Playwright (a few seconds of CPU). Throws with Playwright's output when it fails. */
export function listTests(): ListedTest[] {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'node_modules/@playwright/test/cli.js'), 'test', '--list', '--reporter=json'], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, CI: '', FORCE_COLOR: '0' },
    maxBuffer: 64 * 1024 * 1024,
  });
  const out = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  if (r.status !== 0 || r.stdout.indexOf('{') === -1) throw new Error(`playwright test --list failed:\n${out.slice(-2000)}`);
  return testsOfListing(JSON.parse(r.stdout.slice(r.stdout.indexOf('{'))));
}

export function renderListing(tests: ListedTest[]): string {
  // One test a line: a change to a test is a one-line diff.
  return `{"generated": "by npm run docs from playwright test --list; do not edit", "tests": [\n${tests.map((t) => JSON.stringify(t)).join(',\n')}\n]}\n`;
}

export function listingFile(tests: ListedTest[]): Generated {
  return { file: LISTING_FILE, text: renderListing(tests) };
}

/** The committed listing (spec/tests.json). */
export function readListing(): ListedTest[] {
  return (JSON.parse(readFileSync(LISTING_FILE, 'utf8')) as { tests: ListedTest[] }).tests;
}

/** The tests citing each requirement. */
export function testsByRequirement(tests: ListedTest[]): Map<string, ListedTest[]> {
  const by = new Map<string, ListedTest[]>();
  for (const t of tests) for (const id of t.requirements) by.set(id, [...(by.get(id) ?? []), t]);
  return by;
}
