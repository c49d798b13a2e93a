/**
 * The self-test's resetting proxy, and the HTTP client through it: every
 * Nth new connection is reset, a read gets through on its retry, a write
 * that meets the reset is a network fault.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { HttpClient } from '../../fixtures/http.ts';
import { SuiteError } from '../../fixtures/requirements.ts';
import { startResetProxy } from '../reset-proxy.ts';

test('the proxy resets every Nth new connection; reads survive it, a write is a network fault', async () => {
  // Connection: close, so every request is a new connection to the proxy.
  const server = http.createServer((req, res) => res.writeHead(200, { Connection: 'close' }).end(`${req.method} ok`));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const proxy = await startResetProxy({ target: { host: '127.0.0.1', port: (server.address() as AddressInfo).port }, every: 3 });
  try {
    const client = new HttpClient(proxy.url, [], { retryPauseMs: 10 });
    for (let i = 0; i < 6; i++) assert.equal((await client.get('/')).body, 'GET ok');
    // 1, 2 pass; 3 is reset and its retry is 4; 5; 6 is reset and its retry is 7; 8.
    assert.deepEqual([proxy.connections, proxy.resets], [8, 2]);
    // 9 is reset and its retry is 10; 11; then the POST is 12, reset, and not repeated.
    await client.get('/');
    await client.get('/');
    await assert.rejects(client.post('/'), (e: unknown) => e instanceof SuiteError && e.kind === 'network' && /POST .*not retried/.test(e.message));
    assert.deepEqual([proxy.connections, proxy.resets], [12, 4]);
  } finally {
    await proxy.close();
    server.close();
  }
});
