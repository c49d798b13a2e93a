/**
 * Tokens an attacker can make without knowing a live one. Pure functions, so
 * the shapes are testable apart from any server.
 */
import { randomBytes } from 'node:crypto';

const KINDS = ['0123456789', 'abcdefghijklmnopqrstuvwxyz', 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'];

/**
 * A token with a real one's shape (each digit, lower- and upper-case letter
 * replaced by a random one of its kind, everything else kept): a server that
 * checks only the shape accepts it, but no session has it.
 */
export function forgeLike(real: string): string {
  const noise = randomBytes(real.length);
  return [...real]
    .map((ch, i) => {
      const kind = KINDS.find((k) => k.includes(ch));
      return kind ? kind[noise[i] % kind.length] : ch;
    })
    .join('');
}

/** The token with the case of every letter flipped: same letters, a different token. */
export function swapCase(token: string): string {
  return [...token].map((ch) => (ch === ch.toLowerCase() ? ch.toUpperCase() : ch.toLowerCase())).join('');
}

/**
 * Text as the latin1 string whose char codes are its UTF-8 bytes: Node's fetch
 * accepts only such ByteStrings in header values, and sends them byte for byte.
 */
export function utf8Bytes(text: string): string {
  return Buffer.from(text, 'utf8').toString('latin1');
}
