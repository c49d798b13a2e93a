/**
 * The project's one Set-Cookie parser. It reads raw header lines the way a user
 * agent does (RFC 6265 section 5.2; RFC 6265bis section 5.6), keeping what the
 * server actually declared: a client cookie jar would fill in defaults (a jar
 * may report SameSite=Lax for a cookie that declared none).
 */
import { parseDate } from 'tough-cookie';

export interface SetCookie {
  /** The header line as received. */
  raw: string;
  name: string;
  value: string;
  /** Attribute names as the server spelled them, in order. */
  attributeNames: string[];
  httpOnly: boolean;
  secure: boolean;
  /** The declared SameSite value, or undefined when the attribute is absent. */
  sameSite?: string;
  path?: string;
  domain?: string;
  /** Max-Age in seconds; NaN when present but not an integer. */
  maxAge?: number;
  /**
   * Expires as a user agent reads it (RFC 6265 section 5.1.1); an invalid Date
   * when present but unparseable, as a browser ignores it then.
   */
  expires?: Date;
}

export function parseSetCookie(raw: string): SetCookie | undefined {
  const [pair, ...attributes] = raw.split(';');
  const eq = pair.indexOf('=');
  if (eq < 0) return undefined; // no name-value pair: a user agent ignores the line
  const cookie: SetCookie = {
    raw,
    name: pair.slice(0, eq).trim(),
    value: pair.slice(eq + 1).trim(),
    attributeNames: [],
    httpOnly: false,
    secure: false,
  };
  for (const attribute of attributes) {
    const i = attribute.indexOf('=');
    const key = (i < 0 ? attribute : attribute.slice(0, i)).trim();
    const value = i < 0 ? '' : attribute.slice(i + 1).trim();
    if (!key) continue;
    cookie.attributeNames.push(key);
    // Attribute names are case-insensitive; a repeated attribute: the last wins.
    switch (key.toLowerCase()) {
      case 'httponly':
        cookie.httpOnly = true;
        break;
      case 'secure':
        cookie.secure = true;
        break;
      case 'samesite':
        cookie.sameSite = value;
        break;
      case 'path':
        cookie.path = value;
        break;
      case 'domain':
        cookie.domain = value;
        break;
      case 'max-age':
        cookie.maxAge = /^-?\d+$/.test(value) ? Number(value) : Number.NaN;
        break;
      case 'expires':
        cookie.expires = cookieDate(value);
        break;
    }
  }
  return cookie;
}

/**
 * A cookie date by the algorithm of RFC 6265 section 5.1.1, which browsers
 * follow, and not Date's own parser, which reads far more (an ISO timestamp
 * such as PostgreSQL prints) than any browser accepts. tough-cookie implements
 * that algorithm; what it rejects becomes an invalid Date.
 */
export function cookieDate(text: string): Date {
  return parseDate(text) ?? new Date(Number.NaN);
}

/** All Set-Cookie lines of a response for one cookie name. */
export function cookiesNamed(lines: string[], name: string): SetCookie[] {
  return lines.map(parseSetCookie).filter((c): c is SetCookie => c?.name === name);
}

/**
 * Does this Set-Cookie remove the cookie? Max-Age of zero or less, or an
 * Expires in the past (RFC 6265 section 3.1; Max-Age wins when both are given).
 */
export function isDeletion(cookie: SetCookie, now = Date.now()): boolean {
  if (cookie.maxAge !== undefined && !Number.isNaN(cookie.maxAge)) return cookie.maxAge <= 0;
  if (cookie.expires && !Number.isNaN(cookie.expires.getTime())) return cookie.expires.getTime() <= now;
  return false;
}

/** Seconds this cookie lives from `now`, or undefined for a session cookie. */
export function lifetimeSeconds(cookie: SetCookie, now = Date.now()): number | undefined {
  if (cookie.maxAge !== undefined && !Number.isNaN(cookie.maxAge)) return cookie.maxAge;
  if (cookie.expires && !Number.isNaN(cookie.expires.getTime())) return (cookie.expires.getTime() - now) / 1000;
  return undefined;
}

/** RFC 6265 section 4.1.1 cookie-octets, optionally wrapped in double quotes. */
export function isValidCookieValue(value: string): boolean {
  const inner = /^".*"$/.test(value) ? value.slice(1, -1) : value;
  return /^[\x21\x23-\x2B\x2D-\x3A\x3C-\x5B\x5D-\x7E]*$/.test(inner);
}
