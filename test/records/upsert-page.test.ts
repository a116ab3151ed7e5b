// upsertPage on the engine under test (PGlite, or PostgreSQL with DATABASE_URL): new records go
// through COPY, changed ones through INSERT ... ON CONFLICT, and a record stored by another writer
// between the lookup and the COPY falls back to the INSERT path with the right counts.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ensureDefaultAccount } from '../../src/accounts/index.ts';
import type { SourceRecord } from '../../src/connectors/types.ts';
import { materialise, preparePage, upsertPage, type UpsertResult } from '../../src/records/store.ts';
import type { Queryable } from '../../src/store/db.ts';
import { parseCopyText, type CopyValue } from '../../src/store/copy.ts';
import { effectiveFrom } from '../../src/unified/mapping.ts';
import { createTestDatabase, onPostgres, type TestDatabase } from '../helpers/database.ts';
import { restConnector } from '../helpers/test-remote.ts';

let t: TestDatabase;
const mapping = effectiveFrom(restConnector(), 'work_orders', {});
const ENTITY = 'work_orders';
let connections = 0;

before(async () => {
  t = await createTestDatabase();
  await ensureDefaultAccount(t.db);
});
after(() => t.drop());

async function newConnection(): Promise<string> {
  const id = `conn_t${++connections}`;
  const [env] = await t.db.query<{ id: string }>('SELECT id FROM environments ORDER BY created_at LIMIT 1');
  await t.db.query(
    `INSERT INTO connections (id, environment_id, system, deployment, customer_id, customer_name, instance_url,
       credentials_enc, credits) VALUES ($1, $2, 'test-rest', 'cloud', $1, $1, 'http://x', 'x', 1)`,
    [id, env.id],
  );
  return id;
}

const wo = (
  id: string,
  patch: Record<string, unknown> = {},
  rec: Partial<SourceRecord> = {},
): SourceRecord => ({
  remoteId: id,
  data: { id, title: `Order ${id}`, status: 'open', asset: 'A1', ...patch },
  remoteCreatedAt: '2024-01-01T00:00:00.000Z',
  remoteUpdatedAt: '2024-02-01T12:00:00.000Z',
  ...rec,
});

/** The Queryable with its COPYs counted; `afterLookup` runs once, right after the first query. */
function spy(q: Queryable, opts: { afterLookup?: () => Promise<void>; failCopy?: boolean } = {}) {
  const copies: number[] = [];
  let first = true;
  const wrapped: Queryable = {
    async query<T>(sql: string, params?: unknown[]) {
      const rows = await q.query<T>(sql, params);
      if (first) {
        first = false;
        await opts.afterLookup?.();
      }
      return rows;
    },
    async copyRows(table: string, columns: readonly string[], rows: readonly (readonly CopyValue[])[]) {
      copies.push(rows.length);
      if (opts.failCopy) throw Object.assign(new Error('duplicate key value (simulated)'), { code: '23505' });
      return q.copyRows(table, columns, rows);
    },
    async copyText(table: string, columns: readonly string[], chunks: readonly Uint8Array[]) {
      copies.push(parseCopyText(chunks).length);
      if (opts.failCopy) throw Object.assign(new Error('duplicate key value (simulated)'), { code: '23505' });
      return q.copyText(table, columns, chunks);
    },
  };
  return { q: wrapped, copies };
}

const write = (q: Queryable, connectionId: string, runId: string | null, records: SourceRecord[]) =>
  upsertPage(q, { connectionId, entity: ENTITY, runId, records, mapping });

interface Stored {
  remote_id: string;
  data: string;
  content_hash: string;
  unified: Record<string, unknown>;
  mapping_hash: string;
  remote_created_at: Date | null;
  remote_updated_at: Date | null;
  deleted: boolean;
  deleted_at: Date | null;
  last_seen_run: string | null;
  entity: string;
  seq: number;
  first_seen_at: Date;
  last_seen_at: Date;
  created_at: Date;
  modified_at: Date;
}

async function stored(connectionId: string): Promise<Map<string, Stored>> {
  const rows = await t.db.query<Stored>(
    `SELECT remote_id, data::text AS data, content_hash, unified, mapping_hash, remote_created_at, remote_updated_at,
            deleted, deleted_at, last_seen_run, entity, seq, first_seen_at, last_seen_at, created_at, modified_at
       FROM records WHERE connection_id = $1 ORDER BY seq`,
    [connectionId],
  );
  return new Map(rows.map((r) => [r.remote_id, r]));
}

const counts = (r: UpsertResult) => ({
  added: r.added,
  updated: r.updated,
  deleted: r.deleted,
  unchanged: r.unchanged,
});
const kinds = (r: UpsertResult) => r.changes.map((c) => `${c.kind}:${c.remoteId}`);

const variety = (): SourceRecord[] => [
  wo('1'),
  wo(
    '2',
    {
      title: 'Größe ½ € 日本語 😀\nsecond line\twith a tab\r\n',
      due: '\\/Date(1700000000000)\\/',
      path: 'C:\\temp\\',
      nested: { a: [1, null, true], b: '"quoted"' },
    },
    { remoteCreatedAt: null },
  ),
  wo('3', { status: 'done' }, { deleted: true }),
  wo('4', {}, { remoteCreatedAt: null, remoteUpdatedAt: '2024-03-01T10:00:00.123456+01:00' }),
];

test('new records are written with COPY and stored exactly as INSERT ... ON CONFLICT stores them', async () => {
  const viaCopy = await newConnection();
  const viaInsert = await newConnection();
  const copies: number[] = [];
  const resA = await t.db.tx(async (q) => {
    const s = spy(q);
    const r = await write(s.q, viaCopy, 'run_a', variety());
    copies.push(...s.copies);
    return r;
  });
  assert.deepEqual(copies, [4], 'one COPY of the four new records');
  // The same page, with the COPY failing as if every row existed: all rows go through INSERT.
  const resB = await t.db.tx((q) => write(spy(q, { failCopy: true }).q, viaInsert, 'run_a', variety()));

  for (const r of [resA, resB]) {
    assert.deepEqual(counts(r), { added: 4, updated: 0, deleted: 0, unchanged: 0 });
    assert.deepEqual(kinds(r), ['created:1', 'created:2', 'created:4'], 'first seen deleted is not reported');
    assert.equal(r.maxRemoteUpdatedAt, '2024-03-01T10:00:00.123456+01:00');
  }
  const [rowsA, rowsB] = [await stored(viaCopy), await stored(viaInsert)];
  assert.deepEqual([...rowsA.keys()], ['1', '2', '3', '4'], 'seq follows the page order');
  for (const rec of variety()) {
    const x = rowsA.get(rec.remoteId)!;
    const y = rowsB.get(rec.remoteId)!;
    assert.equal(x.data, JSON.stringify(rec.data), 'data is the JSON text as sent');
    assert.deepEqual(x.unified, materialise(mapping, viaCopy, rec.data));
    assert.deepEqual(y.unified, materialise(mapping, viaInsert, rec.data));
    assert.equal(
      x.remote_created_at?.toISOString() ?? null,
      rec.remoteCreatedAt ? new Date(rec.remoteCreatedAt).toISOString() : null,
    );
    for (const col of [
      'data',
      'content_hash',
      'mapping_hash',
      'remote_created_at',
      'remote_updated_at',
      'deleted',
      'last_seen_run',
      'entity',
    ] as const) {
      assert.deepEqual(x[col], y[col], `${rec.remoteId}.${col}`);
    }
    for (const row of [x, y]) {
      // Every timestamp of a new row is the transaction's now(), deleted_at too for a deleted row.
      const now = row.created_at.getTime();
      assert.deepEqual(
        [row.first_seen_at, row.last_seen_at, row.modified_at].map((d) => d.getTime()),
        [now, now, now],
      );
      assert.equal(row.deleted_at?.getTime() ?? null, rec.deleted ? now : null);
    }
  }
  // Microseconds survive (a Date would keep milliseconds only).
  const [{ us, del }] = await t.db.query<{ us: string; del: boolean }>(
    `SELECT remote_updated_at = '2024-03-01T10:00:00.123456+01:00'::timestamptz AS us,
            (SELECT deleted_at = created_at FROM records WHERE connection_id = $1 AND remote_id = '3') AS del
       FROM records WHERE connection_id = $1 AND remote_id = '4'`,
    [viaCopy],
  );
  assert.equal(us, true);
  assert.equal(del, true);
});

test('a mixed page: unchanged, changed, now deleted, new, new and already deleted', async () => {
  const conn = await newConnection();
  await t.db.tx((q) => write(q, conn, 'run_1', [wo('1'), wo('2'), wo('3'), wo('4')]));
  const before = await stored(conn);
  const copies: number[] = [];
  const res = await t.db.tx(async (q) => {
    const w = spy(q);
    const r = await write(w.q, conn, 'run_2', [
      wo('1'), // unchanged
      wo('2', { title: 'changed' }),
      wo('3', {}, { deleted: true }),
      wo('5'),
      wo('6', {}, { deleted: true }),
      wo('7', { title: 'tab\there' }),
      wo('5', { title: 'the last occurrence wins' }),
    ]);
    copies.push(...w.copies);
    return r;
  });
  assert.deepEqual(copies, [3], 'only the three new records are copied');
  assert.deepEqual(counts(res), { added: 3, updated: 1, deleted: 1, unchanged: 1 });
  assert.deepEqual(kinds(res), ['updated:2', 'deleted:3', 'created:5', 'created:7']);
  const rows = await stored(conn);
  assert.equal(rows.size, 7);
  assert.equal(rows.get('1')!.last_seen_run, 'run_2', 'unchanged records are marked seen');
  assert.equal(rows.get('1')!.modified_at.getTime(), before.get('1')!.modified_at.getTime());
  assert.equal(rows.get('4')!.last_seen_run, 'run_1', 'records not in the page are untouched');
  assert.equal(JSON.parse(rows.get('2')!.data).title, 'changed');
  assert.equal(rows.get('2')!.created_at.getTime(), before.get('2')!.created_at.getTime());
  assert.equal(rows.get('2')!.seq, before.get('2')!.seq);
  assert.ok(rows.get('3')!.deleted && rows.get('3')!.deleted_at);
  assert.equal(JSON.parse(rows.get('5')!.data).title, 'the last occurrence wins');
  const six = rows.get('6')!;
  assert.ok(six.deleted);
  assert.equal(six.deleted_at!.getTime(), six.created_at.getTime());
  assert.equal(JSON.parse(rows.get('7')!.data).title, 'tab\there');
  for (const id of ['5', '6', '7']) assert.equal(rows.get(id)!.last_seen_run, 'run_2');
  assert.ok(rows.get('5')!.seq > rows.get('4')!.seq);
});

test('no COPY for a page without new records; pages of one record and empty pages', async () => {
  const conn = await newConnection();
  const copies: number[] = [];
  const run = (records: SourceRecord[]) =>
    t.db.tx(async (q) => {
      const w = spy(q);
      const r = await write(w.q, conn, null, records);
      copies.push(...w.copies);
      return r;
    });
  assert.deepEqual(counts(await run([wo('1')])), { added: 1, updated: 0, deleted: 0, unchanged: 0 });
  assert.deepEqual(copies, [1]);
  assert.deepEqual(counts(await run([wo('1')])), { added: 0, updated: 0, deleted: 0, unchanged: 1 });
  assert.deepEqual(counts(await run([wo('1', { title: 'x' })])), {
    added: 0,
    updated: 1,
    deleted: 0,
    unchanged: 0,
  });
  assert.deepEqual(counts(await run([])), { added: 0, updated: 0, deleted: 0, unchanged: 0 });
  assert.deepEqual(copies, [1], 'no further COPY');
  assert.equal((await stored(conn)).size, 1);
});

test('records stored by another writer between the lookup and the COPY fall back to INSERT', async () => {
  const conn = await newConnection();
  // The other writer (a live read) stores record 2 in an older version and record 3 as the page has it.
  const concurrent = (q: Queryable) => write(q, conn, null, [wo('2', { title: 'older' }), wo('3')]);
  const copies: number[] = [];
  const res = await t.db.tx(async (q) => {
    const w = spy(q, {
      // On PostgreSQL a separate, committed transaction; PGlite has one connection, so the same one.
      afterLookup: async () => void (onPostgres() ? await t.db.tx(concurrent) : await concurrent(q)),
    });
    const r = await write(w.q, conn, 'run_1', [wo('1'), wo('2'), wo('3')]);
    copies.push(...w.copies);
    return r;
  });
  assert.deepEqual(copies, [3], 'the COPY was tried (and failed on the duplicate)');
  assert.deepEqual(counts(res), { added: 1, updated: 1, deleted: 0, unchanged: 1 });
  assert.deepEqual(kinds(res), ['created:1', 'updated:2']);
  const rows = await stored(conn);
  assert.deepEqual([...rows.keys()].sort(), ['1', '2', '3']);
  assert.equal(JSON.parse(rows.get('2')!.data).title, 'Order 2');
  assert.equal(rows.get('3')!.last_seen_run, 'run_1', 'the unchanged record is marked seen by the run');
  assert.equal(rows.get('1')!.last_seen_run, 'run_1');
});

test('assumeNew: one COPY without a lookup, stored like the careful path; a stored record fails the page', async () => {
  const fast = await newConnection();
  const careful = await newConnection();
  const queries: string[] = [];
  const res = await t.db.tx(async (q) => {
    const s = spy(q);
    const logged: Queryable = {
      query: (sql, params) => {
        queries.push(sql);
        return s.q.query(sql, params);
      },
      copyRows: s.q.copyRows,
      copyText: s.q.copyText,
    };
    const r = await upsertPage(logged, {
      connectionId: fast,
      entity: ENTITY,
      runId: 'run_f',
      records: variety(),
      mapping,
      assumeNew: true,
    });
    assert.deepEqual(s.copies, [4]);
    return r;
  });
  assert.deepEqual(
    queries.map((q) => q.split(/\s+/).slice(0, 2).join(' ')),
    ['UPDATE records'],
    'no lookup; only the deleted_at of the record that arrived deleted',
  );
  await t.db.tx((q) => write(q, careful, 'run_f', variety()));
  assert.deepEqual(counts(res), { added: 4, updated: 0, deleted: 0, unchanged: 0 });
  assert.deepEqual(kinds(res), ['created:1', 'created:2', 'created:4']);
  const [a, b] = [await stored(fast), await stored(careful)];
  for (const [id, x] of a) {
    const y = b.get(id)!;
    for (const col of ['data', 'content_hash', 'remote_created_at', 'remote_updated_at', 'deleted'] as const)
      assert.deepEqual(x[col], y[col], `${id}.${col}`);
    assert.deepEqual(x.unified, materialise(mapping, fast, JSON.parse(x.data)));
    assert.equal(x.deleted_at?.getTime() ?? null, x.deleted ? x.created_at.getTime() : null);
  }
  // A page with a record already stored: unique_violation, and the transaction writes nothing.
  await assert.rejects(
    t.db.tx((q) =>
      upsertPage(q, {
        connectionId: fast,
        entity: ENTITY,
        runId: 'run_g',
        records: [wo('9'), wo('1', { title: 'changed' })],
        mapping,
        assumeNew: true,
      }),
    ),
    (e: any) => e.code === '23505',
  );
  assert.equal((await stored(fast)).has('9'), false);
});

test('a page encoded for its bulk load on the reader thread is stored as the careful path stores it', async () => {
  const [fast, careful] = [await newConnection(), await newConnection()];
  const encode = (connectionId: string, runId: string, records: SourceRecord[]) => {
    const page = preparePage(connectionId, ENTITY, records, mapping, { keepData: false, copyFor: { runId } });
    assert.ok(page.copy);
    assert.ok(page.items.every((it) => it.json === '' && it.unified === undefined));
    // As the page crosses threads: the buffers are moved.
    return structuredClone(page, { transfer: page.copy.chunks.map((c) => c.buffer as ArrayBuffer) });
  };
  const res = await t.db.tx((q) =>
    upsertPage(q, {
      connectionId: fast,
      entity: ENTITY,
      runId: 'run_e',
      prepared: encode(fast, 'run_e', variety()),
      mapping,
      assumeNew: true,
      changes: false,
    }),
  );
  assert.deepEqual(counts(res), { added: 4, updated: 0, deleted: 0, unchanged: 0 });
  assert.deepEqual(res.changes, [], 'counts only, as asked');
  await t.db.tx((q) => write(q, careful, 'run_e', variety()));
  const same = async () => {
    const [a, b] = [await stored(fast), await stored(careful)];
    assert.deepEqual([...a.keys()], [...b.keys()]);
    for (const [id, x] of a) {
      const y = b.get(id)!;
      for (const col of ['data', 'content_hash', 'remote_created_at', 'deleted', 'last_seen_run'] as const)
        assert.deepEqual(x[col], y[col], `${id}.${col}`);
      assert.deepEqual(x.unified, materialise(mapping, fast, JSON.parse(x.data)), `${id}.unified`);
      assert.equal(x.deleted_at?.getTime() ?? null, x.deleted ? x.created_at.getTime() : null);
    }
  };
  await same();

  // Encoded for another run: written from its items, with the writer's run.
  const more = [wo('7', { title: 'tab\there' }), wo('8')];
  const other = await t.db.tx((q) =>
    upsertPage(q, {
      connectionId: fast,
      entity: ENTITY,
      runId: 'run_h',
      prepared: encode(fast, 'run_stale', more),
      mapping,
      assumeNew: true,
    }),
  );
  assert.deepEqual(kinds(other), ['created:7', 'created:8']);
  assert.equal(JSON.parse(other.changes[0].unified).title, 'tab\there');
  await t.db.tx((q) => write(q, careful, 'run_h', more));
  await same();

  // A page that meets a stored record fails as a bulk load, then is written the careful way.
  const again = encode(fast, 'run_i', [wo('9'), wo('1', { title: 'changed' }), wo('2', variety()[1].data)]);
  await assert.rejects(
    t.db.tx((q) =>
      upsertPage(q, {
        connectionId: fast,
        entity: ENTITY,
        runId: 'run_i',
        prepared: again,
        mapping,
        assumeNew: true,
      }),
    ),
    (e: any) => e.code === '23505',
  );
  const careful2 = await t.db.tx((q) =>
    upsertPage(q, { connectionId: fast, entity: ENTITY, runId: 'run_i', prepared: again, mapping }),
  );
  assert.deepEqual(counts(careful2), { added: 1, updated: 1, deleted: 0, unchanged: 1 });
  assert.deepEqual(kinds(careful2), ['created:9', 'updated:1']);
  assert.equal(JSON.parse(careful2.changes[1].unified).title, 'changed');
  await t.db.tx((q) => write(q, careful, 'run_i', [wo('9'), wo('1', { title: 'changed' }), variety()[1]]));
  await same();
});
