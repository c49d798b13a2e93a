/**
 * Positive controls. A check that an attack fails proves something only if
 * the same request, made legitimately, succeeds: otherwise the attack may
 * fail for any other reason (a wrong path, a dead session, a column the
 * deployment does not have) and the check would pass without checking. A
 * control that fails leaves the cited requirements not verified.
 */
import type { Session } from '../../fixtures/api.ts';
import { notVerifiedUnless, precondition } from '../../fixtures/requirements.ts';

/** The legitimate twin of an attack answered 2xx (and whatever else `holds` says it must show). */
export function controlSucceeded(res: { ok: boolean; status: number }, what: string, holds = true): void {
  precondition(res.ok && holds, `the positive control failed: ${what} answered ${res.status}${res.ok ? ' without the expected effect' : ''}`);
}

/**
 * The session works right now: the request that tells a live session from
 * none (current user, else a protected listing) answers it. Without such a
 * request in the profile nothing can be checked about a session's life.
 */
export async function requireLive(session: Session, when: string): Promise<void> {
  notVerifiedUnless(session.api.sessionProbe() !== undefined, 'the profile has no request that tells a live session from none: set session.currentUser');
  controlSucceeded(await session.probe(), `${probeName(session)} with the session ${when}`);
}

/** `GET /rpc/current_user`: the session probe, for messages. */
export function probeName(session: Session): string {
  const request = session.api.sessionProbe();
  return request ? `${request.method} ${request.path}` : '(no session probe)';
}
