/**
 * spec/SPEC.md, the specification for people, from spec/requirements.json
 * (the one source) and, under each requirement, the tests that check it
 * (spec/tests.json, Playwright's listing). Written by `npm run docs`
 * (tools/generate-docs.ts); a unit test fails when it is out of date.
 */
import path from 'node:path';
import { categoriesOf, categoryTitle } from '../reporter/categories.ts';
import { referenceLabel, referenceUrl, registry as defaultRegistry, type Capability, type Registry, type Requirement } from '../spec/registry.ts';
import { ROOT, type Generated } from './generated.ts';
import { readListing, testsByRequirement, type ListedTest } from './test-listing.ts';

export const SPEC_FILE = path.join(ROOT, 'spec', 'SPEC.md');

const NEEDS: Record<Capability, string> = {
  http: 'HTTP access to the deployment',
  database: 'DATABASE_URL',
  expiry: 'a way to expire a session: DATABASE_URL, or a declared SESSION_TTL_SECONDS of 30 or less',
  browser: 'a Chromium browser',
};

/** Characters Markdown would read as markup, in running text (an underscore only at a word's edge: current_user stays readable). */
const md = (text: string) => text.replace(/([\\`*[\]<>|])/g, '\\$1').replace(/(?<!\w)_|_(?!\w)/g, '\\_');

/** "Checked by": each test citing the requirement, as a link to its line. */
function checkedBy(tests: ListedTest[]): string[] {
  if (tests.length === 0) return ['*Checked by:* no test (a MAY the suite does not check).', ''];
  return [
    '*Checked by:*',
    '',
    ...tests.map((t) => {
      const [file, line] = t.location.split(':');
      return `- [${t.location}](../${file}#L${line}) ${md(t.title)}${t.project === 'browser' ? ' (browser)' : ''}`;
    }),
    '',
  ];
}

function requirementSection(r: Requirement, tests: ListedTest[]): string[] {
  const needs = r.capabilities.filter((c) => c !== 'http').map((c) => NEEDS[c]);
  const facts = [`**${r.level}**`, `category: ${r.category}`];
  if (r.appliesTo) facts.push(`applies to ${r.appliesTo} deployments only (not applicable elsewhere)`);
  if (needs.length) facts.push(`needs ${needs.join('; ')} (not verified without)`);
  return [
    `<a id="${r.id}"></a>`,
    `### \`${r.id}\`: ${md(r.title)}`,
    '',
    facts.join(' · '),
    '',
    `> ${md(r.statement)}`,
    '',
    `*Rationale.* ${md(r.rationale)}`,
    '',
    `*References:* ${r.references.map((ref) => `[${md(referenceLabel(ref))}](${referenceUrl(ref)})`).join(', ')}`,
    '',
    ...checkedBy(tests),
  ];
}

export function renderSpec(registry: Registry = defaultRegistry, listing: ListedTest[] = readListing()): string {
  const byRequirement = testsByRequirement(listing);
  const groups = categoriesOf(registry.requirements);
  const count = (level: string) => registry.requirements.filter((r) => r.level === level).length;
  const lines = [
    '<!-- Generated from spec/requirements.json and spec/tests.json by `npm run docs`. Do not edit by hand: edit the registry and regenerate. -->',
    '',
    `# ${md(registry.title)}: specification ${registry.version}`,
    '',
    'What a PostgREST deployment that keeps its sessions in a cookie must do, requirement by requirement. ' +
      'Login sets a session cookie; a `db-pre-request` function turns it into a role and a user id; row-level ' +
      'security keeps users apart. Every requirement has a stable id, which tests cite and reports use.',
    '',
    'The key words MUST, MUST NOT, SHOULD and MAY are to be interpreted as described in BCP 14 ' +
      '([RFC 2119](https://www.rfc-editor.org/rfc/rfc2119), [RFC 8174](https://www.rfc-editor.org/rfc/rfc8174)) ' +
      'when, and only when, they appear in all capitals.',
    '',
    `There are ${registry.requirements.length} requirements: ${count('MUST')} MUST, ${count('SHOULD')} SHOULD, ${count('MAY')} MAY.`,
    '',
    '## Verdicts',
    '',
    'How the tests\' outcomes make each requirement pass, fail, or be not verified or not applicable, and the ' +
      'deployment conformant, non-conformant or inconclusive, is stated once, in ' +
      '[reporter/README.md](../reporter/README.md#outcomes-statuses-and-verdict). Under each requirement below, ' +
      '"Checked by" lists the tests that cite it (generated from Playwright\'s listing).',
    '',
    '## Contents',
    '',
    '| Requirement | Level | Title |',
    '| --- | --- | --- |',
    ...groups.flatMap(({ category, items }) => [
      `| **${md(categoryTitle(category))}** | | |`,
      ...items.map((r) => `| [\`${r.id}\`](#${r.id}) | ${r.level} | ${md(r.title)} |`),
    ]),
    '',
  ];
  for (const { category, items } of groups) {
    lines.push(`## ${md(categoryTitle(category))}`, '');
    for (const r of items) lines.push(...requirementSection(r, byRequirement.get(r.id) ?? []));
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

export function specFile(registry: Registry = defaultRegistry, listing: ListedTest[] = readListing()): Generated {
  return { file: SPEC_FILE, text: renderSpec(registry, listing) };
}
