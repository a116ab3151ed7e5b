// An initial sync bulk-loads pages without looking up what is stored. A page that meets a stored
// record after all (here one stored by a live read before the sync ran) is written again the
// careful way: the run completes, counts are right, nothing is duplicated.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Registry } from '../../src/connectors/registry.ts';
import { sessionFor } from '../../src/connections/sessions.ts';
import { CONNECTION_COLUMNS, type ConnectionRow } from '../../src/connections/store.ts';
import { upsertPage } from '../../src/records/store.ts';
import { runSync } from '../../src/sync/run.ts';
import { effectiveMapping } from '../../src/unified/mapping.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { connectRest, restConnector, startRestRemote } from '../helpers/test-remote.ts';

let s: TestServer;
let remote: Awaited<ReturnType<typeof startRestRemote>>;

before(async () => {
  remote = await startRestRemote(120);
  // Jobs but no worker: this test runs the sync itself.
  s = await startTestServer({ registry: new Registry([restConnector()]), jobs: true });
});
after(async () => {
  await s.close();
  await remote.close();
});

test('an initial page that meets a stored record is rewritten with lookups, and the run completes', async () => {
  const created = { body: await connectRest(s, remote.url) };
  const [conn] = await s.ctx.db.query<ConnectionRow>(
    `SELECT ${CONNECTION_COLUMNS} FROM connections c JOIN environments e ON e.id = c.environment_id WHERE c.id = $1`,
    [created.body.id],
  );
  const connector = restConnector();
  const mapping = await effectiveMapping(s.ctx.db, connector, conn.id, 'work_orders');
  const live = await sessionFor(s.ctx, conn).get('work_orders', '70');
  await s.ctx.db.tx((q) =>
    upsertPage(q, { connectionId: conn.id, entity: 'work_orders', runId: null, records: [live!], mapping }),
  );

  const out = await runSync(s.ctx, { connectionId: conn.id, entity: 'work_orders' });
  assert.equal(out.status, 'completed', out.reason);
  const [run] = await s.ctx.db.query<any>('SELECT * FROM sync_runs WHERE id = $1', [out.runId]);
  assert.equal(run.mode, 'initial');
  assert.equal(run.records_added, 119);
  assert.equal(run.records_unchanged, 1);
  const [{ n, distinct }] = await s.ctx.db.query<{ n: number; distinct: number }>(
    `SELECT count(*)::int AS n, count(DISTINCT remote_id)::int AS distinct FROM records
      WHERE connection_id = $1 AND entity = 'work_orders'`,
    [conn.id],
  );
  assert.deepEqual({ n, distinct }, { n: 120, distinct: 120 });
});
