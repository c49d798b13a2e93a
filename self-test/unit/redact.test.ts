import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addSecret, containsPasswordHash, PASSWORD_PREFIX, redact, redactDeep } from '../../lib/redact.ts';

test('known secrets, generated passwords, hashes and cookie values are masked', () => {
  addSecret('Zk3_token_value_0123456789abcdefghijklmnopq');
  const text = [
    'body: {"t":"Zk3_token_value_0123456789abcdefghijklmnopq"}',
    `password ${PASSWORD_PREFIX}abcDEF123_-`,
    'hash $2a$04$abcdefghijklmnopqrstuuABCDEFGHIJKLMNOPQRSTUVWXYZ01234',
    'Cookie: session_token=anything-at-all; other=1',
    'set-cookie: session_token=xyz; Path=/',
  ].join('\n');
  const out = redact(text);
  for (const leaked of ['Zk3_token', 'abcDEF123', '$2a$04$', 'anything-at-all', 'xyz;']) assert.ok(!out.includes(leaked), `${leaked} leaked: ${out}`);
  assert.ok(out.includes('other=1'), 'other cookies stay');
});

test('a cookie described by its length stays readable; the value next to it is still masked', () => {
  const described = 'session_token=<43 characters>; Path=/; HttpOnly';
  assert.equal(redact(described), described);
  assert.equal(redact(`expected: HttpOnly\nactual: ${described}`), `expected: HttpOnly\nactual: ${described}`);
  assert.equal(redact('Cookie: session_token=<43abc; a=1'), 'Cookie: session_token=[redacted]; a=1');
  assert.equal(redact('session_token=<43 characters>, then session_token=abc'), 'session_token=<43 characters>, then session_token=[redacted]');
  assert.equal(redact(redact('session_token=abcdef')), 'session_token=[redacted]', 'redacting twice changes nothing');
});

test('short strings are not treated as secrets', () => {
  addSecret('abc');
  assert.equal(redact('abc'), 'abc');
});

test('redactDeep masks nested strings', () => {
  addSecret('nested-secret-value-123');
  assert.deepEqual(redactDeep({ a: ['nested-secret-value-123'] }), { a: ['[redacted]'] });
});

/** Hashes of every scheme a deployment may store, each shaped as its library writes it. */
const HASHES: Array<[scheme: string, hash: string]> = [
  ['bcrypt', '$2b$05$abcdefghijklmnopqrstuuoXuKqgZXLiJqzfmMXDDhSFPIvxV7t8.'],
  ['bcrypt (pgcrypto)', '$2a$04$abcdefghijklmnopqrstuuABCDEFGHIJKLMNOPQRSTUVWXYZ01234'],
  ['SHA-512 crypt', '$6$rounds=5000$saltsalt$8iYtNHxjWRl.NF6oNZ5tF.iKFlQREaXBLlSmZKP6dy9l5z3vsooWNW0/GZ6Nej73/TFug6pIPSqbJoCT6dfnj.'],
  ['argon2id', '$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$Rdescudvjcsgt3ubB+b+dWRWJTmaaJObGk5Vv1t1CsY'],
  ['argon2i without version', '$argon2i$m=4096,t=3,p=1$c29tZXNhbHQ$iWh06vD8Fy27wf9npn6FXWiCX4K6pW6Ue1Bnzz07Z8A'],
  ['scrypt (PHC)', '$scrypt$ln=16,r=8,p=1$aM15713r3Xsvxbi31lqr1Q$nFNh2CVHVjNldFVKDHDlm4CbdRSCdEBsjjJxD+iCs5E'],
  ['scrypt (crypt $7$)', '$7$CU..../....2aPgPbYmxuz/WqiF3M4Hd0$qedIbf.MVZr8UFIUo2L6DmquAfXcvxyL1wTdccBqI7/'],
  ['yescrypt', '$y$j9T$F5Jx5fExrKuPp53xLKQ..1$PmNgGTLMFjJn.URBv11CpTEm5RwlKtPjRtztKe6.b33'],
  ['gost-yescrypt', '$gy$j9T$saltsaltsalt$6u7F7yKCwx3ONqC6fY0X7KIokoKntGMgLIJg4i7S3m1'],
  ['PBKDF2 (passlib)', '$pbkdf2-sha256$29000$N2bMufe.V4rR.l8LobTW2g$8N6gWf3CZuhkPdsXgEx/J8bfVN6rTT/tU8l3GdM.ldY'],
  ['PBKDF2 (Django)', 'pbkdf2_sha256$600000$c2FsdDEyMzRzYWx0$0cHTcAzdkYXTBrZDRmnr6uJlikTkrybazuHwatRixiM='],
];

for (const [scheme, hash] of HASHES) {
  test(`a ${scheme} hash is recognised and redacted, bare and inside JSON`, () => {
    for (const text of [hash, JSON.stringify({ user_id: 1, password: hash })]) {
      assert.ok(containsPasswordHash(text), `${scheme} not recognised in ${text}`);
      const out = redact(text);
      assert.ok(!out.includes(hash.slice(-20)), `${scheme} digest leaked: ${out}`);
    }
  });
}

/** Text with dollar signs and hash-like words that is not a hash. */
const NOT_HASHES = [
  'price: $7$ or $8$',
  '{"note":"$y$ is the yescrypt prefix"}',
  '$argon2id$ with nothing after it',
  'pbkdf2_sha256 is Django\'s default',
  '$pbkdf2-sha256$29000$short$tooshort',
  'cnf-secret-0123456789abcdef0123456789abcdef',
];

for (const text of NOT_HASHES) {
  test(`not a password hash: ${text}`, () => assert.equal(containsPasswordHash(text), false));
}
