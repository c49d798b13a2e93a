/**
 * Estimates the entropy of session tokens from a sample of them, seen only
 * from the outside. This is a conservative UPPER-BOUND heuristic, not a
 * measurement: it assumes every character that varies across the sample is
 * drawn uniformly from the smallest common alphabet that holds them all.
 * A token built from a counter, a timestamp or a weak generator can score
 * high and still be guessable; but a token that scores LOW certainly carries
 * no more than that, which is what a conformance check can assert.
 *
 * The steps: every token must be distinct (a repeat means zero entropy);
 * the prefix and suffix shared by the whole sample are constant, so they are
 * stripped; what is left is `length × log2(alphabet size)` bits, taking the
 * shortest token.
 */

export interface Alphabet {
  name: string;
  /** Symbols that carry information; padding such as base64's '=' is allowed but not counted. */
  size: number;
  pattern: RegExp;
}

/** Smallest first: the estimate uses the first alphabet that holds every varying character. */
export const ALPHABETS: Alphabet[] = [
  { name: 'decimal digits', size: 10, pattern: /^[0-9]*$/ },
  { name: 'hex (lower case)', size: 16, pattern: /^[0-9a-f]*$/ },
  { name: 'hex (upper case)', size: 16, pattern: /^[0-9A-F]*$/ },
  { name: 'base32', size: 32, pattern: /^[A-Z2-7=]*$/ },
  { name: 'lower-case letters and digits', size: 36, pattern: /^[0-9a-z]*$/ },
  { name: 'upper-case letters and digits', size: 36, pattern: /^[0-9A-Z]*$/ },
  { name: 'letters and digits', size: 62, pattern: /^[0-9A-Za-z]*$/ },
  { name: 'base64url', size: 64, pattern: /^[0-9A-Za-z_=-]*$/ },
  { name: 'base64', size: 64, pattern: /^[0-9A-Za-z+/=]*$/ },
  // Every RFC 6265 cookie-octet (printable ASCII less space, quote, comma, semicolon, backslash).
  { name: 'cookie octets', size: 90, pattern: /^[\x21\x23-\x2B\x2D-\x3A\x3C-\x5B\x5D-\x7E]*$/ },
  { name: 'any byte', size: 256, pattern: /^[\s\S]*$/ },
];

export interface EntropyEstimate {
  /** Tokens in the sample. */
  samples: number;
  /** False when some token repeats: the estimate is then 0 bits. */
  distinct: boolean;
  /** Characters every token shares at the start and at the end (stripped). */
  commonPrefix: number;
  commonSuffix: number;
  /** Length of the shortest token once the shared parts are stripped. */
  varyingLength: number;
  alphabet: Alphabet;
  bits: number;
}

function sharedPrefixLength(values: string[]): number {
  if (values.length === 0) return 0;
  const shortest = Math.min(...values.map((v) => v.length));
  let n = 0;
  while (n < shortest && values.every((v) => v[n] === values[0][n])) n += 1;
  return n;
}

const reversed = (s: string) => [...s].reverse().join('');

export function estimateEntropy(tokens: string[]): EntropyEstimate {
  const distinct = tokens.length > 0 && new Set(tokens).size === tokens.length;
  const commonPrefix = sharedPrefixLength(tokens);
  // The suffix is looked for in what the prefix left, so that the two never overlap.
  const rest = tokens.map((t) => t.slice(commonPrefix));
  const commonSuffix = sharedPrefixLength(rest.map(reversed));
  const varying = rest.map((t) => t.slice(0, t.length - commonSuffix));
  const varyingLength = varying.length ? Math.min(...varying.map((v) => v.length)) : 0;
  const all = varying.join('');
  const alphabet = ALPHABETS.find((a) => a.pattern.test(all)) ?? ALPHABETS[ALPHABETS.length - 1];
  const bits = distinct ? varyingLength * Math.log2(alphabet.size) : 0;
  return { samples: tokens.length, distinct, commonPrefix, commonSuffix, varyingLength, alphabet, bits };
}

/** One line for a report: never the tokens themselves. */
export function describeEstimate(e: EntropyEstimate): string {
  if (!e.distinct) return `${e.samples} tokens, not all distinct: 0 bits`;
  return (
    `${e.samples} distinct tokens; ${e.commonPrefix} shared leading and ${e.commonSuffix} shared trailing characters stripped; ` +
    `${e.varyingLength} varying characters of ${e.alphabet.name} (${e.alphabet.size} symbols): about ${Math.floor(e.bits)} bits`
  );
}
