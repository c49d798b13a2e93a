/**
 * Which way the embedded reference deployment runs: `local` (PostgreSQL and
 * PostgREST binaries on this machine, stack/stack.ts) or `containers` (Docker,
 * stack/containers.ts). STACK asks for one; `auto` prefers local binaries and
 * falls back to a Docker engine. The choice itself is a pure function of a few
 * facts, so it is unit-tested without Docker; gathering the facts is kept
 * lazy, so the local path never probes for Docker.
 */
import { existsSync } from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import type { StackRequest } from '../lib/config.ts';
import { UserError } from '../lib/user-error.ts';
import { TESTCONTAINERS_MISSING } from './containers-config.ts';
import { preflight, startStack, type Stack, type StackOptions } from './stack.ts';

export type StackProvider = 'local' | 'containers';

export const DEFAULT_DOCKER_SOCKET = '/var/run/docker.sock';
/** Where the choice looked for Docker, for messages. */
const DOCKER_PLACES = `DOCKER_HOST or ${DEFAULT_DOCKER_SOCKET}`;

export interface ProviderFacts {
  /** The one-line reason the local deployment cannot start (its binaries), or undefined when it can; pgTAP is optional. */
  localProblem(): string | undefined;
  /** Whether a Docker engine answers, and where it was looked for. */
  docker(): Promise<{ answers: boolean; where: string }>;
}

/**
 * The provider for a request, given the facts; a one-line UserError naming
 * the fixes when the request cannot be met. Asks only for the facts it needs.
 */
export async function chooseProvider(request: StackRequest, facts: ProviderFacts): Promise<StackProvider> {
  if (request === 'containers') {
    const docker = await facts.docker();
    if (docker.answers) return 'containers';
    throw new UserError(
      `STACK=containers needs a Docker engine, and none answered at ${docker.where}: start Docker or set DOCKER_HOST, or use STACK=local`,
    );
  }
  const localProblem = facts.localProblem();
  if (localProblem === undefined) return 'local';
  if (request === 'local') throw new UserError(localProblem);
  const docker = await facts.docker();
  if (docker.answers) return 'containers';
  throw new UserError(`${localProblem}; or make a Docker engine reachable (${DOCKER_PLACES}) to run it in containers`);
}

/** How to reach the Docker engine, as far as the environment tells. */
export type DockerEndpoint =
  | { kind: 'socket'; socketPath: string; where: string }
  | { kind: 'http'; url: string; where: string }
  /** ssh://, TLS, named pipes: too costly to probe here; testcontainers connects or says why not. */
  | { kind: 'unprobed'; where: string };

/** DOCKER_HOST when set, else the default socket when it exists. */
export function dockerEndpoint(env: NodeJS.ProcessEnv, exists: (file: string) => boolean): DockerEndpoint | undefined {
  const host = env.DOCKER_HOST;
  if (host) {
    const where = `DOCKER_HOST=${host}`;
    if (host.startsWith('unix://')) return { kind: 'socket', socketPath: host.slice('unix://'.length), where };
    if (host.startsWith('tcp://') && !env.DOCKER_TLS_VERIFY) return { kind: 'http', url: `http://${host.slice('tcp://'.length).replace(/\/+$/, '')}`, where };
    return { kind: 'unprobed', where };
  }
  if (exists(DEFAULT_DOCKER_SOCKET)) return { kind: 'socket', socketPath: DEFAULT_DOCKER_SOCKET, where: DEFAULT_DOCKER_SOCKET };
  return undefined;
}

/** Docker's `GET /_ping`, answered within a second and a half. */
async function pingDocker(endpoint: DockerEndpoint): Promise<boolean> {
  if (endpoint.kind === 'unprobed') return true;
  if (endpoint.kind === 'http') {
    try {
      return (await fetch(`${endpoint.url}/_ping`, { signal: AbortSignal.timeout(1500) })).ok;
    } catch {
      return false;
    }
  }
  return new Promise((resolve) => {
    const req = http.get({ socketPath: endpoint.socketPath, path: '/_ping', timeout: 1500 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
  });
}

/** The facts of this machine. */
export function machineFacts(build: string, env: NodeJS.ProcessEnv = process.env): ProviderFacts {
  return {
    localProblem() {
      try {
        preflight(build);
        return undefined;
      } catch (error) {
        if (error instanceof UserError) return error.message;
        throw error;
      }
    },
    async docker() {
      const endpoint = dockerEndpoint(env, existsSync);
      if (!endpoint) return { answers: false, where: DOCKER_PLACES };
      return { answers: await pingDocker(endpoint), where: endpoint.where };
    },
  };
}

/** Checks that the optional testcontainers package is installed, without loading it. */
export function requireTestcontainers(): void {
  try {
    createRequire(import.meta.url).resolve('testcontainers');
  } catch {
    throw new UserError(TESTCONTAINERS_MISSING);
  }
}

/**
 * Checks that need no server, for the provider STACK asks for: the local
 * binaries, or a Docker engine and the testcontainers package. Returns the
 * provider to start.
 */
export async function preflightStack(request: StackRequest, build = '12', env: NodeJS.ProcessEnv = process.env): Promise<StackProvider> {
  const provider = await chooseProvider(request, machineFacts(build, env));
  if (provider === 'containers') requireTestcontainers();
  return provider;
}

/**
 * Starts the embedded deployment the request asks for. An explicit `local`
 * goes straight to startStack, whose own preflight gives the same errors; the
 * containers provider is imported only when chosen.
 */
export async function startChosenStack(request: StackRequest, opts: StackOptions): Promise<Stack> {
  const provider = request === 'local' ? 'local' : await preflightStack(request, opts.postgrest ?? '12');
  if (provider === 'local') return startStack(opts);
  const { startContainerStack } = await import('./containers.ts');
  return startContainerStack(opts);
}
