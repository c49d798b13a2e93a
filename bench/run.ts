/**
 * `npm run bench`: medians of repeated measurements, with the machine they
 * came from. Benchmarks, not timed tests: nothing here fails a build.
 *
 *   npm run bench                 all measurements
 *   npm run bench -- stack        only the stack start-up
 *   npm run bench -- browser      only the browser suite
 *   BENCH_RUNS=9 npm run bench    more repetitions (default 5)
 */
import { rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startStack } from '../stack/stack.ts';
import { runConformance } from '../self-test/conformance-run.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const only = new Set(process.argv.slice(2));
const wanted = (name: string) => only.size === 0 || only.has(name);

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

const rows: Array<[string, string]> = [];
function record(name: string, samples: number[], unit = 's') {
  const value = unit === 's' ? `${(median(samples) / 1000).toFixed(2)} s` : `${median(samples).toFixed(0)} ${unit}`;
  rows.push([name, `${value} (median of ${samples.length}; min ${(Math.min(...samples) / (unit === 's' ? 1000 : 1)).toFixed(2)}, max ${(Math.max(...samples) / (unit === 's' ? 1000 : 1)).toFixed(2)})`]);
  process.stdout.write(`${name}: ${rows.at(-1)![1]}\n`);
}

async function timeStackStart(cold: boolean): Promise<number> {
  const cache = path.join(os.tmpdir(), 'conformance-bench-cache');
  process.env.CONFORMANCE_CACHE_DIR = cache;
  if (cold) rmSync(cache, { recursive: true, force: true });
  const started = performance.now();
  const stack = await startStack({ logDir: path.join(os.tmpdir(), 'conformance-bench-logs') });
  const ms = performance.now() - started;
  await stack.stop();
  return ms;
}

async function main() {
  if (wanted('stack')) {
    for (const cold of [true, false]) {
      const samples: number[] = [];
      if (!cold) await timeStackStart(false); // make sure the template exists
      for (let i = 0; i < RUNS; i++) samples.push(await timeStackStart(cold));
      record(`stack ready, ${cold ? 'cold (initdb + load SQL)' : 'cached template'}`, samples);
    }
    delete process.env.CONFORMANCE_CACHE_DIR;
  }
  if (wanted('verdict')) {
    const samples: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const run = await runConformance({});
      if (run.report?.verdict !== 'conformant') process.stdout.write(`  note: run ${i + 1} verdict ${run.report?.verdict}\n`);
      samples.push(run.ms);
    }
    record('time to verdict, embedded default (npx playwright test)', samples);
  }
  if (wanted('browser')) {
    // The browser suite alone, stack start-up included: Chromium launches are its main cost.
    const samples: number[] = [];
    for (let i = 0; i < RUNS; i++) samples.push((await runConformance({}, ['--project=browser'])).ms);
    record('browser suite, embedded default (npx playwright test --project=browser)', samples);
  }
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  process.stdout.write(`\n| measurement | median |\n|---|---|\n${rows.map(([n, v]) => `| ${n} | ${v} |`).join('\n')}\n\nMachine: ${os.cpus().length} × ${cpu}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${os.platform()} ${os.release()}\n`);
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack}\n`);
  process.exit(1);
});
