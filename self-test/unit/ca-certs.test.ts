/**
 * CONFORMANCE_CA_CERTS: a bad file is one line naming the fix; with a good
 * one Node's fetch (the suite's HTTP client) trusts a server the private CA
 * signed, and without it refuses, naming the setting; Chromium's NSS
 * database is made with certutil, and without certutil the problem names
 * the package to install.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { caCertFiles, loadConfig } from '../../lib/config.ts';
import { UserError } from '../../lib/user-error.ts';
import { chromiumTrust } from '../../fixtures/chromium-trust.ts';
import { HttpClient } from '../../fixtures/http.ts';
import { SuiteError } from '../../fixtures/requirements.ts';
import { makePrivateCa, type PrivateCa } from '../private-ca.ts';

let ca: PrivateCa;
before(() => {
  ca = makePrivateCa();
});
after(() => rmSync(ca.dir, { recursive: true, force: true }));

/** loadConfig's one line for a CONFORMANCE_CA_CERTS value. */
function usageError(value: string): string {
  try {
    loadConfig({ CONFORMANCE_CA_CERTS: value });
  } catch (error) {
    assert.ok(error instanceof UserError, String(error));
    assert.equal(error.message.split('\n').length, 1, error.message);
    return error.message;
  }
  assert.fail(`${value} was accepted`);
}

test('a file that is not PEM, or missing, is a one-line usage error naming the fix', () => {
  const notPem = path.join(ca.dir, 'ca.der');
  writeFileSync(notPem, 'not a certificate\n');
  assert.match(usageError(notPem), /^CONFORMANCE_CA_CERTS=".*ca\.der" is not valid: .*ca\.der holds no PEM certificate: give PEM files \(-----BEGIN CERTIFICATE-----\)/);
  assert.match(usageError(`${ca.caFile}, /nonexistent/ca.pem`), /\/nonexistent\/ca\.pem does not exist: give PEM files/);
  const broken = path.join(ca.dir, 'broken.pem');
  writeFileSync(broken, '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n');
  assert.match(usageError(broken), /certificate 1 of .*broken\.pem does not parse/);
});

test('good files are the run\'s CAs, comma-separated; none by default', () => {
  assert.deepEqual(loadConfig({ CONFORMANCE_CA_CERTS: ` ${ca.caFile} ,` }).caCertFiles, [ca.caFile]);
  assert.deepEqual(loadConfig({}).caCertFiles, []);
  assert.deepEqual(caCertFiles({ CONFORMANCE_CA_CERTS: 'a.pem,b.pem' }), ['a.pem', 'b.pem']);
});

test("the suite's HTTP client trusts the private CA only when CONFORMANCE_CA_CERTS names it", async () => {
  const server = https.createServer({ key: ca.key, cert: ca.cert }, (_req, res) => res.end('ok'));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const client = new HttpClient(`https://127.0.0.1:${(server.address() as AddressInfo).port}`, [], { retryPauseMs: 10 });
  const saved = process.env.CONFORMANCE_CA_CERTS;
  try {
    delete process.env.CONFORMANCE_CA_CERTS;
    await assert.rejects(client.get('/'), (e: unknown) => e instanceof SuiteError && /set CONFORMANCE_CA_CERTS to its PEM file/.test(e.message));
    // Another CA is no help: the certificate is still checked, against the named CAs and the usual roots.
    const other = makePrivateCa();
    process.env.CONFORMANCE_CA_CERTS = other.caFile;
    await assert.rejects(client.get('/'), (e: unknown) => e instanceof SuiteError && /UNABLE_TO_VERIFY_LEAF_SIGNATURE/.test(e.message));
    rmSync(other.dir, { recursive: true, force: true });
    process.env.CONFORMANCE_CA_CERTS = ca.caFile;
    assert.equal((await client.get('/')).body, 'ok');
  } finally {
    if (saved === undefined) delete process.env.CONFORMANCE_CA_CERTS;
    else process.env.CONFORMANCE_CA_CERTS = saved;
    server.close();
  }
});

test('without certutil, Chromium gets no CA and the problem names libnss3-tools', () => {
  const trust = chromiumTrust([ca.caFile], {}, '/nonexistent/certutil');
  assert.equal(trust.env, undefined);
  assert.match(trust.problem ?? '', /without certutil: install libnss3-tools/);
  // No CAs: Chromium is launched as it always is.
  const none = chromiumTrust([], {}, '/nonexistent/certutil');
  assert.deepEqual([none.env, none.problem], [undefined, undefined]);
});

const hasCertutil = spawnSync('certutil', ['-H'], { stdio: 'ignore' }).error === undefined;

test('with certutil, a throw-away HOME whose NSS database trusts the CA for TLS servers', { skip: !hasCertutil && 'no certutil (libnss3-tools)' }, () => {
  const trust = chromiumTrust([ca.caFile], { PATH: process.env.PATH });
  try {
    assert.equal(trust.problem, undefined);
    const home = trust.env?.HOME;
    assert.ok(home);
    const listed = spawnSync('certutil', ['-L', '-d', `sql:${path.join(home, '.pki', 'nssdb')}`], { encoding: 'utf8' }).stdout;
    assert.match(listed, /conformance-ca-1\s+C,,/);
  } finally {
    trust.remove();
  }
});
