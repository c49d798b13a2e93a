/**
 * bcrypt reads only the first 72 bytes of a password. A deployment that
 * hashes long passwords with it as they are accepts any text that starts
 * with the password's first 72 bytes. The check registers a password of
 * exactly 72 bytes (multi-byte characters included, so that a count in
 * characters instead of bytes shows too), logs in with it (the positive
 * control), then with longer texts sharing those 72 bytes: none may open a
 * session. A deployment whose registration refuses 72 bytes cannot
 * truncate at 72: the requirement does not apply.
 */
import { newIdentity, type Identity } from '../fixtures/identities.ts';
import { cites, notApplicableUnless, precondition, verify } from '../fixtures/requirements.ts';
import { test } from '../fixtures/test.ts';
import { isDeletion } from '../lib/set-cookie.ts';
import { addSecret } from '../lib/redact.ts';

const BCRYPT_BYTES = 72;
const bytes = (text: string) => Buffer.byteLength(text, 'utf8');

/** The identity's password padded to exactly 72 UTF-8 bytes, with two- and three-byte characters in it. */
function seventyTwoBytes(identity: Identity): string {
  let password = `${identity.password}é€`;
  while (bytes(password) + 3 <= BCRYPT_BYTES) password += '€';
  while (bytes(password) < BCRYPT_BYTES) password += 'x';
  return password;
}

/** Texts that share the first 72 bytes with the password and go on. */
const LONGER: Array<{ name: string; extend: (password: string) => string }> = [
  { name: 'one ASCII character more', extend: (p) => `${p}x` },
  { name: 'a three-byte character more', extend: (p) => `${p}€` },
  { name: 'forty characters more', extend: (p) => `${p}${'y'.repeat(40)}` },
];

test('lifecycle-password-whole: texts sharing the first 72 bytes of the password do not log in', cites('lifecycle-password-whole'), async ({ anonymous }) => {
  const base = newIdentity('long-password');
  const identity = { ...base, password: seventyTwoBytes(base) };
  addSecret(identity.password);
  const registering = anonymous();
  const registered = await registering.register(identity);
  notApplicableUnless(registered.ok, `registration refuses a password of ${BCRYPT_BYTES} bytes (${registered.status}): nothing past it can be cut off`);
  // The control: the password itself logs in, so a refusal below is about the extra bytes.
  const control = anonymous();
  const controlRes = await control.login(identity);
  precondition(controlRes.ok && control.token !== undefined, `login with the registered ${BCRYPT_BYTES}-byte password answered ${controlRes.status} and opened no session`);

  for (const longer of LONGER) {
    const attempt = { ...identity, password: longer.extend(identity.password) };
    addSecret(attempt.password);
    const client = anonymous();
    const res = await client.login(attempt);
    const opened = client.sessionCookies(res).filter((c) => !isDeletion(c));
    verify('lifecycle-password-whole', !(res.ok && opened.length > 0), {
      expected: `a login with the password and ${longer.name} (${bytes(attempt.password)} bytes) opens no session`,
      actual: `${res.status} with ${opened.length} session cookie(s)`,
    });
  }
});
