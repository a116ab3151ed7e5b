// Business rules of the sandbox, each refused with SAP's error JSON.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { csrf, get, send, start, svc } from './test-support.ts';

const sb = await start();
after(() => sb.close());
const POS = svc(sb, 'API_PURCHASEORDER_PROCESS_SRV');
const MOS = svc(sb, 'API_MAINTENANCEORDER');
let spare = '';
before(async () => {
  const r = await get(
    `${svc(sb, 'API_PRODUCT_SRV')}/A_Product?$filter=${encodeURIComponent("ProductType eq 'ERSA' and IsMarkedForDeletion eq false")}&$top=1`,
  );
  spare = r.body.d.results[0].Product;
});
const po = (id: string) =>
  get(`${POS}/A_PurchaseOrder('${id}')?$expand=to_PurchaseOrderItem`).then((r) => r.body.d);

function assertSapError(r: { status: number; body: any }, status: number, text: RegExp): void {
  assert.equal(r.status, status, JSON.stringify(r.body));
  assert.match(r.body.error.code, /^[A-Z0-9/_]+\/\d+$/);
  assert.match(r.body.error.message.value, text);
  assert.ok(r.body.error.innererror.errordetails.length >= 1);
}

const newPo = (over: Record<string, unknown> = {}) => ({
  CompanyCode: '1010',
  PurchaseOrderType: 'NB',
  Supplier: '17300001',
  to_PurchaseOrderItem: {
    results: [{ Plant: '1010', Material: spare, OrderQuantity: '5', NetPriceAmount: '12.5' }],
  },
  ...over,
});

test('a purchase order with a deletion code cannot be changed', async () => {
  const d = await po('4500000002');
  assert.equal(d.PurchasingDocumentDeletionCode, 'L');
  const s = await csrf(sb, 'API_PURCHASEORDER_PROCESS_SRV');
  assertSapError(
    await send(
      'PATCH',
      d.__metadata.uri,
      { PaymentTerms: '0001' },
      { session: s, ifMatch: d.__metadata.etag },
    ),
    400,
    /deletion/,
  );
  const item = d.to_PurchaseOrderItem.results[0];
  assertSapError(
    await send(
      'PATCH',
      item.__metadata.uri,
      { OrderQuantity: '1' },
      { session: s, ifMatch: item.__metadata.etag },
    ),
    400,
    /deletion/,
  );
});

test('a completely delivered purchase order cannot be changed; a partially delivered one can', async () => {
  const full = await po('4500000003');
  assert.ok(full.to_PurchaseOrderItem.results.every((i: any) => i.IsCompletelyDelivered));
  const s = await csrf(sb, 'API_PURCHASEORDER_PROCESS_SRV');
  assertSapError(
    await send(
      'PATCH',
      full.__metadata.uri,
      { PaymentTerms: '0001' },
      { session: s, ifMatch: full.__metadata.etag },
    ),
    400,
    /completely delivered/,
  );
  const part = await po('4500000004');
  const flags = part.to_PurchaseOrderItem.results.map((i: any) => i.IsCompletelyDelivered);
  assert.ok(flags.includes(true) && flags.includes(false));
  const ok = await send(
    'PATCH',
    part.__metadata.uri,
    { PaymentTerms: '0001' },
    { session: s, ifMatch: part.__metadata.etag },
  );
  assert.equal(ok.status, 204, ok.text);
  const after = await po('4500000004');
  assert.ok(
    after.LastChangeDateTime > part.LastChangeDateTime || after.__metadata.etag !== part.__metadata.etag,
  );
});

test('deep insert of a purchase order with items: 201, Location, items numbered', async () => {
  const s = await csrf(sb, 'API_PURCHASEORDER_PROCESS_SRV');
  const body = newPo();
  (body.to_PurchaseOrderItem.results as object[]).push({
    Plant: '1010',
    PurchaseOrderItemText: 'Free text item',
    MaterialGroup: 'SP01',
    OrderQuantity: 2,
    PurchaseOrderQuantityUnit: 'PC',
  });
  const r = await send('POST', `${POS}/A_PurchaseOrder`, body, { session: s });
  assert.equal(r.status, 201, r.text);
  const d = r.body.d;
  assert.match(d.PurchaseOrder, /^45\d{8}$/);
  assert.equal(r.headers.get('location'), d.__metadata.uri);
  assert.equal(r.headers.get('etag'), d.__metadata.etag);
  assert.equal(d.PurchasingOrganization, '1010');
  assert.equal(d.DocumentCurrency, 'EUR');
  assert.deepEqual(
    d.to_PurchaseOrderItem.results.map((i: any) => i.PurchaseOrderItem),
    ['00010', '00020'],
  );
  assert.equal(d.to_PurchaseOrderItem.results[0].PurchaseOrderQuantityUnit, 'PC');
  const back = await po(d.PurchaseOrder);
  assert.equal(back.to_PurchaseOrderItem.results.length, 2);
  // A further item can be added to the open order.
  const item = await send(
    'POST',
    `${POS}/A_PurchaseOrderItem`,
    { PurchaseOrder: d.PurchaseOrder, Plant: '1020', Material: spare, OrderQuantity: '1' },
    { session: s },
  );
  assert.equal(item.status, 201, item.text);
  assert.equal(item.body.d.PurchaseOrderItem, '00030');
});

test('a purchase order needs items, known company code and order type, and a usable supplier', async () => {
  const s = await csrf(sb, 'API_PURCHASEORDER_PROCESS_SRV');
  const url = `${POS}/A_PurchaseOrder`;
  assertSapError(
    await send('POST', url, newPo({ to_PurchaseOrderItem: { results: [] } }), { session: s }),
    400,
    /item/,
  );
  const noItems: Record<string, unknown> = newPo();
  delete noItems.to_PurchaseOrderItem;
  assertSapError(await send('POST', url, noItems, { session: s }), 400, /item/);
  assertSapError(
    await send('POST', url, newPo({ CompanyCode: undefined }), { session: s }),
    400,
    /CompanyCode/,
  );
  assertSapError(
    await send('POST', url, newPo({ CompanyCode: '9999' }), { session: s }),
    400,
    /Company code/,
  );
  assertSapError(
    await send('POST', url, newPo({ PurchaseOrderType: 'ZZ' }), { session: s }),
    400,
    /Order type/,
  );
  assertSapError(
    await send('POST', url, newPo({ Supplier: '99999999' }), { session: s }),
    400,
    /does not exist/,
  );
  assertSapError(await send('POST', url, newPo({ Supplier: '17300003' }), { session: s }), 400, /blocked/);
  assertSapError(await send('POST', url, newPo({ Supplier: '17300005' }), { session: s }), 400, /deletion/);
  const badItem = newPo({
    to_PurchaseOrderItem: { results: [{ Plant: '0000', Material: spare, OrderQuantity: '1' }] },
  });
  assertSapError(await send('POST', url, badItem, { session: s }), 400, /Plant/);
  assertSapError(
    await send('POST', url, newPo({ PurchaseOrder: '4599999999' }), { session: s }),
    400,
    /internally/,
  );
});

test('deleting a purchase order item sets its deletion indicator', async () => {
  const s = await csrf(sb, 'API_PURCHASEORDER_PROCESS_SRV');
  const created = (await send('POST', `${POS}/A_PurchaseOrder`, newPo(), { session: s })).body.d;
  const item = created.to_PurchaseOrderItem.results[0];
  const del = await send('DELETE', item.__metadata.uri, undefined, {
    session: s,
    ifMatch: item.__metadata.etag,
  });
  assert.equal(del.status, 204, del.text);
  const after = (await get(item.__metadata.uri)).body.d;
  assert.equal(after.PurchasingDocumentDeletionCode, 'L');
  const header = await po(created.PurchaseOrder);
  assert.notEqual(header.__metadata.etag, created.__metadata.etag, 'the document changed');
});

test('maintenance order creation: validated, numbered, CRTD in planning, with a first operation', async () => {
  const s = await csrf(sb, 'API_MAINTENANCEORDER');
  const url = `${MOS}/MaintenanceOrder`;
  assertSapError(
    await send('POST', url, { Equipment: '10000001', MaintenancePlanningPlant: '1010' }, { session: s }),
    400,
    /MaintenanceOrderType/,
  );
  assertSapError(
    await send(
      'POST',
      url,
      { MaintenanceOrderType: 'PM01', MaintenancePlanningPlant: '1010' },
      { session: s },
    ),
    400,
    /equipment or a functional location/,
  );
  assertSapError(
    await send('POST', url, { MaintenanceOrderType: 'ZZ01', Equipment: '10000001' }, { session: s }),
    400,
    /Order type/,
  );
  assertSapError(
    await send('POST', url, { MaintenanceOrderType: 'PM01', Equipment: '99999999' }, { session: s }),
    400,
    /does not exist/,
  );
  assertSapError(
    await send(
      'POST',
      url,
      { MaintenanceOrderType: 'PM01', FunctionalLocation: '1010-PRD-01', MaintenancePlanningPlant: '0000' },
      { session: s },
    ),
    400,
    /plant/,
  );
  assertSapError(
    await send(
      'POST',
      url,
      { MaintenanceOrderType: 'PM01', Equipment: '10000001', MaintOrdProcessPhaseCode: '07' },
      { session: s },
    ),
    400,
    /MaintOrdProcessPhaseCode/,
  );
  const r = await send(
    'POST',
    url,
    {
      MaintenanceOrderType: 'PM01',
      MaintenanceOrderDesc: 'Pump leaks',
      Equipment: '10000001',
      MaintPriority: '1',
    },
    { session: s },
  );
  assert.equal(r.status, 201, r.text);
  const d = r.body.d;
  assert.equal(d.SystemStatusText.split(' ')[0], 'CRTD');
  assert.equal(d.MaintOrdProcessPhaseCode, '03');
  assert.equal(d.MaintenancePlanningPlant, d.MainWorkCenterPlant);
  assert.ok(d.EquipmentName);
  const ops = (await get(`${d.__metadata.uri}/to_MaintenanceOrderOperation`)).body.d.results;
  assert.equal(ops.length, 1);
  assert.equal(ops[0].MaintenanceOrderOperation, '0010');
  const patched = await send(
    'PATCH',
    d.__metadata.uri,
    { MaintenanceOrderDesc: 'Pump leaks badly' },
    { session: s, ifMatch: d.__metadata.etag },
  );
  assert.equal(patched.status, 204);
});

test('completed maintenance orders refuse changes to themselves and their operations', async () => {
  const teco = (
    await get(
      `${MOS}/MaintenanceOrder?$filter=${encodeURIComponent("MaintOrdProcessSubPhaseCode eq '0901'")}&$top=1&$expand=to_MaintenanceOrderOperation`,
    )
  ).body.d.results[0];
  const s = await csrf(sb, 'API_MAINTENANCEORDER');
  assertSapError(
    await send(
      'PATCH',
      teco.__metadata.uri,
      { MaintPriority: '1' },
      { session: s, ifMatch: teco.__metadata.etag },
    ),
    400,
    /technically completed/,
  );
  const op = teco.to_MaintenanceOrderOperation.results[0];
  assertSapError(
    await send(
      'PATCH',
      op.__metadata.uri,
      { OperationDescription: 'x' },
      { session: s, ifMatch: op.__metadata.etag },
    ),
    400,
    /technically completed/,
  );
});

test('equipment creation gets a number and the open validity period', async () => {
  const s = await csrf(sb, 'API_EQUIPMENT');
  const url = `${svc(sb, 'API_EQUIPMENT')}/Equipment`;
  assertSapError(
    await send('POST', url, { EquipmentName: 'No category' }, { session: s }),
    400,
    /EquipmentCategory/,
  );
  const r = await send(
    'POST',
    url,
    {
      EquipmentName: 'Test pump',
      EquipmentCategory: 'M',
      MaintenancePlant: '1010',
      SuperordinateEquipment: '10000001',
    },
    { session: s },
  );
  assert.equal(r.status, 201, r.text);
  assert.equal(r.body.d.ValidityEndDate, '/Date(253402214400000)/');
  assert.match(
    r.headers.get('location')!,
    /Equipment\(Equipment='\d+',ValidityEndDate=datetime'9999-12-31T00%3A00%3A00'\)$/,
  );
  assert.equal((await get(r.headers.get('location')!)).status, 200);
});
