/**
 * Escaping, one helper per target language: regular expressions, POSIX shell
 * words, HTML/XML and Markdown table cells.
 *
 * For the reports, everything can come from the deployment under test
 * (response bodies, headers), so every value is escaped, and characters XML
 * 1.0 forbids are replaced: a hostile body must not break the page or make
 * junit.xml unreadable.
 */

/** A literal string inside a regular expression (JavaScript's, and PostgreSQL's for these characters). */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** One shell word, always single-quoted: what a copied curl line needs. */
export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, "'\\''")}'`;
}

/** One shell word, quoted only when it has to be: keeps a printed command line short. */
export function shellWord(text: string): string {
  return /^[\w./:=@-]+$/.test(text) ? text : shellQuote(text);
}

// XML 1.0 allows tab, newline, carriage return and the rest from U+0020 up, minus surrogates halves alone and U+FFFE/U+FFFF.
const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Text with no markup: what HTML, XML and a Markdown cell (GitHub renders HTML in job summaries) all need. */
function withoutMarkup(value: unknown): string {
  return String(value ?? '')
    .replace(FORBIDDEN, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

/** Text and attribute values for HTML and XML. */
export function escapeXml(value: unknown): string {
  return withoutMarkup(value).replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** A URL for an href: only http(s), anything else becomes inert. */
export function safeHref(url: string): string {
  return /^https?:\/\//i.test(url) ? escapeXml(url) : '#';
}

/** A Markdown table cell: no line breaks, no pipes, no HTML. */
export function markdownCell(value: unknown): string {
  return withoutMarkup(value).replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');
}
