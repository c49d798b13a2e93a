/**
 * The containers provider of the embedded reference deployment: PostgreSQL
 * with pgTAP (built from stack/Dockerfile.postgres) and PostgREST at the
 * pinned image, on a network of their own, started with testcontainers.
 * It returns the same Stack as the local provider. Everything it asks Docker
 * for comes from stack/containers-config.ts; this file only does the asking.
 *
 * Not exercised in CI: the project's machines have no Docker engine.
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import pg from 'pg';
import { addSecret } from '../lib/redact.ts';
import { UserError } from '../lib/user-error.ts';
import type { PostgrestBuild } from './binaries.ts';
import {
  containerDatabaseUrl,
  DOCKER_CONTEXT_DIR,
  POSTGRES_DOCKERFILE,
  postgresContainerConfig,
  postgresImageTag,
  POSTGREST_IMAGES,
  postgrestContainerConfig,
  reachableHost,
  TESTCONTAINERS_MISSING,
} from './containers-config.ts';
import { loadSql, readSources, referenceSqlFiles } from './sql-loader.ts';
import { AUTHENTICATOR, type Stack, type StackOptions } from './stack.ts';

/** The package is optional and heavy: loaded here only, when containers were chosen. */
async function loadTestcontainers(): Promise<typeof import('testcontainers')> {
  try {
    return await import('testcontainers');
  } catch {
    throw new UserError(TESTCONTAINERS_MISSING);
  }
}

/** A container's output, appended to the log file the suites attach to failing tests. */
const toFile = (file: string) => (stream: Readable) => {
  stream.pipe(createWriteStream(file, { flags: 'a' }));
};

const firstLine = (error: unknown) => String((error as Error)?.message ?? error).split('\n')[0]!.slice(0, 300);

export async function startContainerStack(opts: StackOptions): Promise<Stack> {
  const build = (opts.postgrest ?? '12') as PostgrestBuild;
  if (!(build in POSTGREST_IMAGES)) throw new UserError(`unknown PostgREST build "${build}": use one of ${Object.keys(POSTGREST_IMAGES).join(', ')}`);
  const { GenericContainer, Network, Wait } = await loadTestcontainers();

  const phases: Record<string, number> = {};
  let mark = performance.now();
  let phase = 'creating the network';
  const lap = (done: string, next: string) => {
    const now = performance.now();
    phases[done] = Math.round(now - mark);
    mark = now;
    phase = next;
  };
  mkdirSync(opts.logDir, { recursive: true });
  const logs = { postgres: path.join(opts.logDir, 'postgres.log'), postgrest: path.join(opts.logDir, 'postgrest.log') };
  // Throwaway passwords, but passwords: the redaction hides them wherever they might show.
  const superuserPassword = randomBytes(18).toString('hex');
  const authenticatorPassword = randomBytes(18).toString('hex');
  addSecret(superuserPassword);
  addSecret(authenticatorPassword);

  const stops: Array<() => Promise<unknown>> = [];
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch(() => undefined);
    stops.length = 0;
  };
  try {
    const network = await new Network().start();
    stops.push(() => network.stop());
    lap('network', 'building the PostgreSQL image');

    const dockerfile = readFileSync(path.join(DOCKER_CONTEXT_DIR, POSTGRES_DOCKERFILE), 'utf8');
    // Kept after the run (deleteOnExit false): the next run reuses it instead of installing pgTAP again.
    const postgresImage = await GenericContainer.fromDockerfile(DOCKER_CONTEXT_DIR, POSTGRES_DOCKERFILE).build(postgresImageTag(dockerfile), {
      deleteOnExit: false,
    });
    lap('image', 'starting PostgreSQL');

    const db = postgresContainerConfig({ superuserPassword, settings: opts.settings });
    const postgres = await postgresImage
      .withNetwork(network)
      .withNetworkAliases(db.alias)
      .withEnvironment(db.env)
      .withCommand(db.command)
      .withExposedPorts(db.port)
      .withHealthCheck({ test: ['CMD-SHELL', db.healthCheck], interval: 250, timeout: 2000, retries: 240 })
      .withWaitStrategy(Wait.forHealthCheck())
      .withStartupTimeout(60_000)
      .withLogConsumer(toFile(logs.postgres))
      .start();
    stops.push(() => postgres.stop());
    const host = reachableHost(postgres.getHost());
    const databaseUrl = containerDatabaseUrl(host, postgres.getMappedPort(db.port), superuserPassword);
    lap('postgres', 'loading the reference SQL');

    // The same SQL, in the same order, as the local provider; then the one
    // thing a Unix-socket cluster does not need: a password for the role PostgREST logs in as.
    await loadSql(databaseUrl, [...readSources(referenceSqlFiles()), ...(opts.overlays ?? [])]);
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    let serverVersion: string;
    try {
      await client.query(`alter role ${client.escapeIdentifier(AUTHENTICATOR)} password ${client.escapeLiteral(authenticatorPassword)}`);
      serverVersion = (await client.query<{ server_version: string }>('show server_version')).rows[0]!.server_version;
    } finally {
      await client.end();
    }
    lap('sql', 'starting PostgREST');

    const api = postgrestContainerConfig({ build, authenticatorPassword, port: opts.port, postgrestSettings: opts.postgrestSettings });
    const postgrest = await new GenericContainer(api.image)
      .withNetwork(network)
      .withEnvironment(api.env)
      .withExposedPorts(...api.ports.map((p) => (p.host ? { container: p.container, host: p.host } : p.container)))
      .withWaitStrategy(Wait.forHttp(api.ready.path, api.ready.port).forStatusCode(200))
      .withStartupTimeout(30_000)
      .withLogConsumer(toFile(logs.postgrest))
      .start();
    stops.push(() => postgrest.stop());
    lap('postgrest', 'ready');

    return {
      baseUrl: `http://${reachableHost(postgrest.getHost())}:${postgrest.getMappedPort(api.ports[0]!.container)}`,
      databaseUrl,
      postgrestVersion: api.version,
      postgresVersion: `postgres (PostgreSQL) ${serverVersion}`,
      logs,
      // No server runs on this machine: testcontainers' reaper removes the containers if this process dies.
      pids: [],
      phases,
      stop,
    };
  } catch (error) {
    await stop();
    if (error instanceof UserError) throw error;
    throw new UserError(`the containers stack failed while ${phase} (${firstLine(error)}): see ${opts.logDir}`);
  }
}
