/**
 * `npm run spec`: writes spec/SPEC.md, the specification for people, from
 * spec/requirements.json (the one source). `npm run spec -- --check` exits 1
 * when SPEC.md is out of date; a unit test does the same, so the two never
 * drift.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { categoriesOf, categoryTitle } from '../reporter/categories.ts';
import { referenceLabel, referenceUrl, registry as defaultRegistry, type Capability, type Registry, type Requirement } from '../spec/registry.ts';

export const SPEC_FILE = fileURLToPath(new URL('../spec/SPEC.md', import.meta.url));

const NEEDS: Record<Capability, string> = {
  http: 'HTTP access to the deployment',
  database: 'DATABASE_URL',
  expiry: 'a way to expire a session: DATABASE_URL, or a declared SESSION_TTL_SECONDS of 30 or less',
  browser: 'a Chromium browser',
};

/** Characters Markdown would read as markup, in running text (an underscore only at a word's edge: current_user stays readable). */
const md = (text: string) => text.replace(/([\\`*[\]<>|])/g, '\\$1').replace(/(?<!\w)_|_(?!\w)/g, '\\_');

function requirementSection(r: Requirement): string[] {
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
  ];
}

export function renderSpec(registry: Registry = defaultRegistry): string {
  const groups = categoriesOf(registry.requirements);
  const count = (level: string) => registry.requirements.filter((r) => r.level === level).length;
  const lines = [
    '<!-- Generated from spec/requirements.json by `npm run spec`. Do not edit by hand: edit the registry and regenerate. -->',
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
    'A requirement **passes** when every test citing it passed, **fails** when a test found it violated, is ' +
      '**not verified** when the suite lacked what it needs or could not set the check up, and is **not ' +
      'applicable** when it does not apply to the deployment (an https-only rule on plain http). A deployment ' +
      'is **non-conformant** when a MUST fails, **inconclusive** when none fails but a MUST is not verified ' +
      '(or nothing passed at all), and **conformant** otherwise. In strict mode (`CONFORMANCE_STRICT=1`) ' +
      'SHOULD counts as MUST.',
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
    for (const r of items) lines.push(...requirementSection(r));
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

function main(): void {
  const text = renderSpec();
  const relative = path.relative(process.cwd(), SPEC_FILE);
  if (process.argv.includes('--check')) {
    const current = readFileSync(SPEC_FILE, 'utf8');
    if (current !== text) {
      process.stderr.write(`${relative} is out of date: run npm run spec\n`);
      process.exit(1);
    }
    process.stdout.write(`${relative} is up to date\n`);
    return;
  }
  writeFileSync(SPEC_FILE, text);
  process.stdout.write(`wrote ${relative} (${defaultRegistry.requirements.length} requirements)\n`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) main();
