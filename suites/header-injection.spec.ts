/**
 * Header injection: text a user controls never shapes a response header.
 * Each payload carries a marker (conformance-injected) in the place an
 * injected header, cookie or cookie attribute would take; the check then
 * looks for the marker among the header names and Set-Cookie lines, so a
 * deployment that merely echoes the text in a body, or refuses it with a
 * 4xx, is never blamed. Every payload goes into every identity field the
 * register template has (login identifier, name), at registration and then
 * at login.
 */
import type { Session } from '../fixtures/api.ts';
import type { HttpResponse } from '../fixtures/http.ts';
import { newIdentity, type Identity } from '../fixtures/identities.ts';
import { cites, precondition, verify } from '../fixtures/requirements.ts';
import { test } from '../fixtures/test.ts';

const MARKER = /conformance[-_]injected/i;

/** Each payload breaks out of one way of building a header by hand. */
const PAYLOADS: Array<{ name: string; text: string }> = [
  { name: 'CR LF and a header line', text: 'a\r\nX-Conformance-Injected: 1' },
  { name: 'LF and a header line', text: 'a\nX-Conformance-Injected: 1' },
  { name: 'a quote and a JSON object (response.headers built by concatenation)', text: 'a"}, {"X-Conformance-Injected": "1' },
  { name: 'a lone quote and brace', text: 'a"}' },
  { name: 'a semicolon and a cookie attribute', text: 'a; Domain=conformance-injected.example' },
  { name: 'a comma and a second cookie', text: 'a, conformance_injected=1' },
];

/** Where user text goes: the identity's parts a register or login template uses. */
const FIELDS: Array<{ name: string; put: (identity: Identity, text: string) => Identity }> = [
  { name: 'login identifier', put: (i, text) => ({ ...i, email: i.email.replace('@', `${text}@`), username: `${i.username}${text}` }) },
  { name: 'name', put: (i, text) => ({ ...i, name: `${i.name}${text}` }) },
];

/** What of the marker the response's headers show: injected header names, or Set-Cookie lines carrying it. */
function injected(res: HttpResponse): string[] {
  return res.headers.filter(([name, value]) => MARKER.test(name) || (name.toLowerCase() === 'set-cookie' && MARKER.test(value))).map(([name]) => name);
}

async function judge(step: string, client: Session, send: () => Promise<HttpResponse>): Promise<void> {
  const res = await send();
  verify('robustness-no-header-injection', res.status < 500, {
    expected: `${step} answers without a server error`,
    actual: `${res.status} ${res.body.slice(0, 200)}`,
  });
  const found = injected(res);
  verify('robustness-no-header-injection', found.length === 0, {
    expected: `${step}: no header, cookie or cookie attribute from the user's text`,
    actual: `headers carrying the injected marker: ${found.join(', ')} (${client.sessionCookies(res).length} session cookie line(s))`,
  });
}

for (const field of FIELDS) {
  test(`robustness-no-header-injection: the ${field.name} shapes no header at register and login`, cites('robustness-no-header-injection'), async ({ anonymous }) => {
    // The control: a clean registration opens a session, so the deployment answered the calls below for real.
    const control = anonymous();
    const clean = await control.register(newIdentity('injection-control'));
    precondition(clean.ok && control.token !== undefined, `a clean registration answered ${clean.status} and opened no session`);
    for (const payload of PAYLOADS) {
      const identity = field.put(newIdentity('injection'), payload.text);
      const registering = anonymous();
      await judge(`register with ${payload.name} in the ${field.name}`, registering, () => registering.register(identity));
      const login = anonymous();
      await judge(`login with ${payload.name} in the ${field.name}`, login, () => login.login(identity));
    }
  });
}
