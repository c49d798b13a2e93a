/**
 * Requests larger than a browser sends, and the answers that refuse them.
 * The hostile-cookie checks send such requests on purpose (a huge cookie, a
 * huge header), but a server, or a proxy in front of it, may turn them away
 * with a 4xx before the session hook sees them: no browser would ever send
 * them, so that refusal is a proper answer, not a violation. It must still
 * not be a server error, nor open a session.
 *
 * The one place that knows these limits; every check that sends a hostile
 * Cookie header asks here.
 */

/** RFC 6265bis 5.6: a user agent ignores a cookie whose name plus value is longer, so it never sends one. */
export const MAX_COOKIE_BYTES = 4096;
/** The longest header line common servers and proxies take by default (Apache 8190 bytes, nginx 8 KiB); browsers stay under it. */
export const MAX_HEADER_BYTES = 8192;
/** Bad Request, Content Too Large, URI Too Long, Request Header Fields Too Large, nginx's Request Header Too Large. */
export const OVERSIZE_REFUSALS: readonly number[] = [400, 413, 414, 431, 494];

/** Header values here are byte strings (one character per byte, as fetch sends them). */
const bytes = (s: string) => Buffer.byteLength(s, 'latin1');

/** Why these request headers are larger than a browser sends, or undefined when a browser could send them. */
export function beyondBrowserLimits(headers: Record<string, string>): string | undefined {
  for (const [name, value] of Object.entries(headers)) {
    const line = bytes(`${name}: ${value}`);
    if (line > MAX_HEADER_BYTES) return `a ${name} header of ${line} bytes, over the ${MAX_HEADER_BYTES} a browser sends`;
    if (name.toLowerCase() !== 'cookie') continue;
    for (const pair of value.split(';')) {
      const at = pair.indexOf('=');
      const size = at < 0 ? bytes(pair.trim()) : bytes(pair.slice(0, at).trim()) + bytes(pair.slice(at + 1).trim());
      if (size > MAX_COOKIE_BYTES) return `a cookie of ${size} bytes (name plus value), over the ${MAX_COOKIE_BYTES} a browser sends`;
    }
  }
  return undefined;
}

/**
 * Is this answer a proper refusal of an oversized request? Returns why the
 * request was oversized when it is (for the report), else undefined: the
 * answer is then judged like any other.
 */
export function oversizeRefusal(status: number, headers: Record<string, string>): string | undefined {
  return OVERSIZE_REFUSALS.includes(status) ? beyondBrowserLimits(headers) : undefined;
}
