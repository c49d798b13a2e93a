/**
 * What the report says about the run besides the requirements: versions,
 * the target, what the suite could verify there, timing and how it ran.
 * In a live run the target and its capabilities come from the same code the
 * fixtures use (fixtures/target.ts); under `merge-reports` there is no stack
 * and no run folder, so only what the shards recorded is used.
 */
import { readFileSync } from 'node:fs';
import type { FullConfig, FullResult } from '@playwright/test/reporter';
import type { Config } from '../lib/config.ts';
import { resolveTarget, type Target } from '../fixtures/target.ts';
import { registry, type Capability } from '../spec/registry.ts';
import type { Deployment } from '../lib/report-contract.ts';
import type { RequirementResult } from './verdict.ts';

export interface RunMetadata {
  suiteName: string;
  suiteVersion: string;
  specTitle: string;
  specVersion: string;
  targetUrl: string | null;
  embedded: boolean;
  postgrestVersion: string | null;
  /** The `Server` header the target answered with, when the reporter asked. */
  server: string | null;
  /** What the suite could verify on the target (see capabilitiesOf). */
  capabilities: Capability[] | null;
  startTime: string;
  endTime: string;
  durationMs: number;
  strict: boolean;
  /** Seeds that make a randomised run repeatable. */
  seeds: { FC_SEED: string | null };
  shard: { current: number; total: number } | null;
  /** True when built by `playwright merge-reports` from shard blobs. */
  merged: boolean;
  playwrightVersion: string;
  nodeVersion: string;
  /** Playwright's own status of the run, before the verdict decides the exit status. */
  runStatus: FullResult['status'];
  expectationsFile: string | null;
}

const packageJson = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  name: string;
  version: string;
};

/** One GET of the target's root for its Server header; null on any failure. */
export async function serverHeaderOf(baseUrl: string, timeoutMs = 3000): Promise<string | null> {
  try {
    const res = await fetch(`${baseUrl}/`, { signal: AbortSignal.timeout(timeoutMs), redirect: 'manual' });
    await res.body?.cancel();
    return res.headers.get('server');
  } catch {
    return null;
  }
}

/** "postgrest/12.0.2" -> "12.0.2". */
export function postgrestVersionOf(server: string | null): string | null {
  return /postgrest\/(\S+)/i.exec(server ?? '')?.[1] ?? null;
}

/** The `Server` header PostgREST put in an evidence transcript ("< server: postgrest/12.0.2"). */
export function serverInTranscripts(transcripts: string[]): string | null {
  for (const t of transcripts) {
    const m = /^< server: (.+)$/im.exec(t);
    if (m) return m[1].trim();
  }
  return null;
}

/**
 * The capabilities the run had: those the fixtures resolve for the target
 * (live runs), plus those a requirement needing them shows were exercised
 * (a pass or a fail needs them). The browser is only known that way, and a
 * merged report, with no target to resolve, only that way.
 */
export function capabilitiesOf(target: Target | undefined, results: RequirementResult[]): Capability[] {
  const found = new Set<Capability>(target?.capabilities ?? []);
  for (const r of results) {
    if (r.tests.some((t) => t.judgement.status === 'pass' || t.judgement.status === 'fail')) {
      for (const c of r.requirement.capabilities) found.add(c);
    }
  }
  return [...found].sort();
}

export interface MetadataInput {
  config: Config;
  playwright: FullConfig;
  result: FullResult;
  merged: boolean;
  deployments: Deployment[];
  transcripts: string[];
  /** The target as the fixtures saw it (live runs only). */
  target: Target | undefined;
  results: RequirementResult[];
}

/**
 * The target as the fixtures resolve it, from the settings and the embedded
 * stack's state; undefined while the stack is not ready or when its state is
 * gone. The reporter asks while tests run, not at the end, so it does not
 * depend on the run folder outliving the teardown.
 */
export function tryResolveTarget(): Target | undefined {
  try {
    return resolveTarget();
  } catch {
    return undefined;
  }
}

export async function collectMetadata({ config, playwright, result, merged, deployments, transcripts, target, results }: MetadataInput): Promise<RunMetadata> {
  const deployment = deployments[0];
  // Merged shards carry no environment: the setup project's announcement says it was embedded.
  const embedded = merged ? deployments.length > 0 : !config.baseUrl;
  const targetUrl = deployment?.url ?? config.baseUrl ?? target?.baseUrl ?? null;
  let server = serverInTranscripts(transcripts);
  // A user's deployment, live: ask it once (the embedded one already said its version).
  if (!server && !embedded && !merged && config.baseUrl) server = await serverHeaderOf(config.baseUrl);
  const versions = [...new Set(deployments.map((d) => d.postgrestVersion))];
  const start = new Date(result.startTime);
  return {
    suiteName: packageJson.name,
    suiteVersion: packageJson.version,
    specTitle: registry.title,
    specVersion: registry.version,
    targetUrl,
    embedded,
    postgrestVersion: versions.length ? versions.join(', ') : postgrestVersionOf(server),
    server,
    capabilities: capabilitiesOf(target, results),
    startTime: start.toISOString(),
    endTime: new Date(start.getTime() + result.duration).toISOString(),
    durationMs: Math.round(result.duration),
    strict: config.strict,
    seeds: { FC_SEED: process.env.FC_SEED || null },
    shard: playwright.shard ? { current: playwright.shard.current, total: playwright.shard.total } : null,
    merged,
    playwrightVersion: playwright.version,
    nodeVersion: process.versions.node,
    runStatus: result.status,
    expectationsFile: config.expectationsFile ?? null,
  };
}
