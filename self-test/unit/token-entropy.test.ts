import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { creditableBits, describeEstimate, estimateEntropy, judgeEntropy, mcvBits } from '../../suites/support/token-entropy.ts';
import { ENTROPY_SAMPLE_SIZE } from '../../suites/support/token-sample.ts';

const N = ENTROPY_SAMPLE_SIZE;
const sample = (n: number, make: (i: number) => string) => Array.from({ length: n }, (_, i) => make(i));
const base64url = (bytes: number) => randomBytes(bytes).toString('base64url');
const md5 = (text: string) => createHash('md5').update(text).digest('hex');
const judged = (tokens: string[]) => ({ must: judgeEntropy(estimateEntropy(tokens), 64), should: judgeEntropy(estimateEntropy(tokens), 128) });

test('mcvBits: SP 800-90B 6.3.1 upper bound on the most common value, as min-entropy', () => {
  // p = 0.5 of 101: p_u = 0.5 + 2.576 * sqrt(0.25 / 100) = 0.6288
  assert.ok(Math.abs(mcvBits(50.5, 101) - -Math.log2(0.6288)) < 1e-4);
  assert.equal(mcvBits(10, 10), 0); // constant position
  assert.equal(mcvBits(1, 1), 0); // one token shows nothing
  assert.ok(creditableBits(N, 43) > 250 && creditableBits(10, 43) < 64);
});

test('entropy: 32 random bytes as base64url (the reference) pass both floors by a wide margin', () => {
  const e = estimateEntropy(sample(N, () => base64url(32)));
  assert.equal(e.alphabet.name, 'base64url');
  assert.equal(e.constantPositions, 0);
  assert.ok(e.bits > 160 && e.bits < 185, String(e.bits));
  assert.ok(e.compressionBits > 250, String(e.compressionBits));
  assert.deepEqual(judged(sample(N, () => base64url(32))), { must: 'pass', should: 'pass' });
});

test('entropy: random parts around a constant middle count only the random parts, wherever the constant is', () => {
  const tokens = sample(N, () => {
    const r = base64url(15); // 20 characters, 120 bits
    return `${r.slice(0, 10)}v2-instance-7f3a-shard-${r.slice(10)}`; // the seeded defect token-constant-middle
  });
  const e = estimateEntropy(tokens);
  assert.equal(e.constantPositions, 23);
  assert.equal(e.upperBits, 120);
  assert.deepEqual(judged(tokens), { must: 'pass', should: 'fail' });
});

test('entropy: the seeded 48- and 96-bit token shapes (a constant prefix, then hex)', () => {
  assert.deepEqual(judged(sample(N, () => `sess${'0'.repeat(27)}${randomBytes(6).toString('hex')}`)), { must: 'fail', should: 'fail' });
  assert.deepEqual(judged(sample(N, () => `sess${'0'.repeat(15)}${randomBytes(12).toString('hex')}`)), { must: 'pass', should: 'fail' });
});

test('entropy: the MD5 of a 32-bit number is no longer credited 128 bits, though values alone cannot show it has 32', () => {
  for (const make of [(i: number) => md5(String(1_000_000 + i)), () => md5(String(randomBytes(4).readUInt32BE()))]) {
    const tokens = sample(N, make);
    const e = estimateEntropy(tokens);
    assert.ok(e.bits < 128, String(e.bits));
    // Looks like 128 random bits from outside: the SHOULD stays unsettled and the MUST passes; db-token-csprng is the check that can tell.
    assert.deepEqual(judged(tokens), { must: 'pass', should: 'inconclusive' });
  }
});

test('entropy: a token that repeats its own half is capped by the compression bound', () => {
  const tokens = sample(N, () => {
    const half = base64url(12); // 16 characters, 96 bits
    return half + half;
  });
  const e = estimateEntropy(tokens);
  assert.ok(e.mcvBits >= 120, String(e.mcvBits)); // position by position it looks like 32 random characters
  assert.ok(e.compressionBits < 128 && e.bits === e.compressionBits, String(e.compressionBits));
  assert.equal(judged(tokens).should, 'fail');
});

test('entropy: a repeated token means 0 bits, whatever its length', () => {
  const t = base64url(32);
  const tokens = [...sample(N - 1, () => base64url(32)), t, t];
  const e = estimateEntropy(tokens);
  assert.equal(e.distinct, false);
  assert.equal(e.bits, 0);
  assert.deepEqual(judged(tokens), { must: 'fail', should: 'fail' });
});

test('entropy: a sample too small to credit the floor even to perfect tokens is "too small", never a pass', () => {
  const tokens = sample(10, () => base64url(32));
  assert.deepEqual(judged(tokens), { must: 'too-small', should: 'too-small' });
  for (const few of [[], tokens.slice(0, 1)]) assert.deepEqual(judged(few), { must: 'too-small', should: 'too-small' });
  assert.match(describeEstimate(estimateEntropy(tokens)), /a sample of this size can credit at most \d+ bits/);
});

test('entropy: positions beyond the shortest token are not credited', () => {
  const tokens = sample(N, (i) => base64url(32).slice(0, i === 0 ? 12 : 43));
  assert.equal(estimateEntropy(tokens).positions, 12);
});

test('entropy: the description never holds a token', () => {
  const tokens = sample(N, () => base64url(32));
  const text = describeEstimate(estimateEntropy(tokens));
  assert.ok(!tokens.some((t) => text.includes(t) || text.includes(t.slice(0, 12))));
  assert.ok(!describeEstimate(estimateEntropy([tokens[0], tokens[0]])).includes(tokens[0]));
});
