import assert from 'node:assert/strict';
import net from 'node:net';
import { test } from 'node:test';
import { findPostgrest, firstWorkingPostgrest, pgTapProblem } from '../../stack/binaries.ts';
import { requirePortFree } from '../../stack/ports.ts';
import { UserError } from '../../lib/user-error.ts';

const oneLine = (pattern: RegExp) => (e: unknown) => e instanceof UserError && pattern.test(e.message) && !e.message.includes('\n');

test('missing pgTAP is one line naming the package to install, not a refusal', () => {
  const pg = { bindir: '/x', initdb: '/x/initdb', postgres: '/x/postgres', extensionDir: '/nonexistent', version: 'postgres (PostgreSQL) 15.18' };
  const problem = pgTapProblem(pg);
  assert.match(problem ?? '', /apt-get install postgresql-15-pgtap/);
  assert.ok(!problem!.includes('\n'));
});

test('no PostgREST binary names the fix', () => {
  assert.throws(() => firstWorkingPostgrest(['/nonexistent/postgrest']), oneLine(/POSTGREST_BIN/));
});

test('an unknown PostgREST build is refused', () => {
  assert.throws(() => findPostgrest('13'), oneLine(/unknown PostgREST build "13"/));
});

test('a taken port is one line', async () => {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as net.AddressInfo).port;
  await assert.rejects(requirePortFree(port), oneLine(new RegExp(`port ${port} on 127.0.0.1 is taken`)));
  server.close();
});
