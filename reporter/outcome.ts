/**
 * From one Playwright test result to the TestOutcome the verdict rules read.
 * Works the same in a live run and under `playwright merge-reports`: there,
 * static annotations (cites) and runtime ones (violation, not-verified, skip)
 * both arrive as the result's annotations, and text attachments keep their
 * bodies. Nothing here needs the run folder.
 */
import path from 'node:path';
import type { TestCase, TestResult } from '@playwright/test/reporter';
import { redact } from '../lib/redact.ts';
import { ANNOTATION, parseDeploymentAnnouncement, type Deployment, type TestOutcome } from '../lib/report-contract.ts';

type Annotation = { type: string; description?: string };

/** Error messages carry terminal colours; reports want plain text. */
export const plain = (text: string) => text.replace(/\u001b\[[0-9;]*m/g, '');

function annotationsOf(test: TestCase, result: TestResult): Annotation[] {
  return [...test.annotations, ...result.annotations];
}

function described(annotations: Annotation[], type: string): string[] {
  return [...new Set(annotations.filter((a) => a.type === type).map((a) => a.description ?? ''))];
}

/** The deployment a setup test announced, if this result carries one. */
export function deploymentOf(test: TestCase, result: TestResult): Deployment | undefined {
  for (const text of described(annotationsOf(test, result), ANNOTATION.deployment)) {
    const deployment = parseDeploymentAnnouncement(text);
    if (deployment) return deployment;
  }
  return undefined;
}

/** Text attachments only: evidence is text (transcripts, curl lines, violation JSON, server logs). */
function textAttachments(result: TestResult): TestOutcome['attachments'] {
  return result.attachments
    .filter((a) => a.body && /^(text\/|application\/json)/.test(a.contentType))
    .map((a) => ({ name: a.name, contentType: a.contentType, body: redact(a.body!.toString('utf8')) }));
}

/** The outcome of a test that cites requirements; undefined for other tests (setup, teardown). */
export function outcomeOf(test: TestCase, result: TestResult, rootDir: string): TestOutcome | undefined {
  const annotations = annotationsOf(test, result);
  const cites = described(annotations, ANNOTATION.requirement);
  if (cites.length === 0) return undefined;
  const first = (type: string) => described(annotations, type)[0];
  return {
    title: test.title,
    // Relative to the config's folder: the report names no machine paths.
    file: path.relative(rootDir, test.location.file).split(path.sep).join('/'),
    line: test.location.line,
    project: test.parent.project()?.name ?? '',
    status: result.status,
    cites,
    violations: described(annotations, ANNOTATION.violation),
    precondition: first(ANNOTATION.precondition),
    notVerified: first(ANNOTATION.notVerified),
    notApplicable: first(ANNOTATION.notApplicable),
    note: first(ANNOTATION.note),
    skipReason: first(ANNOTATION.skip),
    error: result.error?.message ? redact(plain(result.error.message)) : undefined,
    attachments: textAttachments(result),
    durationMs: result.duration,
  };
}

/** One line for a failed test that cites nothing (a setup failure, a broken helper). */
export function uncitedFailure(test: TestCase, result: TestResult): string | undefined {
  if (result.status === 'passed' || result.status === 'skipped') return undefined;
  const first = plain(result.error?.message ?? result.status).split('\n')[0];
  return redact(`${test.title}: ${first}`);
}

/** Source order, whatever order tests finished in: a sharded run then reports exactly what an unsharded one does. */
export function bySourceOrder(a: TestOutcome, b: TestOutcome): number {
  return a.file.localeCompare(b.file) || a.line - b.line || a.title.localeCompare(b.title) || a.project.localeCompare(b.project);
}
