// settings.remote_fields = "mapped" end to end against the SAP sandbox: syncs ask SAP only for the
// header properties the mapping reads, unified records equal those of a full read, and a mapping or
// setting that needs more source fields has them re-read automatically.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Registry } from '../../src/connectors/registry.ts';
import { sapS4hana } from '../../src/connectors/sap-s4hana/index.ts';
import { eventually, startTestServer, type TestServer } from '../helpers/server.ts';
import { connectSap, sapSandbox } from '../helpers/sap.ts';

let s: TestServer;
let sb: Awaited<ReturnType<typeof sapSandbox>>;
let full: { id: string; token: string };
let lean: { id: string; token: string };

const settings = { initial_sync_days: 3650, sync_entities: ['work_orders', 'purchase_orders', 'assets'] };

/** Every synced entity completed (`entity` given: that one, finished after `after`). */
async function synced(token: string, entity?: string, after?: string) {
  await eventually(
    async () => {
      const st = (await s.call('GET', '/v1/sync-status', { token })).body.data;
      return st.every(
        (x: any) =>
          x.status === 'disabled' ||
          (x.status === 'completed' &&
            (!entity || x.entity !== entity || (x.last_sync_finished_at ?? '') > after!)),
      );
    },
    60_000,
    'sync',
  );
}

async function all(token: string, path: string) {
  const out: any[] = [];
  let cursor: string | null = null;
  do {
    const q: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
    const r = await s.call('GET', `${path}?page_size=200&include_remote_data=true${q}`, { token });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    out.push(...r.body.data);
    cursor = r.body.next_cursor ?? null;
  } while (cursor);
  return out.sort((a, b) => a.remote_id.localeCompare(b.remote_id));
}

// Ids and references to other records differ per connection; everything else must be equal.
const comparable = (v: any): any => {
  if (Array.isArray(v)) return v.map(comparable);
  if (!v || typeof v !== 'object') return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    if (k === 'id' || k === 'remote_data' || k === 'created_at' || k === 'modified_at') continue;
    out[k] = k.endsWith('_id') && k !== 'remote_id' ? (x ? 'set' : x) : comparable(x);
  }
  return out;
};

before(async () => {
  sb = await sapSandbox({ volume: 60, pageSize: 25 });
  s = await startTestServer({ registry: new Registry([sapS4hana]), worker: true });
  full = await connectSap(s, sb.url, settings);
  lean = await connectSap(s, sb.url, { ...settings, remote_fields: 'mapped' });
  await synced(full.token);
  await synced(lean.token);
});
after(async () => {
  await s?.close();
  await sb?.close();
});

test('a mapped-fields sync reads only the mapped header properties and gives the same unified records', async () => {
  for (const path of ['/v1/work-orders', '/v1/purchase-orders', '/v1/assets']) {
    const a = await all(full.token, path);
    const b = await all(lean.token, path);
    assert.ok(a.length > 10, path);
    assert.deepEqual(b.map(comparable), a.map(comparable), path);
    const wideKeys = Object.keys(a[0].remote_data).length;
    const leanKeys = Object.keys(b[0].remote_data).length;
    assert.ok(leanKeys < wideKeys / 2, `${path}: ${leanKeys} of ${wideKeys} source fields`);
  }
  const wo = (await all(lean.token, '/v1/work-orders'))[0].remote_data;
  for (const f of ['MaintenanceOrder', 'MaintenanceOrderDesc', 'SystemStatusText', 'LastChangeDateTime'])
    assert.ok(f in wo, f);
  assert.ok(!('ControllingArea' in wo));
  assert.ok(Array.isArray(wo.to_MaintenanceOrderOperation.results), 'operations are still expanded');

  const m = await s.call('GET', '/v1/field-mappings/work-orders', { token: lean.token });
  assert.equal(m.body.remote_fields.setting, 'mapped');
  assert.ok(m.body.remote_fields.fetched.includes('MaintenanceOrderDesc'));
  const f = await s.call('GET', '/v1/field-mappings/work-orders', { token: full.token });
  assert.deepEqual(f.body.remote_fields, { setting: 'all', fetched: null });
});

test('a live read stores the same selection as a sync: no spurious update', async () => {
  const [first] = await all(lean.token, '/v1/work-orders');
  const events = async () =>
    (
      await s.call('GET', `/v1/events?connection_id=${lean.id}&type=work_order.updated`, {
        token: s.sandboxKey,
      })
    ).body.data.length;
  const before = await events();
  const live = await s.call('GET', `/v1/work-orders/${first.id}?live=true&include_remote_data=true`, {
    token: lean.token,
  });
  assert.equal(live.status, 200);
  assert.deepEqual(live.body.remote_data, first.remote_data);
  assert.equal(await events(), before);
});

test('a mapping that reads an unfetched source field gets it re-read automatically', async () => {
  const started = new Date().toISOString();
  const put = await s.call('PUT', '/v1/field-mappings/work-orders', {
    token: lean.token,
    body: { fields: { 'custom_fields.controlling_area': 'ControllingArea' } },
  });
  assert.equal(put.status, 200, JSON.stringify(put.body));
  assert.deepEqual(put.body.resync?.fields, ['ControllingArea']);
  assert.ok(['queued', 'already_queued'].includes(put.body.resync.status));
  assert.ok(put.body.remote_fields.fetched.includes('ControllingArea'));
  await synced(lean.token, 'work_orders', started);
  const rows = await all(lean.token, '/v1/work-orders');
  assert.ok(rows.every((r) => r.custom_fields.controlling_area === r.remote_data.ControllingArea));
  assert.ok(rows.some((r) => typeof r.custom_fields.controlling_area === 'string'));

  // A field already fetched needs no re-read.
  const again = await s.call('PUT', '/v1/field-mappings/work-orders', {
    token: lean.token,
    body: { fields: { 'custom_fields.order_desc': 'MaintenanceOrderDesc' } },
  });
  assert.equal(again.body.resync, null);
});

test('switching remote_fields back to "all" re-reads whole records', async () => {
  const started = new Date().toISOString();
  const patch = await s.call('PATCH', `/v1/connections/${lean.id}`, {
    token: s.sandboxKey,
    body: { settings: { ...settings, remote_fields: 'all' } },
  });
  assert.equal(patch.status, 200, JSON.stringify(patch.body));
  await synced(lean.token, 'work_orders', started);
  const [wo] = await all(lean.token, '/v1/work-orders');
  assert.ok('ControllingArea' in wo.remote_data && 'MaintenancePlannerGroup' in wo.remote_data);
});

test('remote_fields is validated', async () => {
  for (const bad of ['some', { work_orders: 'none' }, { work_orders: ['bad name'] }, { nope: 'mapped' }]) {
    const r = await s.call('PATCH', `/v1/connections/${full.id}`, {
      token: s.sandboxKey,
      body: { settings: { remote_fields: bad } },
    });
    assert.equal(r.status, 400, JSON.stringify(bad));
    assert.equal(r.body.error.code, 'VALIDATION_FAILED');
  }
});
