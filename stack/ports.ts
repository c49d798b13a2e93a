/** Loopback ports for PostgREST: a free one, or the one asked for if free. */
import net from 'node:net';
import { UserError } from '../lib/user-error.ts';

function listen(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const address = server.address() as net.AddressInfo;
      server.close(() => resolve(address.port));
    });
  });
}

export async function freePort(): Promise<number> {
  return listen(0);
}

export async function requirePortFree(port: number): Promise<number> {
  try {
    return await listen(port);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new UserError(`port ${port} on 127.0.0.1 is taken: stop what uses it or choose another port`);
    }
    throw error;
  }
}
