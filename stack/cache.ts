/** Where the launcher keeps what it can reuse across runs: data-folder templates, binary versions. */
import { cacheDir } from '../lib/config.ts';

export function cacheRoot(): string {
  return cacheDir();
}
