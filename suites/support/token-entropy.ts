/**
 * Estimates the entropy of session tokens from a sample of them, seen only
 * from the outside. Values alone can refute a generator, never prove one:
 * the MD5 of a 32-bit counter looks as random as 128 random bits. So the
 * suite keeps two numbers apart:
 *
 * - the bits it CREDITS, a conservative lower estimate: per character
 *   position, the most-common-value min-entropy estimate of NIST SP 800-90B
 *   section 6.3.1 (an upper 99 % confidence bound on the probability of the
 *   most common symbol, so a position is credited less than it shows),
 *   summed over the positions every token has, and capped by the
 *   compression bound below;
 * - the bits the sample ALLOWS at most: the positions that vary, each at
 *   most log2 of the smallest alphabet holding every varying character, and
 *   the compression bound. Below a floor, that is evidence of a violation.
 *
 * The compression bound: deflate is a uniquely decodable code for the whole
 * sample, so its output is, but for a few bits of chance, no shorter than
 * the sample's Shannon entropy, which for independent tokens is the sample
 * size times one token's entropy, itself no less than its min-entropy. The
 * compressed size over the sample size is therefore an upper bound on the
 * bits of one token, sound in both uses: a cap on what is credited, and
 * evidence when it falls below a floor. It catches repeated structure that
 * position-by-position counting misses (a token that repeats its own halves).
 *
 * Any repeated token means 0 bits: with tokens of 64 bits or more a repeat in
 * a sample of hundreds is as good as impossible.
 */
import { deflateRawSync } from 'node:zlib';

export interface Alphabet {
  name: string;
  /** Symbols that carry information; padding such as base64's '=' is allowed but not counted. */
  size: number;
  pattern: RegExp;
}

/** Smallest first: the upper bound uses the first alphabet that holds every varying character. */
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

/** z for a one-sided 99 % upper confidence bound, as SP 800-90B section 6.3.1 uses. */
const Z_99 = 2.576;

/**
 * Min-entropy, in bits, credited to one position whose most common symbol
 * was seen `count` times in `n` tokens (SP 800-90B section 6.3.1).
 */
export function mcvBits(count: number, n: number): number {
  if (n < 2) return 0;
  const p = count / n;
  const upper = Math.min(1, p + Z_99 * Math.sqrt((p * (1 - p)) / (n - 1)));
  return upper >= 1 ? 0 : -Math.log2(upper);
}

/**
 * The most a sample of `n` tokens of `length` characters can be credited,
 * even if every token were perfect: at best each position's most common
 * symbol is seen once, and the confidence bound still charges for the
 * sample's size.
 */
export function creditableBits(n: number, length: number): number {
  return length * mcvBits(1, n);
}

export interface EntropyEstimate {
  /** Tokens in the sample. */
  samples: number;
  /** False when some token repeats: the estimate is then 0 bits. */
  distinct: boolean;
  /** Positions counted: the length of the shortest token (longer tokens' extra characters are not credited). */
  positions: number;
  /** Positions where every token has the same character: constant, 0 bits wherever they are. */
  constantPositions: number;
  /** The smallest named alphabet holding every character at a varying position. */
  alphabet: Alphabet;
  /** Sum over positions of the most-common-value estimate. */
  mcvBits: number;
  /** Deflated size of the sample, in bits, per token: an upper bound on one token's entropy. */
  compressionBits: number;
  /** What is credited: the smaller of the two above, 0 when a token repeats. */
  bits: number;
  /** The most the sample allows: varying positions × log2(alphabet), or the compression bound if smaller; 0 on a repeat. */
  upperBits: number;
  /** The most this sample size could credit to perfect tokens of this length. */
  creditableBits: number;
}

function positionCounts(tokens: string[], positions: number): Array<Map<string, number>> {
  const counts = Array.from({ length: positions }, () => new Map<string, number>());
  for (const token of tokens) {
    for (let i = 0; i < positions; i += 1) counts[i].set(token[i], (counts[i].get(token[i]) ?? 0) + 1);
  }
  return counts;
}

/** Deflated bits per token. A newline (never in a cookie value) keeps the tokens apart, so the sample stays decodable. */
function compressionBound(tokens: string[]): number {
  const deflated = deflateRawSync(Buffer.from(tokens.join('\n'), 'utf8'), { level: 9, memLevel: 9 });
  return (deflated.length * 8) / tokens.length;
}

export function estimateEntropy(tokens: string[]): EntropyEstimate {
  const n = tokens.length;
  const distinct = new Set(tokens).size === n;
  const positions = n ? Math.min(...tokens.map((t) => t.length)) : 0;
  const counts = positionCounts(tokens, positions);
  const varying = counts.map((c, i) => (c.size > 1 ? i : -1)).filter((i) => i >= 0);
  const varyingText = tokens.map((t) => varying.map((i) => t[i]).join('')).join('');
  const alphabet = ALPHABETS.find((a) => a.pattern.test(varyingText)) ?? ALPHABETS[ALPHABETS.length - 1];
  const mcv = counts.reduce((sum, c) => sum + mcvBits(Math.max(0, ...c.values()), n), 0);
  const compressionBits = n ? compressionBound(tokens) : 0;
  const structural = varying.length * Math.log2(alphabet.size);
  return {
    samples: n,
    distinct,
    positions,
    constantPositions: positions - varying.length,
    alphabet,
    mcvBits: mcv,
    compressionBits,
    bits: distinct ? Math.min(mcv, compressionBits) : 0,
    upperBits: distinct ? Math.min(structural, compressionBits) : 0,
    creditableBits: creditableBits(n, positions),
  };
}

/**
 * What a sample says about a floor of `floor` bits:
 * - 'fail': a token repeats, or the sample allows fewer bits than the floor;
 * - 'too-small': even perfect tokens could not be credited the floor with this sample;
 * - 'pass': the conservative estimate reaches the floor;
 * - 'inconclusive': the estimate falls short, but nothing shows the tokens do.
 */
export type EntropyJudgement = 'pass' | 'fail' | 'too-small' | 'inconclusive';

export function judgeEntropy(e: EntropyEstimate, floor: number): EntropyJudgement {
  if (!e.distinct) return 'fail';
  if (e.samples < 2) return 'too-small'; // nothing varies in one token: no bound says anything
  if (e.creditableBits < floor) return 'too-small';
  if (e.bits >= floor) return 'pass';
  if (e.upperBits < floor) return 'fail';
  return 'inconclusive';
}

/** One line for a report: never the tokens themselves. */
export function describeEstimate(e: EntropyEstimate): string {
  if (!e.distinct) return `${e.samples} tokens, not all distinct: 0 bits`;
  const bits = (x: number) => Math.floor(x);
  return (
    `${e.samples} distinct tokens of at least ${e.positions} characters, ${e.constantPositions} of them constant, ` +
    `the rest ${e.alphabet.name} (${e.alphabet.size} symbols); credited ${bits(e.bits)} bits ` +
    `(most-common-value estimate ${bits(e.mcvBits)}, compression bound ${bits(e.compressionBits)}); ` +
    `the sample allows at most ${bits(e.upperBits)} bits; a sample of this size can credit at most ${bits(e.creditableBits)} bits`
  );
}
