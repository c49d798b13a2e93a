/**
 * Row isolation on the resources whose rows belong to one user each (the
 * profile's resources[]), between two users of this test: A and B each own a
 * private row and, where the resource has a visibility column, a shared one.
 * B must not read A's private rows (in any form: list, filter, count,
 * embedding), change or delete A's rows, or write in A's name; shared rows
 * and one's own rows must stay visible. Other tests create shared rows at the
 * same time, so every expectation is computed from rows this test made, never
 * from global counts. Every attack has its positive control: the owner's same
 * read shows the row, the owner's same write takes effect, B's same write on
 * its own row is accepted; otherwise the attack could fail for another reason
 * and the check would pass without checking.
 *
 * The full battery runs on the primary resource (the profile's first); every
 * other resource gets a shorter one (the read filters by owner and by id, the
 * writes on private rows, both insert checks, the visibility check), so that
 * a deployment with many resources is judged on each without multiplying the
 * run. Attacks on shared rows run on the first resource that has them.
 */
import { randomBytes } from 'node:crypto';
import type { DeploymentApi, OwnedRows, Row, Session } from '../fixtures/api.ts';
import type { HttpResponse } from '../fixtures/http.ts';
import { cites, notApplicableUnless, noteThat, precondition, verify } from '../fixtures/requirements.ts';
import { test } from '../fixtures/test.ts';
import { controlSucceeded } from './support/controls.ts';
import { contentRangeTotal, rowsOf } from './support/postgrest-rows.ts';

/** One resource's rows of this test. A's id is the owner the server (or A itself) filed A's row under. */
interface Owned {
  r: OwnedRows;
  aId: unknown;
  aPrivate: Row;
  /** Only where the resource has a visibility column. */
  aShared?: Row;
  bOwn: Row;
  bShared?: Row;
}

interface World {
  a: Session;
  b: Session;
  /** In the profile's order: the primary resource first. */
  on: Owned[];
}

/** A text nobody else uses, so its presence anywhere is this test's row and nothing else. */
const marker = (what: string) => `cnf-${what}-${randomBytes(8).toString('hex')}`;

const visibility = (shared: boolean) => (shared ? 'shared' : 'private');

async function created(session: Session, r: OwnedRows, shared: boolean, what: string): Promise<Row> {
  const res = await session.createRow({ text: marker(what), shared }, r);
  const row = rowsOf<Row>(res)[0];
  precondition(
    res.ok && row !== undefined && r.id(row) !== undefined && r.owner(row) !== undefined,
    `creating a row of ${r.name} answered ${res.status} with no row carrying ${r.idColumn} and ${r.ownerColumn} (profile resources[].newRow, idColumn, ownerColumn)`,
  );
  return row;
}

/**
 * A's and B's rows on one resource. B's own rows are also the control of
 * every insert attack: with a client-supplied owner, B sent its own id and
 * the deployment took it.
 */
async function rowsOn(a: Session, b: Session, r: OwnedRows): Promise<Owned> {
  const sharing = r.sharing !== 'none';
  const [aPrivate, aShared, bOwn, bShared] = await Promise.all([
    created(a, r, false, 'private'),
    sharing ? created(a, r, true, 'shared') : undefined,
    created(b, r, false, 'own'),
    sharing ? created(b, r, true, 'own-shared') : undefined,
  ]);
  return { r, aId: r.owner(aPrivate), aPrivate, aShared, bOwn, bShared };
}

async function twoUsers(signedIn: (label?: string) => Promise<Session>, resources: OwnedRows[]): Promise<World> {
  const [a, b] = await Promise.all([signedIn('owner'), signedIn('other')]);
  return { a, b, on: await Promise.all(resources.map((r) => rowsOn(a, b, r))) };
}

/** The first resource whose rows can be shared: where attacks on shared rows run. */
const sharingResource = (api: DeploymentApi) => api.resources.find((r) => r.sharing !== 'none');
const NO_SHARING = 'no owned resource has a visibility column (profile resources[].visibility): there are no shared rows';

/**
 * Every write is tried with both answers a client may ask for. With
 * return=representation PostgreSQL also checks the written row against the
 * read policy, which can mask a missing USING or WITH CHECK; return=minimal
 * is what an attacker would send.
 */
const PREFERENCES = ['return=minimal', 'return=representation'];

const idsOf = (r: OwnedRows, rows: Row[]) => rows.map((row) => r.id(row));

/** The row with this row's id, as this session reads it (undefined when it does not see it). */
async function reread(session: Session, o: Owned, row: Row): Promise<{ res: HttpResponse; now?: Row }> {
  const res = await session.rows(`?${o.r.byId(o.r.id(row))}`, undefined, o.r);
  return { res, now: rowsOf<Row>(res)[0] };
}

/** Every column of the row as created still holds its value. */
const unchanged = (before: Row, now: Row | undefined) =>
  now !== undefined && Object.entries(before).every(([k, v]) => JSON.stringify(now[k]) === JSON.stringify(v));

test.describe('isolation-read', () => {
  /** Filters under which B looks for A's rows; each is read as a list, as an exact count, and as a HEAD count. */
  const FILTERS: Array<{ name: string; of: (o: Owned) => string; everywhere?: true }> = [
    { name: "A's owner id", of: (o) => o.r.byOwner(o.aId), everywhere: true },
    { name: "the private row's id", of: (o) => o.r.byId(o.r.id(o.aPrivate)), everywhere: true },
    { name: "the private row's text", of: (o) => o.r.byText(o.r.text(o.aPrivate)) },
    // With A's shared row where there is one (both of A's ids), else with B's own.
    { name: "the private row's id among two", of: (o) => o.r.byIds([o.r.id(o.aPrivate), o.r.id(o.aShared ?? o.bOwn)]) },
  ];

  /**
   * A's rows embedded under A's row of the users listing; PostgREST embeds by
   * relation name, the resource's path without its `/`. Undefined when the
   * profile has no users listing, or no column to find A's row by.
   */
  function embedding(api: DeploymentApi, o: Owned): { query: string; relation: string } | undefined {
    const idColumn = api.profile.users?.idColumn ?? api.userIdField;
    if (!api.usersPath || !idColumn) return undefined;
    const relation = o.r.name.replace(/^\/+/, '');
    const query = `?${idColumn}=eq.${encodeURIComponent(String(o.aId))}&select=${idColumn},${relation}(${o.r.idColumn},${o.r.textColumn})`;
    return { query, relation };
  }

  async function readOn(w: World, o: Owned, filters: typeof FILTERS, api: DeploymentApi): Promise<void> {
    const { r, aPrivate } = o;
    const privateId = r.id(aPrivate);
    const leaks = (res: HttpResponse, rows: Row[]) => idsOf(r, rows).includes(privateId) || res.body.includes(r.text(aPrivate));

    const all = await w.b.rows('', undefined, r);
    controlSucceeded(all, `B's own unfiltered list of ${r.name}`, idsOf(r, rowsOf(all)).includes(r.id(o.bOwn)));
    verify('isolation-read', !leaks(all, rowsOf(all)), {
      expected: `B's unfiltered list of ${r.name} without A's private row`,
      actual: `${all.status}, ${rowsOf(all).length} rows, the private row ${leaks(all, rowsOf(all)) ? 'among them' : 'absent'}`,
    });

    for (const filter of filters) {
      const query = `?${filter.of(o)}`;
      const owners = await w.a.rows(query, undefined, r);
      controlSucceeded(owners, `A's own GET ${r.name} filtered by ${filter.name}`, idsOf(r, rowsOf(owners)).includes(privateId));
      const list = await w.b.rows(query, undefined, r);
      const rows = rowsOf<Row>(list);
      verify('isolation-read', !leaks(list, rows), {
        expected: `GET ${r.name} filtered by ${filter.name}: A's private row absent`,
        actual: `${list.status}, rows ${JSON.stringify(idsOf(r, rows))}, private row ${r.idColumn} ${JSON.stringify(privateId)}`,
      });
      // The same filter counted must agree with what the list shows: a larger total counts a hidden row.
      const counted = await w.b.rows(query, { Prefer: 'count=exact', 'Range-Unit': 'items', Range: '0-0' }, r);
      const headed = await w.b.send('HEAD', `${r.path}${query}`, { headers: { Prefer: 'count=exact' } });
      for (const [how, res] of [['GET with Prefer: count=exact and Range: 0-0', counted], ['HEAD with Prefer: count=exact', headed]] as const) {
        const total = contentRangeTotal(res.header('content-range'));
        if (total === undefined) continue; // no count given: nothing leaks through it
        verify('isolation-read', total === rows.length && !res.body.includes(r.text(aPrivate)), {
          expected: `${how} on ${r.name} filtered by ${filter.name}: Content-Range total ${rows.length}, the rows B may see`,
          actual: `${res.status}, Content-Range ${res.header('content-range')}`,
        });
      }
    }

    // Deployments without a relationship answer 4xx: nothing to check then. Without a users listing, nothing to embed under.
    const embed = embedding(api, o);
    if (!embed) {
      noteThat(`A's ${r.name} rows embedded under A's user row were not tried: the profile has no users listing (profile users)`);
      return;
    }
    const embedded = await w.b.users(embed.query);
    const nested = rowsOf<Row>(embedded).flatMap((u) => (Array.isArray(u[embed.relation]) ? (u[embed.relation] as Row[]) : []));
    verify('isolation-read', !leaks(embedded, nested), {
      expected: `A's ${r.name} rows embedded in A's user row, as seen by B: without the private row`,
      actual: `${embedded.status}, embedded rows ${JSON.stringify(idsOf(r, nested))}, private row ${r.idColumn} ${JSON.stringify(privateId)}`,
    });
  }

  test("another user's private rows are invisible in lists, filters and counts", cites('isolation-read'), async ({ signedIn, api }) => {
    const w = await twoUsers(signedIn, api.resources);
    for (const [i, o] of w.on.entries()) await readOn(w, o, i === 0 ? FILTERS : FILTERS.filter((f) => f.everywhere), api);
  });
});

test.describe('isolation-write', () => {
  /** B's attempts on one of A's rows: private ones on every resource, shared ones on the first that has them. */
  const WRITES = (['private', 'shared'] as const).flatMap((which) => (['PATCH', 'DELETE'] as const).map((method) => ({ which, method })));
  type Write = (typeof WRITES)[number];

  /** The write itself, on the row with this id; a PATCH changes only the text. */
  function write(session: Session, o: Owned, c: Write, row: Row, prefer: string): Promise<HttpResponse> {
    const filter = o.r.byId(o.r.id(row));
    return c.method === 'DELETE' ? session.deleteRows(filter, o.r, prefer) : session.updateRows(filter, o.r.patchText(marker('hijacked')), o.r, prefer);
  }

  /** The control: A's same write, on a row of A's made for it, takes effect (PATCH changes it, DELETE removes it). */
  async function ownerCanWrite(w: World, o: Owned, c: Write): Promise<void> {
    const own = await created(w.a, o.r, c.which === 'shared', 'control');
    const res = await write(w.a, o, c, own, 'return=minimal');
    const { now } = await reread(w.a, o, own);
    const tookEffect = c.method === 'DELETE' ? now === undefined : now !== undefined && o.r.text(now) !== o.r.text(own);
    controlSucceeded(res, `A's own ${c.method} of its ${c.which} row of ${o.r.name}`, tookEffect);
  }

  async function attack(w: World, o: Owned, c: Write): Promise<void> {
    const row = (c.which === 'shared' ? o.aShared : o.aPrivate)!;
    await ownerCanWrite(w, o, c);
    const what = `B's ${c.method} of A's ${c.which} row of ${o.r.name}`;
    for (const prefer of PREFERENCES) {
      const res = await write(w.b, o, c, row, prefer);
      const touched = rowsOf<Row>(res);
      verify('isolation-write', touched.length === 0, {
        expected: `${what} (Prefer: ${prefer}): refused, or 2xx affecting no row`,
        actual: `${res.status}, ${touched.length} row(s) affected`,
      });
      const after = await reread(w.a, o, row);
      precondition(after.res.ok, `A re-reading its own row of ${o.r.name} answered ${after.res.status}`);
      verify('isolation-write', unchanged(row, after.now), {
        expected: `after ${what} (Prefer: ${prefer}), A's row unchanged: ${JSON.stringify(row)}`,
        actual: after.now === undefined ? 'gone' : JSON.stringify(after.now),
      });
    }
  }

  for (const c of WRITES) {
    test(`B's ${c.method} of A's ${c.which} row changes nothing`, cites('isolation-write'), async ({ signedIn, api }) => {
      const shared = sharingResource(api);
      if (c.which === 'shared') notApplicableUnless(shared !== undefined, NO_SHARING);
      const w = await twoUsers(signedIn, c.which === 'shared' ? [shared!] : api.resources);
      for (const o of w.on) await attack(w, o, c);
    });
  }
});

test.describe('isolation-insert', () => {
  /** What A sees of rows with this text that are filed under A. */
  async function filedUnderA(w: World, o: Owned, text: string): Promise<Row[]> {
    const res = await w.a.rows(`?${o.r.byText(text)}`, undefined, o.r);
    precondition(res.ok, `A reading its rows of ${o.r.name} answered ${res.status}`);
    return rowsOf<Row>(res).filter((row) => o.r.owner(row) === o.aId);
  }

  /** The control of the detector: A finds its own row by text, as it would find one planted in its name. */
  async function plantingWouldShow(w: World, o: Owned): Promise<void> {
    const found = await filedUnderA(w, o, o.r.text(o.aPrivate));
    precondition(found.length === 1, `A looking for its own row of ${o.r.name} by ${o.r.textColumn} found ${found.length}`);
  }

  test("B cannot create a row in A's name", cites('isolation-insert'), async ({ signedIn, api }) => {
    // twoUsers is the control of the POST itself: B created its own rows with it (sending its own id where the client sends the owner).
    const w = await twoUsers(signedIn, api.resources);
    for (const o of w.on) {
      await plantingWouldShow(w, o);
      for (const prefer of PREFERENCES) {
        const text = marker('planted');
        // A's id sent explicitly, whether the client normally sends the owner or the server fills it in.
        const res = await w.b.createRow({ text, extra: o.r.patchOwner(o.aId) }, o.r, prefer);
        const returned = rowsOf<Row>(res);
        const planted = await filedUnderA(w, o, text);
        verify('isolation-insert', planted.length === 0 && !returned.some((row) => o.r.owner(row) === o.aId), {
          expected: `B's POST ${o.r.name} with ${o.r.ownerColumn} ${JSON.stringify(o.aId)} (A), Prefer: ${prefer}: refused, or stored under B`,
          actual: `${res.status}; rows returned to B owned by ${JSON.stringify(returned.map((row) => o.r.owner(row)))}; ${planted.length} such row(s) under A`,
        });
      }
    }
  });

  test("B cannot move its own rows into A's name", cites('isolation-insert'), async ({ signedIn, api }) => {
    const w = await twoUsers(signedIn, api.resources);
    for (const o of w.on) {
      await plantingWouldShow(w, o);
      // A shared row too: PostgreSQL refuses an UPDATE whose new row the mover could no longer read,
      // so a missing WITH CHECK shows only on rows that stay visible after the move.
      for (const own of [o.bOwn, o.bShared].filter((row): row is Row => row !== undefined)) {
        const filter = o.r.byId(o.r.id(own));
        // The control: B may PATCH this row of its own (its text; a deployment may refuse any change of the
        // owner, which is conformant), so a move without effect is about the owner, not a broken PATCH.
        const text = marker('moved');
        const same = await w.b.updateRows(filter, o.r.patchText(text), o.r);
        controlSucceeded(same, `B's PATCH of ${o.r.textColumn} on its own row of ${o.r.name}`, rowsOf(same).length === 1);
        for (const prefer of PREFERENCES) {
          const res = await w.b.updateRows(filter, o.r.patchOwner(o.aId), o.r, prefer);
          const moved = await filedUnderA(w, o, text);
          verify('isolation-insert', moved.length === 0, {
            expected: `B's PATCH of its ${visibility(o.r.shared(own))} row of ${o.r.name} to ${o.r.ownerColumn} ${JSON.stringify(o.aId)} (A), Prefer: ${prefer}: refused or without effect`,
            actual: `${res.status}; ${moved.length} row(s) now under A`,
          });
        }
      }
    }
  });
});

test('shared rows are visible to every signed-in user and owners see all of their own', cites('isolation-public'), async ({ signedIn, api }) => {
  const w = await twoUsers(signedIn, api.resources);
  const unshared = w.on.filter((o) => o.aShared === undefined).map((o) => o.r.name);
  if (unshared.length) noteThat(`${unshared.join(', ')}: no visibility column (profile resources[].visibility), so only "owners see all of their own rows" was checked there`);
  for (const o of w.on) {
    const { r } = o;
    if (o.aShared) {
      const sharedId = r.id(o.aShared);
      const byId = await w.b.rows(`?${r.byId(sharedId)}`, undefined, r);
      verify('isolation-public', idsOf(r, rowsOf(byId)).includes(sharedId), {
        expected: `B reads A's shared row of ${r.name} (${r.idColumn} ${JSON.stringify(sharedId)}) by id`,
        actual: `${byId.status}, rows ${JSON.stringify(idsOf(r, rowsOf(byId)))}`,
      });
      const listed = await w.b.rows(`?${r.byOwner(o.aId)}`, undefined, r);
      verify('isolation-public', idsOf(r, rowsOf(listed)).includes(sharedId), {
        expected: `B's list of A's rows of ${r.name} includes the shared one (${JSON.stringify(sharedId)})`,
        actual: `${listed.status}, rows ${JSON.stringify(idsOf(r, rowsOf(listed)))}`,
      });
    }
    for (const [who, session, own] of [
      ['A', w.a, [o.aPrivate, o.aShared]],
      ['B', w.b, [o.bOwn, o.bShared]],
    ] as const) {
      const rows = own.filter((row): row is Row => row !== undefined);
      const mine = await session.rows(`?${r.byOwner(r.owner(rows[0]))}`, undefined, r);
      const seen = idsOf(r, rowsOf(mine));
      verify('isolation-public', rows.every((row) => seen.includes(r.id(row))), {
        expected: `${who} sees all of their own rows of ${r.name}: ${JSON.stringify(idsOf(r, rows))}`,
        actual: `${mine.status}, rows ${JSON.stringify(seen)}`,
      });
    }
  }
});
