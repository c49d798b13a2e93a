import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { renderSpec, SPEC_FILE } from '../../tools/generate-spec.ts';
import { registry } from '../../spec/registry.ts';

test('spec/SPEC.md is generated from the registry and up to date (npm run spec)', () => {
  assert.ok(readFileSync(SPEC_FILE, 'utf8') === renderSpec(), 'spec/SPEC.md is out of date: run npm run spec');
});

test('SPEC.md has every requirement once, with its level, statement and references', () => {
  const text = renderSpec();
  for (const r of registry.requirements) {
    assert.equal(text.split(`<a id="${r.id}"></a>`).length, 2, r.id);
    const section = text.slice(text.indexOf(`<a id="${r.id}"></a>`)).split('\n<a id=')[0];
    assert.match(section, new RegExp(`\\*\\*${r.level}\\*\\*`));
    assert.ok(section.includes(r.statement.slice(0, 20)), `${r.id} statement`);
    assert.equal(section.match(/\]\(https:\/\//g)?.length, r.references.length, `${r.id} references as links`);
  }
});

test('a change to the registry changes SPEC.md', () => {
  const changed = { ...registry, requirements: registry.requirements.map((r, i) => (i === 0 ? { ...r, title: `${r.title} (changed)` } : r)) };
  assert.notEqual(renderSpec(changed), renderSpec());
});
