/**
 * A sample of session tokens for the entropy checks: one user, logged in many
 * times. Gathered once per worker and deployment, and shared by the MUST and
 * the SHOULD check, so a deployment whose logins cost a bcrypt round pays for
 * one sample, not two.
 */
import { DeploymentApi, Session } from '../../fixtures/api.ts';
import { HttpClient } from '../../fixtures/http.ts';
import { newIdentity } from '../../fixtures/identities.ts';
import type { Target } from '../../fixtures/target.ts';

/**
 * Tokens in the sample. The most-common-value estimate credits at most about
 * 6.4 bits a character at 300 tokens, and on the reference's 43-character
 * base64url tokens (256 random bits) it credits 172 bits on average with a
 * spread of about one bit; the chance it credits less than 128 is below
 * 1e-160 (a Chernoff bound on the exact distribution of each position's
 * most common count). The size is set by a harder case: 24 random hex digits
 * (96 bits) are credited 70 bits on average, and fewer than 64 with a chance
 * near 1e-25, so a 96-bit token passes the MUST and is judged on the SHOULD.
 */
export const ENTROPY_SAMPLE_SIZE = 300;

/** Logins in flight at once: at 250 ms a bcrypt login, 300 logins still take about ten seconds. */
export const LOGINS_IN_FLIGHT = 8;

export interface TokenSample {
  tokens: string[];
  /** Why the sample stopped short of its size, if it did (a login refused, rate limiting). */
  stoppedBy?: string;
}

/**
 * Runs `task` for 0..count-1 with at most `inFlight` running at once, and
 * starts no new one after `stop()` returns true. Eight lines, so not worth a
 * dependency.
 */
async function pooled(count: number, inFlight: number, task: (i: number) => Promise<void>, stop: () => boolean): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < count && !stop()) await task(next++);
  };
  await Promise.all(Array.from({ length: Math.min(inFlight, count) }, lane));
}

/**
 * Registers one user and logs it in `size` times, `inFlight` at a time, each
 * login on a fresh client. The requests go through a client of their own: a
 * failing entropy check is explained by its numbers, and hundreds of login
 * transcripts would only bury them.
 */
export async function gatherTokens(target: Target, size = ENTROPY_SAMPLE_SIZE, inFlight = LOGINS_IN_FLIGHT): Promise<TokenSample> {
  const http = new HttpClient(target.baseUrl);
  const api = new DeploymentApi(target.profile);
  const fresh = () => new Session(http, api);
  const identity = newIdentity('entropy');
  const registering = fresh();
  const registered = await registering.register(identity);
  if (!registered.ok || registering.token === undefined) {
    return { tokens: [], stoppedBy: `register answered ${registered.status} and opened no session` };
  }
  const tokens: string[] = [];
  let stoppedBy: string | undefined;
  await pooled(
    size,
    inFlight,
    async () => {
      const client = fresh();
      const res = await client.login(identity);
      if (res.ok && client.token !== undefined) tokens.push(client.token);
      else stoppedBy ??= `a login answered ${res.status}${res.ok ? ' and set no session cookie' : ''} after ${tokens.length} tokens`;
    },
    () => stoppedBy !== undefined,
  );
  return { tokens, stoppedBy };
}

const samples = new Map<string, Promise<TokenSample>>();

/** The sample for this deployment, gathered by the first check of this worker that asks for it. */
export function sharedTokenSample(target: Target): Promise<TokenSample> {
  let sample = samples.get(target.baseUrl);
  if (!sample) {
    sample = gatherTokens(target);
    samples.set(target.baseUrl, sample);
  }
  return sample;
}
