/**
 * The command line of `postgrest-cookie-conformance`: a few flags, each the
 * name of one setting of lib/config.ts, and Playwright's own arguments after
 * `--`. Every other setting is given as an environment variable; --help lists
 * them all, generated from SETTINGS, so the two cannot drift apart. Pure, so
 * it is unit-tested without running anything.
 */
import path from 'node:path';
import { SETTINGS } from '../lib/config.ts';
import { UserError } from '../lib/user-error.ts';

export const COMMAND = 'postgrest-cookie-conformance';

export interface Flag {
  /** The option, without its dashes. */
  name: string;
  /** The setting it gives (a name in SETTINGS). */
  setting: string;
  /** What follows it, for usage lines; undefined for a switch (which sets the setting to 1). */
  value?: 'URL' | 'FILE' | 'DIR';
}

export const FLAGS: Flag[] = [
  { name: 'base-url', setting: 'BASE_URL', value: 'URL' },
  { name: 'database-url', setting: 'DATABASE_URL', value: 'URL' },
  { name: 'profile', setting: 'CONFORMANCE_PROFILE', value: 'FILE' },
  { name: 'report-dir', setting: 'CONFORMANCE_REPORT_DIR', value: 'DIR' },
  { name: 'strict', setting: 'CONFORMANCE_STRICT' },
];

export type Invocation =
  | { help: true }
  | {
      help: false;
      /** Settings the flags gave, to lay over the environment. */
      env: Record<string, string>;
      /** Everything after `--`, for `playwright test`. */
      playwrightArgs: string[];
      /** --draft-profile: print a draft profile of --base-url's deployment instead of running the suite. */
      draftProfile?: true;
    };

const SEE_HELP = `run ${COMMAND} --help`;

/**
 * Flags to settings. A file or folder is made absolute against `cwd`, so it
 * means the same to every process of the run. A bad flag is one UserError
 * line naming the fix (exit status 2).
 */
export function parseArgs(argv: string[], cwd: string): Invocation {
  const env: Record<string, string> = {};
  let draft: { draftProfile?: true } = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') return { help: false, env, playwrightArgs: argv.slice(i + 1), ...draft };
    if (arg === '-h' || arg === '--help') return { help: true };
    if (arg === '--draft-profile') {
      draft = { draftProfile: true };
      continue;
    }
    const [name, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const flag = FLAGS.find((f) => `--${f.name}` === name);
    if (!flag) {
      const what = arg.startsWith('-') ? `unknown option ${name}` : `unexpected argument ${JSON.stringify(arg)}`;
      throw new UserError(`${what}: ${SEE_HELP} (Playwright's own options go after --)`);
    }
    if (!flag.value) {
      if (inline !== undefined) throw new UserError(`${name} takes no value: give ${name} alone, or set ${flag.setting}`);
      env[flag.setting] = '1';
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined || value === '' || (inline === undefined && value.startsWith('-'))) {
      throw new UserError(`${name} needs a value: ${name} ${flag.value}`);
    }
    env[flag.setting] = flag.value === 'URL' ? value : path.resolve(cwd, value);
  }
  if (draft.draftProfile && !env.BASE_URL) throw new UserError(`--draft-profile needs --base-url URL, the deployment to draft a profile of`);
  return { help: false, env, playwrightArgs: [], ...draft };
}

/** Markdown of SETTINGS as plain text: links become their words, code loses its backticks. */
export function plain(markdown: string): string {
  return markdown.replace(/\[([^\]]+)\]\([^)]*\)/g, '$1').replace(/`([^`]*)`/g, '$1');
}

/** Words filled into lines of at most `width` characters, each indented. */
function wrap(text: string, indent: number, width = 100): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && indent + line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines.map((l) => `${' '.repeat(indent)}${l}`);
}

export function helpText(): string {
  const usage = FLAGS.map((f) => (f.value ? `[--${f.name} ${f.value}]` : `[--${f.name}]`)).join(' ');
  const flagOf = new Map(FLAGS.map((f) => [f.setting, f]));
  const options = FLAGS.map((f) => `  ${`--${f.name}${f.value ? ` ${f.value}` : ''}`.padEnd(22)}sets ${f.setting}${f.value ? '' : '=1'}`);
  const settings = SETTINGS.flatMap((s) => {
    const flag = flagOf.get(s.name);
    return [
      `  ${s.name}${flag ? `  (--${flag.name})` : ''}`,
      ...wrap(plain(s.meaning), 6),
      ...wrap(`default: ${plain(s.default)}`, 6),
    ];
  });
  return [
    `Usage: ${COMMAND} [options] [-- playwright test arguments]`,
    `       options: ${usage}`,
    '',
    ...wrap(
      'Runs the PostgREST cookie-session conformance suite against the deployment at --base-url, or, without one, against the embedded reference deployment (PostgreSQL and PostgREST started on this machine). ' +
        'It prints one line per requirement and the verdict, writes report.json, index.html, summary.md and junit.xml to --report-dir (default ./conformance-report), ' +
        'and exits with the verdict: 0 conformant, 1 non-conformant, 2 usage error, 3 inconclusive.',
      0,
    ),
    '',
    'Options:',
    ...options,
    `  ${'--draft-profile'.padEnd(22)}print a draft profile of the deployment at --base-url (with --database-url, read`,
    `  ${''.padEnd(22)}from its catalog too) and exit; review its notes, then give it with --profile`,
    `  ${'-h, --help'.padEnd(22)}this text`,
    `  ${'-- ARGS'.padEnd(22)}passed to playwright test, e.g. -- --workers 2 or -- --grep cookie-; a run of some`,
    `  ${''.padEnd(22)}tests only leaves the other requirements not verified (inconclusive, exit status 3)`,
    '',
    'Settings: a flag gives its setting; give any setting as an environment variable, e.g.',
    `  SESSION_TTL_SECONDS=30 ${COMMAND} --base-url https://staging.example.com`,
    '(a flag wins over the variable).',
    '',
    ...settings,
  ].join('\n');
}
