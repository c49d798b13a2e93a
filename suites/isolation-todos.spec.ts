/**
 * Row isolation on /todos between two users of this test: A and B each own
 * a private and a public todo. B must not read (in any form:
 * list, filter, count, embedding), change, delete or plant A's rows; public
 * rows and one's own rows must stay visible. Other tests create public todos
 * at the same time, so every expectation is computed from rows this test
 * made, never from global counts. Every attack has its positive control: the
 * owner's same read shows the row, the owner's same write takes effect, B's
 * same write on its own row is accepted; otherwise the attack could fail for
 * another reason and the check would pass without checking.
 */
import { randomBytes } from 'node:crypto';
import { ENDPOINTS, type Session, type Todo } from '../fixtures/api.ts';
import type { HttpResponse } from '../fixtures/http.ts';
import { cites, precondition, verify } from '../fixtures/requirements.ts';
import { test } from '../fixtures/test.ts';
import { controlSucceeded } from './support/controls.ts';
import { contentRangeTotal, rowsOf } from './support/postgrest-rows.ts';

interface World {
  a: Session;
  b: Session;
  aId: number;
  aPrivate: Todo;
  aPublic: Todo;
  bOwn: Todo;
  bPublic: Todo;
}

/** A description nobody else uses, so its presence anywhere is this test's row and nothing else. */
const marker = (what: string) => `cnf-${what}-${randomBytes(8).toString('hex')}`;

async function created(session: Session, todo: { description: string; public: boolean }): Promise<Todo> {
  const res = await session.createTodo(todo);
  const row = rowsOf<Todo>(res)[0];
  precondition(res.ok && row?.todo_id !== undefined, `creating a todo answered ${res.status} with no row`);
  return row;
}

async function twoUsers(signedIn: (label?: string) => Promise<Session>): Promise<World> {
  const [a, b] = await Promise.all([signedIn('owner'), signedIn('other')]);
  const [aPrivate, aPublic, bOwn, bPublic] = await Promise.all([
    created(a, { description: marker('private'), public: false }),
    created(a, { description: marker('public'), public: true }),
    created(b, { description: marker('own'), public: false }),
    created(b, { description: marker('own-public'), public: true }),
  ]);
  return { a, b, aId: aPrivate.user_id, aPrivate, aPublic, bOwn, bPublic };
}

/**
 * Every write is tried with both answers a client may ask for. With
 * return=representation PostgreSQL also checks the written row against the
 * read policy, which can mask a missing USING or WITH CHECK; return=minimal
 * is what an attacker would send.
 */
const PREFERENCES = ['return=minimal', 'return=representation'];

const ids = (rows: Todo[]) => rows.map((r) => r.todo_id);
const q = (v: string) => encodeURIComponent(v);

test.describe('isolation-read', () => {
  /** Filters under which B looks for A's rows; each is read as a list, as an exact count, and as a HEAD count. */
  const FILTERS: Array<{ name: string; of: (w: World) => string }> = [
    { name: "A's user_id", of: (w) => `user_id=eq.${w.aId}` },
    { name: "the private todo's id", of: (w) => `todo_id=eq.${w.aPrivate.todo_id}` },
    { name: "the private todo's description", of: (w) => `description=eq.${q(w.aPrivate.description)}` },
    { name: 'both of A\'s ids', of: (w) => `todo_id=in.(${w.aPrivate.todo_id},${w.aPublic.todo_id})` },
  ];

  test("another user's private todo is invisible in lists, filters and counts", cites('isolation-read'), async ({ signedIn }) => {
    const w = await twoUsers(signedIn);
    const leaks = (res: HttpResponse, rows: Todo[]) => ids(rows).includes(w.aPrivate.todo_id) || res.body.includes(w.aPrivate.description);

    const all = await w.b.todos();
    controlSucceeded(all, "B's own unfiltered list", ids(rowsOf<Todo>(all)).includes(w.bOwn.todo_id));
    verify('isolation-read', !leaks(all, rowsOf(all)), {
      expected: "B's unfiltered list without A's private todo",
      actual: `${all.status}, ${rowsOf(all).length} rows, the private todo ${leaks(all, rowsOf(all)) ? 'among them' : 'absent'}`,
    });

    for (const filter of FILTERS) {
      const query = `?${filter.of(w)}`;
      const owners = await w.a.todos(query);
      controlSucceeded(owners, `A's own GET /todos filtered by ${filter.name}`, ids(rowsOf<Todo>(owners)).includes(w.aPrivate.todo_id));
      const list = await w.b.todos(query);
      const rows = rowsOf<Todo>(list);
      verify('isolation-read', !leaks(list, rows), {
        expected: `GET /todos filtered by ${filter.name}: A's private todo absent`,
        actual: `${list.status}, rows ${JSON.stringify(ids(rows))}, private todo id ${w.aPrivate.todo_id}`,
      });
      // The same filter counted must agree with what the list shows: a larger total counts a hidden row.
      const counted = await w.b.todos(query, { Prefer: 'count=exact', 'Range-Unit': 'items', Range: '0-0' });
      const headed = await w.b.send('HEAD', `${ENDPOINTS.todos}${query}`, { headers: { Prefer: 'count=exact' } });
      for (const [how, res] of [['GET with Prefer: count=exact and Range: 0-0', counted], ['HEAD with Prefer: count=exact', headed]] as const) {
        const total = contentRangeTotal(res.header('content-range'));
        if (total === undefined) continue; // no count given: nothing leaks through it
        verify('isolation-read', total === rows.length && !res.body.includes(w.aPrivate.description), {
          expected: `${how} filtered by ${filter.name}: Content-Range total ${rows.length}, the rows B may see`,
          actual: `${res.status}, Content-Range ${res.header('content-range')}`,
        });
      }
    }

    // Embedding A's todos under A's user row. Deployments without a relationship answer 4xx: nothing to check then.
    const embedded = await w.b.users(`?user_id=eq.${w.aId}&select=user_id,todos(todo_id,description)`);
    const nested = rowsOf<{ todos?: Todo[] }>(embedded).flatMap((u) => (Array.isArray(u.todos) ? u.todos : []));
    verify('isolation-read', !leaks(embedded, nested), {
      expected: "A's todos embedded in A's user row, as seen by B: without the private todo",
      actual: `${embedded.status}, embedded todos ${JSON.stringify(ids(nested))}, private todo id ${w.aPrivate.todo_id}`,
    });
  });
});

test.describe('isolation-write', () => {
  /** B's attempts on one of A's todos. */
  const WRITES: Array<{ name: string; target: 'aPrivate' | 'aPublic'; method: string; patch?: (row: Todo) => Partial<Todo> }> = [];
  for (const target of ['aPrivate', 'aPublic'] as const) {
    const which = target === 'aPrivate' ? 'private' : 'public';
    WRITES.push(
      { name: `PATCH of A's ${which} todo`, target, method: 'PATCH', patch: (row) => ({ description: marker('hijacked'), done: !row.done }) },
      { name: `DELETE of A's ${which} todo`, target, method: 'DELETE' },
    );
  }

  /** The control: A's same write, on a todo of A's made for it, takes effect (PATCH changes it, DELETE removes it). */
  async function ownerCanWrite(w: World, c: (typeof WRITES)[number], isPublic: boolean): Promise<void> {
    const own = await created(w.a, { description: marker('control'), public: isPublic });
    const res = await w.a.send(c.method, `${ENDPOINTS.todos}?todo_id=eq.${own.todo_id}`, { json: c.patch?.(own), headers: { Prefer: 'return=minimal' } });
    const now = rowsOf<Todo>(await w.a.todos(`?todo_id=eq.${own.todo_id}`))[0];
    const tookEffect = c.method === 'DELETE' ? now === undefined : now !== undefined && now.description !== own.description;
    controlSucceeded(res, `A's own ${c.method} of its ${isPublic ? 'public' : 'private'} todo`, tookEffect);
  }

  for (const c of WRITES) {
    test(`B's ${c.name} changes nothing`, cites('isolation-write'), async ({ signedIn }) => {
      const w = await twoUsers(signedIn);
      const row = w[c.target];
      await ownerCanWrite(w, c, row.public);
      for (const prefer of PREFERENCES) {
        const res = await w.b.send(c.method, `${ENDPOINTS.todos}?todo_id=eq.${row.todo_id}`, { json: c.patch?.(row), headers: { Prefer: prefer } });
        const touched = rowsOf<Todo>(res);
        verify('isolation-write', touched.length === 0, {
          expected: `B's ${c.name} (Prefer: ${prefer}): refused, or 2xx affecting no row`,
          actual: `${res.status}, ${touched.length} row(s) affected`,
        });
        const reread = await w.a.todos(`?todo_id=eq.${row.todo_id}`);
        const now = rowsOf<Todo>(reread)[0];
        precondition(reread.ok, `A re-reading its own todo answered ${reread.status}`);
        const intact = now !== undefined && now.description === row.description && now.done === row.done && now.public === row.public && now.user_id === row.user_id;
        verify('isolation-write', intact, {
          expected: `after B's ${c.name} (Prefer: ${prefer}), A's todo ${row.todo_id} unchanged: ${JSON.stringify({ description: row.description, done: row.done, public: row.public })}`,
          actual: now === undefined ? 'gone' : JSON.stringify({ description: now.description, done: now.done, public: now.public, user_id: now.user_id }),
        });
      }
    });
  }
});

test.describe('isolation-insert', () => {
  /** What A sees of todos with this description that are filed under A. */
  async function filedUnderA(w: World, description: string): Promise<Todo[]> {
    const res = await w.a.todos(`?description=eq.${q(description)}`);
    precondition(res.ok, `A reading its todos answered ${res.status}`);
    return rowsOf<Todo>(res).filter((r) => r.user_id === w.aId);
  }

  /** The control of the detector: A finds its own todo by description, as it would find one planted in its name. */
  async function plantingWouldShow(w: World): Promise<void> {
    const found = await filedUnderA(w, w.aPrivate.description);
    precondition(found.length === 1, `A looking for its own todo by description found ${found.length}`);
  }

  test("B cannot create a todo in A's name", cites('isolation-insert'), async ({ signedIn }) => {
    // twoUsers is the control of the POST itself: B created its own todos with it.
    const w = await twoUsers(signedIn);
    await plantingWouldShow(w);
    for (const prefer of PREFERENCES) {
      const description = marker('planted');
      const res = await w.b.send('POST', ENDPOINTS.todos, { json: { description, user_id: w.aId }, headers: { Prefer: prefer } });
      const returned = rowsOf<Todo>(res);
      const planted = await filedUnderA(w, description);
      verify('isolation-insert', planted.length === 0 && !returned.some((r) => r.user_id === w.aId), {
        expected: `B's POST /todos with user_id ${w.aId} (A), Prefer: ${prefer}: refused, or stored under B`,
        actual: `${res.status}; rows returned to B owned by ${JSON.stringify(returned.map((r) => r.user_id))}; ${planted.length} such todo(s) under A`,
      });
    }
  });

  test("B cannot move its own todos into A's name", cites('isolation-insert'), async ({ signedIn }) => {
    const w = await twoUsers(signedIn);
    // A public todo too: PostgreSQL refuses an UPDATE whose new row the mover could no longer read,
    // so a missing WITH CHECK shows only on rows that stay visible after the move.
    await plantingWouldShow(w);
    for (const own of [w.bOwn, w.bPublic]) {
      // The control: B may PATCH this todo of its own (another column; a deployment may refuse any change
      // of user_id, which is conformant), so a move without effect is about the owner, not a broken PATCH.
      const same = await w.b.send('PATCH', `${ENDPOINTS.todos}?todo_id=eq.${own.todo_id}`, { json: { done: !own.done }, headers: { Prefer: 'return=representation' } });
      controlSucceeded(same, `B's PATCH of done on its own todo ${own.todo_id}`, rowsOf<Todo>(same).length === 1);
      for (const prefer of PREFERENCES) {
        const res = await w.b.send('PATCH', `${ENDPOINTS.todos}?todo_id=eq.${own.todo_id}`, { json: { user_id: w.aId }, headers: { Prefer: prefer } });
        const moved = await filedUnderA(w, own.description);
        verify('isolation-insert', moved.length === 0, {
          expected: `B's PATCH of its ${own.public ? 'public' : 'private'} todo to user_id ${w.aId} (A), Prefer: ${prefer}: refused or without effect`,
          actual: `${res.status}; ${moved.length} todo(s) now under A`,
        });
      }
    }
  });
});

test('public todos are shared and owners see all of their own', cites('isolation-public'), async ({ signedIn }) => {
  const w = await twoUsers(signedIn);
  const byId = await w.b.todos(`?todo_id=eq.${w.aPublic.todo_id}`);
  verify('isolation-public', ids(rowsOf(byId)).includes(w.aPublic.todo_id), {
    expected: `B reads A's public todo ${w.aPublic.todo_id} by id`,
    actual: `${byId.status}, rows ${JSON.stringify(ids(rowsOf(byId)))}`,
  });
  const listed = await w.b.todos(`?user_id=eq.${w.aId}`);
  verify('isolation-public', ids(rowsOf(listed)).includes(w.aPublic.todo_id), {
    expected: `B's list of A's todos includes the public one (${w.aPublic.todo_id})`,
    actual: `${listed.status}, rows ${JSON.stringify(ids(rowsOf(listed)))}`,
  });
  for (const [who, session, own] of [
    ['A', w.a, [w.aPrivate, w.aPublic]],
    ['B', w.b, [w.bOwn]],
  ] as const) {
    const mine = await session.todos(`?user_id=eq.${own[0].user_id}`);
    const seen = ids(rowsOf(mine));
    verify('isolation-public', own.every((t) => seen.includes(t.todo_id)), {
      expected: `${who} sees all of their own todos: ${JSON.stringify(ids([...own]))}`,
      actual: `${mine.status}, rows ${JSON.stringify(seen)}`,
    });
  }
});
