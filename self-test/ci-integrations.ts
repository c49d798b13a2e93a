/**
 * The CI integrations as a user's CI would read them, checked without a CI:
 *   - action.yml and the example workflow pass @action-validator/core (the
 *     schemas GitHub Actions applies);
 *   - the GitLab template parses (yaml), declares its inputs in a `spec:`
 *     header, uses only declared ones, and has the job GitLab needs: a stage,
 *     a script that runs the command, artifacts kept always, with junit.xml as
 *     the test report;
 *   - both take the same inputs (base-url, database-url, profile, strict,
 *     report-dir), give the command only flags it has (cli/options.ts FLAGS),
 *     and pass the database URI by environment, never on a command line.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { validateAction, validateWorkflow, type ValidationState } from '@action-validator/core';
import { parse, parseAllDocuments } from 'yaml';
import { COMMAND, FLAGS } from '../cli/options.ts';
import { ROOT } from './conformance-run.ts';

export const ACTION_FILE = 'action.yml';
export const WORKFLOW_EXAMPLE = 'docs/examples/github-workflow.yml';
export const GITLAB_TEMPLATE = 'ci/gitlab/postgrest-cookie-conformance.gitlab-ci.yml';

/** The inputs every integration takes (issue: base-url, database-url, profile, strict, report-dir). */
export const REQUIRED_INPUTS = ['base-url', 'database-url', 'profile', 'strict', 'report-dir'];

const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');

type Json = Record<string, unknown>;

/** The validator's errors as lines; none when valid. */
function validatorErrors(file: string, state: ValidationState): string[] {
  return state.errors.map((e) => `${file}: ${'path' in e ? `${e.path}: ` : ''}${e.title}${e.detail ? ` (${e.detail})` : ''}`);
}

/** Options of the other programs these scripts run (npm, apt-get, playwright install): not the command's. */
const OTHER_PROGRAMS_OPTIONS = new Set(['--omit', '--no-audit', '--no-fund', '--prefix', '--no-install-recommends', '--with-deps']);

/** Every --option in a script is one of the command's flags or another program's named above. */
function unknownFlags(file: string, script: string): string[] {
  const known = new Set(FLAGS.map((f) => `--${f.name}`));
  const options = new Set([...script.matchAll(/(?<![\w-])--[a-z][a-z-]*/g)].map((m) => m[0]));
  return [...options].filter((o) => !known.has(o) && !OTHER_PROGRAMS_OPTIONS.has(o)).map((o) => `${file}: ${o} is not an option of ${COMMAND}`);
}

function checkAction(problems: string[]): void {
  const text = read(ACTION_FILE);
  problems.push(...validatorErrors(ACTION_FILE, validateAction(text)));
  const action = parse(text) as { inputs?: Json; runs?: { using?: string; steps?: Array<Json> } };
  const inputs = Object.keys(action.inputs ?? {});
  for (const name of REQUIRED_INPUTS) if (!inputs.includes(name)) problems.push(`${ACTION_FILE}: no input ${name}`);
  if (action.runs?.using !== 'composite') problems.push(`${ACTION_FILE}: runs.using is ${action.runs?.using}, expected composite`);
  const steps = action.runs?.steps ?? [];
  const scripts = steps.map((s) => String(s.run ?? '')).join('\n');
  // The command is run from the action's own folder, by a path its step may keep in env.
  if (!JSON.stringify(steps).includes('cli/postgrest-cookie-conformance.mjs')) problems.push(`${ACTION_FILE}: no step runs the command`);
  problems.push(...unknownFlags(ACTION_FILE, scripts));
  if (scripts.includes('--database-url')) problems.push(`${ACTION_FILE}: the database URI is on a command line; pass it as DATABASE_URL`);
  const upload = steps.find((s) => String(s.uses ?? '').startsWith('actions/upload-artifact@'));
  if (!upload) problems.push(`${ACTION_FILE}: the reports are not uploaded (actions/upload-artifact)`);
  else if (upload.if !== 'always()') problems.push(`${ACTION_FILE}: the reports are uploaded only when the run passed (if: always() is missing)`);
  // Every input is used, and every input used is declared.
  const used = new Set([...text.matchAll(/\$\{\{\s*inputs\.([\w-]+)\s*\}\}/g)].map((m) => m[1]));
  for (const name of inputs) if (!used.has(name)) problems.push(`${ACTION_FILE}: input ${name} is never used`);
  for (const name of used) if (!inputs.includes(name)) problems.push(`${ACTION_FILE}: uses undeclared input ${name}`);
}

function checkWorkflow(problems: string[]): void {
  const text = read(WORKFLOW_EXAMPLE);
  problems.push(...validatorErrors(WORKFLOW_EXAMPLE, validateWorkflow(text)));
  const workflow = parse(text) as { jobs?: Record<string, { steps?: Array<{ uses?: string; with?: Json }> }> };
  const action = Object.values(workflow.jobs ?? {})
    .flatMap((job) => job.steps ?? [])
    .find((s) => /\/postgrest-cookie-conformance@/.test(s.uses ?? ''));
  if (!action) problems.push(`${WORKFLOW_EXAMPLE}: no step uses the action`);
  const declared = Object.keys((parse(read(ACTION_FILE)) as { inputs: Json }).inputs);
  for (const name of Object.keys(action?.with ?? {})) if (!declared.includes(name)) problems.push(`${WORKFLOW_EXAMPLE}: the action has no input ${name}`);
}

function checkGitlab(problems: string[]): void {
  const text = read(GITLAB_TEMPLATE);
  const docs = parseAllDocuments(text);
  for (const doc of docs) for (const e of doc.errors) problems.push(`${GITLAB_TEMPLATE}: ${e.message.split('\n')[0]}`);
  if (docs.length !== 2) return void problems.push(`${GITLAB_TEMPLATE}: expected a spec: header and the job, as two YAML documents; found ${docs.length}`);
  const [header, body] = docs.map((d) => d.toJS() as Json);
  const inputs = Object.keys(((header.spec as Json | undefined)?.inputs as Json | undefined) ?? {});
  for (const name of REQUIRED_INPUTS) if (!inputs.includes(name)) problems.push(`${GITLAB_TEMPLATE}: no input ${name}`);
  const used = new Set([...text.matchAll(/\$\[\[\s*inputs\.([\w-]+)\s*\]\]/g)].map((m) => m[1]));
  for (const name of inputs) if (!used.has(name)) problems.push(`${GITLAB_TEMPLATE}: input ${name} is never used`);
  for (const name of used) if (!inputs.includes(name)) problems.push(`${GITLAB_TEMPLATE}: uses undeclared input ${name}`);
  const jobs = Object.entries(body).filter(([name]) => !name.startsWith('.') && !['variables', 'stages', 'default', 'workflow', 'include'].includes(name));
  if (jobs.length !== 1) return void problems.push(`${GITLAB_TEMPLATE}: expected one job, found ${jobs.length}`);
  const [name, job] = jobs[0] as [string, Json];
  const where = `${GITLAB_TEMPLATE}: job ${name}`;
  for (const key of ['stage', 'image', 'script', 'artifacts']) if (!(key in job)) problems.push(`${where} has no ${key}`);
  const script = Array.isArray(job.script) ? job.script.join('\n') : '';
  if (!script.includes(`node_modules/.bin/${COMMAND}`)) problems.push(`${where}: its script does not run ${COMMAND}`);
  problems.push(...unknownFlags(GITLAB_TEMPLATE, script));
  if (script.includes('--database-url')) problems.push(`${where}: the database URI is on a command line; pass it as DATABASE_URL`);
  if (!String((job.variables as Json | undefined)?.DATABASE_URL ?? '').includes('inputs.database-url')) problems.push(`${where}: DATABASE_URL does not come from the database-url input`);
  const artifacts = (job.artifacts ?? {}) as { when?: string; paths?: string[]; reports?: { junit?: string | string[] } };
  if (artifacts.when !== 'always') problems.push(`${where}: artifacts are kept only when the job passed (when: always is missing)`);
  const reportDir = '$[[ inputs.report-dir ]]';
  if (!artifacts.paths?.some((p) => p.startsWith(reportDir))) problems.push(`${where}: the report folder is not an artifact`);
  const junit = [artifacts.reports?.junit ?? []].flat();
  if (!junit.includes(`${reportDir}/junit.xml`)) problems.push(`${where}: artifacts.reports.junit is not ${reportDir}/junit.xml`);
}

/** Throws, listing every problem, unless all three files are valid; returns a one-line summary. */
export function checkCiIntegrations(): string {
  const problems: string[] = [];
  checkAction(problems);
  checkWorkflow(problems);
  checkGitlab(problems);
  if (problems.length) throw new Error(problems.join('\n'));
  return `${ACTION_FILE} and ${WORKFLOW_EXAMPLE} valid for GitHub Actions, ${GITLAB_TEMPLATE} has its inputs, job and junit report`;
}
