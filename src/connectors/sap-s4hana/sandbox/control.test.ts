// /__sandbox controls: simulated changes, hard deletes, request statistics.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { control, get, ms, start, svc } from './test-support.ts';

const sb = await start();
after(() => sb.close());
const MO = `${svc(sb, 'API_MAINTENANCEORDER')}/MaintenanceOrder`;

async function maxChange(url: string): Promise<number> {
  const r = await get(`${url}?$orderby=LastChangeDateTime desc&$top=1&$select=LastChangeDateTime`);
  return ms(r.body.d.results[0].LastChangeDateTime);
}

test('tick changes existing records with strictly increasing LastChangeDateTime', async () => {
  const before = await maxChange(MO);
  const r = await control(sb, 'tick', 'POST', { count: 40 });
  assert.equal(r.status, 200);
  assert.equal(r.body.changed.length, 40);
  const sets = new Set(r.body.changed.map((c: any) => c.entitySet));
  assert.ok(sets.has('MaintenanceOrder'));
  const moKeys = [
    ...new Set(r.body.changed.filter((c: any) => c.entitySet === 'MaintenanceOrder').map((c: any) => c.key)),
  ];
  const since = new Date(before).toISOString();
  const delta = await get(
    `${MO}?$filter=${encodeURIComponent(`LastChangeDateTime gt datetimeoffset'${since}'`)}&$orderby=LastChangeDateTime`,
  );
  const got = delta.body.d.results.map((x: any) => x.MaintenanceOrder);
  for (const k of moKeys) assert.ok(got.includes(k), `changed order ${k} shows up in the delta`);
  const times = delta.body.d.results.map((x: any) => ms(x.LastChangeDateTime));
  assert.equal(new Set(times).size, times.length, 'change stamps are unique');
  assert.ok(times.every((t: number) => t > before));
});

test('tick with deletes marks purchase orders with a deletion code', async () => {
  const r = await control(sb, 'tick', 'POST', { count: 0, deletes: 2 });
  assert.equal(r.body.changed.length, 2);
  for (const c of r.body.changed) {
    assert.equal(c.entitySet, 'A_PurchaseOrder');
    const po = await get(
      `${svc(sb, 'API_PURCHASEORDER_PROCESS_SRV')}/A_PurchaseOrder('${c.key}')?$expand=to_PurchaseOrderItem`,
    );
    assert.equal(po.body.d.PurchasingDocumentDeletionCode, 'L');
    assert.ok(
      po.body.d.to_PurchaseOrderItem.results.every((i: any) => i.PurchasingDocumentDeletionCode === 'L'),
    );
  }
  assert.equal((await control(sb, 'tick', 'POST', { count: -1 })).status, 400);
});

test('tick limited to entity sets changes only records of those sets', async () => {
  const r = await control(sb, 'tick', 'POST', { count: 25, entitySets: ['MaintenanceOrder'] });
  assert.equal(r.status, 200);
  assert.equal(r.body.changed.length, 25);
  assert.ok(r.body.changed.every((c: any) => c.entitySet === 'MaintenanceOrder'));
  const bad = await control(sb, 'tick', 'POST', { count: 1, entitySets: ['A_Plant'] });
  assert.equal(bad.status, 400);
  assert.match(bad.body.error.message.value ?? JSON.stringify(bad.body), /entitySets/);
});

test('remove hard-deletes a record (single and compound keys)', async () => {
  const url = `${svc(sb, 'API_BUSINESS_PARTNER')}/A_Supplier`;
  const countBefore = Number((await get(`${url}/$count`)).text);
  const r = await control(sb, 'remove', 'POST', { entitySet: 'A_Supplier', key: '17300010' });
  assert.equal(r.status, 200);
  assert.deepEqual(r.body.removed, { entitySet: 'A_Supplier', key: '17300010' });
  assert.equal((await get(`${url}('17300010')`)).status, 404);
  assert.equal(Number((await get(`${url}/$count`)).text), countBefore - 1);
  assert.equal(
    (await control(sb, 'remove', 'POST', { entitySet: 'A_Supplier', key: '17300010' })).status,
    404,
  );

  const stockUrl = `${svc(sb, 'API_MATERIAL_STOCK_SRV')}/A_MatlStkInAcctMod`;
  const row = (await get(`${stockUrl}?$top=1`)).body.d.results[0];
  const key = Object.fromEntries(
    [
      'Material',
      'Plant',
      'StorageLocation',
      'Batch',
      'Supplier',
      'Customer',
      'WBSElementInternalID',
      'SDDocument',
      'SDDocumentItem',
      'InventorySpecialStockType',
      'InventoryStockType',
    ].map((k) => [k, row[k]]),
  );
  assert.equal((await control(sb, 'remove', 'POST', { entitySet: 'A_MatlStkInAcctMod', key })).status, 200);
  assert.equal((await get(row.__metadata.uri)).status, 404);
  const ms0 = (await get(`${svc(sb, 'API_MATERIAL_STOCK_SRV')}/A_MaterialStock?$top=1`)).body.d.results[0];
  assert.equal(
    (await control(sb, 'remove', 'POST', { entitySet: 'A_MaterialStock', key: ms0.Material })).status,
    200,
  );
  const rows = await get(`${stockUrl}?$filter=${encodeURIComponent(`Material eq '${ms0.Material}'`)}`);
  assert.equal(rows.body.d.results.length, 0, 'stock rows go with their material');
  assert.equal((await control(sb, 'remove', 'POST', { entitySet: 'Nope', key: 'x' })).status, 400);
});

test('stats count requests per entity set and method; DELETE resets them', async () => {
  assert.equal((await control(sb, 'stats', 'DELETE')).status, 200);
  await get(`${MO}?$top=1`);
  await get(`${MO}('4000001')`);
  await get(`${svc(sb, 'API_PLANT_SRV')}/A_Plant`);
  await get(`${svc(sb, 'API_PLANT_SRV')}/$metadata`);
  await get(`${svc(sb, 'API_PLANT_SRV')}/A_Plant`, { authorization: '' });
  const s = (await control(sb, 'stats')).body;
  assert.equal(s.total, 5);
  assert.deepEqual(s.entitySets.MaintenanceOrder, { GET: 2, total: 2 });
  assert.deepEqual(s.entitySets.A_Plant, { GET: 2, total: 2 });
  assert.equal(s.entitySets['API_PLANT_SRV/$metadata'].GET, 1);
  assert.equal(s.methods.GET, 5);
  await control(sb, 'stats', 'DELETE');
  assert.equal((await control(sb, 'stats')).body.total, 0);
});

test('info describes the loaded data', async () => {
  const r = await control(sb, 'info');
  assert.equal(r.body.entitySets.MaintenanceOrder.count, 200);
  assert.equal(r.body.sapClient, '100');
});
