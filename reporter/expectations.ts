/**
 * CONFORMANCE_EXPECTATIONS: a JSON file naming the requirements a deployment
 * is known to fail, each with a reason (see spec/expectations.schema.json):
 *
 *   { "expectedFailures": [{ "id": "cookie-secure-http", "reason": "TLS ends at the proxy; tracked in OPS-12" }] }
 *
 * Any problem with the file is one line naming the file and the fix; the
 * gate rules that use it live in verdict.ts (gateOf).
 */
import { readFileSync } from 'node:fs';
import Ajv from 'ajv';
import { UserError } from '../lib/user-error.ts';
import { isKnownRequirement } from '../spec/registry.ts';

export interface ExpectedFailure {
  id: string;
  reason: string;
}

/** Listed requirement id to its reason. */
export type Expectations = ReadonlyMap<string, string>;

const schema = JSON.parse(readFileSync(new URL('../spec/expectations.schema.json', import.meta.url), 'utf8'));
const validate = new Ajv.default({ allErrors: true }).compile<{ expectedFailures: ExpectedFailure[] }>(schema);

/** Parses and checks the file's text; `file` only names it in errors. */
export function parseExpectations(text: string, file: string): Expectations {
  const where = `CONFORMANCE_EXPECTATIONS=${file}`;
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new UserError(`${where} is not JSON (${(error as Error).message}): fix the file`);
  }
  if (!validate(data)) {
    const first = validate.errors?.[0];
    const at = first?.instancePath || '(top level)';
    throw new UserError(
      `${where}: ${at} ${first?.message ?? 'is invalid'}: write {"expectedFailures": [{"id": "...", "reason": "..."}]}`,
    );
  }
  const expected = new Map<string, string>();
  for (const { id, reason } of data.expectedFailures) {
    if (!isKnownRequirement(id)) {
      throw new UserError(`${where}: unknown requirement "${id}": use an id from spec/requirements.json`);
    }
    if (expected.has(id)) throw new UserError(`${where}: "${id}" is listed twice: keep one entry`);
    expected.set(id, reason);
  }
  return expected;
}

export function loadExpectations(file: string | undefined): Expectations {
  if (!file) return new Map();
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UserError(`CONFORMANCE_EXPECTATIONS=${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}): fix the path`);
  }
  return parseExpectations(text, file);
}
