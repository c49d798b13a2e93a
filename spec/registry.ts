/**
 * The requirement registry: spec/requirements.json, validated against its
 * JSON Schema when it loads. Everything else (tests, reporter, generated
 * SPEC.md, the seeded defects) refers to requirements by these IDs.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type AjvModule from 'ajv';

export type Level = 'MUST' | 'SHOULD' | 'MAY';
export type Capability = 'http' | 'database' | 'expiry' | 'browser';

export interface Requirement {
  id: string;
  level: Level;
  category: string;
  title: string;
  statement: string;
  rationale: string;
  references: string[];
  capabilities: Capability[];
  appliesTo?: 'http' | 'https';
}

export interface Registry {
  version: string;
  title: string;
  requirements: Requirement[];
}

const read = (name: string) => JSON.parse(readFileSync(new URL(name, import.meta.url), 'utf8'));

/**
 * Validates the registry against its schema. Not in Playwright's workers: the
 * runner loads the registry (every test file cites requirements) and has
 * validated it before any worker starts, and loading ajv and compiling the
 * schema would cost each worker a fifth of a second of CPU, one worker per
 * deployment in the defect sweep.
 */
function validateSchema(registry: Registry): void {
  if (process.env.TEST_WORKER_INDEX !== undefined) return;
  const Ajv = createRequire(import.meta.url)('ajv') as typeof AjvModule;
  const ajv = new Ajv.default({ allErrors: true });
  const validate = ajv.compile(read('./requirements.schema.json'));
  if (!validate(registry)) {
    throw new Error(`spec/requirements.json does not match its schema: ${ajv.errorsText(validate.errors)}`);
  }
}

function load(): Registry {
  const registry = read('./requirements.json') as Registry;
  validateSchema(registry);
  const seen = new Set<string>();
  for (const r of registry.requirements) {
    if (seen.has(r.id)) throw new Error(`spec/requirements.json: duplicate requirement id ${r.id}`);
    seen.add(r.id);
    if (!r.statement.includes(r.level)) {
      throw new Error(`spec/requirements.json: ${r.id} is ${r.level} but its statement does not say ${r.level}`);
    }
  }
  return registry;
}

export const registry: Registry = load();
const byId = new Map(registry.requirements.map((r) => [r.id, r]));

export function requirement(id: string): Requirement {
  const r = byId.get(id);
  if (!r) throw new Error(`unknown requirement id "${id}": add it to spec/requirements.json or fix the citation`);
  return r;
}

export function isKnownRequirement(id: string): boolean {
  return byId.has(id);
}

/** Links for references, used by the generated spec and the HTML report. */
export function referenceUrl(ref: string): string {
  const [kind, rest] = [ref.slice(0, ref.indexOf(':')), ref.slice(ref.indexOf(':') + 1)];
  switch (kind) {
    case 'asvs': {
      const [version] = rest.slice(1).split('-');
      return version === '4.0.3'
        ? 'https://github.com/OWASP/ASVS/tree/v4.0.3_release/4.0/en'
        : 'https://github.com/OWASP/ASVS/tree/v5.0.0_release/5.0/en';
    }
    case 'rfc6265':
      return `https://www.rfc-editor.org/rfc/rfc6265#section-${rest}`;
    case 'rfc6265bis':
      return `https://datatracker.ietf.org/doc/html/draft-ietf-httpbis-rfc6265bis#section-${rest}`;
    case 'rfc9111':
      return `https://www.rfc-editor.org/rfc/rfc9111#section-${rest}`;
    case 'postgrest':
      return `https://docs.postgrest.org/en/v12/${rest}`;
    case 'cwe':
      return `https://cwe.mitre.org/data/definitions/${rest}.html`;
    default:
      return ref;
  }
}

/** A reference as people cite it: "ASVS v5.0.0-3.3.4", "RFC 6265 §4.1.1". */
export function referenceLabel(ref: string): string {
  const [kind, rest] = [ref.slice(0, ref.indexOf(':')), ref.slice(ref.indexOf(':') + 1)];
  switch (kind) {
    case 'asvs':
      return `ASVS ${rest}`;
    case 'rfc6265':
      return `RFC 6265 §${rest}`;
    case 'rfc6265bis':
      return `RFC 6265bis §${rest}`;
    case 'rfc9111':
      return `RFC 9111 §${rest}`;
    case 'postgrest':
      return `PostgREST docs ${rest}`;
    case 'cwe':
      return `CWE-${rest}`;
    default:
      return ref;
  }
}
