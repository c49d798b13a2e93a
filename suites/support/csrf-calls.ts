/**
 * What the browser suite's cross-site request checks on functions and tables
 * (suites/browser/csrf-calls.spec.ts) work out without a browser: which
 * functions of the OpenAPI document each kind of request can reach, the
 * bodies a form sends them, and how an answer tells whether a request acted
 * as the signed-in user. Pure, so the rules can be read and tested in one place.
 *
 * Judging by answers: a request from another site acted as the user exactly
 * when the deployment answered it as the signed-in user. Where the effect of a
 * call cannot be looked up, its answer is compared with two twins: the same
 * request from the API's own origin (the user's own call, which must be
 * answered as the user: the positive control) and the same request without a
 * session (anonymous). Only an answer that the session alone explains counts.
 */
import { textPlainFields } from '../../fixtures/cross-site.ts';
import type { Argument, Endpoint } from './openapi.ts';

/** The part of an answer the judgement reads. */
export interface Answer {
  status: number;
  body: string;
}

const ok = (a: Answer) => a.status >= 200 && a.status < 300;
const same = (a: Answer, b: Answer) => a.status === b.status && a.body.trim() === b.body.trim();

/** The types of a single unnamed parameter that a text/plain body reaches. */
const BODY_FORMATS = ['text', 'character varying', 'json', 'jsonb'];

/** The function's single unnamed parameter, when it has one of a type a text/plain body can carry. */
export function unnamedBodyArgument(endpoint: Endpoint): Argument | undefined {
  if (endpoint.kind !== 'function' || endpoint.required.length !== 1) return undefined;
  const [arg] = endpoint.required;
  return arg!.name === '' && BODY_FORMATS.includes((arg!.format ?? '').toLowerCase()) ? arg : undefined;
}

/**
 * The fields of a text/plain form whose body carries `marker`: `csrf=MARKER`
 * for a text parameter; for json, the classic split of a JSON object across
 * a field's name and value, so the browser's `=` lands inside a string:
 * `{"csrf":"=MARKER"}`.
 */
export function textPlainArgument(arg: Argument, marker: string): Record<string, string> {
  const format = (arg.format ?? '').toLowerCase();
  const body = format === 'json' || format === 'jsonb' ? `{"csrf":"=${marker.replace(/["\\]/g, '')}"}` : `csrf=${marker}`;
  return textPlainFields(body.replace(/[\r\n]/g, ' '))!;
}

/**
 * Whether the answers tell a signed-in caller from none: the user's own call
 * succeeded, and the anonymous twin failed or answered otherwise. When they
 * do not, no answer can show that a request used the session.
 */
export function answersTell(own: Answer, anonymous: Answer): boolean {
  return ok(own) && !same(own, anonymous);
}

/**
 * Whether `answer` shows the user's session was used: it succeeded where the
 * anonymous twin failed (a refusal, or an error the function raises without
 * a caller), or it is the user's own answer where the anonymous one differs.
 * An answer that is neither (an error, the anonymous answer, something new)
 * shows nothing: errors are not violations.
 */
export function answeredAsUser(answer: Answer, own: Answer, anonymous: Answer): boolean {
  if (!ok(answer)) return false;
  if (!ok(anonymous)) return true;
  return same(answer, own) && !same(answer, anonymous);
}

/**
 * Whether a request the form sent was refused by PostgREST as a request (the
 * form's media type or fields do not fit the endpoint: 400, 404, 405, 406,
 * 415), rather than refused to the caller: then no form of this kind reaches
 * the endpoint, and there is nothing to attack with it.
 */
export function formNotTaken(answer: Answer, refusals: readonly number[]): boolean {
  return answer.status >= 400 && answer.status < 500 && !refusals.includes(answer.status);
}

/** One line for messages: the status and the start of the body. */
export function describeAnswer(answer: Answer): string {
  const body = answer.body.trim().replace(/\s+/g, ' ');
  return `${answer.status}${body ? ` ${body.length > 80 ? `${body.slice(0, 80)}...` : body}` : ''}`;
}
