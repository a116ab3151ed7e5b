// Sync pages of shipped connectors are read and prepared on a reader thread. What the writer gets
// from there must be what a read on its own thread prepares, failures must arrive as the same
// connector errors, and an aborted sync must stop reading the source.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { isConnectorError } from '../../src/connectors/errors.ts';
import { Registry } from '../../src/connectors/registry.ts';
import { sapS4hana } from '../../src/connectors/sap-s4hana/index.ts';
import { CONNECTION_COLUMNS, type ConnectionRow } from '../../src/connections/store.ts';
import { withStrings } from '../../src/records/store.ts';
import { openPageReader, type PageRead, type PreparedRead } from '../../src/sync/page-reader.ts';
import { runSync } from '../../src/sync/run.ts';
import { effectiveMapping } from '../../src/unified/mapping.ts';
import { connectSap, sapSandbox } from '../helpers/sap.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

let sb: Awaited<ReturnType<typeof sapSandbox>>;
let s: TestServer;
let conn: ConnectionRow;

before(async () => {
  sb = await sapSandbox({ volume: 300, pageSize: 40 });
  s = await startTestServer({ registry: new Registry([sapS4hana]), jobs: true });
  const created = await connectSap(s, sb.url, { initial_sync_days: 3650 });
  [conn] = await s.ctx.db.query<ConnectionRow>(
    `SELECT ${CONNECTION_COLUMNS} FROM connections c JOIN environments e ON e.id = c.environment_id WHERE c.id = $1`,
    [created.id],
  );
});
after(async () => {
  await s.close();
  await sb.close();
});

async function pageRead(entity: string, mapAll: boolean): Promise<PageRead> {
  const mapping = await effectiveMapping(s.ctx.db, sapS4hana, conn.id, entity);
  return { entity, request: { since: null, windowStart: null, resume: null }, mapping, mapAll };
}

async function readAll(onThread: boolean, read: PageRead, signal?: AbortSignal) {
  s.ctx.config.syncReadThread = onThread;
  const reader = await openPageReader(s.ctx, conn, sapS4hana, read, signal);
  const pages: PreparedRead[] = [];
  for await (const page of reader) pages.push(page);
  return { pages, stats: reader.stats() };
}

// What the writer stores of each item; `data` is only a shortcut to the parsed `json`.
const stored = (pages: PreparedRead[]) =>
  pages.flatMap((p) => p.prepared.items.map(({ data: _data, ...rest }) => rest));

test('pages prepared on the reader thread equal pages prepared on the writing thread', async () => {
  for (const [entity, mapAll] of [
    ['work_orders', true],
    ['purchase_orders', false],
  ] as const) {
    const read = await pageRead(entity, mapAll);
    const here = await readAll(false, read);
    const there = await readAll(true, read);
    assert.ok(here.pages.length > 1, `${entity}: ${here.pages.length} pages`);
    assert.deepEqual(stored(there.pages), stored(here.pages), entity);
    assert.deepEqual(
      there.pages.map((p) => [p.resume === null, p.prepared.maxRemoteUpdatedAt, p.prepared.mappingHash]),
      here.pages.map((p) => [p.resume === null, p.prepared.maxRemoteUpdatedAt, p.prepared.mappingHash]),
    );
    assert.deepEqual(there.stats, here.stats);
    assert.equal(there.stats.requests, here.pages.length);
    // The thread sends strings only: nothing parsed crosses back.
    assert.ok(there.pages.every((p) => p.prepared.items.every((it) => it.data === undefined)));
    if (mapAll) {
      const first = there.pages[0].prepared.items[0];
      assert.equal(JSON.parse(first.unified!).number, first.remoteId);
      // Encoded for a bulk load, the records cross as COPY buffers and read back the same.
      const encoded = await readAll(true, { ...read, copyFor: { runId: 'run_x' } });
      assert.ok(
        encoded.pages.every((p) => p.prepared.copy && p.prepared.items.every((it) => it.json === '')),
      );
      assert.deepEqual(
        stored(encoded.pages.map((p) => ({ ...p, prepared: withStrings(p.prepared) }))),
        stored(here.pages),
      );
    } else {
      assert.ok(there.pages.every((p) => p.prepared.items.every((it) => it.unified === undefined)));
    }
  }
});

test('an initial sync read on the thread stores every record once, with its unified values', async () => {
  s.ctx.config.syncReadThread = true;
  const out = await runSync(s.ctx, { connectionId: conn.id, entity: 'work_orders' });
  assert.equal(out.status, 'completed', out.reason);
  const [run] = await s.ctx.db.query<any>('SELECT * FROM sync_runs WHERE id = $1', [out.runId]);
  const info = await sb.control('info', 'GET');
  const total: number = info.entitySets.MaintenanceOrder.count;
  const [{ n, distinct, mapped }] = await s.ctx.db.query<{ n: number; distinct: number; mapped: number }>(
    `SELECT count(*)::int AS n, count(DISTINCT remote_id)::int AS distinct,
            count(*) FILTER (WHERE unified->>'number' = remote_id)::int AS mapped
       FROM records WHERE connection_id = $1 AND entity = 'work_orders'`,
    [conn.id],
  );
  assert.equal(n, run.records_added);
  assert.deepEqual({ distinct, mapped }, { distinct: n, mapped: n });
  assert.equal(n, total);
  assert.ok(run.requests >= run.pages && run.pages > 2, `requests ${run.requests}, pages ${run.pages}`);
});

test('credentials rejected while reading on the thread arrive as the connector error', async () => {
  await sb.control('faults', 'POST', { type: 'revoke_credentials' });
  try {
    await assert.rejects(
      readAll(true, await pageRead('items', false)),
      (e: unknown) => isConnectorError(e) && e.kind === 'auth_rejected',
    );
  } finally {
    await sb.control('faults', 'DELETE');
  }
});

test('an aborted read ends at once with the reason and the thread stops asking the source', async () => {
  await sb.control('faults', 'POST', { type: 'latency', ms: 50, count: 1000 });
  try {
    const abort = new AbortController();
    s.ctx.config.syncReadThread = true;
    const reader = await openPageReader(
      s.ctx,
      conn,
      sapS4hana,
      await pageRead('work_orders', true),
      abort.signal,
    );
    const reason = new Error('sync stopped');
    let pages = 0;
    await assert.rejects(
      (async () => {
        for await (const _ of reader) {
          if (++pages === 1) abort.abort(reason);
        }
      })(),
      (e) => e === reason,
    );
    assert.equal(pages, 1);
    await new Promise((r) => setTimeout(r, 300));
    const settled = (await sb.control('stats', 'GET')).total;
    await new Promise((r) => setTimeout(r, 500));
    assert.equal((await sb.control('stats', 'GET')).total, settled);
  } finally {
    await sb.control('faults', 'DELETE');
  }
});

test('the writer gets one turn of the event loop per page, so timers and requests are not starved', async () => {
  // Writing a page to the embedded database needs no I/O: were pages the thread had already sent
  // handed over at once, the writer would go from page to page while timers (job heartbeats) waited.
  s.ctx.config.syncReadThread = true;
  const reader = await openPageReader(s.ctx, conn, sapS4hana, await pageRead('work_orders', false));
  const pages = reader[Symbol.asyncIterator]();
  let n = 0;
  try {
    for (;;) {
      await new Promise((r) => setTimeout(r, 60)); // meanwhile the thread sends the next pages
      let turned = false;
      setImmediate(() => (turned = true));
      const next = await pages.next();
      if (next.done) break;
      assert.ok(turned, `no event loop turn before page ${n + 1}`);
      n++;
    }
  } finally {
    await pages.return?.(undefined);
  }
  assert.ok(n > 2, `${n} pages`);
});
