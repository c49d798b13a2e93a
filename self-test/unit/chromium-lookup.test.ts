import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findChromium, type ChromiumMachine } from '../../fixtures/chromium-lookup.ts';
import { chromiumMissing } from '../../fixtures/chromium-options.ts';

const PLAYWRIGHTS = '/home/u/.cache/ms-playwright/chromium-1/chrome-linux/chrome';

/** A made-up machine holding exactly `files`; Playwright's Chromium would be at PLAYWRIGHTS. */
function machine(files: string[], env: NodeJS.ProcessEnv = {}, playwright: string | undefined = PLAYWRIGHTS): ChromiumMachine {
  return {
    env: { PATH: '/usr/local/bin:/usr/bin', ...env },
    exists: (file) => files.includes(file),
    playwrightChromium: () => playwright,
  };
}

test('CHROMIUM_PATH wins, even over a system Chromium, and even when it is not there (the run then names it)', () => {
  assert.deepEqual(findChromium(machine(['/usr/bin/chromium'], { CHROMIUM_PATH: '/opt/c/chrome' })), { path: '/opt/c/chrome', source: 'CHROMIUM_PATH' });
});

test("then the system's Chromium: on PATH in PATH's order, chromium before chromium-browser before google-chrome", () => {
  assert.deepEqual(findChromium(machine(['/usr/bin/chromium', '/usr/local/bin/google-chrome', PLAYWRIGHTS])), {
    path: '/usr/local/bin/google-chrome',
    source: 'system',
  });
  assert.equal(findChromium(machine(['/usr/bin/chromium-browser', '/usr/bin/chromium']))?.path, '/usr/bin/chromium');
  assert.equal(findChromium(machine(['/usr/bin/google-chrome', '/usr/bin/chromium-browser']))?.path, '/usr/bin/chromium-browser');
});

test('a system Chromium in its usual place counts when PATH does not name its folder', () => {
  assert.deepEqual(findChromium(machine(['/snap/bin/chromium', PLAYWRIGHTS], { PATH: '/bin' })), { path: '/snap/bin/chromium', source: 'system' });
  assert.equal(findChromium(machine(['/usr/bin/chromium'], { CHROMIUM_PATH: '' }))?.path, '/usr/bin/chromium');
});

test("then Playwright's own, only when it has been downloaded", () => {
  assert.deepEqual(findChromium(machine([PLAYWRIGHTS])), { path: PLAYWRIGHTS, source: 'playwright' });
  assert.equal(findChromium(machine([])), undefined);
  assert.equal(findChromium(machine([], {}, undefined)), undefined);
});

test('no Chromium is said with every fix, in one line', () => {
  for (const problem of [chromiumMissing(undefined), chromiumMissing('/opt/c/chrome')]) {
    assert.match(problem, /apt-get install chromium/);
    assert.match(problem, /npx playwright install chromium/);
    assert.match(problem, /CHROMIUM_PATH/);
    assert.ok(!problem.includes('\n'));
  }
  assert.match(chromiumMissing('/opt/c/chrome'), /^no Chromium at \/opt\/c\/chrome /);
});
