/** Where the launcher keeps what it can reuse across runs: data-folder templates, binary versions. */
import os from 'node:os';
import path from 'node:path';

export function cacheRoot(): string {
  return process.env.CONFORMANCE_CACHE_DIR ?? path.join(os.homedir(), '.cache', 'postgrest-cookie-conformance');
}
