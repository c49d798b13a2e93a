/**
 * Conforming variants: deployments built differently from the reference that
 * the suite must still judge conformant, as their users would run it. Each is
 * an SQL overlay on the reference app in self-test/variants/, with a header:
 *
 *   -- about: sessions keyed by a bytea digest, with check (expires > created)
 *   -- env: EXPIRE_SESSION_SQL=update auth.sessions set ... where token_hash = ...
 *   -- env: SESSION_EXPIRES_SQL=select expires from auth.sessions where ...
 *   -- settings: sessions.idle_seconds=5      (server settings, as for a defect)
 *   -- postgrest: db-pool=2                   (PostgREST settings, as for a defect)
 *
 * then its SQL, in the patch form of a seeded defect where it changes
 * reference code (self-test/sql-patch.ts), plain where it adds its own.
 * `env` lines are the suite's settings a user of such a deployment gives it
 * (one NAME=VALUE a line, the value to the end of the line). A variant passes
 * when the verdict is conformant under CONFORMANCE_STRICT=1 and every
 * requirement passes or does not apply: the seeded defects show the suite
 * finds what is wrong, the variants that it blames nothing that is not.
 *
 * `npx tsx self-test/variants.ts [NAME...]` checks them (all by default).
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SETTINGS } from '../lib/config.ts';
import { startStack } from '../stack/stack.ts';
import { expectConformant } from './conforming.ts';
import { nameValue, overlayFiles, readOverlay, type Overlay } from './overlay.ts';

export const VARIANTS_DIR = fileURLToPath(new URL('./variants/', import.meta.url));

export interface Variant extends Overlay {
  /** The suite's settings for this deployment, as its users would give them. */
  env: Record<string, string>;
}

export function parseVariant(file: string): Variant {
  const { header, ...overlay } = readOverlay(file, ['env']);
  // One NAME=VALUE a line: the value runs to the end of the line, spaces included.
  const env = Object.fromEntries((header.env ?? []).map((line) => nameValue(line, overlay.where)));
  for (const key of Object.keys(env)) {
    if (!SETTINGS.some((s) => s.name === key)) throw new Error(`${overlay.where}: env ${key} is not one of the suite's settings`);
  }
  return { ...overlay, env };
}

export function loadVariants(): Variant[] {
  return overlayFiles(VARIANTS_DIR).map(parseVariant);
}

/**
 * Starts the reference with the variant's overlay, runs the suite against it
 * as a user would (BASE_URL, DATABASE_URL, the variant's env, strict), and
 * throws unless it is conformant (self-test/conforming.ts). Returns a
 * one-line summary.
 */
export async function checkVariant(v: Variant, postgrest = process.env.CONFORMANCE_POSTGREST ?? '12'): Promise<string> {
  const stack = await startStack({
    postgrest,
    logDir: mkdtempSync(path.join(os.tmpdir(), `variant-${v.name}-`)),
    overlays: [v.overlay],
    settings: v.settings,
    postgrestSettings: v.postgrest,
  });
  try {
    return `variant ${v.name}: ${await expectConformant(stack, postgrest, v.env)}`;
  } finally {
    await stack.stop();
  }
}

async function main() {
  const names = process.argv.slice(2);
  const chosen = loadVariants().filter((v) => names.length === 0 || names.includes(v.name));
  if (chosen.length !== (names.length || chosen.length)) throw new Error(`unknown variant among: ${names.join(', ')}`);
  let bad = 0;
  for (const v of chosen) {
    try {
      process.stdout.write(`ok   ${await checkVariant(v)}\n`);
    } catch (error) {
      bad++;
      process.stdout.write(`FAIL ${(error as Error).message}\n`);
    }
  }
  process.exit(bad ? 1 : 0);
}

if (process.argv[1] && import.meta.url.endsWith(path.basename(process.argv[1]))) {
  main().catch((error) => {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(2);
  });
}
