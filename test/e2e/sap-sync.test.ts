// End to end over HTTP: Ironbridge API + worker ↔ the SAP sandbox.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Registry } from '../../src/connectors/registry.ts';
import { sapS4hana } from '../../src/connectors/sap-s4hana/index.ts';
import { eventually, startTestServer, type TestServer } from '../helpers/server.ts';
import { connectSap, sapSandbox } from '../helpers/sap.ts';

let s: TestServer;
let sb: Awaited<ReturnType<typeof sapSandbox>>;
let conn: { id: string; token: string };

const basic = 'Basic ' + Buffer.from('sandbox:sandbox').toString('base64');
async function sapCount(service: string, set: string, filter?: string): Promise<number> {
  const q = new URLSearchParams({ $format: 'json', $inlinecount: 'allpages', $top: '1' });
  if (filter) q.set('$filter', filter);
  const r = await fetch(`${sb.url}/sap/opu/odata/sap/${service}/${set}?${q}`, {
    headers: { authorization: basic },
  });
  return Number((await r.json()).d.__count);
}
const status = async (entity: string) =>
  (await s.call('GET', '/v1/sync-status', { token: conn.token })).body.data.find(
    (d: any) => d.entity === entity,
  );
async function syncAndWait(entity: string, body: Record<string, unknown> = {}) {
  const before = (await status(entity)).last_run?.id;
  const r = await s.call('POST', '/v1/sync', { token: conn.token, body: { entities: [entity], ...body } });
  assert.equal(r.status, 202);
  return eventually(
    async () => {
      const st = await status(entity);
      return (
        st.last_run &&
        st.last_run.id !== before &&
        st.status !== 'in_progress' &&
        st.last_run.finished_at &&
        st
      );
    },
    40_000,
    `sync of ${entity}`,
  );
}
async function allIds(entity: string, q = '') {
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const page: any = await s.call(
      'GET',
      `/v1/${entity}?page_size=200${q}${cursor ? `&cursor=${cursor}` : ''}`,
      { token: conn.token },
    );
    assert.equal(page.status, 200);
    ids.push(...page.body.data.map((r: any) => r.remote_id));
    cursor = page.body.next_cursor;
  } while (cursor);
  return ids;
}

before(async () => {
  sb = await sapSandbox({ volume: 200, pageSize: 25 });
  s = await startTestServer({
    registry: new Registry([sapS4hana]),
    worker: true,
    config: { healthIntervalSeconds: 2 },
  });
  conn = await connectSap(s, sb.url, { initial_sync_days: 90 });
  await eventually(
    async () => {
      const st = (await s.call('GET', '/v1/sync-status', { token: conn.token })).body.data;
      return st.length === 7 && st.every((x: any) => x.status === 'completed');
    },
    60_000,
    'initial sync of all entities',
  );
});
after(async () => {
  await s?.close();
  await sb?.close();
});

describe('SAP end to end', () => {
  test('the initial sync honours the 90-day window for transactional data and reads reference data in full', async () => {
    const since = new Date(Date.now() - 90 * 86_400_000).toISOString().replace(/\.\d+Z$/, 'Z');
    const inWindow = await sapCount(
      'API_MAINTENANCEORDER',
      'MaintenanceOrder',
      `LastChangeDateTime ge datetimeoffset'${since}'`,
    );
    const total = await sapCount('API_MAINTENANCEORDER', 'MaintenanceOrder');
    assert.ok(inWindow < total, 'the seed has orders older than the window');
    const stored = await allIds('work-orders', '&include_deleted=true');
    assert.equal(stored.length, inWindow);
    assert.equal(new Set(stored).size, stored.length);
    assert.equal(
      (await allIds('vendors', '&include_deleted=true')).length,
      await sapCount('API_BUSINESS_PARTNER', 'A_Supplier'),
    );
    assert.equal(
      (await allIds('assets', '&include_deleted=true')).length,
      await sapCount('API_EQUIPMENT', 'Equipment'),
    );
  });

  test('after a tick, an incremental sync asks SAP only for changed records', async () => {
    const initial = await status('work_orders');
    assert.ok(initial.last_run.requests > 1);
    await sb.control('stats', 'DELETE');
    const ticked = await sb.control('tick', 'POST', { count: 40 });
    const changedOrders = new Set(
      ticked.changed
        .filter((c: any) => c.entitySet === 'MaintenanceOrder')
        .map((c: any) => String(c.key.MaintenanceOrder ?? c.key)),
    );
    assert.ok(changedOrders.size > 0, JSON.stringify(ticked.changed.slice(0, 3)));
    const st = await syncAndWait('work_orders');
    assert.equal(st.status, 'completed');
    assert.equal(st.last_run.mode, 'incremental');
    const stats = await sb.control('stats', 'GET');
    assert.ok(stats.entitySets.MaintenanceOrder.GET <= 2, JSON.stringify(stats.entitySets));
    assert.ok(st.last_run.records_added + st.last_run.records_updated >= changedOrders.size);
    // Only records in the overlap window besides the changed ones come back.
    assert.ok(st.last_run.records_unchanged <= 5, `unchanged ${st.last_run.records_unchanged}`);
    const events = await s.call(
      'GET',
      `/v1/events?connection_id=${conn.id}&type=work_order.*&page_size=1000`,
      { token: s.sandboxKey },
    );
    assert.ok(events.body.data.length >= changedOrders.size);
  });

  test('deletion codes and hard deletes are detected; deleted records stay, flagged', async () => {
    const ticked = await sb.control('tick', 'POST', { count: 0, deletes: 2 });
    const deletedPos = ticked.changed
      .filter((c: any) => c.entitySet === 'A_PurchaseOrder')
      .map((c: any) => String(c.key.PurchaseOrder ?? c.key));
    assert.equal(deletedPos.length, 2);
    await syncAndWait('purchase_orders');
    const all = (
      await s.call('GET', '/v1/purchase-orders?include_deleted=true&page_size=1000', { token: conn.token })
    ).body.data;
    for (const po of deletedPos) {
      const rec = all.find((r: any) => r.remote_id === po);
      if (rec) assert.equal(rec.remote_deleted, true, po);
    }
    const visible = await allIds('purchase-orders');
    assert.ok(deletedPos.every((po: string) => !visible.includes(po)));

    const vendors = await allIds('vendors');
    const gone = vendors[3];
    await sb.control('remove', 'POST', { entitySet: 'A_Supplier', key: gone });
    const st = await syncAndWait('vendors');
    assert.equal(st.last_run.records_deleted, 1);
    const v = (
      await s.call('GET', '/v1/vendors?include_deleted=true&page_size=1000', { token: conn.token })
    ).body.data.find((r: any) => r.remote_id === gone);
    assert.equal(v.remote_deleted, true);
    const ev = await s.call('GET', `/v1/events?connection_id=${conn.id}&type=vendor.deleted`, {
      token: s.sandboxKey,
    });
    assert.equal(ev.body.data.length, 1);
  });

  test('429 and 503 storms: the sync completes and the run shows the retries', async () => {
    await sb.control('tick', 'POST', { count: 20 });
    await sb.control('faults', 'POST', {
      type: 'rate_limit',
      count: 3,
      retry_after: 1,
      entitySet: 'MaintenanceOrder',
    });
    await sb.control('faults', 'POST', {
      type: 'error',
      status: 503,
      count: 2,
      entitySet: 'MaintenanceOrder',
    });
    const st = await syncAndWait('work_orders', { full_resync: true });
    assert.equal(st.status, 'completed', st.last_error);
    // Five failures in a row: the HTTP client retries four times, then the job is retried and resumes.
    assert.equal(st.last_run.retries + st.last_run.attempts - 1, 5, JSON.stringify(st.last_run));
    const runs = await s.call('GET', '/v1/sync-runs?entity=work_orders', { token: conn.token });
    assert.equal(runs.body.data[0].retries, st.last_run.retries);
    await sb.control('faults', 'DELETE');
  });

  test('live reads go to SAP; expand adds the referenced vendor', async () => {
    const po = (
      await s.call('GET', '/v1/purchase-orders?page_size=1&expand=lines,vendor', { token: conn.token })
    ).body.data[0];
    assert.ok(po.lines.length > 0);
    assert.equal(po.vendor?.id ?? null, po.vendor_id && po.vendor ? po.vendor_id : null);
    await sb.control('stats', 'DELETE');
    const live = await s.call('GET', `/v1/purchase-orders/${po.id}?live=true`, { token: conn.token });
    assert.equal(live.status, 200);
    assert.equal(live.body.remote_id, po.remote_id);
    const stats = await sb.control('stats', 'GET');
    assert.ok(stats.entitySets.A_PurchaseOrder?.GET >= 1);
  });

  test('revoked credentials → reauthorization_required within one health interval; the API says how to reconnect', async () => {
    await sb.control('faults', 'POST', { type: 'revoke_credentials' });
    await eventually(
      async () =>
        (await s.call('GET', `/v1/connections/${conn.id}`, { token: s.sandboxKey })).body.status ===
        'reauthorization_required',
      10_000,
      'status change',
    );
    const r = await s.call('GET', '/v1/work-orders', { token: conn.token });
    assert.equal(r.status, 412);
    assert.equal(r.body.error.code, 'REAUTHORIZATION_REQUIRED');
    const trig = await s.call('POST', `/v1/connections/${conn.id}/sync`, { token: s.sandboxKey, body: {} });
    assert.equal(trig.body.error.code, 'REAUTHORIZATION_REQUIRED');
    await sb.control('faults', 'DELETE');
  });
});

describe('selective sync', () => {
  test('settings.sync_entities limits what a connection syncs; unknown entities are refused', async () => {
    const only = await connectSap(s, sb.url, { sync_entities: ['vendors'] });
    const st = (await s.call('GET', '/v1/sync-status', { token: only.token })).body.data;
    assert.deepEqual(
      st.map((x: any) => x.entity),
      ['vendors'],
    );
    const bad = await s.call('POST', '/v1/connections', {
      token: s.sandboxKey,
      body: {
        system: 'sap-s4hana',
        deployment: 'cloud',
        customer_id: 'x',
        customer_name: 'x',
        instance_url: sb.url,
        credentials: { auth_type: 'basic', username: 'sandbox', password: 'sandbox' },
        settings: { sync_entities: ['spaceships'] },
      },
    });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.details[0].field, 'settings.sync_entities.0');
  });
});
