// Paging a 10,000-record list while a sync rewrites it neither skips nor repeats a record.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Registry } from '../../src/connectors/registry.ts';
import { sapS4hana } from '../../src/connectors/sap-s4hana/index.ts';
import { eventually, startTestServer, type TestServer } from '../helpers/server.ts';
import { connectSap, sapSandbox } from '../helpers/sap.ts';

let s: TestServer;
let sb: Awaited<ReturnType<typeof sapSandbox>>;

before(async () => {
  sb = await sapSandbox({ volume: 10_000 });
  s = await startTestServer({ registry: new Registry([sapS4hana]), worker: true });
});
after(async () => {
  await s?.close();
  await sb?.close();
});

test('10,000 work orders paged during a rewriting sync: every record exactly once', async () => {
  const conn = await connectSap(s, sb.url, { initial_sync_days: 3650, sync_interval_minutes: 600 });
  const wo = async () =>
    (await s.call('GET', '/v1/sync-status', { token: conn.token })).body.data.find(
      (d: any) => d.entity === 'work_orders',
    );
  const t0 = Date.now();
  await eventually(async () => (await wo())?.status === 'completed', 120_000, 'initial sync');
  console.log(
    'initial sync of 10,000 work orders: ms',
    Date.now() - t0,
    JSON.stringify((await wo()).last_run),
  );
  const first = await s.call('GET', '/v1/work-orders?page_size=1', { token: conn.token });
  assert.equal(first.status, 200);
  const total = (await wo()).last_run.records_added;
  assert.equal(total, 10_000);
  // A bulk load refreshes the planner's statistics; otherwise the next sync's lookups scan the table.
  await eventually(
    async () =>
      (
        await s.ctx.db.query<{ n: number }>(
          "SELECT reltuples::int AS n FROM pg_class WHERE relname = 'records' AND relkind = 'r'",
        )
      )[0].n >= 10_000,
    10_000,
    'statistics of the records table',
  );

  // Change many orders at the source and slow the source down, then resync while paging.
  await sb.control('tick', 'POST', { count: 4000 });
  await sb.control('faults', 'POST', {
    type: 'latency',
    ms: 150,
    count: 1000,
    entitySet: 'MaintenanceOrder',
  });
  const trig = await s.call('POST', '/v1/sync', {
    token: conn.token,
    body: { entities: ['work_orders'], full_resync: true },
  });
  assert.equal(trig.status, 202);
  await eventually(async () => (await wo()).status === 'in_progress', 20_000, 'resync to start');

  const seen = new Map<string, number>();
  let cursor: string | null = null;
  let pages = 0;
  let updatedWhilePaging = false;
  do {
    const page: any = await s.call(
      'GET',
      `/v1/work-orders?page_size=100&include_deleted=true${cursor ? `&cursor=${cursor}` : ''}`,
      { token: conn.token },
    );
    assert.equal(page.status, 200);
    for (const r of page.body.data) seen.set(r.remote_id, (seen.get(r.remote_id) ?? 0) + 1);
    cursor = page.body.next_cursor;
    pages++;
    if (pages % 10 === 0 && (await wo()).last_run.records_updated > 0) updatedWhilePaging = true;
  } while (cursor);
  assert.ok(updatedWhilePaging, 'the sync rewrote records while the list was paged');
  assert.equal(seen.size, 10_000, 'no record skipped');
  assert.ok(
    [...seen.values()].every((n) => n === 1),
    'no record repeated',
  );
  await sb.control('faults', 'DELETE');
  const done = await eventually(
    async () => {
      const st = await wo();
      return st.status === 'completed' && st;
    },
    120_000,
    'resync',
  );
  assert.ok(done.last_run.records_updated > 0);
});
