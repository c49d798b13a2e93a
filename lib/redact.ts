/**
 * Redaction: no session token, password or password hash may reach a report,
 * log, attachment or console line. Three layers, all applied by `redact`:
 *   1. every secret the suite saw (issued tokens, passwords it chose), shared
 *      between worker processes and the reporter through a run-scoped file;
 *   2. the passwords the suite generates carry a recognisable prefix;
 *   3. shapes that are secret wherever they appear: password hashes (bcrypt,
 *      argon2, scrypt, yescrypt, PBKDF2, crypt(3)) and the value of any
 *      `Cookie`/`Set-Cookie` pair.
 */
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { escapeRegExp } from './escape.ts';

export const PASSWORD_PREFIX = 'cnf-pw-';
const MASK = '[redacted]';
const MIN_SECRET_LENGTH = 8;

const secrets = new Set<string>();

function secretsFile(): string | undefined {
  return process.env.CONFORMANCE_SECRETS_FILE || undefined;
}

/** Remembers a secret in this process and for the reporter. */
export function addSecret(value: string | undefined): void {
  if (!value || value.length < MIN_SECRET_LENGTH || secrets.has(value)) return;
  secrets.add(value);
  const file = secretsFile();
  if (file) appendFileSync(file, `${JSON.stringify(value)}\n`);
}

/** Loads secrets recorded by other processes (the reporter calls this). */
export function loadSecrets(): string[] {
  const file = secretsFile();
  if (file && existsSync(file)) {
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      if (!line) continue;
      try {
        const value = JSON.parse(line) as string;
        if (value.length >= MIN_SECRET_LENGTH) secrets.add(value);
      } catch {
        // a line cut short by a killed worker
      }
    }
  }
  return [...secrets];
}

/**
 * Password hashes: secret wherever they appear, and never to be served by an
 * endpoint. One shape per scheme a deployment may store (PHC strings, crypt(3)
 * and Django's format), each anchored on its identifier and needing a digest
 * of realistic length, so that ordinary text with dollar signs is not taken
 * for one.
 */
const B64 = '[A-Za-z0-9+/.]'; // base64, its crypt variant (./) and passlib's (.)
const PASSWORD_HASHES: RegExp[] = [
  /\$2[abxy]?\$\d{2}\$[./A-Za-z0-9]{53}/g, // bcrypt
  /\$(?:1|5|6|md5)\$(?:rounds=\d+\$)?[^\s"'$]{1,64}\$[./A-Za-z0-9]{20,}/g, // other crypt(3) hashes: MD5, SHA-256, SHA-512
  new RegExp(`\\$argon2(?:id|i|d)\\$(?:v=\\d+\\$)?m=\\d+,t=\\d+,p=\\d+(?:,[^$\\s"']*)?\\$${B64}+={0,2}\\$${B64}{16,}={0,2}`, 'g'), // argon2 (PHC)
  new RegExp(`\\$scrypt\\$[^$\\s"']*\\$${B64}+={0,2}\\$${B64}{16,}={0,2}`, 'g'), // scrypt (PHC, passlib)
  /\$7\$[./A-Za-z0-9]{11,}[^$\s"']*\$[./A-Za-z0-9]{43}/g, // scrypt (crypt(3), libsodium)
  /\$g?y\$[./A-Za-z0-9]+\$[./A-Za-z0-9]*\$[./A-Za-z0-9]{43}/g, // yescrypt, gost-yescrypt (crypt(3))
  new RegExp(`\\$pbkdf2(?:-sha(?:1|256|512))?\\$\\d+\\$${B64}+={0,2}\\$${B64}{20,}={0,2}`, 'g'), // PBKDF2 (passlib)
  new RegExp(`\\bpbkdf2_sha(?:1|256)\\$\\d+\\$[^$\\s"']+\\$${B64}{20,}={0,2}`, 'g'), // PBKDF2 (Django)
];

/** Does the text hold something shaped like a password hash? */
export function containsPasswordHash(text: string): boolean {
  return PASSWORD_HASHES.some((pattern) => new RegExp(pattern.source).test(text));
}

const SHAPES: Array<[RegExp, string]> = [
  ...PASSWORD_HASHES.map((pattern): [RegExp, string] => [pattern, MASK]),
  [new RegExp(`${escapeRegExp(PASSWORD_PREFIX)}[A-Za-z0-9_-]+`, 'g'), MASK],
];

/** Names of cookies whose values are secret in headers (set by the target config). */
const cookieNames = new Set<string>(['session_token']);
export function addSecretCookieName(name: string): void {
  cookieNames.add(name);
}

/**
 * How the suite's messages show a cookie without its value (suites/support/describe-cookie.ts):
 * `name=<43 characters>`. Not a value, so left whole: masking its first word would leave
 * `name=[redacted] characters>`, which reads as a leak.
 */
const VALUE_PLACEHOLDER = '<\\d+ characters>';

function redactCookiePairs(text: string): string {
  let out = text;
  for (const name of cookieNames) {
    // name=value up to a delimiter, in Cookie and Set-Cookie headers and curl lines.
    out = out.replace(new RegExp(`(${escapeRegExp(name)}=)(?!${VALUE_PLACEHOLDER})([^;,\\s"'\\\\]+)`, 'g'), `$1${MASK}`);
  }
  return out;
}

export function redact(text: string): string {
  let out = text;
  const known = [...secrets].sort((a, b) => b.length - a.length);
  for (const secret of known) out = out.split(secret).join(MASK);
  for (const [pattern, mask] of SHAPES) out = out.replace(pattern, mask);
  return redactCookiePairs(out);
}

/** Redacts every string inside a JSON-like value. */
export function redactDeep<T>(value: T): T {
  return JSON.parse(redact(JSON.stringify(value))) as T;
}
