/**
 * Does a column name say it holds credentials material (an e-mail address, a
 * password or its hash, a salt, a secret, a token)? Judged by how the name
 * ENDS, because that is where a name says what the column holds:
 * `password_hash` holds a hash, `password_changed_at` a time, `email_verified`
 * a flag, `token_count` a number. Only the last ones are harmless in a public
 * profile, and matching anywhere in the name flagged them all.
 *
 * A trailing word that only says in what form the thing is kept (`address`,
 * `value`, `encrypted`) is looked past: `email_address` is an e-mail.
 * PostgreSQL folds an unquoted `passwordHash` to `passwordhash`, so run-together
 * names are read too, but only with words long enough not to end a harmless
 * one (`pass` ends `compass`, `mail` ends `gmail`, `hash` ends `cash`).
 */

/** A name as lower-case words joined by '_': snake_case, kebab-case and camelCase alike. */
function asSnakeCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_|_$/g, '');
}

const SECRET_WORD = String.raw`(?:e_?mail|mail|password|passwd|passphrase|pwd|pass|hash|digest|salt|secret|token|api_?key|(?:private|secret|access|signing)_key)(?:e?s)?`;
const FORM_WORD = String.raw`(?:address|addr|value|plain|plaintext|encrypted|enc|cipher|ciphertext)`;
/** The last word names a secret, perhaps followed by words that only give its form. */
const BY_LAST_WORD = new RegExp(String.raw`(?:^|_)${SECRET_WORD}(?:_${FORM_WORD})*$`);
/** Run-together: a long secret word at the very end, or a password word followed by what is derived from it. */
const RUN_TOGETHER = /(?:(?:password|passwd|passphrase|email|token|secret|apikey)(?:hash|salt|digest|address|addr)?|(?:pass|pwd)(?:hash|salt|digest))(?:e?s)?$/;

export function isSecretColumn(name: string): boolean {
  const normalised = asSnakeCase(name);
  return BY_LAST_WORD.test(normalised) || RUN_TOGETHER.test(normalised);
}
