/**
 * CONFORMANCE_CA_CERTS: the private certificate authorities a deployment's
 * https certificate is signed by (a staging server behind an internal CA).
 * The run trusts them on top of the usual roots, and nowhere is a certificate
 * error ignored: Node's fetch gets a dispatcher holding them (this module),
 * Chromium a throw-away NSS database (fixtures/chromium-trust.ts).
 *
 * NODE_EXTRA_CA_CERTS would not do: Node reads it once, at process start,
 * and the runner and its workers are started before any setting is read.
 */
import { X509Certificate } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import tls from 'node:tls';

export const CA_CERTS_ENV = 'CONFORMANCE_CA_CERTS';

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** One certificate, as PEM text, and where it came from (for the NSS nickname and messages). */
export interface CaCert {
  file: string;
  pem: string;
  subject: string;
}

/**
 * Every certificate in the files, in order. A file that is missing, holds no
 * PEM certificate or one that does not parse throws an Error whose message is
 * the fix (lib/config.ts makes it the one-line usage error).
 */
export function readCaCerts(files: string[]): CaCert[] {
  const fix = 'give PEM files (-----BEGIN CERTIFICATE-----) of the CA certificates, comma-separated';
  return files.flatMap((file) => {
    if (!existsSync(file)) throw new Error(`${file} does not exist: ${fix}`);
    const blocks = readFileSync(file, 'utf8').match(PEM_BLOCK) ?? [];
    if (blocks.length === 0) throw new Error(`${file} holds no PEM certificate: ${fix}`);
    return blocks.map((pem, i) => {
      try {
        return { file, pem, subject: new X509Certificate(pem).subject.replace(/\n/g, ', ') };
      } catch (error) {
        throw new Error(`certificate ${i + 1} of ${file} does not parse (${(error as Error).message}): ${fix}`);
      }
    });
  });
}

/** What fetch needs of a dispatcher here: an object handed on as is. */
export type Dispatcher = object;

let cached: { key: string; dispatcher: Promise<Dispatcher | undefined> } | undefined;

/**
 * The dispatcher the suite's fetch uses when CONFORMANCE_CA_CERTS names files
 * (lib/config.ts caCertFiles); undefined without: fetch's default. Made once
 * per list; loadConfig has refused bad files before any request.
 */
export function privateCaDispatcher(files: string[]): Promise<Dispatcher | undefined> {
  const key = files.join(',');
  if (cached?.key !== key) cached = { key, dispatcher: files.length ? agentTrusting(readCaCerts(files)) : Promise.resolve(undefined) };
  return cached.dispatcher;
}

/**
 * An Agent of the undici that Node's own fetch is built on, trusting the
 * usual roots plus these. Node does not export that class, and the npm undici
 * is another version whose dispatchers Node's fetch need not understand, so it
 * is taken from the global dispatcher fetch itself installs on first use.
 */
async function agentTrusting(certs: CaCert[]): Promise<Dispatcher> {
  const key = Symbol.for('undici.globalDispatcher.1');
  const global = globalThis as unknown as Record<symbol, { constructor: new (options: object) => Dispatcher } | undefined>;
  // A data: URL touches no network; the call makes fetch load undici, which installs its global Agent.
  if (!global[key]) await (await fetch('data:,')).arrayBuffer();
  const Agent = global[key]?.constructor;
  if (!Agent || Agent.name !== 'Agent') {
    throw new Error(`${CA_CERTS_ENV}: this Node.js (${process.version}) has no fetch Agent to give the certificates to; run the suite with Node.js 20 or 22`);
  }
  const extra = process.env.NODE_EXTRA_CA_CERTS && existsSync(process.env.NODE_EXTRA_CA_CERTS) ? [readFileSync(process.env.NODE_EXTRA_CA_CERTS, 'utf8')] : [];
  // `ca` replaces the default roots: they are given again, so a public certificate still verifies. One context
  // for every connection: given `ca` alone, each new connection would parse the hundred-odd roots again.
  const secureContext = tls.createSecureContext({ ca: [...tls.rootCertificates, ...extra, ...certs.map((c) => c.pem)] });
  return new Agent({ connect: { secureContext } });
}
