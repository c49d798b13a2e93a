/**
 * Escaping for the HTML and XML outputs. Everything in a report can come from
 * the deployment under test (response bodies, headers), so every value is
 * escaped, and characters XML 1.0 forbids are replaced: a hostile body must
 * not break the page or make junit.xml unreadable.
 */

// XML 1.0 allows tab, newline, carriage return and the rest from U+0020 up, minus surrogates halves alone and U+FFFE/U+FFFF.
const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Text and attribute values for HTML and XML. */
export function escapeXml(value: unknown): string {
  return String(value ?? '')
    .replace(FORBIDDEN, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** A URL for an href: only http(s), anything else becomes inert. */
export function safeHref(url: string): string {
  return /^https?:\/\//i.test(url) ? escapeXml(url) : '#';
}

/** A Markdown table cell: no line breaks, no pipes, no HTML (GitHub renders HTML in job summaries). */
export function markdownCell(value: unknown): string {
  return String(value ?? '')
    .replace(FORBIDDEN, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\r?\n/g, ' ')
    .replace(/\|/g, '\\|');
}
