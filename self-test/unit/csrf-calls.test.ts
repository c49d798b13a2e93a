import assert from 'node:assert/strict';
import { test } from 'node:test';
import { autoNavigate, autoSubmitForm, formBody, textPlainFields } from '../../fixtures/cross-site.ts';
import { answeredAsUser, answersTell, describeAnswer, formNotTaken, textPlainArgument, unnamedBodyArgument } from '../../suites/support/csrf-calls.ts';
import type { Endpoint } from '../../suites/support/openapi.ts';

const fn = (required: Endpoint['required']): Endpoint => ({ path: '/rpc/f', kind: 'function', required });

test('a single unnamed text or json parameter is what a text/plain body reaches', () => {
  assert.deepEqual(unnamedBodyArgument(fn([{ name: '', format: 'text' }])), { name: '', format: 'text' });
  assert.ok(unnamedBodyArgument(fn([{ name: '', format: 'jsonb' }])));
  assert.ok(unnamedBodyArgument(fn([{ name: '', format: 'character varying', type: 'string' }])));
  assert.equal(unnamedBodyArgument(fn([{ name: '', format: 'integer' }])), undefined, 'another type needs its own media type');
  assert.equal(unnamedBodyArgument(fn([{ name: 'note', format: 'text' }])), undefined, 'a named parameter');
  assert.equal(unnamedBodyArgument(fn([{ name: '', format: 'text' }, { name: 'b', format: 'text' }])), undefined);
  assert.equal(unnamedBodyArgument(fn([])), undefined);
  assert.equal(unnamedBodyArgument({ path: '/t', kind: 'relation', required: [] }), undefined);
});

test('a text/plain form carries the marker as the browser encodes it', () => {
  const text = textPlainArgument({ name: '', format: 'text' }, 'mark 1');
  assert.deepEqual(text, { csrf: 'mark 1' });
  assert.deepEqual(formBody({ method: 'POST', action: '/rpc/f', fields: text, enctype: 'text/plain' }), { body: 'csrf=mark 1\r\n', contentType: 'text/plain' });
  // A JSON object split across the field's name and value: the browser's `=` lands inside a string.
  const json = textPlainArgument({ name: '', format: 'json' }, 'a"b\\c');
  const { body } = formBody({ method: 'POST', action: '/rpc/f', fields: json, enctype: 'text/plain' });
  assert.deepEqual(JSON.parse(body), { csrf: '=abc' });
  assert.deepEqual(textPlainFields('a=b=c'), { a: 'b=c' });
  assert.equal(textPlainFields('no equals sign'), undefined);
  assert.equal(textPlainFields('a=b\nc'), undefined);
});

test('form pages say their encoding; links are plain navigations', () => {
  assert.match(autoSubmitForm('http://x/rpc/f', { a: '1' }), /enctype="application\/x-www-form-urlencoded"/);
  assert.match(autoSubmitForm('http://x/rpc/f', { a: '1' }, 'POST', 'text/plain'), /enctype="text\/plain"/);
  assert.deepEqual(formBody({ method: 'POST', action: '/t', fields: { a: '1 2', b: '&' } }), { body: 'a=1+2&b=%26', contentType: 'application/x-www-form-urlencoded' });
  const page = autoNavigate('http://x/rpc/f?a=</script>');
  assert.ok(page.includes('location.href = "http://x/rpc/f?a=\\u003c/script>"'), page);
});

test('an answer acted as the user only where the session alone explains it', () => {
  const own = { status: 200, body: '7' };
  const refused = { status: 401, body: '{"code":"42501"}' };
  // Anonymous refused: any success used the session; failures show nothing.
  assert.equal(answersTell(own, refused), true);
  assert.equal(answeredAsUser({ status: 200, body: '8' }, own, refused), true);
  assert.equal(answeredAsUser({ status: 204, body: '' }, own, refused), true);
  assert.equal(answeredAsUser(refused, own, refused), false);
  assert.equal(answeredAsUser({ status: 500, body: 'boom' }, own, refused), false, 'errors are not violations');
  // Anonymous answered too: only the user's own answer, unlike the anonymous one, tells.
  const anonymous = { status: 200, body: 'null' };
  assert.equal(answersTell(own, anonymous), true);
  assert.equal(answeredAsUser({ status: 200, body: '7\n' }, own, anonymous), true);
  assert.equal(answeredAsUser({ status: 200, body: 'null' }, own, anonymous), false);
  assert.equal(answeredAsUser({ status: 200, body: '9' }, own, anonymous), false, 'something new shows nothing');
  // Answers alike with and without a session cannot tell; nor can a failed own call.
  assert.equal(answersTell(own, { ...own }), false);
  assert.equal(answersTell(refused, { status: 400, body: '' }), false);
});

test('a form PostgREST does not take is told from a refusal to the caller', () => {
  for (const status of [400, 404, 405, 406, 415]) assert.equal(formNotTaken({ status, body: '' }, [401, 403]), true, String(status));
  for (const status of [401, 403, 200, 500]) assert.equal(formNotTaken({ status, body: '' }, [401, 403]), false, String(status));
  assert.equal(describeAnswer({ status: 204, body: '' }), '204');
  assert.equal(describeAnswer({ status: 200, body: ` ${'x'.repeat(100)}\n` }), `200 ${'x'.repeat(80)}...`);
});
