/**
 * The HTTP client's fault rules, against a local server that misbehaves on
 * cue: a read is tried once more after a network fault or a proxy's
 * 502/503/504, a write never is, and a fault that stands is a SuiteError
 * naming the request, never an answer of the deployment.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { HttpClient, transcriptOf, type ExchangeRecord } from '../../fixtures/http.ts';
import { SuiteError } from '../../fixtures/requirements.ts';
import { freePort } from '../../stack/ports.ts';

/** What the server does with each request it receives, in order: reset the connection, never answer, cut the body short, or answer a status. */
type Act = 'reset' | 'hang' | 'cut' | number;

let script: Act[] = [];
let received = 0;
const server = http.createServer((req, res) => {
  received += 1;
  const act = script.shift() ?? 200;
  if (act === 'reset') return req.socket.resetAndDestroy();
  if (act === 'hang') return;
  if (act === 'cut') {
    res.writeHead(200, { 'Content-Length': '100' });
    res.write('abc');
    setTimeout(() => req.socket.resetAndDestroy(), 20);
    return;
  }
  res.writeHead(act, { 'Content-Type': 'text/plain' }).end(`answer ${act}`);
});
let base = '';

before(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => {
  server.closeAllConnections();
  server.close();
});

const TIMING = { timeoutMs: 300, retryPauseMs: 10 };

interface Case {
  name: string;
  method: string;
  script: Act[];
  /** The status handed to the caller, or the kind of SuiteError thrown. */
  expect: number | 'network' | 'timeout';
  /** Attempts recorded (and requests the server saw). */
  attempts: number;
}

const CASES: Case[] = [
  { name: 'a read reset before any answer is tried again', method: 'GET', script: ['reset', 200], expect: 200, attempts: 2 },
  { name: 'a read cut off mid-body is tried again', method: 'GET', script: ['cut', 200], expect: 200, attempts: 2 },
  { name: "a read answered 503 (a proxy's answer) is tried again", method: 'GET', script: [503, 204], expect: 204, attempts: 2 },
  { name: "a 500 is the deployment's own answer: returned, not retried", method: 'GET', script: [500], expect: 500, attempts: 1 },
  { name: 'a 4xx is returned as it is', method: 'POST', script: [431], expect: 431, attempts: 1 },
  { name: 'a write reset before any answer is not repeated', method: 'POST', script: ['reset', 200], expect: 'network', attempts: 1 },
  { name: 'a write answered 502 is not repeated', method: 'PATCH', script: [502, 200], expect: 'network', attempts: 1 },
  { name: 'a read reset twice is a network fault', method: 'GET', script: ['reset', 'reset'], expect: 'network', attempts: 2 },
  { name: 'a HEAD answered 504 twice is a network fault', method: 'HEAD', script: [504, 504], expect: 'network', attempts: 2 },
  { name: 'a read with no answer twice is a timeout', method: 'GET', script: ['hang', 'hang'], expect: 'timeout', attempts: 2 },
  { name: 'a write with no answer is a timeout, not repeated', method: 'DELETE', script: ['hang'], expect: 'timeout', attempts: 1 },
];

for (const c of CASES) {
  test(c.name, async () => {
    script = [...c.script];
    received = 0;
    const log: ExchangeRecord[] = [];
    const client = new HttpClient(base, log, TIMING);
    const outcome = await client.request(c.method, '/rpc/probe').then(
      (res) => res.status,
      (error: unknown) => error,
    );
    if (typeof c.expect === 'number') {
      assert.equal(outcome, c.expect);
    } else {
      assert.ok(outcome instanceof SuiteError, `expected a SuiteError, got ${String(outcome)}`);
      assert.equal(outcome.kind, c.expect);
      const first = outcome.message.split('\n')[0];
      for (const part of [c.method, `${base}/rpc/probe`, "not the deployment's answer", 'run again']) assert.ok(first.includes(part), `"${part}" missing from: ${first}`);
      assert.match(first, c.attempts > 1 ? /on both attempts/ : /not retried/);
    }
    assert.equal(log.length, c.attempts, 'every attempt is recorded');
    assert.equal(received, c.attempts, 'requests the server received');
    const faulty = log.filter((r) => r.fault !== undefined).length;
    assert.equal(faulty, typeof c.expect === 'number' ? c.attempts - 1 : c.attempts, 'each faulty attempt says why it is not the answer');
  });
}

test('a connection refused is a network fault, tried again for a read', async () => {
  const log: ExchangeRecord[] = [];
  const closed = `http://127.0.0.1:${await freePort()}`;
  const error = await new HttpClient(closed, log, TIMING).get('/').catch((e: unknown) => e);
  assert.ok(error instanceof SuiteError && error.kind === 'network', String(error));
  assert.match(error.message, /ECONNREFUSED/);
  assert.equal(log.length, 2);
});

test('the record of a faulty attempt says what happened and keeps the session token out', async () => {
  script = [503, 'reset'];
  const token = 'Tok3nTok3nTok3nTok3nTok3nTok3n';
  const log: ExchangeRecord[] = [];
  const error = await new HttpClient(base, log, TIMING).get('/rpc/current_user', { headers: { Cookie: `session_token=${token}` } }).catch((e: unknown) => e);
  assert.ok(error instanceof SuiteError);
  assert.ok(!error.message.includes(token));
  const [answered, reset] = log.map((r) => transcriptOf(r));
  assert.match(answered, /< 503 /);
  assert.match(answered, /! network fault \(a 503 answer.*tried again/);
  assert.match(reset, /< no response: ECONNRESET/);
  assert.match(reset, /! network fault .*given up/);
  for (const t of [answered, reset]) assert.ok(!t.includes(token), t);
});
