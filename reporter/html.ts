/**
 * index.html: the report for people. One self-contained file (inline CSS and
 * a few lines of script, a Content-Security-Policy that forbids loading
 * anything) that opens offline from a CI artifact. Every value is escaped:
 * response bodies and headers come from the deployment under test.
 */
import { categoriesOf, categoryTitle } from './categories.ts';
import { escapeXml as h, safeHref } from '../lib/escape.ts';
import type { Evidence } from './evidence.ts';
import { STATUSES, type Report, type ReportRequirement, type ReportTest } from './report.ts';
import { reasonsText, STATUS_LABEL } from './status-label.ts';
import type { RequirementStatus } from './verdict.ts';

const VERDICT_LABEL: Record<string, string> = {
  conformant: 'Conformant',
  'non-conformant': 'Non-conformant',
  inconclusive: 'Inconclusive',
};

const badge = (kind: string, text: string, title = '') => `<span class="badge ${kind}"${title ? ` title="${h(title)}"` : ''}>${h(text)}</span>`;

const statusBadge = (status: RequirementStatus) => badge(`st-${status}`, STATUS_LABEL[status].long);

function pre(text: string, cls = ''): string {
  return `<pre${cls ? ` class="${cls}"` : ''}>${h(text)}</pre>`;
}

function collapsible(summary: string, body: string, open = false): string {
  return `<details class="more"${open ? ' open' : ''}><summary>${h(summary)}</summary>${body}</details>`;
}

function evidenceBlock(e: Evidence): string {
  const parts = [`<div class="where">in <b>${h(e.test)}</b> <span class="loc">${h(e.location)} · ${h(e.project)}</span></div>`];
  if (e.expected !== undefined) {
    parts.push(
      `<div class="ea"><div class="ea-h">Expected</div>${pre(e.expected, 'exp')}<div class="ea-h">Actual</div>${pre(e.actual ?? '', 'act')}</div>`,
    );
  }
  if (e.error) parts.push(collapsible('Error', pre(e.error), e.expected === undefined));
  if (e.transcript) {
    const exchanges = e.transcript.split(/\n\n(?=> )/).length;
    parts.push(collapsible(`HTTP transcript (${exchanges} exchange${exchanges === 1 ? '' : 's'})`, pre(e.transcript, 'transcript')));
  }
  if (e.reproduce) parts.push(collapsible('Reproduce with curl', pre(e.reproduce, 'curl')));
  return `<div class="evidence">${parts.join('')}</div>`;
}

function testsTable(tests: ReportTest[]): string {
  if (tests.length === 0) return '<p class="muted">No test citing this requirement ran.</p>';
  const rows = tests.map(
    (t) =>
      `<tr><td>${statusBadge(t.status)}</td><td>${h(t.title)}</td><td class="loc">${h(t.location)}</td><td class="loc">${h(t.project)}</td><td class="muted">${h(t.reason ?? '')}</td></tr>`,
  );
  return `<table class="tests"><thead><tr><th></th><th>Test</th><th>Location</th><th>Project</th><th>Note</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function requirementBlock(r: ReportRequirement): string {
  const tags: string[] = [];
  if (r.unexpectedPass) tags.push(badge('tag-xpass', STATUS_LABEL.xpass.long, 'listed as an expected failure, but passed: fails the gate'));
  else if (r.expected && r.status === 'fail') tags.push(badge('tag-xfail', STATUS_LABEL.xfail.long, r.expectedReason ?? ''));
  else if (r.expected) tags.push(badge('tag-xfail', 'listed as expected failure', r.expectedReason ?? ''));
  if (!r.gating && r.status === 'fail') tags.push(badge('tag-info', 'does not gate', `${r.level} does not count towards the verdict unless strict`));
  const why = r.reasons.length ? `<span class="why">${h(reasonsText(r))}</span>` : '';
  const open = r.status === 'fail' || r.unexpectedPass;
  const refs = r.references.map((ref) => `<a href="${safeHref(ref.url)}" rel="noreferrer">${h(ref.label)}</a>`).join(' · ');
  const body = [
    `<p class="statement">${h(r.statement)}</p>`,
    r.unexpectedPass
      ? `<p class="note">Listed as an expected failure (${h(r.expectedReason ?? '')}), but it passed: remove it from the expectations file.</p>`
      : r.expected
        ? `<p class="note">Expected failure on this deployment: ${h(r.expectedReason ?? '')}</p>`
        : '',
    r.reasons.length ? `<p class="note">${h(reasonsText(r))}</p>` : '',
    ...r.evidence.map(evidenceBlock),
    testsTable(r.tests),
    refs ? `<p class="refs">References: ${refs}</p>` : '',
  ];
  return `<details class="req" id="${h(r.id)}" data-status="${h(r.status)}"${open ? ' open' : ''}>
<summary>${statusBadge(r.status)}${badge(`lv-${r.level}`, r.level)}<code class="id">${h(r.id)}</code><span class="title">${h(r.title)}</span>${tags.join('')}${why}</summary>
<div class="body">${body.join('')}</div></details>`;
}

function metadataList(report: Report): string {
  const m = report.metadata;
  const duration = `${(m.durationMs / 1000).toFixed(1)} s`;
  const time = (iso: string) => iso.replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
  const items: Array<[string, string | null]> = [
    ['Target', report.target.url ? `${report.target.description === report.target.url ? '' : `${report.target.description}, `}${report.target.url}` : report.target.description],
    ['PostgREST', m.postgrestVersion ?? (m.server ? m.server : 'unknown')],
    ['Capabilities', m.capabilities ? m.capabilities.join(', ') || 'none' : 'unknown'],
    ['Specification', `${m.specTitle} ${m.specVersion}`],
    ['Suite', `${m.suiteName} ${m.suiteVersion}`],
    ['Strict', m.strict ? 'yes: SHOULD counts as MUST' : 'no: only MUST decides the verdict'],
    ['Run', `${time(m.startTime)}, ${duration}`],
    ['Shard', m.merged ? 'merged from shards' : m.shard ? `${m.shard.current} of ${m.shard.total}` : null],
    ['FC_SEED', m.seeds.FC_SEED],
    ['Expectations', m.expectationsFile],
    ['Runner', `Playwright ${m.playwrightVersion}, Node ${m.nodeVersion}`],
  ];
  return `<dl class="meta">${items
    .filter(([, v]) => v !== null && v !== '')
    .map(([k, v]) => `<div><dt>${h(k)}</dt><dd>${h(v)}</dd></div>`)
    .join('')}</dl>`;
}

function gateLine(report: Report): string {
  const g = report.gate;
  const head = `Gate ${g.passed ? 'passed' : 'failed'} (exit status ${g.passed ? 0 : 1})`;
  if (!g.expectedFailures.length && !g.unexpectedPasses.length) return `${head}.`;
  const n = g.expectedFailures.length;
  const xpass = g.unexpectedPasses.length ? `; ${g.unexpectedPasses.length} listed requirement(s) passed unexpectedly` : '';
  return `${head}: without the ${n} expected failure${n === 1 ? '' : 's'} the verdict is ${g.verdict}${xpass}.`;
}

/** Links to what needs attention, in the banner: a long report starts with its failures. */
function attentionLine(report: Report): string {
  const link = (r: ReportRequirement) => `<a href="#${h(r.id)}">${h(r.id)}</a>`;
  const failed = report.requirements.filter((r) => r.status === 'fail' && !r.expected);
  const xpass = report.requirements.filter((r) => r.unexpectedPass);
  const lines = [];
  if (failed.length) lines.push(`Failed: ${failed.map(link).join(', ')}`);
  if (xpass.length) lines.push(`Passed unexpectedly: ${xpass.map(link).join(', ')}`);
  const xfail = report.requirements.filter((r) => r.status === 'fail' && r.expected);
  if (xfail.length) lines.push(`Expected failures: ${xfail.map(link).join(', ')}`);
  return lines.map((l) => `<div class="attention">${l}</div>`).join('');
}

export function renderHtml(report: Report): string {
  const c = report.counts;
  const chips = STATUSES.map((s) => `<span class="chip st-${s}${c[s] ? '' : ' zero'}"><b>${c[s]}</b> ${h(STATUS_LABEL[s].long)}</span>`).join('');
  const filters = [
    `<button type="button" data-filter="all" aria-pressed="true">All <span>${report.requirements.length}</span></button>`,
    ...STATUSES.map((s) => `<button type="button" data-filter="${s}" aria-pressed="false">${h(STATUS_LABEL[s].long)} <span>${c[s]}</span></button>`),
  ].join('');
  const categories = categoriesOf(report.requirements).map(({ category, items }) => {
    const counts = STATUSES.filter((s) => items.some((r) => r.status === s))
      .map((s) => `<span class="mini st-${s}">${items.filter((r) => r.status === s).length} ${h(STATUS_LABEL[s].long)}</span>`)
      .join('');
    return `<section class="category"><h2>${h(categoryTitle(category))} <span class="cat-counts">${counts}</span></h2>${items.map(requirementBlock).join('\n')}</section>`;
  });
  const errors = report.errors.length
    ? `<section class="errors"><h2>Run errors</h2><p>Problems outside any requirement: requirements they stopped are not verified.</p>${report.errors.map((e) => pre(e)).join('')}</section>`
    : '';
  const title = `${VERDICT_LABEL[report.verdict]}: ${report.target.description}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
<title>${h(title)}</title>
<style>${CSS}</style>
</head>
<body data-filter="all">
<header class="banner v-${h(report.verdict)}">
<div class="kicker">${h(report.metadata.specTitle)} · conformance report</div>
<h1>${h(VERDICT_LABEL[report.verdict])}</h1>
<div class="target">${h(report.target.description)}${report.target.url && report.target.url !== report.target.description ? ` · ${h(report.target.url)}` : ''}${report.metadata.postgrestVersion ? ` · PostgREST ${h(report.metadata.postgrestVersion)}` : ''}</div>
<div class="chips">${chips}</div>
${attentionLine(report)}
<div class="gate">${h(gateLine(report))}</div>
</header>
${metadataList(report)}
${errors}
<nav class="filter" aria-label="Filter by status">${filters}<span class="spacer"></span><button type="button" data-toggle="open">Expand all</button><button type="button" data-toggle="close">Collapse all</button></nav>
<main>
${categories.join('\n')}
</main>
<footer>Generated by ${h(report.metadata.suiteName)} ${h(report.metadata.suiteVersion)}. report.json holds the same data, machine-readable.</footer>
<script>${SCRIPT}</script>
</body>
</html>
`;
}

// overflow-wrap on the body: a long unbroken token (a replay path, a token-sized value) wraps instead of running off the page.
const CSS = `
:root{--fail:#b3261e;--pass:#1e7b34;--nv:#9a5b00;--na:#5f6368;--ink:#1f2328;--muted:#59636e;--line:#d0d7de;--bg:#f6f8fa}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:var(--ink);background:#fff;overflow-wrap:anywhere}
code,pre,.loc{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,"Liberation Mono",monospace}
.banner{padding:20px 28px 16px;color:#fff}
.banner.v-conformant{background:#1e7b34}.banner.v-non-conformant{background:#b3261e}.banner.v-inconclusive{background:#8a5300}
.kicker{opacity:.85;font-size:12px;text-transform:uppercase;letter-spacing:.06em}
h1{margin:2px 0 4px;font-size:30px}
.target{opacity:.95}
.chips{margin-top:12px;display:flex;gap:8px;flex-wrap:wrap}
.chip{background:rgba(255,255,255,.95);color:var(--ink);border-radius:14px;padding:2px 10px;border-left:6px solid}
.chip.zero{opacity:.6}.chip.st-fail{border-color:var(--fail)}.chip.st-pass{border-color:var(--pass)}.chip.st-not-verified{border-color:var(--nv)}.chip.st-not-applicable{border-color:var(--na)}
.gate{margin-top:8px;font-size:13px;opacity:.95}
.attention{margin-top:8px}.attention a{color:#fff;font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:13px}
.meta{display:grid;grid-template-columns:repeat(auto-fill,minmax(360px,1fr));gap:4px 28px;margin:0;padding:14px 28px;background:var(--bg);border-bottom:1px solid var(--line)}
.meta div{display:flex;gap:8px;min-width:0}.meta dt{color:var(--muted);min-width:104px;flex:none}.meta dd{margin:0;overflow-wrap:anywhere}
.errors{margin:16px 28px;padding:8px 16px;border:1px solid var(--fail);border-radius:6px;background:#fdf3f2}
.errors h2{font-size:16px;margin:6px 0}
.filter{display:none;position:sticky;top:0;z-index:1;gap:6px;padding:10px 28px;background:#fff;border-bottom:1px solid var(--line);align-items:center}
.js .filter{display:flex;flex-wrap:wrap}
.filter .spacer{flex:1}
.filter button{font:inherit;border:1px solid var(--line);background:#fff;border-radius:6px;padding:3px 10px;cursor:pointer}
.filter button span{color:var(--muted)}
.filter button[aria-pressed=true]{background:var(--ink);color:#fff;border-color:var(--ink)}.filter button[aria-pressed=true] span{color:#d0d7de}
main{padding:4px 28px 24px}
.category h2{font-size:17px;margin:22px 0 8px;padding-bottom:4px;border-bottom:1px solid var(--line)}
.cat-counts{font-weight:normal;font-size:12px;margin-left:8px}
.mini{margin-right:8px}.mini.st-fail{color:var(--fail)}.mini.st-pass{color:var(--pass)}.mini.st-not-verified{color:var(--nv)}.mini.st-not-applicable{color:var(--na)}
details.req{border:1px solid var(--line);border-radius:6px;margin:6px 0;background:#fff;scroll-margin-top:60px}
details.req[data-status=fail]{border-left:5px solid var(--fail)}details.req[data-status=pass]{border-left:5px solid var(--pass)}
details.req[data-status=not-verified]{border-left:5px solid var(--nv)}details.req[data-status=not-applicable]{border-left:5px solid var(--na)}
details.req>summary{cursor:pointer;padding:7px 10px;display:flex;gap:8px;align-items:baseline;flex-wrap:wrap;list-style-position:inside}
.id{font-size:13px;font-weight:600}
.title{flex:0 1 auto}
.why{color:var(--muted);font-size:12px;flex:1 1 200px;text-align:right}
.badge{display:inline-block;min-width:52px;text-align:center;font-size:11px;font-weight:600;text-transform:uppercase;border-radius:4px;padding:1px 6px;color:#fff}
.badge.st-fail{background:var(--fail)}.badge.st-pass{background:var(--pass)}.badge.st-not-verified{background:var(--nv)}.badge.st-not-applicable{background:var(--na)}
.badge.lv-MUST{background:#fff;color:var(--ink);border:1px solid var(--ink)}.badge.lv-SHOULD{background:#fff;color:#0b57d0;border:1px solid #0b57d0}.badge.lv-MAY{background:#fff;color:var(--na);border:1px solid var(--na)}
.badge.tag-xfail{background:#fff4d6;color:#6b4a00;text-transform:none}.badge.tag-xpass{background:#7b1fa2;text-transform:none}.badge.tag-info{background:#e8eaed;color:var(--ink);text-transform:none}
.body{padding:2px 14px 12px;border-top:1px solid var(--line)}
.statement{font-size:15px;margin:10px 0}
.note,.muted{color:var(--muted)}
.refs{font-size:12px;color:var(--muted)}.refs a{color:#0b57d0}
.evidence{border:1px solid #f0c4c0;background:#fffafa;border-radius:6px;padding:8px 12px;margin:10px 0}
.where{margin-bottom:6px}.loc{color:var(--muted);font-size:12px}
.ea{display:grid;grid-template-columns:80px 1fr;gap:4px 10px;align-items:start}
.ea-h{font-weight:600;padding-top:6px}
pre{margin:0;padding:6px 8px;background:var(--bg);border:1px solid var(--line);border-radius:4px;white-space:pre-wrap;overflow-wrap:anywhere;font-size:12px;max-height:420px;overflow:auto}
pre.exp{background:#eef6ee;border-color:#b7dcbc}pre.act{background:#fbeeed;border-color:#efc2bd}
details.more{margin-top:6px}details.more>summary{cursor:pointer;color:#0b57d0;font-size:13px}details.more>pre{margin-top:4px}
table.tests{border-collapse:collapse;width:100%;margin-top:8px;font-size:13px}
table.tests th{text-align:left;font-weight:600;color:var(--muted);font-size:12px;border-bottom:1px solid var(--line);padding:3px 6px}
table.tests td{border-bottom:1px solid #eaeef2;padding:3px 6px;vertical-align:top}
footer{color:var(--muted);font-size:12px;padding:12px 28px 24px;border-top:1px solid var(--line)}
body:not([data-filter=all]) details.req{display:none}
body[data-filter=fail] details.req[data-status=fail],body[data-filter=pass] details.req[data-status=pass],
body[data-filter=not-verified] details.req[data-status=not-verified],body[data-filter=not-applicable] details.req[data-status=not-applicable]{display:block}
section.category.empty{display:none}
`;

/** The status filter and expand/collapse buttons; without script every requirement shows. */
const SCRIPT = `
document.documentElement.classList.add('js');
(function () {
  var body = document.body;
  var buttons = document.querySelectorAll('.filter [data-filter]');
  function apply(filter) {
    body.setAttribute('data-filter', filter);
    buttons.forEach(function (b) { b.setAttribute('aria-pressed', String(b.getAttribute('data-filter') === filter)); });
    document.querySelectorAll('section.category').forEach(function (s) {
      var shown = filter === 'all' || s.querySelector('details.req[data-status="' + filter + '"]');
      s.classList.toggle('empty', !shown);
    });
  }
  buttons.forEach(function (b) { b.addEventListener('click', function () { apply(b.getAttribute('data-filter')); }); });
  // A link to a requirement (#id) shows it, opened, whatever the filter.
  function reveal() {
    var target = location.hash && document.getElementById(decodeURIComponent(location.hash.slice(1)));
    if (!target || !target.matches('details.req')) return;
    apply('all');
    target.open = true;
    target.scrollIntoView();
  }
  window.addEventListener('hashchange', reveal);
  reveal();
  document.querySelectorAll('.filter [data-toggle]').forEach(function (b) {
    b.addEventListener('click', function () {
      var open = b.getAttribute('data-toggle') === 'open';
      document.querySelectorAll('details.req').forEach(function (d) { d.open = open; });
    });
  });
})();
`;
