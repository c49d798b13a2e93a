import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FLAGS, helpText, parseArgs, plain } from '../../cli/options.ts';
import { SETTINGS } from '../../lib/config.ts';
import { UserError } from '../../lib/user-error.ts';

const oneLine = (pattern: RegExp) => (e: unknown) => e instanceof UserError && pattern.test(e.message) && !e.message.includes('\n');

test('each flag gives its setting; files and folders become absolute against the caller', () => {
  const r = parseArgs(
    ['--base-url', 'https://staging.example.com/api', '--database-url=postgres://checker@db/app', '--profile', 'profile.json', '--report-dir', 'out', '--strict'],
    '/home/me/app',
  );
  assert.deepEqual(r, {
    help: false,
    env: {
      BASE_URL: 'https://staging.example.com/api',
      DATABASE_URL: 'postgres://checker@db/app',
      CONFORMANCE_PROFILE: '/home/me/app/profile.json',
      CONFORMANCE_REPORT_DIR: '/home/me/app/out',
      CONFORMANCE_STRICT: '1',
    },
    playwrightArgs: [],
  });
});

test('no flags: no settings (the embedded reference deployment); what follows -- goes to playwright test', () => {
  assert.deepEqual(parseArgs([], '/x'), { help: false, env: {}, playwrightArgs: [] });
  assert.deepEqual(parseArgs(['--strict', '--', '--grep', 'cookie-', '--workers', '2'], '/x'), {
    help: false,
    env: { CONFORMANCE_STRICT: '1' },
    playwrightArgs: ['--grep', 'cookie-', '--workers', '2'],
  });
  assert.deepEqual(parseArgs(['--report-dir', 'r', '-h'], '/x'), { help: true });
});

test('a bad flag is one line naming the fix', () => {
  assert.throws(() => parseArgs(['--grep', 'x'], '/x'), oneLine(/unknown option --grep: run postgrest-cookie-conformance --help .*after --/));
  assert.throws(() => parseArgs(['https://x'], '/x'), oneLine(/unexpected argument "https:\/\/x"/));
  assert.throws(() => parseArgs(['--base-url'], '/x'), oneLine(/--base-url needs a value: --base-url URL/));
  assert.throws(() => parseArgs(['--profile', '--strict'], '/x'), oneLine(/--profile needs a value/));
  assert.throws(() => parseArgs(['--strict=0'], '/x'), oneLine(/--strict takes no value/));
});

test('--draft-profile asks for a draft of --base-url\'s deployment instead of a run, and needs --base-url', () => {
  assert.deepEqual(parseArgs(['--draft-profile', '--base-url', 'https://staging.example.com', '--database-url', 'postgres://db/app'], '/x'), {
    help: false,
    env: { BASE_URL: 'https://staging.example.com', DATABASE_URL: 'postgres://db/app' },
    playwrightArgs: [],
    draftProfile: true,
  });
  assert.throws(() => parseArgs(['--draft-profile'], '/x'), oneLine(/--draft-profile needs --base-url URL/));
  assert.match(helpText(), /--draft-profile +print a draft profile/);
});

test('--help lists every setting of SETTINGS, in plain text, with its flag where it has one', () => {
  const help = helpText();
  for (const s of SETTINGS) assert.ok(help.includes(`\n  ${s.name}`), s.name);
  for (const f of FLAGS) {
    assert.ok(SETTINGS.some((s) => s.name === f.setting), `${f.name} gives a setting that is not in SETTINGS`);
    assert.ok(help.includes(`${f.setting}  (--${f.name})`), f.name);
  }
  assert.ok(!/`|\]\(/.test(help), 'Markdown left in the help');
  assert.ok(help.split('\n').every((l) => l.length <= 130), 'a line too long for a terminal');
  assert.match(help, /0 conformant, 1 non-conformant, 2 usage error, 3 inconclusive/);
});

test('Markdown of a setting becomes plain text', () => {
  assert.equal(plain('see [Containers](#containers) and `STACK`'), 'see Containers and STACK');
});
