/**
 * The conformance reporter: turns Playwright's test results into a status per
 * requirement and a verdict for the deployment, prints the table, writes the
 * report folder (report.json, index.html, summary.md, junit.xml) and sets the
 * exit status: 0 exactly when the gate passes (the verdict is conformant once
 * the declared expected failures are set aside, and none of them passed).
 *
 * It works in a live run and under `playwright merge-reports` (shards): it
 * reads only test annotations and attachments, which survive the blob
 * round-trip, and never needs the run folder there.
 */
import { existsSync } from 'node:fs';
import type { FullConfig, FullResult, Reporter, Suite, TestCase, TestResult } from '@playwright/test/reporter';
import { loadConfig, type Config } from '../lib/config.ts';
import { addSecretCookieName, loadSecrets, redactDeep } from '../lib/redact.ts';
import { ATTACHMENT, type Deployment, type TestOutcome } from '../lib/report-contract.ts';
import { exitOnUserError } from '../lib/user-error.ts';
import { RUN_ENV } from '../fixtures/run-context.ts';
import type { Target } from '../fixtures/target.ts';
import { registry } from '../spec/registry.ts';
import { renderConsoleSummary } from './console.ts';
import { loadExpectations, type Expectations } from './expectations.ts';
import { bySourceOrder, deploymentOf, outcomeOf, plain, uncitedFailure } from './outcome.ts';
import { scrubFolder, writeReport } from './outputs.ts';
import { assertValidReport, buildReport } from './report.ts';
import { removeRunFolder } from './run-folder.ts';
import { collectMetadata, tryResolveTarget } from './run-metadata.ts';
import { EXIT_STATUS, exitStatusOf, gateOf, judgeRequirement, verdictOf } from './verdict.ts';

export default class ConformanceReporter implements Reporter {
  private outcomes = new Map<string, TestOutcome>();
  private deployments: Deployment[] = [];
  private errors: string[] = [];
  private results = 0;
  private playwright!: FullConfig;
  private config!: Config;
  private expectations: Expectations = new Map();
  private target?: Target;
  /** Built from shard blobs by merge-reports: no global setup ran here, so there is no run folder. */
  private merged = false;

  printsToStdio() {
    return true;
  }

  onBegin(config: FullConfig, _suite: Suite) {
    this.playwright = config;
    this.merged = !process.env[RUN_ENV.dir];
    try {
      this.config = loadConfig();
      addSecretCookieName(this.config.sessionCookie);
      this.expectations = loadExpectations(this.config.expectationsFile);
    } catch (error) {
      // Before any test ran: one line and exit status 2, like every other setting error.
      removeRunFolder();
      exitOnUserError(error);
    }
  }

  onError(error: { message?: string }) {
    this.errors.push(plain(error.message ?? 'unknown error'));
  }

  onTestEnd(test: TestCase, result: TestResult) {
    this.results += 1;
    // Read as the run goes: the secrets are needed to redact what follows.
    loadSecrets();
    const deployment = deploymentOf(test, result);
    if (deployment) this.deployments.push(deployment);
    const outcome = outcomeOf(test, result, this.playwright.rootDir);
    if (outcome) {
      this.outcomes.set(test.id, outcome);
      // A test ran against the target, so it is resolvable now (embedded: the stack is up).
      if (!this.merged) this.target ??= tryResolveTarget();
    } else {
      const failure = uncitedFailure(test, result);
      if (failure) this.errors.push(failure);
    }
  }

  async onEnd(result: FullResult) {
    // A listing (--list) or an empty merge: nothing ran, nothing to judge.
    if (this.merged && this.results === 0) return;
    try {
      const { status, exitStatus } = await this.finish(result);
      // Playwright exits 0 or 1 from the status returned here (merge-reports always 0): the
      // verdict's own exit status (3 for inconclusive) is set as the process ends.
      process.once('exit', () => {
        process.exitCode = exitStatus;
      });
      return { status };
    } finally {
      removeRunFolder();
    }
  }

  async onExit() {
    removeRunFolder();
  }

  private async finish(result: FullResult) {
    const secrets = loadSecrets();
    const outcomes = [...this.outcomes.values()].sort(bySourceOrder);
    const results = registry.requirements.map((r) => judgeRequirement(r, outcomes));
    const statuses = results.map((r) => ({ id: r.requirement.id, level: r.requirement.level, status: r.status }));
    const verdict = verdictOf(statuses, this.config.strict);
    const gate = gateOf(statuses, this.config.strict, new Set(this.expectations.keys()));
    const metadata = await collectMetadata({
      config: this.config,
      playwright: this.playwright,
      result,
      merged: this.merged,
      deployments: this.deployments,
      target: this.target ?? (this.merged ? undefined : tryResolveTarget()),
      results,
      transcripts: outcomes.flatMap((o) => o.attachments.filter((a) => a.name === ATTACHMENT.transcript).map((a) => a.body)),
    });
    const report = redactDeep(
      buildReport({ results, verdict, gate, expectations: this.expectations, metadata, errors: [...new Set(this.errors)] }),
    );
    try {
      assertValidReport(report);
    } catch (error) {
      process.stderr.write(`\nconformance: INTERNAL ERROR, no report written: ${(error as Error).message}\n`);
      return { status: 'failed' as const, exitStatus: EXIT_STATUS.inconclusive };
    }
    const files = writeReport(this.config.reportDir, report);
    // Playwright's own output folders too: it writes error context files for failed tests.
    const folders = [...new Set([this.config.reportDir, ...this.playwright.projects.map((p) => p.outputDir)])].filter((d) => existsSync(d));
    const leaked = folders.flatMap((dir) => scrubFolder(dir, secrets));
    process.stdout.write(renderConsoleSummary(report, [files['index.html']]));
    if (leaked.length) {
      process.stderr.write(
        `\n!!! conformance: a secret of this run reached ${leaked.join(', ')}; it has been masked there. This is a bug in the suite's redaction: please report it. !!!\n\n`,
      );
    }
    return { status: gate.passed ? ('passed' as const) : ('failed' as const), exitStatus: exitStatusOf(gate) };
  }
}
