import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { SETTINGS } from '../../lib/config.ts';
import { killTableFile, renderKillTable } from '../../self-test/kill-table.ts';
import { loadDefects } from '../../self-test/defects.ts';
import { generatedDocs } from '../../tools/generate-docs.ts';
import { replaceRegion } from '../../tools/generated.ts';
import { README_FILE, readmeWithSettings, renderSettingsTable } from '../../tools/readme-settings.ts';
import { readListing, testsOfListing } from '../../tools/test-listing.ts';

test('every generated document is up to date (npm run docs)', () => {
  for (const doc of generatedDocs()) assert.ok(readFileSync(doc.file, 'utf8') === doc.text, `${doc.file} is out of date: run npm run docs`);
});

test("the README's settings table lists exactly SETTINGS, one row each", () => {
  const readme = readFileSync(README_FILE, 'utf8');
  const rows = readme.split('\n').filter((l) => /^\| `[A-Z_]+` \|/.test(l));
  assert.deepEqual(
    rows.map((l) => /^\| `([A-Z_]+)`/.exec(l)![1]),
    SETTINGS.map((s) => s.name),
  );
  assert.equal(readmeWithSettings(readme).text, readme);
});

test('a settings change changes the README; a missing region is an error, not a silent skip', () => {
  const changed = SETTINGS.map((s, i) => (i === 0 ? { ...s, default: 'changed' } : s));
  assert.notEqual(renderSettingsTable(changed), renderSettingsTable());
  assert.throws(() => replaceRegion('no markers here', 'settings', 'x'), /no <!-- settings:begin -->/);
});

test('the kill table is a function of the defects and the listing: no dates, no run results', () => {
  const once = killTableFile().text;
  assert.equal(killTableFile().text, once);
  assert.doesNotMatch(once, /Last sweep|ESCAPED|caught exactly/);
  for (const d of loadDefects()) for (const id of d.fails) assert.ok(once.includes(`| \`${id}\` |`), `${d.name} ${id}`);
});

test("a sweep's table adds what that run caught, and says so when a defect escaped", () => {
  const [defect] = loadDefects();
  const id = defect.fails[0];
  const result = { defect, problems: [`${id} passed`], failed: [], caughtBy: { [id]: [] }, ms: 1, reportDir: '/r' };
  const text = renderKillTable('/x/kill-table.md', [defect], readListing(), { results: [result], postgrest: '12' });
  assert.match(text, /\*\*ESCAPED\*\*/);
  assert.match(text, /0 of 1 defects caught exactly/);
});

test("the listing keeps each test's location, describe titles and cited requirements, in a stable order", () => {
  const json = {
    suites: [
      {
        title: 'suites/b.spec.ts',
        specs: [{ title: 'second', file: 'suites/b.spec.ts', line: 9, tests: [{ projectName: 'http', annotations: [{ type: 'requirement', description: 'cookie-path' }] }] }],
        suites: [
          {
            title: 'group',
            specs: [
              { title: 'first', file: 'suites/b.spec.ts', line: 3, tests: [{ projectName: 'http', annotations: [{ type: 'requirement', description: 'cookie-single' }, { type: 'skip' }] }] },
              { title: 'uncited', file: 'suites/b.spec.ts', line: 5, tests: [{ projectName: 'http', annotations: [] }] },
            ],
          },
        ],
      },
    ],
  };
  assert.deepEqual(testsOfListing(json), [
    { location: 'suites/b.spec.ts:3', title: 'group › first', project: 'http', requirements: ['cookie-single'] },
    { location: 'suites/b.spec.ts:9', title: 'second', project: 'http', requirements: ['cookie-path'] },
  ]);
});
