import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Registry } from '../../src/connectors/registry.ts';
import { eventually, startTestServer, type TestServer } from '../helpers/server.ts';
import { connectRest, restConnector, startRestRemote } from '../helpers/test-remote.ts';

let s: TestServer;
let remote: Awaited<ReturnType<typeof startRestRemote>>;
let conn: any;

const status = async (entity = 'work_orders') =>
  (await s.call('GET', '/v1/sync-status', { token: conn.token })).body.data.find(
    (d: any) => d.entity === entity,
  );

before(async () => {
  remote = await startRestRemote(120);
  s = await startTestServer({
    registry: new Registry([restConnector()]),
    worker: true,
    config: { healthIntervalSeconds: 1 },
  });
  conn = await connectRest(s, remote.url, { reconcile_interval_hours: 0 });
});
after(async () => {
  await s.close();
  await remote.close();
});

test('the first sync starts by itself and the data is readable through the unified API', async () => {
  const st = await eventually(
    async () => {
      const x = await status();
      return x?.status === 'completed' && x;
    },
    20_000,
    'initial sync',
  );
  assert.equal(st.is_initial_sync, false);
  assert.equal(st.last_run.records_added, 120);
  assert.equal(st.last_run.pages, 3);
  const ids = new Set<string>();
  let cursor: string | null = null;
  do {
    const page: any = await s.call(
      'GET',
      `/v1/work-orders?page_size=50${cursor ? `&cursor=${cursor}` : ''}`,
      { token: conn.token },
    );
    assert.equal(page.status, 200);
    for (const r of page.body.data) ids.add(r.id);
    cursor = page.body.next_cursor;
  } while (cursor);
  assert.equal(ids.size, 120);
  const one = (
    await s.call('GET', '/v1/work-orders?page_size=1&include_remote_data=true', { token: conn.token })
  ).body.data[0];
  assert.equal(one.status, 'REQUESTED');
  assert.equal(one.remote_data.title, one.title);
  assert.match(one.asset_id, /^ast_/);
  const byKey = await s.call('GET', `/v1/connections/${conn.id}/work-orders/${one.id}`, {
    token: s.sandboxKey,
  });
  assert.equal(byKey.body.remote_id, one.remote_id);
});

test('an incremental sync asks only for changes, emits events, and detects deletes', async () => {
  remote.change('5', { status: 'done' });
  remote.orders.delete('7');
  remote.state.requests.length = 0;
  const trig = await s.call('POST', '/v1/sync', { token: conn.token, body: { entities: ['work_orders'] } });
  assert.equal(trig.status, 202);
  const st = await eventually(
    async () => {
      const x = await status();
      return x.status === 'completed' && x.last_run.mode !== 'initial' && x.last_run.finished_at && x;
    },
    20_000,
    'second sync',
  );
  // reconcile_interval_hours: 0 makes every run a reconciliation: a full read that flags deletes.
  assert.equal(st.last_run.mode, 'reconcile');
  assert.equal(st.last_run.records_updated, 1);
  assert.equal(st.last_run.records_deleted, 1);
  const deleted = await s.call('GET', '/v1/work-orders?include_deleted=true&page_size=1000', {
    token: conn.token,
  });
  const seven = deleted.body.data.find((r: any) => r.remote_id === '7');
  assert.equal(seven.remote_deleted, true);
  const live = await s.call('GET', '/v1/work-orders?page_size=1000', { token: conn.token });
  assert.equal(live.body.data.length, 119);
  const five = live.body.data.find((r: any) => r.remote_id === '5');
  assert.equal(five.status, 'COMPLETED');
  const filtered = await s.call('GET', '/v1/work-orders?status=COMPLETED', { token: conn.token });
  assert.deepEqual(
    filtered.body.data.map((r: any) => r.remote_id),
    ['5'],
  );
  const events = await s.call('GET', `/v1/events?connection_id=${conn.id}&type=work_order.*`, {
    token: s.sandboxKey,
  });
  assert.deepEqual(events.body.data.map((e: any) => e.type).sort(), [
    'work_order.deleted',
    'work_order.updated',
  ]);
  const syncEvents = await s.call('GET', `/v1/events?connection_id=${conn.id}&type=sync.completed`, {
    token: s.sandboxKey,
  });
  assert.equal(syncEvents.body.data.length, 2);
});

test('revoked credentials → reauthorization_required, syncs stop, unified reads answer REAUTHORIZATION_REQUIRED', async () => {
  remote.state.rejectAuth = true;
  await eventually(
    async () => {
      const c = await s.call('GET', `/v1/connections/${conn.id}`, { token: s.sandboxKey });
      return c.body.status === 'reauthorization_required';
    },
    15_000,
    'reauthorization_required',
  );
  const r = await s.call('GET', '/v1/work-orders', { token: conn.token });
  assert.equal(r.status, 412);
  assert.equal(r.body.error.code, 'REAUTHORIZATION_REQUIRED');
  assert.match(r.body.error.message, /reconnect/);
  const st = await s.call('GET', `/v1/connections/${conn.id}/sync-status`, { token: s.sandboxKey });
  assert.equal(st.body.data[0].status, 'paused');
  const ev = await s.call('GET', `/v1/events?connection_id=${conn.id}&type=connection.status_changed`, {
    token: s.sandboxKey,
  });
  assert.equal(ev.body.data.at(-1).data.to, 'reauthorization_required');
  // The secret key still reads the data.
  assert.equal(
    (await s.call('GET', `/v1/connections/${conn.id}/work-orders`, { token: s.sandboxKey })).status,
    200,
  );
});

test('time filters, run history, and reads of a disconnected connection by the secret key', async () => {
  const all = (
    await s.call('GET', `/v1/connections/${conn.id}/work-orders?page_size=1000&include_deleted=true`, {
      token: s.sandboxKey,
    })
  ).body.data;
  const changed = all.find((r: any) => r.remote_id === '5');
  const cut = new Date(Date.parse(changed.modified_at) - 1).toISOString();
  const since = await s.call(
    'GET',
    `/v1/connections/${conn.id}/work-orders?modified_after=${cut}&include_deleted=true`,
    {
      token: s.sandboxKey,
    },
  );
  assert.ok(since.body.data.some((r: any) => r.remote_id === '5'));
  assert.ok(since.body.data.length < all.length);
  assert.ok(since.body.data.every((r: any) => r.modified_at > cut));
  const future = new Date(Date.now() + 60_000).toISOString();
  const none = await s.call('GET', `/v1/connections/${conn.id}/work-orders?created_after=${future}`, {
    token: s.sandboxKey,
  });
  assert.deepEqual(none.body.data, []);
  const bad = await s.call(
    'GET',
    `/v1/connections/${conn.id}/work-orders?modified_after=yesterday&expand=vendor`,
    {
      token: s.sandboxKey,
    },
  );
  assert.equal(bad.status, 400);
  assert.deepEqual(bad.body.error.details.map((d: any) => d.field).sort(), [
    'query.expand',
    'query.modified_after',
  ]);

  const runs = await s.call('GET', `/v1/connections/${conn.id}/sync-runs?entity=work_orders`, {
    token: s.sandboxKey,
  });
  assert.ok(runs.body.data.length >= 2);
  assert.equal(runs.body.data.at(-1).mode, 'initial');
  assert.ok(runs.body.data.every((r: any) => r.worker));

  const gone = await s.call('DELETE', `/v1/connections/${conn.id}`, { token: s.sandboxKey });
  assert.equal(gone.body.status, 'disconnected');
  const kept = await s.call('GET', `/v1/connections/${conn.id}/work-orders?page_size=1000`, {
    token: s.sandboxKey,
  });
  assert.equal(kept.status, 200);
  assert.equal(kept.body.data.length, 119);
  const st = await s.call('GET', `/v1/connections/${conn.id}/sync-status`, { token: s.sandboxKey });
  assert.equal(st.body.data[0].status, 'disabled');
  assert.equal(st.body.data[0].next_scheduled_sync_at, null);
});
