/**
 * The report: one JSON document (report.json) that every other output is
 * rendered from. Built from the per-requirement results, the gate and the run
 * metadata; validated against spec/report.schema.json before anything is
 * written, so a consumer can rely on the schema.
 */
import { readFileSync } from 'node:fs';
import Ajv from 'ajv';
import { referenceLabel, referenceUrl, type Level } from '../spec/registry.ts';
import { evidenceOf, type Evidence } from './evidence.ts';
import type { Expectations } from './expectations.ts';
import type { RunMetadata } from './run-metadata.ts';
import type { TestOutcome } from '../lib/report-contract.ts';
import { gatingLevels, type Gate, type RequirementResult, type RequirementStatus, type Verdict } from './verdict.ts';

/** Bumped when report.json changes incompatibly. */
export const REPORT_FORMAT = 1;

export const STATUSES: RequirementStatus[] = ['fail', 'not-verified', 'pass', 'not-applicable'];

export interface ReportTest {
  title: string;
  /** file:line, relative to the suite's folder. */
  location: string;
  project: string;
  /** What this test says about the requirement. */
  status: RequirementStatus;
  reason?: string;
  /** Playwright's status of the test. */
  outcome: TestOutcome['status'];
  durationMs: number;
}

export interface ReportRequirement {
  id: string;
  level: Level;
  category: string;
  title: string;
  statement: string;
  status: RequirementStatus;
  /** Counts towards the verdict at this run's strictness (MUST; SHOULD too when strict). */
  gating: boolean;
  reasons: string[];
  /** Listed in CONFORMANCE_EXPECTATIONS. */
  expected: boolean;
  expectedReason?: string;
  /** Listed as an expected failure, but passed: fails the gate. */
  unexpectedPass: boolean;
  references: Array<{ id: string; label: string; url: string }>;
  tests: ReportTest[];
  /** What each failing test saw; for a test that ended in an error, the error and its exchanges. */
  evidence: Evidence[];
}

export interface Report {
  format: number;
  verdict: Verdict;
  gate: Gate;
  target: { url: string | null; embedded: boolean; description: string };
  counts: Record<RequirementStatus, number>;
  metadata: RunMetadata;
  /** Problems outside any requirement: a failed setup, a failing test citing nothing. */
  errors: string[];
  requirements: ReportRequirement[];
}

export interface ReportInput {
  results: RequirementResult[];
  verdict: Verdict;
  gate: Gate;
  expectations: Expectations;
  metadata: RunMetadata;
  errors: string[];
}

export function buildReport({ results, verdict, gate, expectations, metadata, errors }: ReportInput): Report {
  const counts = Object.fromEntries(STATUSES.map((s) => [s, results.filter((r) => r.status === s).length])) as Report['counts'];
  const gatingLevel = gatingLevels(metadata.strict);
  return {
    format: REPORT_FORMAT,
    verdict,
    gate,
    target: {
      url: metadata.targetUrl,
      embedded: metadata.embedded,
      description: metadata.embedded ? 'embedded reference deployment' : (metadata.targetUrl ?? 'unknown deployment'),
    },
    counts,
    metadata,
    errors,
    requirements: results.map(({ requirement: r, status, reasons, tests }) => ({
      id: r.id,
      level: r.level,
      category: r.category,
      title: r.title,
      statement: r.statement,
      status,
      gating: gatingLevel.includes(r.level),
      reasons,
      expected: expectations.has(r.id),
      ...(expectations.has(r.id) ? { expectedReason: expectations.get(r.id) } : {}),
      unexpectedPass: gate.unexpectedPasses.includes(r.id),
      references: r.references.map((ref) => ({ id: ref, label: referenceLabel(ref), url: referenceUrl(ref) })),
      tests: tests.map(({ outcome, judgement }) => ({
        title: outcome.title,
        location: `${outcome.file}:${outcome.line}`,
        project: outcome.project,
        status: judgement.status,
        ...(judgement.reason ? { reason: judgement.reason } : {}),
        outcome: outcome.status,
        durationMs: Math.round(outcome.durationMs),
      })),
      // What each failing test saw, and what stopped each test that ended in an error.
      evidence: tests.filter((t) => t.judgement.status === 'fail' || t.judgement.error).map((t) => evidenceOf(t.outcome, r.id)),
    })),
  };
}

const schema = JSON.parse(readFileSync(new URL('../spec/report.schema.json', import.meta.url), 'utf8'));
const validate = new Ajv.default({ allErrors: true }).compile<Report>(schema);

/** Throws, listing every mismatch, unless the report matches spec/report.schema.json. */
export function assertValidReport(report: unknown): asserts report is Report {
  if (!validate(report)) {
    const problems = (validate.errors ?? []).map((e) => `${e.instancePath || '(top level)'} ${e.message}`);
    throw new Error(`report.json does not match spec/report.schema.json:\n  ${problems.join('\n  ')}`);
  }
}
