/**
 * A private certificate authority made for one test, as a staging server's
 * internal CA: a CA certificate and a server certificate it signs for
 * 127.0.0.1 and localhost. Made with the openssl command, which Debian and
 * every CI image have; the files live in a temporary folder the caller removes.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface PrivateCa {
  dir: string;
  /** The CA certificate, PEM: what CONFORMANCE_CA_CERTS names. */
  caFile: string;
  /** The server's key and certificate, PEM, for a TLS server. */
  key: string;
  cert: string;
}

export function makePrivateCa(): PrivateCa {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'conformance-ca-'));
  const file = (name: string) => path.join(dir, name);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  openssl('req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=Conformance self-test CA',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
  openssl('req', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1');
  // What Chromium asks of a server certificate: the name in subjectAltName, serverAuth, not a CA.
  writeFileSync(
    file('server.ext'),
    'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n',
  );
  openssl('x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '2', '-out', 'server.pem', '-extfile', 'server.ext');
  return { dir, caFile: file('ca.pem'), key: readFileSync(file('server.key'), 'utf8'), cert: readFileSync(file('server.pem'), 'utf8') };
}
