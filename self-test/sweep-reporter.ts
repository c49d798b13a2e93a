/**
 * The defect sweep's reporter: one Playwright run covers many seeded-defect
 * deployments (a project each, self-test/sweep.config.ts), and this
 * reporter judges each deployment on its own, with the same code the
 * conformance reporter uses (outcomeOf, judgeRequirement). It writes one
 * JSON file per deployment into SWEEP_RESULTS: each requirement's status,
 * the reasons, and every test's judgement, which is what the defect check
 * and the kill table read.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { FullConfig, Reporter, TestCase, TestResult } from '@playwright/test/reporter';
import { loadSecrets, redactDeep } from '../lib/redact.ts';
import { outcomeOf, uncitedFailure } from '../reporter/outcome.ts';
import { scrubFolder } from '../reporter/outputs.ts';
import type { TestOutcome } from '../lib/report-contract.ts';
import { exitStatusOf, gateOf, judgeRequirement, verdictOf, type Verdict } from '../reporter/verdict.ts';
import { loadConfig } from '../lib/config.ts';
import { registry } from '../spec/registry.ts';
import type { ReportRequirement } from './defects.ts';
import { SWEEP_RESULTS_ENV } from './sweep-targets.ts';

export interface SweepResult {
  target: string;
  requirements: ReportRequirement[];
  /** The verdict and exit status the conformance reporter would give this deployment on its own. */
  verdict: Verdict;
  exitStatus: number;
  /** Failed tests that cite no requirement (a broken fixture, a setup error). */
  errors: string[];
}

export default class SweepReporter implements Reporter {
  private rootDir = '';
  private outputDirs: string[] = [];
  private results: Array<{ test: TestCase; result: TestResult }> = [];

  printsToStdio() {
    return false;
  }

  onBegin(config: FullConfig) {
    this.rootDir = config.rootDir;
    this.outputDirs = [...new Set(config.projects.map((p) => p.outputDir))];
  }

  onTestEnd(test: TestCase, result: TestResult) {
    this.results.push({ test, result });
  }

  onEnd() {
    const dir = process.env[SWEEP_RESULTS_ENV];
    if (!dir) throw new Error(`${SWEEP_RESULTS_ENV} is not set`);
    mkdirSync(dir, { recursive: true });
    // Once, at the end: the secrets file holds every token the run saw, and outcomes are redacted with it.
    const secrets = loadSecrets();
    // As the conformance reporter does: Playwright's error-context files for failed tests may quote a token.
    for (const dir of this.outputDirs) if (existsSync(dir)) scrubFolder(dir, secrets);
    const byTarget = new Map<string, { outcomes: TestOutcome[]; errors: string[] }>();
    for (const { test, result } of this.results) {
      const target = String(test.parent.project()?.metadata?.target ?? '');
      if (!target) continue;
      const entry = byTarget.get(target) ?? { outcomes: [], errors: [] };
      byTarget.set(target, entry);
      const outcome = outcomeOf(test, result, this.rootDir);
      if (outcome) entry.outcomes.push(outcome);
      else {
        const failure = uncitedFailure(test, result);
        if (failure) entry.errors.push(failure);
      }
    }
    for (const [target, { outcomes, errors }] of byTarget) {
      const judged = registry.requirements.map((r) => judgeRequirement(r, outcomes));
      const statuses = judged.map((j) => ({ id: j.requirement.id, level: j.requirement.level, status: j.status }));
      const strict = loadConfig().strict;
      const requirements = judged.map((judged) => {
        const r = judged.requirement;
        return {
          id: r.id,
          level: r.level,
          status: judged.status,
          reasons: judged.reasons,
          tests: judged.tests.map(({ outcome, judgement }) => ({
            title: outcome.title,
            location: `${outcome.file}:${outcome.line}`,
            status: judgement.status,
            ...(judgement.reason ? { reason: judgement.reason } : {}),
            ...(judgement.status === 'fail' && outcome.error ? { error: outcome.error } : {}),
          })),
        };
      });
      const verdict = verdictOf(statuses, strict);
      const exitStatus = exitStatusOf(gateOf(statuses, strict, new Set()));
      const file: SweepResult = redactDeep({ target, requirements, verdict, exitStatus, errors });
      writeFileSync(path.join(dir, `${target}.json`), JSON.stringify(file, null, 2));
    }
  }
}
