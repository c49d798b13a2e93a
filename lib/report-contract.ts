/**
 * The contract between the tests and the reporter. Their only channel is what
 * Playwright keeps of a test, and keeps through the blob format of a sharded
 * run too: its annotations and its text attachments. The fixtures write them
 * under the names below (fixtures/requirements.ts, fixtures/test.ts, the
 * setup project); reporter/outcome.ts reads them into a TestOutcome and
 * reporter/evidence.ts into the evidence of a failure. Both sides import the
 * names from here, so that neither can rename one alone.
 */

/** Annotation types: what a test declared, and how it ended when it did not simply pass or fail. */
export const ANNOTATION = {
  /** A requirement the test checks: cites(), or cited at run time when a capability allows. */
  requirement: 'requirement',
  /** The requirement verify() found broken. */
  violation: 'violation',
  /** Something the check builds on did not work: the cited requirements are not verified. */
  precondition: 'precondition-failed',
  /** A capability the check needs is missing. */
  notVerified: 'not-verified',
  /** The requirement does not apply to this deployment. */
  notApplicable: 'not-applicable',
  /** A caveat on a passing check: what it could not rule out, shown with the requirement's status. */
  note: 'note',
  /** A property's runs, seed and time; for Playwright's own report, not the verdict. */
  property: 'property',
  /** Playwright's own, from test.skip(): its reason. */
  skip: 'skip',
  /** The setup project's announcement of the embedded deployment (deploymentAnnouncement). */
  deployment: 'deployment',
} as const;

/** Attachment names: the evidence of a failure, all text. */
export const ATTACHMENT = {
  /** JSON, a ViolationRecord: expected and actual for the requirement verify() found broken. */
  violation: (id: string) => `violation ${id}`,
  /** The redacted HTTP transcript of the test (or of a property's shrunk run). */
  transcript: 'http-exchanges',
  /** curl lines (or a property's replay command) that repeat what the test did. */
  reproduce: 'reproduce',
  /** The last lines of one of the embedded deployment's logs. */
  serverLog: (name: string) => `${name}.log`,
} as const;

/** The body of a `violation <id>` attachment, redacted. */
export interface ViolationRecord {
  id: string;
  expected: string;
  actual: string;
}

/** The embedded deployment a setup test announced. */
export interface Deployment {
  postgrestVersion: string;
  url: string;
}

/** The `deployment` annotation's text: "PostgREST <version> at <url>". */
export function deploymentAnnouncement(d: Deployment): string {
  return `PostgREST ${d.postgrestVersion} at ${d.url}`;
}

/** An announcement read back; undefined for any other text. */
export function parseDeploymentAnnouncement(text: string): Deployment | undefined {
  const m = /^PostgREST (\S+) at (\S+)$/.exec(text);
  return m ? { postgrestVersion: m[1], url: m[2] } : undefined;
}

/**
 * One test as the verdict rules read it (reporter/verdict.ts): built by
 * reporter/outcome.ts from a Playwright result and the names above.
 */
export interface TestOutcome {
  title: string;
  file: string;
  line: number;
  project: string;
  status: 'passed' | 'failed' | 'timedOut' | 'skipped' | 'interrupted';
  cites: string[];
  violations: string[];
  precondition?: string;
  notVerified?: string;
  notApplicable?: string;
  /** A caveat a passing test recorded (what it could not rule out). */
  note?: string;
  skipReason?: string;
  error?: string;
  /** Redacted evidence attachments (text). */
  attachments: Array<{ name: string; contentType: string; body: string }>;
  durationMs: number;
}
