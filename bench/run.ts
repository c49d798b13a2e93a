/**
 * `npm run bench`: medians of repeated measurements, with the machine they
 * came from. Benchmarks, not timed tests: nothing here fails a build. A full
 * run writes them to docs/performance.md (generated, with the date and the
 * machine); a partial one only prints.
 *
 *   npm run bench                 all measurements, and docs/performance.md
 *   npm run bench -- stack        only the stack start-up
 *   npm run bench -- groups       each suite group against one running deployment
 *   BENCH_RUNS=9 npm run bench    more repetitions (default 5)
 */
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startStack } from '../stack/stack.ts';
import { runConformance, ROOT } from '../self-test/conformance-run.ts';
import { renderPerformance } from './performance-doc.ts';

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

/** Suite groups as Playwright arguments; each runs on its own against the same deployment. */
function suiteGroups(): Array<{ name: string; args: string[] }> {
  const specs = (dir: string) => (existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.spec.ts')).map((f) => path.join(dir, f)) : []);
  const top = specs('suites');
  const groups = [
    { name: 'HTTP scenario suites', args: ['--project=http', ...top.filter((f) => !path.basename(f).startsWith('database-'))] },
    { name: 'database checks', args: ['--project=http', ...top.filter((f) => path.basename(f).startsWith('database-'))] },
    { name: 'property suites', args: ['--project=http', ...specs(path.join('suites', 'property'))] },
    { name: 'browser suite', args: ['--project=browser'] },
  ];
  return groups.filter((g) => g.args.length > 1 || g.name === 'browser suite');
}

/** Requests PostgREST has logged so far (log-level info writes one line per request). */
function requestsLogged(logFile: string): number {
  return existsSync(logFile) ? (readFileSync(logFile, 'utf8').match(/" \d{3} (\d+|-) /g) ?? []).length : 0;
}

/**
 * Each group against one running reference deployment, so that the figures are
 * the suites' own (plus Playwright's start-up, about 3 s, which every run pays).
 */
async function benchGroups() {
  const logDir = path.join(os.tmpdir(), 'conformance-bench-groups');
  const stack = await startStack({ logDir });
  try {
    const env = { BASE_URL: stack.baseUrl, DATABASE_URL: stack.databaseUrl };
    for (const group of suiteGroups()) {
      const samples: number[] = [];
      const rates: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const before = requestsLogged(stack.logs.postgrest);
        const run = await runConformance(env, group.args);
        const failed = run.report?.requirements.filter((q) => q.status === 'fail').map((q) => q.id) ?? ['no report'];
        if (failed.length) process.stdout.write(`  note: ${group.name} run ${i + 1} failed ${failed.join(', ')}\n`);
        samples.push(run.ms);
        rates.push(((requestsLogged(stack.logs.postgrest) - before) * 1000) / run.ms);
      }
      record(`${group.name} (against a running deployment)`, samples);
      if (group.name === 'property suites') record('requests per second the property suites drive (whole run)', rates, 'req/s');
    }
  } finally {
    await stack.stop();
  }
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
  if (wanted('groups')) await benchGroups();
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  const machine = `${os.cpus().length} × ${cpu}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${os.platform()} ${os.release()}`;
  const text = renderPerformance(rows, { machine, date: new Date().toISOString().slice(0, 10), runs: RUNS });
  process.stdout.write(`\n${text}`);
  if (only.size === 0) {
    writeFileSync(path.join(ROOT, 'docs', 'performance.md'), text);
    process.stdout.write('wrote docs/performance.md\n');
  }
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack}\n`);
  process.exit(1);
});
