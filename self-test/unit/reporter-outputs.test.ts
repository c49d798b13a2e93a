import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { addSecret } from '../../lib/redact.ts';
import { renderConsoleSummary } from '../../reporter/console.ts';
import { renderHtml } from '../../reporter/html.ts';
import { renderJunit } from '../../reporter/junit.ts';
import { REPORT_FILES, scrubFolder, writeReport } from '../../reporter/outputs.ts';
import { assertValidReport } from '../../reporter/report.ts';
import { removeRunFolder } from '../../reporter/run-folder.ts';
import { renderSummary } from '../../reporter/summary.ts';
import { reasonsText } from '../../reporter/status-label.ts';
import { registry } from '../../spec/registry.ts';
import { PLANTED_TOKEN, sampleReport } from './reporter-sample.ts';

test('a built report matches spec/report.schema.json', () => {
  const report = sampleReport();
  assertValidReport(report);
  assert.equal(report.requirements.length, registry.requirements.length);
  const httponly = report.requirements.find((r) => r.id === 'cookie-httponly')!;
  assert.equal(httponly.status, 'fail');
  assert.equal(httponly.evidence.length, 1);
  assert.match(httponly.evidence[0].expected ?? '', /^HttpOnly /);
  assert.match(httponly.evidence[0].transcript ?? '', /server: postgrest/);
  assert.match(httponly.evidence[0].reproduce ?? '', /^curl /);
  assert.equal(httponly.tests[0].location, 'suites/sample.spec.ts:7');
});

test('the schema rejects a report that drifted', () => {
  const report = sampleReport() as unknown as { requirements: Array<Record<string, unknown>>; surprise?: boolean };
  report.requirements[0].status = 'maybe';
  report.surprise = true;
  assert.throws(() => assertValidReport(report), (e: Error) =>
    /\/requirements\/0\/status must be equal to one of the allowed values/.test(e.message) &&
    /\(top level\) must NOT have additional properties/.test(e.message));
});

test('without a violation attachment, expected and actual come from verify\'s message', () => {
  const report = sampleReport();
  const samesite = report.requirements.find((r) => r.id === 'cookie-samesite')!;
  assert.equal(samesite.evidence[0].expected, undefined);
  assert.match(samesite.evidence[0].error ?? '', /^Error: /);
});

test('HTML escapes everything that came from the deployment', () => {
  const html = renderHtml(sampleReport());
  assert.equal(html.match(/<script/g)?.length, 1, 'only the report\'s own script');
  assert.ok(!html.includes('<img'), 'no injected element');
  assert.ok(!html.includes('</pre><script'));
  assert.ok(html.includes('&lt;/pre&gt;&lt;script&gt;alert(&quot;x&quot;)'));
  assert.ok(!/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/.test(html), 'no control characters');
  assert.match(html, /Content-Security-Policy" content="default-src 'none'/);
  assert.ok(!/\b(src|href)="(?!#|https?:)/.test(html), 'loads nothing, links only to the web');
  assert.ok(!/<link|@import|url\(/.test(html), 'no external resources');
});

test('HTML lists every requirement once, grouped by category, failures open', () => {
  const html = renderHtml(sampleReport());
  for (const r of registry.requirements) assert.equal(html.split(`id="${r.id}"`).length, 2, r.id);
  assert.match(html, /<details class="req" id="cookie-httponly" data-status="fail" open>/);
  assert.match(html, /<details class="req" id="lifecycle-open" data-status="pass">/);
  for (const f of ['all', 'fail', 'not-verified', 'pass', 'not-applicable']) assert.match(html, new RegExp(`data-filter="${f}"`));
});

/** A small XML well-formedness check: balanced tags, quoted attributes, only known entities, no stray markup. */
function assertWellFormedXml(xml: string): void {
  assert.ok(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n'));
  assert.ok(!/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/.test(xml), 'no characters XML 1.0 forbids');
  const body = xml.slice(xml.indexOf('\n') + 1);
  const token = /<(\/?)([A-Za-z_][\w.-]*)((?:\s+[A-Za-z_][\w.-]*="[^"<&]*(?:&(?:amp|lt|gt|quot|#\d+);[^"<&]*)*")*)\s*(\/?)>|[<>]|&(?!(?:amp|lt|gt|quot|apos|#\d+);)/g;
  const stack: string[] = [];
  let roots = 0;
  for (const m of body.matchAll(token)) {
    if (!m[2]) assert.fail(`stray "${m[0]}" near: ${body.slice(Math.max(0, m.index! - 60), m.index! + 20)}`);
    if (m[1]) assert.equal(stack.pop(), m[2], `closing </${m[2]}>`);
    else {
      if (stack.length === 0) roots += 1;
      if (!m[4]) stack.push(m[2]);
    }
    const names = [...m[3].matchAll(/\s([\w.-]+)="[^"]*"/g)].map((a) => a[1]);
    assert.equal(new Set(names).size, names.length, `duplicate attribute in ${m[0].slice(0, 80)}`);
  }
  assert.deepEqual(stack, [], 'every element closed');
  assert.equal(roots, 1, 'one root element');
}

test('junit.xml is well-formed, one testcase per requirement, with properties', () => {
  const report = sampleReport(new Map());
  const xml = renderJunit(report);
  assertWellFormedXml(xml);
  assert.equal(xml.match(/<testcase classname="conformance\.(?!run)/g)?.length, registry.requirements.length);
  const categories = new Set(registry.requirements.map((r) => r.category));
  assert.equal(xml.match(/<testsuite /g)?.length, categories.size + 1, 'a suite per category, and one for run errors');
  assert.match(xml, /<property name="requirement" value="cookie-httponly"\/>\s*<property name="level" value="MUST"\/>/);
  assert.match(xml, /<property name="test" value="httponly &lt;b&gt;/);
  assert.match(xml, /<failure type="MUST-violation" message="cookie-httponly: expected HttpOnly/);
  assert.match(xml, /<testcase classname="conformance\.cookie" name="cookie-secure: [^"]*" time="[\d.]+">[^]*?<skipped message="not-applicable: https only"\/>/);
  assert.match(xml, /name="expiry-enforced: [^"]*"[^]*?<skipped message="not-verified: needs DATABASE_URL"\/>/);
  assert.match(xml, /<error message="setup: /);
  const failures = xml.match(/<failure /g)?.length;
  assert.equal(failures, report.counts.fail);
  assert.match(xml, new RegExp(`<testsuites [^>]*failures="${failures}"`));
});

test('junit.xml: an expected failure is skipped, an unexpected pass is a failure', () => {
  const xml = renderJunit(sampleReport(new Map([['cookie-samesite', 'tracked'], ['lifecycle-open', 'thought broken']])));
  assertWellFormedXml(xml);
  assert.match(xml, /name="cookie-samesite: [^"]*"[^]*?<skipped message="expected failure: tracked"\/>/);
  assert.match(xml, /name="lifecycle-open: [^"]*"[^]*?<failure type="unexpected-pass"/);
});

test('summary.md lists only failing and not-verified requirements, escaped', () => {
  const md = renderSummary(sampleReport(new Map()));
  assert.match(md, /^### ❌ PostgREST cookie-session conformance: \*\*non-conformant\*\*/);
  const rows = md.split('\n').filter((l) => /^\| (fail|not verified|expected failure|unexpected pass) \|/.test(l));
  const report = sampleReport(new Map());
  assert.equal(rows.length, report.counts.fail + report.counts['not-verified']);
  assert.ok(!md.includes('<script'));
  for (const row of rows) assert.equal(row.split(/(?<!\\)\|/).length, 7, `a row has five cells: ${row}`);
  assert.ok(!md.includes('`lifecycle-open`'), 'passes are not listed');
});

test('console table names failing requirements and the verdict', () => {
  const text = renderConsoleSummary(sampleReport(new Map()), ['r/index.html']);
  assert.match(text, /FAIL   MUST   cookie-httponly/);
  assert.match(text, /\n {4}expected: HttpOnly/);
  assert.match(text, /Verdict: NON-CONFORMANT/);
  assert.match(text, /Report: r\/index.html/);
});

test('a long unbroken reason is cut short in the console table and wraps on the page', () => {
  const report = sampleReport(new Map());
  const replayPath = Array(400).fill('0').join(':');
  report.requirements.find((r) => r.id === 'expiry-enforced')!.reasons = [`error: stopped at path ${replayPath}`];
  const text = renderConsoleSummary(report, ['r/index.html']);
  const line = text.split('\n').find((l) => l.includes('expiry-enforced'))!;
  assert.ok(line.length < 300, `the line is ${line.length} characters long`);
  assert.match(line, /…\)$/);
  assert.match(text, /Report: r\/index.html \(in full where/);
  const html = renderHtml(report);
  assert.ok(html.includes(replayPath), 'the page has the reason in full');
  assert.match(html, /\nbody\{[^}]*overflow-wrap:anywhere/);
});

test('a planted token reaches none of the outputs', () => {
  addSecret(PLANTED_TOKEN);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'report-'));
  try {
    // The report is built unredacted here: writeReport must redact on its own.
    const report = sampleReport();
    assert.ok(JSON.stringify(report).includes(PLANTED_TOKEN), 'the sample does carry the token');
    writeReport(dir, report);
    for (const name of REPORT_FILES) {
      const text = readFileSync(path.join(dir, name), 'utf8');
      assert.ok(!text.includes(PLANTED_TOKEN), `${name} holds the token`);
      assert.ok(text.includes('[redacted]'), `${name} shows where it was`);
    }
    assert.ok(!renderConsoleSummary(JSON.parse(readFileSync(path.join(dir, 'report.json'), 'utf8'))).includes(PLANTED_TOKEN));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the folder scan masks a secret that slipped into any file, binary too', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'report-'));
  try {
    mkdirSync(path.join(dir, 'test-results'));
    const binary = Buffer.concat([Buffer.from([0, 255, 1]), Buffer.from(PLANTED_TOKEN), Buffer.from([254, 0])]);
    writeFileSync(path.join(dir, 'test-results', 'blob.bin'), binary);
    writeFileSync(path.join(dir, 'clean.txt'), 'nothing here');
    const fixed = scrubFolder(dir, [PLANTED_TOKEN]);
    assert.deepEqual(fixed, [path.join(dir, 'test-results', 'blob.bin')]);
    const after = readFileSync(path.join(dir, 'test-results', 'blob.bin'));
    assert.deepEqual([...after.subarray(0, 3)], [0, 255, 1]);
    assert.equal(after.subarray(3, -2).toString(), '[redacted]');
    assert.deepEqual([...after.subarray(-2)], [254, 0]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the run folder is removed, and only a folder the suite made is removed whole', () => {
  const ours = mkdtempSync(path.join(os.tmpdir(), 'conformance-run-'));
  writeFileSync(path.join(ours, 'secrets.jsonl'), '"x"\n');
  removeRunFolder({ CONFORMANCE_RUN_DIR: ours });
  assert.ok(!existsSync(ours));

  const theirs = mkdtempSync(path.join(os.tmpdir(), 'elsewhere-'));
  try {
    const secrets = path.join(theirs, 'secrets.jsonl');
    writeFileSync(secrets, '"x"\n');
    writeFileSync(path.join(theirs, 'keep.txt'), 'keep');
    removeRunFolder({ CONFORMANCE_RUN_DIR: theirs, CONFORMANCE_SECRETS_FILE: secrets });
    assert.ok(!existsSync(secrets));
    assert.ok(existsSync(path.join(theirs, 'keep.txt')));
  } finally {
    rmSync(theirs, { recursive: true, force: true });
  }
});

test('a passing requirement\'s reasons read as the parts not checked, never as why it passed', () => {
  assert.equal(reasonsText({ status: 'pass', reasons: ['no refresh endpoint', 'no users listing'] }), 'checked in part: no refresh endpoint; no users listing');
  assert.equal(reasonsText({ status: 'pass', reasons: [] }), '');
  assert.equal(reasonsText({ status: 'not-applicable', reasons: ['no refresh endpoint'] }), 'no refresh endpoint');
});
