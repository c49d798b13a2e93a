import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isSecretColumn } from '../../suites/support/secret-column.ts';

// [column name, holds credentials material?]
const cases: Array<[string, boolean]> = [
  // What a public profile must not show.
  ['email', true],
  ['email_address', true],
  ['emailAddress', true],
  ['e_mail', true],
  ['E-Mail', true],
  ['mail', true],
  ['password', true],
  ['password_hash', true],
  ['passwordHash', true],
  ['passwordhash', true], // an unquoted passwordHash, as PostgreSQL folds it
  ['hashed_password', true],
  ['pass_hash', true],
  ['pwd', true],
  ['password_digest', true],
  ['salt', true],
  ['password_salt', true],
  ['secret', true],
  ['otp_secret', true],
  ['api_token', true],
  ['apitoken', true],
  ['session_token', true],
  ['reset_tokens', true],
  ['api_key', true],
  ['private_key', true],
  ['password_encrypted', true],
  // Names that mention a secret but hold something else.
  ['email_verified', false],
  ['emailVerified', false],
  ['email_verified_at', false],
  ['password_changed_at', false],
  ['passwordchangedat', false],
  ['token_count', false],
  ['tokens_issued', false],
  ['secret_question_set', false],
  ['user_id', false],
  ['name', false],
  ['compass', false],
  ['gmail', false],
  ['cash', false],
  ['bypass', false],
  ['sort_key', false],
];

test('a column is secret by how its name ends', () => {
  for (const [name, secret] of cases) assert.equal(isSecretColumn(name), secret, name);
});
