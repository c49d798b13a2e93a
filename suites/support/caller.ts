/**
 * Whom a session belongs to, as the deployment tells it: through current
 * user when the profile has it (its answer shows the login, the name or only
 * an id), else only that the session is live (api.sessionProbe). One reading
 * for every check that asks "is this cookie that user's session?".
 */
import { answersAs, singleObject, type Row, type Session } from '../../fixtures/api.ts';
import type { HttpResponse } from '../../fixtures/http.ts';
import type { Identity } from '../../fixtures/identities.ts';
import { noteThat, notVerifiedUnless } from '../../fixtures/requirements.ts';

export interface CallerAnswer {
  res: HttpResponse;
  /** True: the answer is the identity's; false: someone else's or no answer; undefined: live, but whose cannot be told. */
  isIdentity: boolean | undefined;
  /** What was asked, for messages: `GET /rpc/current_user`. */
  asked: string;
}

/** Asks the deployment whose session this client holds, and compares it with the identity. */
export async function askCaller(session: Session, identity: Identity): Promise<CallerAnswer> {
  const request = session.api.sessionProbe();
  notVerifiedUnless(request !== undefined, 'the profile has no request that tells a live session from none: set session.currentUser');
  const res = await session.probe();
  const asked = `${request!.method} ${request!.path}`;
  if (!res.ok) return { res, isIdentity: false, asked };
  if (!session.api.has('currentUser')) return { res, isIdentity: undefined, asked };
  return { res, isIdentity: answersAs(singleObject<Row>(res), identity), asked };
}

/** For a passing check whose caller could only be shown live: says so on the report. */
export function noteUnidentified(answer: CallerAnswer): void {
  if (answer.res.ok && answer.isIdentity === undefined) {
    noteThat(`${answer.asked} showed the session live but not whose it is (no login or name in its answer)`);
  }
}
