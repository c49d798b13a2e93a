import assert from 'node:assert/strict';
import { test } from 'node:test';
import { argumentValue, exposedEndpoints, mergeEndpoints, readCall, writeCall, type Endpoint, type Fill } from '../../suites/support/openapi.ts';

/** The shapes PostgREST 11.2.2 and 12.0.2 emit (both alike), cut down to what the scan reads. */
const prop = (format: string, type?: string) => ({ format, ...(type ? { type } : {}) });
const DOC = {
  swagger: '2.0',
  paths: {
    '/': { get: { parameters: [] } },
    '/todos': { get: { parameters: [{ $ref: '#/parameters/select' }] }, post: { parameters: [] } },
    '/rpc/current_user': { get: { parameters: [] }, post: { parameters: [{ in: 'body', name: 'args', required: true, schema: { type: 'object', properties: {} } }] } },
    '/rpc/lookup': {
      get: {
        parameters: [
          { in: 'query', name: 'a', required: true, type: 'string', format: 'text' },
          { in: 'query', name: 'n', required: false, type: 'integer', format: 'integer' },
        ],
      },
      post: {
        parameters: [
          {
            in: 'body',
            name: 'args',
            required: true,
            schema: {
              type: 'object',
              required: ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k'],
              properties: {
                a: prop('text', 'string'),
                b: prop('bigint', 'integer'),
                c: prop('boolean', 'boolean'),
                d: prop('uuid', 'string'),
                e: prop('timestamp with time zone', 'string'),
                f: prop('json'),
                g: prop('jsonb'),
                h: prop('numeric', 'number'),
                i: prop('date', 'string'),
                j: { format: 'text[]', type: 'array', items: { type: 'string' } },
                k: prop('character varying', 'string'),
                n: prop('integer', 'integer'),
              },
            },
          },
          { $ref: '#/parameters/preferParams' },
        ],
      },
    },
    '/rpc/echo': { post: { parameters: [{ in: 'body', name: 'args', required: true, schema: { type: 'object', required: [''], properties: { '': prop('json') } } }] } },
    '/rpc/raw': { post: { parameters: [{ in: 'body', name: 'args', required: true, schema: { type: 'object', required: [''], properties: { '': prop('text', 'string') } } }] } },
    '/items/{id}': { get: {} },
    '/write_only': { post: {} },
  },
};

const FILL: Fill = { text: 'me@example.test', integer: 7, boolean: true, uuid: '6b1d7c2e-4a5e-4c1e-9f7b-1d2e3f4a5b6c', now: new Date('2026-01-02T03:04:05.000Z') };

test('openapi: relations with GET and every function, without the root or templated paths', () => {
  const endpoints = exposedEndpoints(DOC)!;
  assert.deepEqual(
    endpoints.map((e) => [e.path, e.kind]),
    [
      ['/todos', 'relation'],
      ['/rpc/current_user', 'function'],
      ['/rpc/lookup', 'function'],
      ['/rpc/echo', 'function'],
      ['/rpc/raw', 'function'],
    ],
  );
  const lookup = endpoints.find((e) => e.path === '/rpc/lookup')!;
  assert.deepEqual(lookup.required.map((a) => a.name), ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k'], 'only arguments without a default');
  assert.deepEqual(lookup.required[1], { name: 'b', type: 'integer', format: 'bigint' });
});

test('openapi: a function known only by its GET operation takes its required query parameters', () => {
  const [fn] = exposedEndpoints({ paths: { '/rpc/f': { get: { parameters: [{ in: 'query', name: 'x', required: true, type: 'integer', format: 'integer' }, { in: 'query', name: 'y', required: false }] } } } })!;
  assert.deepEqual(fn.required, [{ name: 'x', type: 'integer', format: 'integer' }]);
});

test('openapi: anything that is not a document is undefined; merging keeps the first of each path', () => {
  for (const v of [undefined, null, 'x', [], {}, { paths: [] }]) assert.equal(exposedEndpoints(v), undefined);
  assert.equal(mergeEndpoints(undefined, undefined), undefined);
  const a: Endpoint = { path: '/a', kind: 'relation', required: [] };
  const b: Endpoint = { path: '/b', kind: 'function', required: [] };
  assert.deepEqual(mergeEndpoints([a], undefined, [{ ...a, kind: 'function' }, b]), [a, b]);
  assert.deepEqual(mergeEndpoints([], undefined), []);
});

/** One row per PostgreSQL type: the JSON value a POST body carries. */
const VALUES: Array<[format: string, type: string | undefined, value: unknown]> = [
  ['text', 'string', 'me@example.test'],
  ['character varying', 'string', 'me@example.test'],
  ['citext', 'string', 'me@example.test'],
  ['integer', 'integer', 7],
  ['bigint', 'integer', 7],
  ['numeric', 'number', 7],
  ['boolean', 'boolean', true],
  ['uuid', 'string', '6b1d7c2e-4a5e-4c1e-9f7b-1d2e3f4a5b6c'],
  ['timestamp with time zone', 'string', '2026-01-02T03:04:05.000Z'],
  ['timestamp without time zone', 'string', '2026-01-02T03:04:05.000Z'],
  ['date', 'string', '2026-01-02'],
  ['time without time zone', 'string', '03:04:05'],
  ['json', undefined, {}],
  ['jsonb', undefined, {}],
  ['text[]', 'array', []],
  ['integer[]', 'array', []],
];

for (const [format, type, value] of VALUES) {
  test(`openapi: a ${format} argument is filled with ${JSON.stringify(value)}`, () => {
    assert.deepEqual(argumentValue({ name: 'x', format, type }, FILL), value);
  });
}

test('openapi: the read call puts the arguments in the query string, PostgreSQL literals for arrays', () => {
  const endpoints = exposedEndpoints(DOC)!;
  const call = readCall(endpoints.find((e) => e.path === '/rpc/lookup')!, FILL)!;
  assert.equal(call.method, 'GET');
  const url = new URL(call.path, 'http://x');
  assert.equal(url.pathname, '/rpc/lookup');
  assert.equal(url.searchParams.get('a'), 'me@example.test');
  assert.equal(url.searchParams.get('b'), '7');
  assert.equal(url.searchParams.get('f'), '{}');
  assert.equal(url.searchParams.get('j'), '{}');
  assert.equal(url.searchParams.get('n'), null, 'optional arguments are left to their defaults');
  assert.deepEqual(readCall(endpoints[0], FILL), { method: 'GET', path: '/todos' });
  assert.equal(readCall(endpoints.find((e) => e.path === '/rpc/echo')!, FILL), undefined, 'an unnamed parameter needs a body');
});

test('openapi: the write call POSTs functions only, with a body of the required arguments', () => {
  const endpoints = exposedEndpoints(DOC)!;
  const byPath = (p: string) => endpoints.find((e) => e.path === p)!;
  assert.equal(writeCall(byPath('/todos'), FILL), undefined, 'a POST to a relation would insert a row');
  assert.deepEqual(writeCall(byPath('/rpc/current_user'), FILL), { method: 'POST', path: '/rpc/current_user', json: {} });
  const lookup = writeCall(byPath('/rpc/lookup'), FILL)!;
  assert.deepEqual(Object.keys(lookup.json as object), ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k']);
  assert.deepEqual(writeCall(byPath('/rpc/echo'), FILL), { method: 'POST', path: '/rpc/echo', json: {} }, 'a single unnamed json parameter is the body');
  assert.equal(writeCall(byPath('/rpc/raw'), FILL), undefined, 'a single unnamed text parameter needs a text/plain body');
});
