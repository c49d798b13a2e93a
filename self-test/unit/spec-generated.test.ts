import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { renderSpec, SPEC_FILE } from '../../tools/generate-spec.ts';
import { readListing, type ListedTest } from '../../tools/test-listing.ts';
import { registry } from '../../spec/registry.ts';

test('spec/SPEC.md is generated from the registry and the listing, and up to date (npm run docs)', () => {
  assert.ok(readFileSync(SPEC_FILE, 'utf8') === renderSpec(), 'spec/SPEC.md is out of date: run npm run docs');
});

const sectionOf = (text: string, id: string) => text.slice(text.indexOf(`<a id="${id}"></a>`)).split('\n<a id=')[0];

test('SPEC.md has every requirement once, with its level, statement, references and the tests that check it', () => {
  const text = renderSpec();
  const listing = readListing();
  for (const r of registry.requirements) {
    assert.equal(text.split(`<a id="${r.id}"></a>`).length, 2, r.id);
    const section = sectionOf(text, r.id);
    assert.match(section, new RegExp(`\\*\\*${r.level}\\*\\*`));
    assert.ok(section.includes(r.statement.slice(0, 20)), `${r.id} statement`);
    assert.equal(section.match(/\]\(https:\/\//g)?.length, r.references.length, `${r.id} references as links`);
    for (const t of listing.filter((l) => l.requirements.includes(r.id))) {
      const [file, line] = t.location.split(':');
      assert.ok(section.includes(`[${t.location}](../${file}#L${line})`), `${r.id} checked by ${t.location}`);
    }
  }
});

test('a change to the registry or to the tests changes SPEC.md', () => {
  const changed = { ...registry, requirements: registry.requirements.map((r, i) => (i === 0 ? { ...r, title: `${r.title} (changed)` } : r)) };
  assert.notEqual(renderSpec(changed), renderSpec());
  const moved: ListedTest[] = readListing().map((t, i) => (i === 0 ? { ...t, location: `${t.location.split(':')[0]}:9999` } : t));
  assert.notEqual(renderSpec(registry, moved), renderSpec());
});

test('the verdict rules are not restated in SPEC.md: it links to their one home', () => {
  const text = renderSpec();
  assert.ok(text.includes('reporter/README.md#outcomes-statuses-and-verdict'));
  assert.doesNotMatch(text, /non-conformant\*\* when a MUST fails/);
});
