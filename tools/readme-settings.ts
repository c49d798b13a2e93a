/**
 * The README's table of environment variables, generated from SETTINGS in
 * lib/config.ts (the one list of what a user may set) into the README's
 * `settings` region.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { SETTINGS, type Setting } from '../lib/config.ts';
import { replaceRegion, ROOT, type Generated } from './generated.ts';

export const README_FILE = path.join(ROOT, 'README.md');
export const SETTINGS_REGION = 'settings';

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function renderSettingsTable(settings: Setting[] = SETTINGS): string {
  return [
    '| Variable | Meaning | Default |',
    '|---|---|---|',
    ...settings.map((s) => `| \`${s.name}\` | ${cell(s.meaning)} | ${cell(s.default)} |`),
  ].join('\n');
}

/** README.md with its settings table regenerated. */
export function readmeWithSettings(readme = readFileSync(README_FILE, 'utf8'), settings: Setting[] = SETTINGS): Generated {
  return { file: README_FILE, text: replaceRegion(readme, SETTINGS_REGION, renderSettingsTable(settings)) };
}
