/**
 * A TLS-terminating proxy, as in front of a staging deployment: https on
 * 127.0.0.1 with a certificate of a private CA, forwarding the bytes to the
 * plain-http deployment. The Host header passes through unchanged, so the
 * deployment sees its https origin as its own. Written on node:tls, as
 * reset-proxy.ts is on node:net.
 */
import net from 'node:net';
import tls from 'node:tls';

export interface TlsProxy {
  /** https://127.0.0.1:<port>, to use as BASE_URL. */
  url: string;
  /** TLS handshakes completed. */
  readonly handshakes: number;
  close(): Promise<void>;
}

export async function startTlsProxy(options: { target: { host: string; port: number }; key: string; cert: string }): Promise<TlsProxy> {
  let handshakes = 0;
  const open = new Set<net.Socket>();
  const track = (socket: net.Socket) => {
    open.add(socket);
    socket.on('close', () => open.delete(socket));
  };
  const server = tls.createServer({ key: options.key, cert: options.cert }, (client) => {
    handshakes += 1;
    const upstream = net.connect(options.target.port, options.target.host);
    track(client);
    track(upstream);
    // A fault on one side ends the other: a half-open pair would hang the client until its timeout.
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
    client.pipe(upstream).pipe(client);
  });
  // A client that refuses the certificate ends its handshake: nothing to forward, nothing to report.
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const port = (server.address() as net.AddressInfo).port;
  return {
    url: `https://127.0.0.1:${port}`,
    get handshakes() {
      return handshakes;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of open) socket.destroy();
      }),
  };
}
