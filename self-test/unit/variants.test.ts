import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import type { Profile } from '../../lib/profile.ts';
import { stripPrefix } from '../prefix-proxy.ts';
import { applyProfileEdit, loadVariants, parseProfileEdit, parseVariant, variantDefect } from '../variants.ts';

test('every conforming variant has an about line and only known suite settings', () => {
  const variants = loadVariants();
  assert.ok(variants.length > 0);
  for (const v of variants) {
    assert.ok(v.about.length > 20, v.name);
    for (const sql of [v.env.EXPIRE_SESSION_SQL, v.env.SESSION_EXPIRES_SQL].filter(Boolean)) assert.match(sql, /\$1/, v.name);
  }
});

test('a variant header: env values keep their spaces and = signs; settings are NAME=VALUE lists', () => {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'variant-unit-')), 'shape.sql');
  writeFileSync(
    file,
    [
      '-- about: a shape',
      "-- env: EXPIRE_SESSION_SQL=update s set expires = now() where h = sha256(convert_to($1, 'UTF8'))",
      '-- settings: sessions.idle_seconds=5 sessions.absolute_seconds=9',
      'select 1;',
    ].join('\n'),
  );
  const v = parseVariant(file);
  assert.equal(v.env.EXPIRE_SESSION_SQL, "update s set expires = now() where h = sha256(convert_to($1, 'UTF8'))");
  assert.deepEqual(v.settings, { 'sessions.idle_seconds': '5', 'sessions.absolute_seconds': '9' });
  writeFileSync(file, '-- about: a shape\n-- env: EXPIRE_SESSION=update\n');
  assert.throws(() => parseVariant(file), /EXPIRE_SESSION is not one of the suite's settings/);
});

test('a profile edit: a JSON Pointer, a JSON value and why; applied into objects and arrays', () => {
  const edit = parseProfileEdit('/resources/0/ownerSetBy = "client" -- a view marks no column required', 'x.sql');
  assert.deepEqual(edit, { pointer: '/resources/0/ownerSetBy', value: 'client', why: 'a view marks no column required' });
  const profile = { resources: [{ ownerSetBy: 'server' }], notes: [] } as unknown as Profile;
  applyProfileEdit(profile, edit);
  applyProfileEdit(profile, parseProfileEdit('/refusalStatuses = {"badCredentials": [403]} -- not tried', 'x.sql'));
  applyProfileEdit(profile, parseProfileEdit('/notes/- = "kept" -- appended', 'x.sql'));
  assert.deepEqual(profile, { resources: [{ ownerSetBy: 'client' }], refusalStatuses: { badCredentials: [403] }, notes: ['kept'] } as unknown as Profile);
  assert.throws(() => parseProfileEdit('/cookieName = "sid"', 'x.sql'), /why the drafter cannot know it/);
  assert.throws(() => parseProfileEdit('/cookieName = sid -- a bare word', 'x.sql'), /is not a JSON value/);
  assert.throws(() => applyProfileEdit(profile, parseProfileEdit('/resources/5/x = 1 -- no such item', 'x.sql')), /no item 5/);
});

test('the shaped variants: a base path, their edits, and their seeded defects resolve (own ones patching the variant)', () => {
  const byName = new Map(loadVariants().map((v) => [v.name, v]));
  const prefixed = byName.get('prefixed-rotating')!;
  assert.equal(prefixed.basePath, '/api');
  const notes = byName.get('username-notes')!;
  assert.deepEqual(notes.settings, { 'sessions.cookie_name': '__Host-sid' });
  for (const v of [prefixed, notes]) for (const e of v.profileEdits) assert.ok(e.why.length > 20, `${v.name} ${e.pointer}`);
  const all = [...byName.values()].flatMap((v) => v.defects.map((d) => variantDefect(v, d)));
  assert.ok(all.length >= 4);
  const signout = variantDefect(notes, 'signout-keeps-session');
  assert.match(signout.overlay.text, /create or replace function api\.signout\(\)[\s\S]*the defect/);
  assert.deepEqual(signout.fails, ['lifecycle-logout-ends-session', 'browser-csrf-form']);
  assert.throws(() => variantDefect(notes, 'no-such-defect'), /in neither/);
});

test('the prefix proxy strips its prefix and leaves the rest out', () => {
  assert.equal(stripPrefix('/api', '/api/rpc/login?x=1'), '/rpc/login?x=1');
  assert.equal(stripPrefix('/api', '/api'), '/');
  assert.equal(stripPrefix('/api', '/api?a=b'), '/?a=b');
  assert.equal(stripPrefix('/api', '/apix/rpc'), undefined);
  assert.equal(stripPrefix('/api', '/rpc/login'), undefined);
});
