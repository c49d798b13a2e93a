/**
 * Positive controls. A check that an attack fails proves something only if
 * the same request, made legitimately, succeeds: otherwise the attack may
 * fail for any other reason (a wrong path, a dead session, a column the
 * deployment does not have) and the check would pass without checking. A
 * control that fails leaves the cited requirements not verified.
 */
import type { Session } from '../../fixtures/api.ts';
import { precondition } from '../../fixtures/requirements.ts';

/** The legitimate twin of an attack answered 2xx (and whatever else `holds` says it must show). */
export function controlSucceeded(res: { ok: boolean; status: number }, what: string, holds = true): void {
  precondition(res.ok && holds, `the positive control failed: ${what} answered ${res.status}${res.ok ? ' without the expected effect' : ''}`);
}

/** The session works right now: current_user answers it as a user. */
export async function requireLive(session: Session, when: string): Promise<void> {
  controlSucceeded(await session.currentUser(), `current_user with the session ${when}`);
}
