import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Registry } from '../../src/connectors/registry.ts';
import { eventually, startTestServer, type TestServer } from '../helpers/server.ts';
import { connectRest, restConnector, startRestRemote } from '../helpers/test-remote.ts';

let s: TestServer;
let remote: Awaited<ReturnType<typeof startRestRemote>>;
let conn: any;

before(async () => {
  remote = await startRestRemote(30);
  s = await startTestServer({ registry: new Registry([restConnector()]), worker: true });
  conn = await connectRest(s, remote.url);
  await eventually(
    async () =>
      (await s.call('GET', '/v1/sync-status', { token: conn.token })).body.data[0].status === 'completed',
  );
});
after(async () => {
  await s.close();
  await remote.close();
});

const list = async (q = '') =>
  (await s.call('GET', `/v1/work-orders?page_size=100${q}`, { token: conn.token })).body.data;

test('GET lists every field as default, with the source fields seen in stored records', async () => {
  const r = await s.call('GET', '/v1/field-mappings/work-orders', { token: conn.token });
  assert.equal(r.status, 200);
  const title = r.body.fields.find((f: any) => f.field === 'title');
  assert.deepEqual([title.expression, title.source], ['title', 'default']);
  assert.deepEqual(
    r.body.source_fields.map((f: any) => `${f.path}:${f.from}`),
    ['asset:records', 'id:records', 'status:records', 'title:records', 'updated_at:records'],
  );
});

test('a remapped field and a new custom field show on the very next request, filters agree, no resync runs', async () => {
  const runsBefore = (await s.call('GET', '/v1/sync-runs', { token: conn.token })).body.data.length;
  const put = await s.call('PUT', '/v1/field-mappings/work-orders', {
    token: conn.token,
    body: { fields: { title: "concat('WO ', id, ': ', upper(title))", 'custom_fields.asset_code': 'asset' } },
  });
  assert.equal(put.status, 200);
  assert.equal(put.body.fields.find((f: any) => f.field === 'title').source, 'override');
  const rows = await list();
  const one = rows.find((r: any) => r.remote_id === '3');
  assert.equal(one.title, 'WO 3: ORDER 3');
  assert.equal(one.custom_fields.asset_code, 'A3');
  const filtered = await list('&custom_fields.asset_code=A3');
  assert.ok(filtered.length > 0);
  assert.ok(filtered.every((r: any) => r.custom_fields.asset_code === 'A3'));
  assert.equal(filtered.length, rows.filter((r: any) => r.custom_fields.asset_code === 'A3').length);
  const byKey = await s.call('GET', `/v1/connections/${conn.id}/work-orders/${one.id}`, {
    token: s.sandboxKey,
  });
  assert.equal(byKey.body.title, 'WO 3: ORDER 3');
  const runsAfter = (await s.call('GET', '/v1/sync-runs', { token: conn.token })).body.data.length;
  assert.equal(runsAfter, runsBefore);
  const ev = await s.call('GET', `/v1/events?type=field_mapping.updated&connection_id=${conn.id}`, {
    token: s.sandboxKey,
  });
  assert.equal(ev.body.data.length, 1);

  const reset = await s.call('DELETE', '/v1/field-mappings/work-orders/title', { token: conn.token });
  assert.equal(reset.status, 200);
  assert.equal((await list()).find((r: any) => r.remote_id === '3').title, 'Order 3');
  assert.equal(
    (await s.call('DELETE', '/v1/field-mappings/work-orders/title', { token: conn.token })).status,
    404,
  );
});

test('a remapped enum field filters on its new values', async () => {
  await s.call('PUT', '/v1/field-mappings/work-orders', {
    token: conn.token,
    body: { fields: { status: "if(id = '4', 'ON_HOLD', 'SCHEDULED')" } },
  });
  const held = await list('&status=ON_HOLD');
  assert.deepEqual(
    held.map((r: any) => r.remote_id),
    ['4'],
  );
  await s.call('DELETE', '/v1/field-mappings/work-orders/status', { token: conn.token });
  assert.deepEqual(await list('&status=ON_HOLD'), []);
});

test('preview applies a draft to stored records without saving it', async () => {
  const r = await s.call('POST', '/v1/field-mappings/work-orders/preview', {
    token: conn.token,
    body: { fields: { title: 'lower(title)' }, limit: 3 },
  });
  assert.equal(r.status, 200);
  assert.equal(r.body.data.length, 3);
  for (const p of r.body.data) {
    assert.equal(p.after.title, p.before.title.toLowerCase());
    assert.deepEqual(p.changed_fields, ['title']);
  }
  assert.ok((await list()).every((x: any) => x.title.startsWith('Order')));
});

test('bad expressions, unknown fields and misfitting types are 400s naming the field', async () => {
  const syntax = await s.call('PUT', '/v1/field-mappings/work-orders', {
    token: conn.token,
    body: { fields: { title: 'concat(title, ' } },
  });
  assert.equal(syntax.status, 400);
  assert.equal(syntax.body.error.details[0].field, 'title');
  assert.equal(typeof syntax.body.error.details[0].position, 'number');
  assert.match(syntax.body.error.message, /position/);
  const unknown = await s.call('PUT', '/v1/field-mappings/work-orders', {
    token: conn.token,
    body: { fields: { colour: 'title' } },
  });
  assert.equal(unknown.status, 400);
  assert.equal(unknown.body.error.details[0].field, 'colour');
  const type = await s.call('PUT', '/v1/field-mappings/work-orders', {
    token: conn.token,
    body: { fields: { estimated_hours: 'date(updated_at)', status: "'DONE'" } },
  });
  assert.equal(type.status, 400);
  assert.deepEqual(type.body.error.details.map((d: any) => d.field).sort(), ['estimated_hours', 'status']);
  const fn = await s.call('PUT', '/v1/field-mappings/work-orders', {
    token: conn.token,
    body: { fields: { title: 'frob(title)' } },
  });
  assert.equal(fn.status, 400);
  assert.match(fn.body.error.details[0].message, /frob/);
});

test('a mapping that fails on one record gives null and a warning on that record, never a failed page', async () => {
  await s.call('PUT', '/v1/field-mappings/work-orders', {
    token: conn.token,
    body: { fields: { 'custom_fields.n': "checked_int(if(id = '2', 'two', id))" } },
  });
  const rows = await list();
  assert.equal(rows.length, 30);
  const warned = rows.filter((r: any) => r.warnings?.length);
  assert.deepEqual(
    warned.map((r: any) => r.remote_id),
    ['2'],
  );
  assert.equal(warned[0].custom_fields.n, null);
  assert.deepEqual(warned[0].warnings, [{ field: 'custom_fields.n', message: 'not an integer: two' }]);
  assert.equal(rows.find((r: any) => r.remote_id === '9').custom_fields.n, 9);
  await s.call('DELETE', '/v1/field-mappings/work-orders/custom_fields.n', { token: conn.token });
});
