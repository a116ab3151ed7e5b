// Field mappings, custom objects and passthrough end to end against the SAP sandbox.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Registry } from '../../src/connectors/registry.ts';
import { sapS4hana } from '../../src/connectors/sap-s4hana/index.ts';
import { eventually, startTestServer, type TestServer } from '../helpers/server.ts';
import { connectSap, sapSandbox } from '../helpers/sap.ts';

let s: TestServer;
let sb: Awaited<ReturnType<typeof sapSandbox>>;
let conn: { id: string; token: string };
const basic = 'Basic ' + Buffer.from('sandbox:sandbox').toString('base64');

before(async () => {
  sb = await sapSandbox({ volume: 120, pageSize: 40 });
  s = await startTestServer({ registry: new Registry([sapS4hana]), worker: true });
  conn = await connectSap(s, sb.url, {
    initial_sync_days: 3650,
    custom_objects: [
      { name: 'product_plants', source: 'API_PRODUCT_SRV/A_ProductPlant', keys: ['Product', 'Plant'] },
    ],
  });
  await eventually(
    async () => {
      const st = (await s.call('GET', '/v1/sync-status', { token: conn.token })).body.data;
      return st.length === 8 && st.every((x: any) => x.status === 'completed');
    },
    60_000,
    'initial sync',
  );
});
after(async () => {
  await s?.close();
  await sb?.close();
});

test('remapping a work-order field shows on the next request; a custom field can be filtered on', async () => {
  const before = (
    await s.call('GET', '/v1/work-orders?page_size=5&include_remote_data=true', { token: conn.token })
  ).body.data;
  const put = await s.call('PUT', '/v1/field-mappings/work-orders', {
    token: conn.token,
    body: {
      fields: {
        title: "concat(MaintenanceOrderType, ' ', MaintenanceOrderDesc)",
        'custom_fields.planner_group': 'MaintenancePlannerGroup',
      },
    },
  });
  assert.equal(put.status, 200, JSON.stringify(put.body));
  const after = (
    await s.call('GET', '/v1/work-orders?page_size=5&include_remote_data=true', { token: conn.token })
  ).body.data;
  for (let i = 0; i < after.length; i++) {
    assert.equal(
      after[i].title,
      `${before[i].remote_data.MaintenanceOrderType} ${before[i].remote_data.MaintenanceOrderDesc}`,
    );
    assert.equal(after[i].custom_fields.planner_group, before[i].remote_data.MaintenancePlannerGroup);
  }
  const group = after[0].custom_fields.planner_group;
  const filtered = (
    await s.call('GET', `/v1/work-orders?page_size=1000&custom_fields.planner_group=${group}`, {
      token: conn.token,
    })
  ).body.data;
  assert.ok(filtered.length >= 1);
  assert.ok(filtered.every((r: any) => r.custom_fields.planner_group === group));
  const all = (await s.call('GET', '/v1/work-orders?page_size=1000', { token: conn.token })).body.data;
  assert.equal(filtered.length, all.filter((r: any) => r.custom_fields.planner_group === group).length);
  const mappings = await s.call('GET', '/v1/field-mappings/work-orders', { token: conn.token });
  // From SAP's own $metadata: every property of the set, with its EDM type and label.
  const planner = mappings.body.source_fields.find((f: any) => f.path === 'MaintenancePlannerGroup');
  assert.equal(planner.from, 'metadata');
  assert.equal(planner.type, 'Edm.String');
  assert.ok(planner.label);
  assert.ok(mappings.body.source_fields.length >= 100);
  const changed = mappings.body.source_fields.find((f: any) => f.path === 'LastChangeDateTime');
  assert.equal(changed.type, 'Edm.DateTimeOffset');
});

test('a custom object syncs and pages like any entity, with its own mapping', async () => {
  const list = await s.call('GET', '/v1/custom-objects', { token: conn.token });
  assert.deepEqual(
    list.body.data.map((d: any) => d.name),
    ['product_plants'],
  );
  const q = new URLSearchParams({ $format: 'json', $inlinecount: 'allpages', $top: '1' });
  const src = await fetch(`${sb.url}/sap/opu/odata/sap/API_PRODUCT_SRV/A_ProductPlant?${q}`, {
    headers: { authorization: basic },
  });
  const total = Number((await src.json()).d.__count);
  const ids = new Set<string>();
  let cursor: string | null = null;
  let first: any = null;
  do {
    const page: any = await s.call(
      'GET',
      `/v1/custom-objects/product_plants?page_size=25${cursor ? `&cursor=${cursor}` : ''}`,
      { token: conn.token },
    );
    assert.equal(page.status, 200);
    first ??= page.body.data[0];
    for (const r of page.body.data) ids.add(r.id);
    cursor = page.body.next_cursor;
  } while (cursor);
  assert.equal(ids.size, total);
  assert.equal(first.remote_id, `${first.data.Product}/${first.data.Plant}`);
  const put = await s.call('PUT', '/v1/field-mappings/custom-objects/product_plants', {
    token: conn.token,
    body: { fields: { plant: 'Plant', 'custom_fields.product': 'strip_zeros(Product)' } },
  });
  assert.equal(put.status, 200, JSON.stringify(put.body));
  const one = await s.call('GET', `/v1/custom-objects/product_plants/${first.id}`, { token: conn.token });
  assert.equal(one.body.plant, first.data.Plant);
  const recent = await s.call(
    'GET',
    `/v1/custom-objects/product_plants?modified_after=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`,
    {
      token: conn.token,
    },
  );
  assert.deepEqual(recent.body.data, []);
  assert.equal((await s.call('GET', '/v1/custom-objects/nope', { token: conn.token })).status, 404);
  const bad = await s.call('PATCH', `/v1/connections/${conn.id}`, {
    token: s.sandboxKey,
    body: { settings: { custom_objects: [{ name: 'x', source: 'not a set' }] } },
  });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.error.details[0].field, 'settings.custom_objects.0.source');
});

test('passthrough reads $metadata and writes with CSRF handled; escapes are refused', async () => {
  const meta = await s.call('POST', '/v1/passthrough', {
    token: conn.token,
    body: { method: 'GET', path: '/sap/opu/odata/sap/API_PLANT_SRV/$metadata' },
  });
  assert.equal(meta.status, 200);
  assert.equal(meta.body.status, 200);
  assert.match(String(meta.body.body), /EntityType Name="A_PlantType"/);
  assert.ok(!Object.keys(meta.body.headers).some((h) => /authorization|set-cookie|x-csrf-token/i.test(h)));

  // Create an order through passthrough (CSRF fetched by the connector), then release it.
  const equipment = (await s.call('GET', '/v1/assets?page_size=1', { token: conn.token })).body.data[0]
    .remote_id;
  const created = await s.call('POST', '/v1/passthrough', {
    token: conn.token,
    body: {
      method: 'POST',
      path: '/sap/opu/odata/sap/API_MAINTENANCEORDER/MaintenanceOrder',
      headers: { accept: 'application/json' },
      body: { MaintenanceOrderType: 'PM01', Equipment: equipment, MaintenanceOrderDesc: 'Passthrough order' },
    },
  });
  assert.equal(created.body.status, 201, JSON.stringify(created.body).slice(0, 500));
  const crtd = created.body.body.d;
  await sb.control('faults', 'POST', { type: 'expire_csrf' });
  const rel = await s.call('POST', '/v1/passthrough', {
    token: conn.token,
    body: {
      method: 'POST',
      path: '/sap/opu/odata/sap/API_MAINTENANCEORDER/ReleaseMaintenanceOrder',
      query: { MaintenanceOrder: `'${crtd.MaintenanceOrder}'` },
      headers: { accept: 'application/json' },
    },
  });
  assert.equal(rel.status, 200, JSON.stringify(rel.body));
  assert.ok(rel.body.status < 300, JSON.stringify(rel.body));
  const check = await fetch(
    `${sb.url}/sap/opu/odata/sap/API_MAINTENANCEORDER/MaintenanceOrder('${crtd.MaintenanceOrder}')?$format=json`,
    {
      headers: { authorization: basic },
    },
  );
  assert.match((await check.json()).d.SystemStatusText, /REL/);

  for (const path of [
    'http://169.254.169.254/latest',
    '//evil.example/x',
    '/sap/../../etc/passwd',
    '/sap/%2e%2e/x',
    'sap/opu',
    '/a?b=c',
  ]) {
    const x = await s.call('POST', '/v1/passthrough', { token: conn.token, body: { method: 'GET', path } });
    assert.equal(x.status, 400, path);
    assert.equal(x.body.error.details[0].field, 'path');
  }
  const hdr = await s.call('POST', '/v1/passthrough', {
    token: conn.token,
    body: {
      method: 'GET',
      path: '/sap/opu/odata/sap/API_PLANT_SRV/A_Plant',
      headers: { Authorization: 'Basic x' },
    },
  });
  assert.equal(hdr.status, 400);
  const logged = await s.ctx.db.query<any>(
    `SELECT request_headers FROM request_log WHERE path = '/v1/passthrough' LIMIT 1`,
  );
  assert.equal(logged[0].request_headers.authorization, '[REDACTED]');
});
