/**
 * A reverse proxy that serves a deployment under a path prefix, as a
 * deployment behind nginx's `location /api/ { proxy_pass http://postgrest/; }`
 * is served: `/api/rpc/login` reaches PostgREST as `/rpc/login`, anything
 * outside the prefix is 404, and a `Location` PostgREST answers with (a path
 * from its own root) is given the prefix back. Headers pass as they are,
 * `Set-Cookie` lines one by one. The self-test puts it in front of a variant
 * whose header asks for a base path (`-- base-path: /api`), so the suite is
 * run with BASE_URL=http://127.0.0.1:PORT/api as a user of such a deployment
 * would run it. Written on node:http: a few lines, no dependency.
 */
import http from 'node:http';
import type net from 'node:net';

export interface PrefixProxy {
  /** http://127.0.0.1:<port><prefix>, to use as BASE_URL. */
  url: string;
  close(): Promise<void>;
}

/** Hop-by-hop headers a proxy does not forward (RFC 9110, 7.6.1). */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer']);

function forwardable(headers: http.IncomingHttpHeaders | http.OutgoingHttpHeaders): http.OutgoingHttpHeaders {
  return Object.fromEntries(Object.entries(headers).filter(([name, value]) => value !== undefined && !HOP_BY_HOP.has(name.toLowerCase())));
}

/** The path under the prefix (`/api/x?q` -> `/x?q`, `/api` -> `/`), or undefined outside it. */
export function stripPrefix(prefix: string, url: string): string | undefined {
  if (url === prefix || url.startsWith(`${prefix}?`)) return `/${url.slice(prefix.length)}`;
  return url.startsWith(`${prefix}/`) ? url.slice(prefix.length) : undefined;
}

export async function startPrefixProxy(target: string, prefix: string): Promise<PrefixProxy> {
  if (!/^\/[^?#]*[^/?#]$/.test(prefix)) throw new Error(`base path ${prefix} must start with / and not end with one`);
  const upstream = new URL(target);
  const sockets = new Set<net.Socket>();
  const server = http.createServer((req, res) => {
    const inner = stripPrefix(prefix, req.url ?? '/');
    if (inner === undefined) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end(`not under ${prefix}\n`);
      return;
    }
    const headers = forwardable(req.headers);
    // As reverse proxies do: the host the client asked for goes on in X-Forwarded-Host, where the
    // reference's Origin check (auth.origin_allowed) finds the deployment's own origin.
    if (req.headers.host) headers['x-forwarded-host'] = req.headers.host;
    headers.host = upstream.host;
    const forward = http.request({ host: upstream.hostname, port: upstream.port, method: req.method, path: inner, headers }, (answer) => {
      const out = forwardable(answer.headers);
      const location = answer.headers.location;
      if (location?.startsWith('/')) out.location = `${prefix}${location}`;
      res.writeHead(answer.statusCode ?? 502, answer.statusMessage, out);
      answer.pipe(res);
    });
    forward.on('error', () => {
      if (!res.headersSent) res.writeHead(502, { 'Content-Type': 'text/plain' });
      res.end();
    });
    req.pipe(forward);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const port = (server.address() as net.AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}${prefix}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
