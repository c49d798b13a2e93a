/**
 * Conforming variants: deployments built differently from the reference that
 * the suite must still judge conformant, as their users would run it. Each is
 * an SQL overlay on the reference app in self-test/variants/, with a header:
 *
 *   -- about: sessions keyed by a bytea digest, with check (expires > created)
 *   -- env: EXPIRE_SESSION_SQL=update auth.sessions set ... where token_hash = ...
 *   -- settings: sessions.idle_seconds=5      (server settings, as for a defect)
 *   -- postgrest: db-pool=2                   (PostgREST settings, as for a defect)
 *   -- base-path: /api                        (served behind a proxy under /api)
 *   -- profile-edit: /users/privateColumns = ["email"] -- why the drafter cannot know it
 *   -- defects: cookie-no-httponly notes-insert-any-owner
 *
 * then its SQL, in the patch form of a seeded defect where it changes
 * reference code (self-test/sql-patch.ts), plain where it adds its own.
 *
 * How a variant is judged, as a user of such a deployment would judge it:
 * the deployment is started (behind self-test/prefix-proxy.ts when it has a
 * base path), its profile is drafted from it with the drafter users run
 * (tools/draft-profile.ts, with the database URL), the variant's
 * `profile-edit` lines are applied to the draft (a JSON Pointer, ` = `, a
 * JSON value, ` -- ` and why the drafter cannot know it), and the suite runs
 * strict with CONFORMANCE_PROFILE naming the result. It passes when the
 * verdict is conformant and every requirement passes or does not apply.
 * `env` lines are further settings a user would give (one NAME=VALUE a line).
 *
 * `defects` names seeded defects applied on top of the variant, one
 * deployment each, judged as the defect sweep judges a defect
 * (self-test/defects.ts): every requirement of its `-- fails:` line fails and
 * nothing else does. A name is looked up in self-test/variants/defects/
 * (defects of the variant's own code, which may patch the variant's SQL with
 * `-- patch: self-test/variants/NAME.sql`), then in self-test/defects/.
 *
 *   npx tsx self-test/variants.ts [NAME...]            judge them (all by default)
 *   npx tsx self-test/variants.ts --defects [NAME...]  their seeded defects
 *   npx tsx self-test/variants.ts --serve NAME         start one, print BASE_URL,
 *                                                      DATABASE_URL and the drafted
 *                                                      profile, keep it up until Ctrl-C
 */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SETTINGS } from '../lib/config.ts';
import { validateProfile, type Profile } from '../lib/profile.ts';
import { isKnownRequirement } from '../spec/registry.ts';
import { startStack } from '../stack/stack.ts';
import { draftDeployment } from '../tools/draft-profile.ts';
import { ROOT, runConformance } from './conformance-run.ts';
import { expectConformant } from './conforming.ts';
import { defectResultOf, type Defect, type DefectResult } from './defects.ts';
import { listOf, nameValue, overlayFiles, readOverlay, type Overlay } from './overlay.ts';
import { startPrefixProxy } from './prefix-proxy.ts';
import { defectRunEnv } from './sweep.ts';

export const VARIANTS_DIR = fileURLToPath(new URL('./variants/', import.meta.url));
export const VARIANT_DEFECTS_DIR = path.join(VARIANTS_DIR, 'defects');
const REFERENCE_DEFECTS_DIR = fileURLToPath(new URL('./defects/', import.meta.url));

/** One edit of the drafted profile: what only a person can know. */
export interface ProfileEdit {
  /** JSON Pointer (RFC 6901) into the profile. */
  pointer: string;
  value: unknown;
  /** Why the drafter cannot know it. */
  why: string;
}

export interface Variant extends Overlay {
  /** The suite's settings for this deployment, as its users would give them. */
  env: Record<string, string>;
  /** Where a proxy serves PostgREST's root (`/api`), if not at the root. */
  basePath?: string;
  profileEdits: ProfileEdit[];
  /** Seeded defects applied on top of it, by name. */
  defects: string[];
}

/** `/pointer = JSON -- why` -> a ProfileEdit. */
export function parseProfileEdit(line: string, where: string): ProfileEdit {
  const m = /^(\/\S*)\s*=\s*(.*?)\s+--\s+(.+)$/.exec(line.trim());
  if (!m) throw new Error(`${where}: profile-edit "${line}" is not "/json/pointer = JSON value -- why the drafter cannot know it"`);
  let value: unknown;
  try {
    value = JSON.parse(m[2]!);
  } catch {
    throw new Error(`${where}: profile-edit ${m[1]}: ${m[2]} is not a JSON value`);
  }
  return { pointer: m[1]!, value, why: m[3]! };
}

/** Sets `value` at a JSON Pointer, making the objects on the way; `-` appends to an array. */
export function applyProfileEdit(profile: Profile, edit: ProfileEdit): void {
  const keys = edit.pointer.split('/').slice(1).map((k) => k.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (keys.length === 0) throw new Error(`profile-edit ${edit.pointer}: the pointer names the whole profile`);
  let at: Record<string, unknown> | unknown[] = profile as unknown as Record<string, unknown>;
  keys.forEach((key, i) => {
    const last = i === keys.length - 1;
    if (Array.isArray(at)) {
      const index = key === '-' ? at.length : Number(key);
      if (!Number.isInteger(index) || index < 0 || index > at.length) throw new Error(`profile-edit ${edit.pointer}: no item ${key} in an array of ${at.length}`);
      if (last) at[index] = edit.value;
      else at = (at[index] ??= {}) as Record<string, unknown>;
    } else if (last) at[key] = edit.value;
    else {
      const next = at[key];
      if (next !== undefined && (typeof next !== 'object' || next === null)) throw new Error(`profile-edit ${edit.pointer}: ${key} is not an object or array`);
      at = (at[key] ??= {}) as Record<string, unknown>;
    }
  });
}

export function parseVariant(file: string): Variant {
  const { header, ...overlay } = readOverlay(file, ['env', 'base-path', 'profile-edit', 'defects']);
  // One NAME=VALUE a line: the value runs to the end of the line, spaces included.
  const env = Object.fromEntries((header.env ?? []).map((line) => nameValue(line, overlay.where)));
  for (const key of Object.keys(env)) {
    if (!SETTINGS.some((s) => s.name === key)) throw new Error(`${overlay.where}: env ${key} is not one of the suite's settings`);
  }
  const basePath = header['base-path']?.[0]?.trim();
  if (basePath !== undefined && !/^\/[^?#\s]*[^/?#\s]$/.test(basePath)) throw new Error(`${overlay.where}: base-path ${basePath} must start with / and not end with one`);
  const profileEdits = (header['profile-edit'] ?? []).map((line) => parseProfileEdit(line, overlay.where));
  return { ...overlay, env, ...(basePath ? { basePath } : {}), profileEdits, defects: listOf(header.defects) };
}

export function loadVariants(): Variant[] {
  return overlayFiles(VARIANTS_DIR).map(parseVariant);
}

/** A seeded defect of a variant: its own (self-test/variants/defects/), else a reference one. */
export function variantDefect(v: Variant, name: string): Defect {
  const own = path.join(VARIANT_DEFECTS_DIR, `${name}.sql`);
  const file = existsSync(own) ? own : path.join(REFERENCE_DEFECTS_DIR, `${name}.sql`);
  if (!existsSync(file)) throw new Error(`${v.where}: defect ${name} is in neither self-test/variants/defects/ nor self-test/defects/`);
  // Its patches may name the variant's SQL (patches resolved) as well as the reference's files.
  const { header, ...overlay } = readOverlay(file, ['fails', 'may-fail'], { [path.relative(ROOT, v.file)]: v.overlay.text });
  const fails = listOf(header.fails);
  const mayFail = listOf(header['may-fail']);
  if (fails.length === 0) throw new Error(`${overlay.where}: a defect needs a "-- fails:" header line`);
  for (const id of [...fails, ...mayFail]) if (!isKnownRequirement(id)) throw new Error(`${overlay.name}: unknown requirement id ${id}`);
  return { ...overlay, fails, mayFail };
}

export interface VariantDeployment {
  /** What a user gives as BASE_URL: the proxy's URL with the base path, or PostgREST's. */
  baseUrl: string;
  databaseUrl: string;
  stop(): Promise<void>;
}

/** The reference with the variant's overlay (and a defect's, if given), behind a prefix proxy when it has a base path. */
export async function startVariant(v: Variant, postgrest: string, defect?: Defect): Promise<VariantDeployment> {
  const stack = await startStack({
    postgrest,
    logDir: mkdtempSync(path.join(os.tmpdir(), `variant-${v.name}${defect ? `-${defect.name}` : ''}-`)),
    overlays: [v.overlay, ...(defect ? [defect.overlay] : [])],
    settings: { ...v.settings, ...defect?.settings },
    postgrestSettings: { ...v.postgrest, ...defect?.postgrest },
  });
  if (!v.basePath) return { baseUrl: stack.baseUrl, databaseUrl: stack.databaseUrl, stop: stack.stop };
  try {
    const proxy = await startPrefixProxy(stack.baseUrl, v.basePath);
    return {
      baseUrl: proxy.url,
      databaseUrl: stack.databaseUrl,
      stop: async () => {
        await proxy.close();
        await stack.stop();
      },
    };
  } catch (error) {
    await stack.stop();
    throw error;
  }
}

export interface DraftedProfile {
  file: string;
  profile: Profile;
  edits: ProfileEdit[];
}

/** Drafts the profile of a running variant as a user would (`npm run profile` with both URLs), applies its edits, validates it and writes it to a file. */
export async function draftVariantProfile(v: Variant, deployment: VariantDeployment, dir = mkdtempSync(path.join(os.tmpdir(), `variant-profile-${v.name}-`))): Promise<DraftedProfile> {
  const profile = await draftDeployment(deployment.baseUrl, deployment.databaseUrl, () => {});
  for (const edit of v.profileEdits) {
    applyProfileEdit(profile, edit);
    profile.notes.push(`Edited by hand: ${edit.pointer} = ${JSON.stringify(edit.value)}, because ${edit.why}`);
  }
  validateProfile(profile, `the drafted profile of variant ${v.name}`);
  const file = path.join(dir, `${v.name}.profile.json`);
  writeFileSync(file, `${JSON.stringify(profile, null, 2)}\n`);
  return { file, profile, edits: v.profileEdits };
}

const editsSummary = (edits: ProfileEdit[]) =>
  edits.length ? `${edits.length} edit${edits.length > 1 ? 's' : ''} (${edits.map((e) => `${e.pointer}: ${e.why}`).join('; ')})` : 'no edit';

/**
 * Starts the variant, drafts its profile, runs the suite against it as a user
 * would (BASE_URL, DATABASE_URL, CONFORMANCE_PROFILE, the variant's env,
 * strict), and throws unless it is conformant (self-test/conforming.ts).
 * Returns a one-line summary naming the profile's edits.
 */
export async function checkVariant(v: Variant, postgrest = process.env.CONFORMANCE_POSTGREST ?? '12'): Promise<string> {
  const deployment = await startVariant(v, postgrest);
  try {
    const drafted = await draftVariantProfile(v, deployment);
    const verdict = await expectConformant(deployment, postgrest, { CONFORMANCE_PROFILE: drafted.file, ...v.env }).catch((error: Error) => {
      throw new Error(`variant ${v.name} (profile ${drafted.file}): ${error.message}`);
    });
    return `variant ${v.name}: ${verdict}; drafted profile with ${editsSummary(drafted.edits)}`;
  } finally {
    await deployment.stop();
  }
}

/**
 * Each seeded defect of a variant on its own deployment, judged with the
 * profile drafted from the clean variant (a user's reviewed profile does not
 * change when their deployment breaks). Calls `each` with every result.
 */
export async function checkVariantDefects(v: Variant, postgrest: string, each: (r: DefectResult) => Promise<void> | void): Promise<DefectResult[]> {
  const defects = v.defects.map((name) => variantDefect(v, name));
  const clean = await startVariant(v, postgrest);
  let drafted: DraftedProfile;
  try {
    drafted = await draftVariantProfile(v, clean);
  } finally {
    await clean.stop();
  }
  const results: DefectResult[] = [];
  for (const defect of defects) {
    const deployment = await startVariant(v, postgrest, defect);
    try {
      const run = await runConformance({
        ...defectRunEnv(),
        ...v.env,
        BASE_URL: deployment.baseUrl,
        DATABASE_URL: deployment.databaseUrl,
        CONFORMANCE_PROFILE: drafted.file,
      });
      const result = defectResultOf(defect, run.report && { requirements: run.report.requirements, verdict: run.report.verdict, exitStatus: run.exitCode }, run);
      results.push(result);
      await each(result);
    } finally {
      await deployment.stop();
    }
  }
  return results;
}

/** Starts one variant and keeps it up, printing what a suite run against it needs. */
async function serve(v: Variant, postgrest: string): Promise<void> {
  const deployment = await startVariant(v, postgrest);
  const drafted = await draftVariantProfile(v, deployment).catch(async (error) => {
    await deployment.stop();
    throw error;
  });
  const lines = [
    `variant ${v.name} on PostgREST ${postgrest}, drafted profile with ${editsSummary(drafted.edits)}`,
    `BASE_URL=${deployment.baseUrl}`,
    `DATABASE_URL=${deployment.databaseUrl}`,
    `CONFORMANCE_PROFILE=${drafted.file}`,
    ...Object.entries(v.env).map(([k, val]) => `${k}=${val}`),
    'Ctrl-C stops it.',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  await new Promise<void>((resolve) => {
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(signal, () => resolve());
  });
  await deployment.stop();
}

async function main() {
  const args = process.argv.slice(2);
  const mode = args[0] === '--defects' || args[0] === '--serve' ? args.shift() : undefined;
  const chosen = loadVariants().filter((v) => args.length === 0 || args.includes(v.name));
  if (chosen.length !== (args.length || chosen.length)) throw new Error(`unknown variant among: ${args.join(', ')}`);
  const postgrest = process.env.CONFORMANCE_POSTGREST ?? '12';
  if (mode === '--serve') {
    if (chosen.length !== 1) throw new Error('--serve takes one variant name');
    return serve(chosen[0]!, postgrest);
  }
  let bad = 0;
  for (const v of chosen) {
    if (mode === '--defects') {
      await checkVariantDefects(v, postgrest, (r) => {
        if (r.problems.length) bad++;
        process.stdout.write(
          `${r.problems.length ? 'PROBLEM' : 'caught '} ${v.name} + ${r.defect.name}: failed [${r.failed.join(', ')}]${r.problems.length ? `\n  ${r.problems.join('\n  ')}\n  report: ${r.reportDir}` : ''}\n`,
        );
      });
      continue;
    }
    try {
      process.stdout.write(`ok   ${await checkVariant(v, postgrest)}\n`);
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
