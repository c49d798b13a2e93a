import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadConfig, SETTINGS, stackRequest, type StackRequest } from '../../lib/config.ts';
import { UserError } from '../../lib/user-error.ts';
import { chooseProvider, DEFAULT_DOCKER_SOCKET, dockerEndpoint, machineFacts, requireTestcontainers, type DockerEndpoint } from '../../stack/provider.ts';

const oneLine = (pattern: RegExp) => (e: unknown) => e instanceof UserError && pattern.test(e.message) && !e.message.includes('\n');

const NO_PG = 'no PostgreSQL server binaries (initdb, postgres) found: install PostgreSQL (apt-get install postgresql) or set PG_BIN to the folder that holds them';

/**
 * The choice matrix: what each STACK value picks on a machine with or without
 * local binaries and a Docker engine, and whether it had to ask about Docker.
 */
const matrix: Array<{ request: StackRequest; local: boolean; docker: boolean; expect: 'local' | 'containers' | RegExp; probesDocker: boolean }> = [
  { request: 'auto', local: true, docker: true, expect: 'local', probesDocker: false },
  { request: 'auto', local: true, docker: false, expect: 'local', probesDocker: false },
  { request: 'auto', local: false, docker: true, expect: 'containers', probesDocker: true },
  { request: 'auto', local: false, docker: false, expect: /^no PostgreSQL server binaries .*set PG_BIN.*; or make a Docker engine reachable \(DOCKER_HOST or \/var\/run\/docker\.sock\)/, probesDocker: true },
  { request: 'local', local: true, docker: true, expect: 'local', probesDocker: false },
  { request: 'local', local: false, docker: true, expect: new RegExp(`^${NO_PG.replace(/[()]/g, '\\$&')}$`), probesDocker: false },
  { request: 'containers', local: true, docker: true, expect: 'containers', probesDocker: true },
  { request: 'containers', local: false, docker: true, expect: 'containers', probesDocker: true },
  { request: 'containers', local: true, docker: false, expect: /^STACK=containers needs a Docker engine, and none answered at DOCKER_HOST or \/var\/run\/docker\.sock: .*STACK=local/, probesDocker: true },
];

for (const c of matrix) {
  test(`STACK=${c.request}, local ${c.local ? 'installed' : 'missing'}, Docker ${c.docker ? 'answers' : 'absent'}: ${c.expect}`, async () => {
    const asked = { local: 0, docker: 0 };
    const facts = {
      localProblem: () => (asked.local++, c.local ? undefined : NO_PG),
      docker: async () => (asked.docker++, { answers: c.docker, where: `DOCKER_HOST or ${DEFAULT_DOCKER_SOCKET}` }),
    };
    if (typeof c.expect === 'string') assert.equal(await chooseProvider(c.request, facts), c.expect);
    else await assert.rejects(chooseProvider(c.request, facts), oneLine(c.expect));
    assert.equal(asked.docker > 0, c.probesDocker, 'asked whether Docker answers');
    // Asking for containers never looks at the local binaries.
    if (c.request === 'containers') assert.equal(asked.local, 0);
  });
}

const endpoints: Array<{ env: Record<string, string>; socketExists: boolean; expect: DockerEndpoint | undefined }> = [
  { env: {}, socketExists: false, expect: undefined },
  { env: {}, socketExists: true, expect: { kind: 'socket', socketPath: '/var/run/docker.sock', where: '/var/run/docker.sock' } },
  { env: { DOCKER_HOST: 'unix:///run/user/1000/docker.sock' }, socketExists: true, expect: { kind: 'socket', socketPath: '/run/user/1000/docker.sock', where: 'DOCKER_HOST=unix:///run/user/1000/docker.sock' } },
  { env: { DOCKER_HOST: 'tcp://10.0.0.5:2375' }, socketExists: false, expect: { kind: 'http', url: 'http://10.0.0.5:2375', where: 'DOCKER_HOST=tcp://10.0.0.5:2375' } },
  { env: { DOCKER_HOST: 'tcp://10.0.0.5:2376', DOCKER_TLS_VERIFY: '1' }, socketExists: false, expect: { kind: 'unprobed', where: 'DOCKER_HOST=tcp://10.0.0.5:2376' } },
  { env: { DOCKER_HOST: 'ssh://me@builder' }, socketExists: true, expect: { kind: 'unprobed', where: 'DOCKER_HOST=ssh://me@builder' } },
];

test('where Docker is looked for: DOCKER_HOST first, else the default socket', () => {
  for (const c of endpoints) {
    assert.deepEqual(dockerEndpoint(c.env, (f) => c.socketExists && f === DEFAULT_DOCKER_SOCKET), c.expect, JSON.stringify(c));
  }
});

test('a Docker engine answers when /_ping on its socket says 200, not when the socket is missing', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'docker-ping-'));
  const socketPath = path.join(dir, 'docker.sock');
  const server = http.createServer((req, res) => {
    res.statusCode = req.url === '/_ping' ? 200 : 404;
    res.end('OK');
  });
  await new Promise<void>((r) => server.listen(socketPath, () => r()));
  try {
    assert.deepEqual(await machineFacts('12', { DOCKER_HOST: `unix://${socketPath}` }).docker(), { answers: true, where: `DOCKER_HOST=unix://${socketPath}` });
    assert.equal((await machineFacts('12', { DOCKER_HOST: `unix://${dir}/absent.sock` }).docker()).answers, false);
  } finally {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('STACK: local, containers or auto (the default); anything else is one line', () => {
  assert.equal(stackRequest({}), 'auto');
  assert.equal(loadConfig({}).stack, 'auto');
  for (const value of ['local', 'containers', 'auto'] as const) assert.equal(loadConfig({ STACK: value }).stack, value);
  for (const value of ['docker', 'Local', 'podman']) {
    assert.throws(() => loadConfig({ STACK: value }), oneLine(new RegExp(`^STACK="${value}" is not valid: use local, containers, auto$`)));
  }
  assert.ok(SETTINGS.some((s) => s.name === 'STACK'), 'STACK is documented in SETTINGS');
});

test('testcontainers is installed here, so the containers path can be type-checked and chosen', () => {
  assert.doesNotThrow(() => requireTestcontainers());
});

test('the local path never loads testcontainers: only type imports and dynamic imports of it', () => {
  const dir = fileURLToPath(new URL('../../stack/', import.meta.url));
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
    const text = readFileSync(path.join(dir, file), 'utf8');
    assert.doesNotMatch(text, /^import\s+(?!type\b)[^;]*from\s+'testcontainers'/m, file);
    // containers.ts itself is only imported dynamically.
    assert.doesNotMatch(text, /^import\s+(?!type\b)[^;]*from\s+'\.\/containers\.ts'/m, file);
  }
});

test('the containers provider does not import the provider choice: what both need lives in stack/containers-config.ts', () => {
  const text = readFileSync(fileURLToPath(new URL('../../stack/containers.ts', import.meta.url)), 'utf8');
  assert.doesNotMatch(text, /from\s+'\.\/provider\.ts'/);
});
