/**
 * `npm run stack`: starts the reference deployment, prints BASE_URL and
 * DATABASE_URL, and runs until Ctrl-C.
 *
 *   npm run stack -- [--postgrest 12|11] [--port 3000] [--log-dir DIR] [--stack local|containers|auto]
 *
 * --stack defaults to STACK (auto: local binaries when installed, else Docker).
 *
 * The Playwright setup project runs the same program as a supervisor
 * (`--state-file F --watch-pid PID`): it reports readiness through F and stops
 * everything when PID (the test runner) is gone, so even a killed run leaves
 * no server behind.
 */
import { writeFileSync, renameSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { STACK_REQUESTS, stackRequest, type StackRequest } from '../lib/config.ts';
import { exitOnUserError, UserError } from '../lib/user-error.ts';
import { startChosenStack } from './provider.ts';
import { isAlive } from './run-dir.ts';
import type { Stack } from './stack.ts';

export interface StackState {
  status: 'ready' | 'error';
  message?: string;
  supervisorPid: number;
  baseUrl?: string;
  databaseUrl?: string;
  postgrestVersion?: string;
  postgresVersion?: string;
  logs?: { postgres: string; postgrest: string };
}

function writeState(file: string, state: StackState): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(state, null, 2));
  renameSync(tmp, file);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      postgrest: { type: 'string', default: '12' },
      port: { type: 'string' },
      'log-dir': { type: 'string', default: path.resolve('test-results', 'stack-logs') },
      'state-file': { type: 'string' },
      'watch-pid': { type: 'string' },
      stack: { type: 'string' },
    },
  });
  const request = values.stack ?? stackRequest();
  if (!(STACK_REQUESTS as readonly string[]).includes(request)) {
    throw new UserError(`--stack ${request} is not a way to run the deployment: use ${STACK_REQUESTS.join(', ')}`);
  }
  const port = values.port === undefined ? undefined : Number(values.port);
  if (port !== undefined && !(Number.isInteger(port) && port > 0 && port < 65536)) {
    throw new UserError(`--port ${values.port} is not a TCP port: give a number from 1 to 65535`);
  }
  const stateFile = values['state-file'];
  let stack: Stack | undefined;
  let stopping = false;
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    await stack?.stop();
    process.exit(code);
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void shutdown(0));

  try {
    stack = await startChosenStack(request as StackRequest, { postgrest: values.postgrest, port, logDir: values['log-dir']! });
  } catch (error) {
    if (stateFile) {
      const message = error instanceof UserError ? error.message : String((error as Error).stack ?? error);
      writeState(stateFile, { status: 'error', message, supervisorPid: process.pid });
      process.exit(1);
    }
    throw error;
  }
  if (stopping) return;

  if (stateFile) {
    writeState(stateFile, {
      status: 'ready',
      supervisorPid: process.pid,
      baseUrl: stack.baseUrl,
      databaseUrl: stack.databaseUrl,
      postgrestVersion: stack.postgrestVersion,
      postgresVersion: stack.postgresVersion,
      logs: stack.logs,
    });
  } else {
    process.stdout.write(
      `Reference deployment ready (PostgREST ${stack.postgrestVersion}, ${stack.postgresVersion}).\n` +
        `BASE_URL=${stack.baseUrl}\nDATABASE_URL=${stack.databaseUrl}\n` +
        `Logs: ${stack.logs.postgres}, ${stack.logs.postgrest}\nPress Ctrl-C to stop.\n`,
    );
  }
  const watched = values['watch-pid'] ? Number(values['watch-pid']) : undefined;
  setInterval(() => {
    if (watched && !isAlive(watched)) void shutdown(0);
  }, 250);
}

main().catch((error) => exitOnUserError(error));
