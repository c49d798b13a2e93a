import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { useDraftedProfile } from '../../fixtures/drafted-profile.ts';
import type { Config } from '../../lib/config.ts';

// Only the branches that draft nothing: drafting itself needs a deployment (the variants step runs it).
test('a draft an earlier run left in the report folder is removed, unless this run names it as its profile', async () => {
  const reportDir = mkdtempSync(path.join(os.tmpdir(), 'drafted-profile-'));
  const draft = path.join(reportDir, 'drafted-profile.json');
  try {
    const config = { reportDir } as Config;
    writeFileSync(draft, '{}');
    await useDraftedProfile(config, {}); // embedded run
    assert.equal(existsSync(draft), false);

    writeFileSync(draft, '{}');
    await useDraftedProfile({ ...config, baseUrl: 'http://127.0.0.1:1' }, { CONFORMANCE_PROFILE: draft });
    assert.equal(existsSync(draft), true, 'the profile this run uses stays');

    await useDraftedProfile({ ...config, baseUrl: 'http://127.0.0.1:1' }, { CONFORMANCE_PROFILE: path.join(reportDir, 'mine.json') });
    assert.equal(existsSync(draft), false);
  } finally {
    rmSync(reportDir, { recursive: true, force: true });
  }
});
