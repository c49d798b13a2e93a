/**
 * The evidence for one failed requirement in one test, from what the fixtures
 * attached under the contract's ATTACHMENT names: the violation's expected and
 * actual (JSON, written by verify), the redacted transcript and curl lines.
 */
import { ATTACHMENT, type TestOutcome, type ViolationRecord } from '../lib/report-contract.ts';

export interface Evidence {
  test: string;
  /** file:line of the test. */
  location: string;
  project: string;
  expected?: string;
  actual?: string;
  /** The test's error, when no violation names this requirement (an unexpected error). */
  error?: string;
  transcript?: string;
  reproduce?: string;
}

export function evidenceOf(outcome: TestOutcome, id: string): Evidence {
  const body = (name: string) => outcome.attachments.find((a) => a.name === name)?.body;
  const evidence: Evidence = {
    test: outcome.title,
    location: `${outcome.file}:${outcome.line}`,
    project: outcome.project,
  };
  const violation = body(ATTACHMENT.violation(id));
  if (violation) {
    try {
      const parsed = JSON.parse(violation) as Partial<ViolationRecord>;
      if (parsed.expected !== undefined) evidence.expected = String(parsed.expected);
      if (parsed.actual !== undefined) evidence.actual = String(parsed.actual);
    } catch {
      evidence.error = violation;
    }
  }
  if (evidence.expected === undefined && outcome.error) {
    // verify's own message says the same, should the attachment be missing.
    const m = new RegExp(`^\\[${id}\\] [^\\n]*\\n  expected: ([^]*?)\\n  actual:   ([^]*)$`).exec(outcome.error);
    if (m) [evidence.expected, evidence.actual] = [m[1], m[2]];
    else evidence.error = outcome.error;
  }
  const transcript = body(ATTACHMENT.transcript);
  if (transcript) evidence.transcript = transcript;
  const reproduce = body(ATTACHMENT.reproduce);
  if (reproduce) evidence.reproduce = reproduce;
  return evidence;
}
