/**
 * What the containers provider asks Docker for, as plain data: images, pinned
 * versions, environment, commands, ports and readiness checks. Kept apart
 * from stack/containers.ts (which talks to Docker) so that it is unit-tested
 * on machines without a Docker engine, and so that it is visibly the same
 * configuration the local provider uses.
 */
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { PostgrestBuild } from './binaries.ts';
import { postgrestEnv } from './postgrest.ts';
import { APP_DATABASE, AUTHENTICATOR, EMBEDDED_APP_SETTINGS, REFERENCE_POSTGREST_SETTINGS } from './stack.ts';

/** The Docker build context (this folder: the Dockerfile copies nothing from it) and the Dockerfile of PostgreSQL with pgTAP. */
export const DOCKER_CONTEXT_DIR = fileURLToPath(new URL('./', import.meta.url));
export const POSTGRES_DOCKERFILE = 'Dockerfile.postgres';

/**
 * Said when the optional testcontainers package is missing: by the provider
 * choice, before anything starts, and by the containers provider when it
 * loads the package. It lives here, with the rest of the containers'
 * configuration, so that neither of those two modules imports the other.
 */
export const TESTCONTAINERS_MISSING =
  'the containers stack needs the testcontainers package: run npm ci without --omit=optional, or npm install testcontainers';

/** PostgREST images, pinned to the versions of the npm builds the local provider runs. */
export const POSTGREST_IMAGES: Record<PostgrestBuild, { image: string; version: string }> = {
  '12': { image: 'postgrest/postgrest:v12.0.2', version: '12.0.2' },
  '11': { image: 'postgrest/postgrest:v11.2.2', version: '11.2.2' },
};

/** How PostgREST finds PostgreSQL on the shared network. */
export const DB_ALIAS = 'db';
export const DB_PORT = 5432;
/** PostgREST's ports inside its container; the host ports are Docker's choice unless a fixed one is asked for. */
export const API_PORT = 3000;
export const ADMIN_PORT = 3001;

/**
 * A tag for the built image that changes with the Dockerfile: the image is
 * kept between runs (building installs pgTAP with apt-get), and an edited
 * Dockerfile must not reuse an old one.
 */
export function postgresImageTag(dockerfile: string): string {
  return `postgrest-cookie-conformance/postgres-pgtap:${createHash('sha256').update(dockerfile).digest('hex').slice(0, 12)}`;
}

/**
 * Server settings on top of the app's: like the local cluster, a throwaway
 * database trades durability for speed.
 */
export const THROWAWAY_SERVER_SETTINGS: Record<string, string> = {
  fsync: 'off',
  synchronous_commit: 'off',
  full_page_writes: 'off',
};

export interface PostgresContainerConfig {
  env: Record<string, string>;
  command: string[];
  port: number;
  alias: string;
  /** A command Docker runs until it succeeds: the server accepts TCP connections to the app database. */
  healthCheck: string;
}

/**
 * The PostgreSQL container: the image's entrypoint initialises the cluster
 * (UTF8, C locale, as the local initdb does) and creates the app database;
 * the server runs with the same `-c` settings as the local one.
 */
export function postgresContainerConfig(opts: { superuserPassword: string; settings?: Record<string, string> }): PostgresContainerConfig {
  const settings = { ...THROWAWAY_SERVER_SETTINGS, ...EMBEDDED_APP_SETTINGS, ...opts.settings };
  return {
    env: {
      POSTGRES_USER: 'postgres',
      POSTGRES_PASSWORD: opts.superuserPassword,
      POSTGRES_DB: APP_DATABASE,
      POSTGRES_INITDB_ARGS: '--encoding=UTF8 --locale=C',
    },
    command: ['postgres', ...Object.entries(settings).flatMap(([name, value]) => ['-c', `${name}=${value}`])],
    port: DB_PORT,
    alias: DB_ALIAS,
    // The entrypoint's temporary init server listens on no TCP port, so this only passes for the real one.
    healthCheck: `pg_isready -h 127.0.0.1 -p ${DB_PORT} -U postgres -d ${APP_DATABASE}`,
  };
}

export interface PostgrestContainerConfig {
  image: string;
  version: string;
  env: Record<string, string>;
  /** Container port -> fixed host port, or undefined for one Docker picks. */
  ports: Array<{ container: number; host?: number }>;
  /** Ready when the admin server answers 200 here. */
  ready: { path: string; port: number };
}

/**
 * The PostgREST container: the local provider's configuration (postgrestEnv),
 * listening on every interface of its container so Docker can publish it, and
 * reaching PostgreSQL by its network alias as the authenticator role.
 */
export function postgrestContainerConfig(opts: {
  build: PostgrestBuild;
  authenticatorPassword: string;
  /** A fixed host port for the API, as `npm run stack -- --port` asks. */
  port?: number;
  postgrestSettings?: Record<string, string>;
}): PostgrestContainerConfig {
  const { image, version } = POSTGREST_IMAGES[opts.build];
  const dbUri = `postgres://${AUTHENTICATOR}:${encodeURIComponent(opts.authenticatorPassword)}@${DB_ALIAS}:${DB_PORT}/${APP_DATABASE}`;
  return {
    image,
    version,
    env: postgrestEnv({
      dbUri,
      host: '*',
      port: API_PORT,
      adminPort: ADMIN_PORT,
      settings: { ...REFERENCE_POSTGREST_SETTINGS, ...opts.postgrestSettings },
    }),
    ports: [{ container: API_PORT, host: opts.port }, { container: ADMIN_PORT }],
    ready: { path: '/ready', port: ADMIN_PORT },
  };
}

/** The superuser URI the suites' database checks use, through the port Docker published. */
export function containerDatabaseUrl(host: string, port: number, superuserPassword: string): string {
  return `postgresql://postgres:${encodeURIComponent(superuserPassword)}@${host}:${port}/${APP_DATABASE}`;
}

/**
 * The host name to reach published ports by. `localhost` becomes 127.0.0.1,
 * as the local provider serves it: the browser suites' cross-site checks
 * treat the other loopback name as another site, and IPv6 is not always
 * published.
 */
export function reachableHost(dockerHost: string): string {
  return dockerHost === 'localhost' ? '127.0.0.1' : dockerHost;
}
