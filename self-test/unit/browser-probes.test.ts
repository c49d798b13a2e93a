import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { cookieHeaderHas } from '../../fixtures/browser-user.ts';
import { autoSubmitForm, formTarget, htmlFormOf, probeOrigins, ProbeServer, PROBE_LABEL } from '../../fixtures/cross-site.ts';
import { parseDefect } from '../defects.ts';

test('a loopback deployment is attacked from the other loopback name, and from its own host on another port', () => {
  assert.deepEqual(probeOrigins('http://127.0.0.1:3000', 4000), {
    'cross-site': { relation: 'cross-site', origin: 'http://localhost:4000', servedBy: 'server' },
    'same-site': { relation: 'same-site', origin: 'http://127.0.0.1:4000', servedBy: 'server' },
  });
  const local = probeOrigins('http://localhost:3000/api', 4000);
  assert.equal(local['cross-site'].origin, 'http://127.0.0.1:4000');
  assert.equal(local['same-site'].origin, 'http://localhost:4000');
  assert.equal(probeOrigins('http://app.localhost:3000', 4000)['cross-site'].origin, 'http://127.0.0.1:4000');
});

test('a remote deployment gets a same-site sibling served by the browser itself, with the same scheme', () => {
  const staging = probeOrigins('https://staging.example.com', 4000);
  assert.deepEqual(staging['cross-site'], { relation: 'cross-site', origin: 'http://localhost:4000', servedBy: 'server' });
  assert.deepEqual(staging['same-site'], { relation: 'same-site', origin: `https://${PROBE_LABEL}.staging.example.com`, servedBy: 'route' });
  assert.equal(probeOrigins('http://api.internal:8080', 4000)['same-site'].origin, `http://${PROBE_LABEL}.api.internal:8080`);
  // An IP address has no sub-domains: the next port is the same site.
  assert.equal(probeOrigins('https://10.0.0.5', 4000)['same-site'].origin, 'https://10.0.0.5:444');
  assert.equal(probeOrigins('https://127.0.0.1:8443', 4000)['same-site'].origin, 'https://127.0.0.1:8444');
  assert.equal(probeOrigins('http://[::1]:3000', 4000)['same-site'].servedBy, 'route');
});

test('the attacking form posts form-encoded fields, escaped', () => {
  const html = autoSubmitForm('http://127.0.0.1:3000/todos?x=1&y=2', { description: '"><script>alert(1)</script>' });
  assert.match(html, /method="POST" action="http:\/\/127\.0\.0\.1:3000\/todos\?x=1&amp;y=2" enctype="application\/x-www-form-urlencoded"/);
  assert.match(html, /value="&quot;&gt;&lt;script&gt;alert\(1\)&lt;\/script&gt;"/);
  assert.match(html, /document\.forms\[0\]\.submit\(\)/);
});

test('a GET form puts its fields in the query', () => {
  assert.match(autoSubmitForm('http://127.0.0.1:3000/rpc/logout', { a: '1' }, 'GET'), /<form method="GET" action="http:\/\/127\.0\.0\.1:3000\/rpc\/logout"/);
  assert.equal(formTarget({ method: 'GET', action: '/api/rpc/logout', fields: { a: 'x y', b: '1' } }), '/api/rpc/logout?a=x+y&b=1');
  assert.equal(formTarget({ method: 'GET', action: '/api/rpc/logout', fields: {} }), '/api/rpc/logout');
  assert.equal(formTarget({ method: 'POST', action: '/api/notes?select=id', fields: { a: '1' } }), '/api/notes?select=id');
});

test('an API request becomes the form a page of any site could send, values as text', () => {
  // A POST's JSON object: one field per member; null cannot be sent and is left out.
  assert.deepEqual(htmlFormOf({ method: 'POST', path: '/api/notes', json: { body: 'hi', owner_id: 7, shared: false, tags: ['a'], gone: null } }), {
    method: 'POST',
    action: '/api/notes',
    fields: { body: 'hi', owner_id: '7', shared: 'false', tags: '["a"]' },
  });
  assert.deepEqual(htmlFormOf({ method: 'POST', path: '/rpc/logout' }), { method: 'POST', action: '/rpc/logout', fields: {} });
  // A GET's query arguments are its fields.
  assert.deepEqual(htmlFormOf({ method: 'GET', path: '/rpc/logout?p_all=true' }), { method: 'GET', action: '/rpc/logout', fields: { p_all: 'true' } });
  // What no form can send.
  assert.equal(htmlFormOf({ method: 'POST', path: '/rows', json: [{ a: 1 }] }), undefined);
  assert.equal(htmlFormOf({ method: 'PATCH', path: '/rows', json: { a: 1 } }), undefined);
});

test('a Cookie header or document.cookie is searched by whole cookie name', () => {
  assert.equal(cookieHeaderHas('a=1; session_token=x', 'session_token'), true);
  assert.equal(cookieHeaderHas('my_session_token=x', 'session_token'), false);
  assert.equal(cookieHeaderHas(undefined, 'session_token'), false);
  assert.equal(cookieHeaderHas('', 'session_token'), false);
});

test('the probe server serves published pages only, on loopback', async () => {
  const server = await ProbeServer.start();
  try {
    const page = server.publish('<p>hello</p>');
    const ok = await fetch(`http://127.0.0.1:${server.port}${page}`);
    assert.equal(ok.status, 200);
    assert.equal(await ok.text(), '<p>hello</p>');
    assert.equal((await fetch(`http://127.0.0.1:${server.port}/other`)).status, 404);
  } finally {
    await server.close();
  }
});

test('a defect may declare PostgREST settings', () => {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'defect-test-')), 'd.sql');
  writeFileSync(file, '-- about: x\n-- fails: browser-cross-origin-read\n-- postgrest: server-cors-allowed-origins=https://app.example.test\n');
  assert.deepEqual(parseDefect(file).postgrest, { 'server-cors-allowed-origins': 'https://app.example.test' });
});
