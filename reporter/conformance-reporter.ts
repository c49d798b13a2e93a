/**
 * The conformance reporter: turns Playwright's test results into a verdict
 * per requirement and for the deployment, prints it, writes the report
 * files, and sets the exit status (0 exactly when conformant).
 */
import type { FullConfig, FullResult, Reporter, Suite, TestCase, TestResult } from '@playwright/test/reporter';
import { loadConfig } from '../lib/config.ts';
import { loadSecrets, redact } from '../lib/redact.ts';
import { registry } from '../spec/registry.ts';
import { ANNOTATION } from '../fixtures/requirements.ts';
import { judgeRequirement, verdictOf, type TestOutcome } from './verdict.ts';
import { printConsoleSummary } from './console.ts';
import { writeReport } from './outputs.ts';

export default class ConformanceReporter implements Reporter {
  private outcomes = new Map<string, TestOutcome>();
  private errors: string[] = [];

  printsToStdio() {
    return true;
  }

  onBegin(_config: FullConfig, _suite: Suite) {}

  onError(error: { message?: string }) {
    this.errors.push(error.message ?? 'unknown error');
  }

  onTestEnd(test: TestCase, result: TestResult) {
    const annotations = [...test.annotations, ...result.annotations];
    const of = (type: string) => annotations.filter((a) => a.type === type).map((a) => a.description ?? '');
    const cites = [...new Set(of(ANNOTATION.requirement))];
    if (cites.length === 0) {
      if (result.status !== 'passed' && result.status !== 'skipped') {
        this.errors.push(`${test.title}: ${result.error?.message?.split('\n')[0] ?? result.status}`);
      }
      return;
    }
    loadSecrets();
    this.outcomes.set(test.id, {
      title: test.title,
      file: test.location.file,
      line: test.location.line,
      project: test.parent.project()?.name ?? '',
      status: result.status,
      cites,
      violations: [...new Set(of(ANNOTATION.violation))],
      precondition: of(ANNOTATION.precondition)[0],
      notVerified: of(ANNOTATION.notVerified)[0],
      notApplicable: of(ANNOTATION.notApplicable)[0],
      skipReason: of('skip')[0],
      error: result.error?.message ? redact(result.error.message) : undefined,
      attachments: result.attachments
        .filter((a) => a.body && /^(text|application\/json)/.test(a.contentType))
        .map((a) => ({ name: a.name, contentType: a.contentType, body: redact(a.body!.toString('utf8')) })),
      durationMs: result.duration,
    });
  }

  async onEnd(_result: FullResult) {
    loadSecrets();
    const config = loadConfig();
    const outcomes = [...this.outcomes.values()];
    const results = registry.requirements.map((r) => judgeRequirement(r, outcomes));
    const verdict = verdictOf(
      results.map((r) => ({ level: r.requirement.level, status: r.status })),
      config.strict,
    );
    printConsoleSummary(results, verdict, this.errors.map(redact));
    writeReport(config.reportDir, {
      verdict,
      target: config.baseUrl ?? 'embedded reference deployment',
      requirements: results.map((r) => ({
        id: r.requirement.id,
        level: r.requirement.level,
        title: r.requirement.title,
        status: r.status,
        reasons: r.reasons,
        tests: r.tests.map((t) => ({ title: t.outcome.title, status: t.judgement.status, error: t.outcome.error })),
      })),
    });
    return { status: verdict === 'conformant' ? ('passed' as const) : ('failed' as const) };
  }
}
