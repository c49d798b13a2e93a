/** Small helpers for the server processes the stack starts. */
import type { ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

export function waitForExit(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
}

/** The last meaningful line of a log, for one-line error messages. */
export function tail(logFile: string): string {
  if (!existsSync(logFile)) return 'no log';
  const lines = readFileSync(logFile, 'utf8').trim().split('\n').filter(Boolean);
  return (lines.at(-1) ?? 'empty log').slice(0, 300);
}
