/**
 * An error caused by the user's input or machine, not by the suite: a missing
 * binary, an unreachable BASE_URL, a bad setting. It is printed as one line that
 * names the fix, never as a stack trace or a wall of timeouts.
 */
export class UserError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UserError';
  }
}

/** Prints a UserError as one line and exits; anything else keeps its stack. */
export function exitOnUserError(error: unknown, exitCode = 2): never {
  if (error instanceof UserError) {
    process.stderr.write(`conformance: ${error.message}\n`);
  } else {
    process.stderr.write(`${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  }
  process.exit(exitCode);
}
