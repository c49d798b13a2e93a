/**
 * A TCP proxy that resets every Nth new connection before forwarding a
 * byte: what a client of a deployment sees while a load balancer drops a
 * backend or a rolling restart is under way. The self-test puts it in front
 * of the reference deployment to check that such faults leave requirements
 * not verified, never failed. Written on node:net rather than taken from a
 * library: the one thing needed, a TCP reset on cue, is a few lines here.
 */
import net from 'node:net';

export interface ResetProxy {
  /** http://127.0.0.1:<port>, to use as BASE_URL. */
  url: string;
  port: number;
  /** New connections accepted so far, reset ones included. */
  readonly connections: number;
  /** Connections reset (TCP RST) on arrival. */
  readonly resets: number;
  close(): Promise<void>;
}

export interface ResetProxyOptions {
  target: { host: string; port: number };
  /** Reset the Nth, 2Nth, ... new connection. */
  every?: number;
}

export async function startResetProxy({ target, every = 15 }: ResetProxyOptions): Promise<ResetProxy> {
  let connections = 0;
  let resets = 0;
  const open = new Set<net.Socket>();
  const track = (socket: net.Socket) => {
    open.add(socket);
    socket.on('close', () => open.delete(socket));
  };

  const server = net.createServer((client) => {
    connections += 1;
    if (connections % every === 0) {
      resets += 1;
      client.resetAndDestroy();
      return;
    }
    const upstream = net.connect(target.port, target.host);
    track(client);
    track(upstream);
    // A fault on one side ends the other: a half-open pair would hang the client until its timeout.
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
    client.pipe(upstream).pipe(client);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const port = (server.address() as net.AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    get connections() {
      return connections;
    },
    get resets() {
      return resets;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of open) socket.destroy();
      }),
  };
}
