/**
 * The run folder (CONFORMANCE_RUN_DIR) holds the secrets the workers saw and
 * the embedded stack's state. The reporter is the last to need it: once the
 * report is written it goes, so no secret outlives the run. Only a folder the
 * suite created itself (conformance-run-*) is removed whole; if someone
 * pointed CONFORMANCE_RUN_DIR elsewhere, only the suite's files in it go.
 */
import { rmSync } from 'node:fs';
import path from 'node:path';
import { RUN_ENV } from '../fixtures/run-context.ts';

export function removeRunFolder(env: NodeJS.ProcessEnv = process.env): void {
  const dir = env[RUN_ENV.dir];
  if (dir && path.basename(dir).startsWith('conformance-run-')) {
    rmSync(dir, { recursive: true, force: true });
    return;
  }
  for (const file of [env[RUN_ENV.secrets], env[RUN_ENV.stackState]]) {
    if (file) rmSync(file, { force: true });
  }
}
