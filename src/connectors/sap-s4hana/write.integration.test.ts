// Writes against the SAP sandbox over real HTTP: purchase orders (deep insert, updates), maintenance
// orders (create, update, status actions), refusals, ETag conflicts, passthrough.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ConnectorSession, SourceRecord } from '../types.ts';
import { compileMapping } from '../../mappings/index.ts';
import { HttpClient, basicAuth } from '../../protocols/http/index.ts';
import { ODataV2Service } from '../../protocols/odata-v2/index.ts';
import { sapS4hana } from './index.ts';
import { readAll, rejection, startFixture } from './test-support.ts';
import type { Fixture } from './test-support.ts';

let fx: Fixture;
let s: ConnectorSession;
let vendor: SourceRecord;
let blockedVendor: SourceRecord | undefined;
let products: SourceRecord[];
let equipment: SourceRecord[];
before(async () => {
  fx = await startFixture();
  s = fx.session();
  const vendors = (await readAll(s, 'vendors')).records;
  vendor = vendors.find((v) => v.data.PurchasingIsBlocked === false && v.data.DeletionIndicator === false)!;
  blockedVendor = vendors.find((v) => v.data.PurchasingIsBlocked === true);
  products = (await readAll(s, 'items')).records.filter((p) => !p.deleted);
  equipment = (await readAll(s, 'assets')).records.filter((e) => !e.deleted);
});
after(() => fx.close());

const items = (r: SourceRecord) =>
  (r.data.to_PurchaseOrderItem as { results: Record<string, unknown>[] }).results;
const unified = (entity: 'purchase_orders' | 'work_orders', r: SourceRecord) =>
  compileMapping(sapS4hana.mappings[entity]!, { functions: sapS4hana.mappingFunctions }).apply(r.data, {
    connectionId: 'conn_test',
  }).values;

async function newPurchaseOrder(): Promise<SourceRecord> {
  const { record } = await s.create!('purchase_orders', {
    vendor_id: vendor.remoteId,
    currency: 'EUR',
    payment_terms: '0002',
    lines: [
      { item_id: products[0].remoteId, quantity: 5, unit_price: 12.5, location_id: '1010/101A' },
      {
        description: 'Free-text service',
        quantity: 1,
        unit_price: 300,
        unit_of_measure: 'PC',
        location_id: '1010',
      },
    ],
  });
  return record;
}

test('create a purchase order with lines (deep insert) and read it back', async () => {
  const po = await newPurchaseOrder();
  assert.match(po.remoteId, /^45\d{8}$/);
  assert.equal(po.data.Supplier, vendor.remoteId);
  assert.equal(po.data.CompanyCode, '1010', 'company code derived from the plant');
  const lines = items(po);
  assert.deepEqual(
    lines.map((l) => l.PurchaseOrderItem),
    ['00010', '00020'],
  );
  assert.equal(Number(lines[0].OrderQuantity), 5);
  assert.equal(lines[0].Material, products[0].remoteId);
  assert.equal(lines[0].StorageLocation, '101A');
  const u = unified('purchase_orders', po);
  assert.equal(u.status, 'APPROVED');
  assert.equal(u.total_amount, 362.5);
  assert.equal(u.currency, 'EUR');
  const again = await s.get('purchase_orders', po.remoteId);
  assert.deepEqual(again?.data, po.data, 'the returned record is what SAP holds');
});

test('update a purchase order: header fields, an existing line and a new line', async () => {
  const po = await newPurchaseOrder();
  const { record } = await s.update!('purchase_orders', po.remoteId, {
    payment_terms: '0001',
    lines: [
      { line_number: 10, quantity: 8, unit_price: 11 },
      { line_number: 30, item_id: products[1].remoteId, quantity: 2, location_id: '1010' },
    ],
  });
  assert.equal(record.data.PaymentTerms, '0001');
  const lines = items(record);
  assert.deepEqual(
    lines.map((l) => l.PurchaseOrderItem),
    ['00010', '00020', '00030'],
  );
  assert.equal(Number(lines[0].OrderQuantity), 8);
  assert.equal(Number(lines[0].NetPriceAmount), 11);
  assert.equal(lines[2].Material, products[1].remoteId);
  assert.ok(Date.parse(record.remoteUpdatedAt!) >= Date.parse(po.remoteUpdatedAt!));
});

test('SAP business rules come back as business_rule with SAP code and message', async () => {
  const unknownMaterial = await rejection(
    s.create!('purchase_orders', {
      vendor_id: vendor.remoteId,
      lines: [{ item_id: 'NO-SUCH-MAT', quantity: 1, location_id: '1010' }],
    }),
  );
  assert.equal(unknownMaterial.kind, 'business_rule');
  assert.equal(unknownMaterial.remote?.code, 'ME/061');
  assert.match(String(unknownMaterial.remote?.message), /NO-SUCH-MAT/);
  assert.match(unknownMaterial.message, /ME\/061/);
  if (blockedVendor) {
    const blocked = await rejection(
      s.create!('purchase_orders', {
        vendor_id: blockedVendor.remoteId,
        lines: [{ item_id: products[0].remoteId, quantity: 1, location_id: '1010' }],
      }),
    );
    assert.equal(blocked.kind, 'business_rule');
    assert.equal(blocked.remote?.code, 'ME/047');
  }
  const delivered = (await readAll(s, 'purchase_orders')).records.find(
    (p) => !p.deleted && items(p).length > 0 && items(p).every((i) => i.IsCompletelyDelivered === true),
  );
  assert.ok(delivered, 'the seed has a completely delivered order');
  const refused = await rejection(
    s.update!('purchase_orders', delivered.remoteId, { payment_terms: '0001' }),
  );
  assert.equal(refused.kind, 'business_rule');
  assert.match(String(refused.remote?.message), /completely delivered/);
});

test('fields outside the writable list are refused by name; bad input is invalid_input', async () => {
  const status = await rejection(
    s.create!('purchase_orders', { vendor_id: vendor.remoteId, status: 'APPROVED', lines: [] }),
  );
  assert.equal(status.kind, 'field_not_writable');
  assert.match(status.message, /\bstatus\b/);
  const amount = await rejection(
    s.create!('purchase_orders', {
      vendor_id: vendor.remoteId,
      lines: [{ item_id: products[0].remoteId, quantity: 1, amount: 5 }],
    }),
  );
  assert.equal(amount.kind, 'field_not_writable');
  assert.match(amount.message, /lines\[0\]\.amount/);
  assert.equal(
    (await rejection(s.create!('purchase_orders', { vendor_id: vendor.remoteId, lines: [] }))).kind,
    'invalid_input',
  );
  assert.equal(
    (await rejection(s.update!('work_orders', '4000001', { type: 'PREVENTIVE' }))).kind,
    'field_not_writable',
  );
  assert.equal((await rejection(s.create!('vendors', { name: 'x' }))).kind, 'not_supported');
  assert.equal((await rejection(s.delete!('purchase_orders', '4500000001'))).kind, 'not_supported');
});

test('maintenance orders: create, update, and the life cycle through actions', async () => {
  const eq = equipment[0];
  const { record: created } = await s.create!('work_orders', {
    title: 'Replace pump seal',
    asset_id: eq.remoteId,
    priority: 'HIGH',
    type: 'CORRECTIVE',
    scheduled_start: '2030-01-01T08:00:00Z',
    scheduled_end: '2030-01-01T16:00:00Z',
  });
  assert.equal(created.data.MaintenanceOrderType, 'PM01');
  assert.equal(created.data.Equipment, eq.remoteId);
  assert.equal(unified('work_orders', created).status, 'REQUESTED');
  assert.equal(unified('work_orders', created).priority, 'HIGH');
  assert.equal(unified('work_orders', created).scheduled_start, '2030-01-01T08:00:00.000Z');

  const { record: updated } = await s.update!('work_orders', created.remoteId, {
    title: 'Replace pump seal now',
    priority: 'URGENT',
  });
  assert.equal(updated.data.MaintenanceOrderDesc, 'Replace pump seal now');
  assert.equal(unified('work_orders', updated).priority, 'URGENT');

  const released = (await s.action!('work_orders', created.remoteId, 'release')).record;
  assert.equal(unified('work_orders', released).status, 'SCHEDULED');
  const teco = (
    await s.action!('work_orders', created.remoteId, 'technically_complete', {
      reference_time: '2030-01-02T10:00:00Z',
    })
  ).record;
  assert.equal(unified('work_orders', teco).status, 'COMPLETED');
  const closed = (await s.action!('work_orders', created.remoteId, 'close')).record;
  assert.equal(unified('work_orders', closed).status, 'CLOSED');

  const again = await rejection(s.action!('work_orders', created.remoteId, 'release'));
  assert.equal(again.kind, 'business_rule');
  assert.match(String(again.remote?.message), /already released or completed/);
  const locked = await rejection(s.update!('work_orders', created.remoteId, { title: 'too late' }));
  assert.equal(locked.kind, 'business_rule');
  assert.equal(
    (await rejection(s.action!('work_orders', created.remoteId, 'teleport'))).kind,
    'not_supported',
  );
  const flagged = (
    await s.action!(
      'work_orders',
      (await s.create!('work_orders', { title: 'Oops', asset_id: eq.remoteId })).record.remoteId,
      'mark_for_deletion',
    )
  ).record;
  assert.equal(flagged.deleted, true);
  assert.equal(unified('work_orders', flagged).status, 'CANCELLED');
});

test('a stale ETag is a conflict (OData layer and concurrent connector updates)', async () => {
  const http = new HttpClient({
    baseUrl: fx.url,
    auth: basicAuth('sandbox', 'sandbox'),
    query: { 'sap-client': '100' },
  });
  const svc = new ODataV2Service(http, 'sap/opu/odata/sap/API_MAINTENANCEORDER');
  const { record } = await s.create!('work_orders', {
    title: 'Concurrency',
    asset_id: equipment[1].remoteId,
  });
  const first = await svc.get('MaintenanceOrder', record.remoteId);
  assert.ok(first?.etag, 'the sandbox sends an ETag');
  await svc.update(
    'MaintenanceOrder',
    record.remoteId,
    { MaintenanceOrderDesc: 'first' },
    { etag: first.etag },
  );
  const stale = await rejection(
    svc.update('MaintenanceOrder', record.remoteId, { MaintenanceOrderDesc: 'second' }, { etag: first.etag }),
  );
  assert.equal(stale.kind, 'conflict');
  assert.equal(stale.remote?.status, 412);
  const missing = await rejection(
    svc.update('MaintenanceOrder', record.remoteId, { MaintenanceOrderDesc: 'third' }),
  );
  assert.equal(missing.kind, 'remote_error');
  assert.equal(missing.remote?.status, 428);

  // Two sessions read the same ETag, then both write: the slower one must not overwrite blindly.
  await fx.fault({ type: 'latency', ms: 150, count: 2, entitySet: 'MaintenanceOrder' });
  const results = await Promise.allSettled([
    fx.session().update!('work_orders', record.remoteId, { title: 'from A' }),
    fx.session().update!('work_orders', record.remoteId, { title: 'from B' }),
  ]);
  await fx.clearFaults();
  const kinds = results
    .map((r) => (r.status === 'fulfilled' ? 'ok' : (r.reason as { kind: string }).kind))
    .sort();
  assert.deepEqual(kinds, ['conflict', 'ok']);
});

test('passthrough: raw reads and writes with auth and CSRF, confined to the instance', async () => {
  const plants = await s.passthrough!({
    method: 'GET',
    path: '/sap/opu/odata/sap/API_PLANT_SRV/A_Plant',
    query: { $top: '2', $format: 'json' },
  });
  assert.equal(plants.status, 200);
  assert.equal((plants.body as { d: { results: unknown[] } }).d.results.length, 2);
  for (const h of Object.keys(plants.headers))
    assert.ok(!['set-cookie', 'x-csrf-token', 'authorization'].includes(h), h);

  const { record } = await s.create!('work_orders', {
    title: 'Passthrough',
    asset_id: equipment[2].remoteId,
  });
  const etag = (await new ODataV2Service(
    new HttpClient({
      baseUrl: fx.url,
      auth: basicAuth('sandbox', 'sandbox'),
      query: { 'sap-client': '100' },
    }),
    'sap/opu/odata/sap/API_MAINTENANCEORDER',
  ).get('MaintenanceOrder', record.remoteId))!.etag!;
  const patched = await s.passthrough!({
    method: 'PATCH',
    path: `sap/opu/odata/sap/API_MAINTENANCEORDER/MaintenanceOrder('${record.remoteId}')`,
    headers: { 'If-Match': etag, Authorization: 'Basic ZXZpbDpldmls' },
    body: { MaintenanceOrderDesc: 'Patched raw' },
  });
  assert.equal(patched.status, 204);
  assert.equal((await s.get('work_orders', record.remoteId))?.data.MaintenanceOrderDesc, 'Patched raw');
  const notFound = await s.passthrough!({
    method: 'GET',
    path: "sap/opu/odata/sap/API_PLANT_SRV/A_Plant('ZZZZ')",
  });
  assert.equal(notFound.status, 404, 'error statuses are returned, not thrown');
  assert.equal(
    (await rejection(s.passthrough!({ method: 'GET', path: '../../etc/passwd' }))).kind,
    'invalid_input',
  );
  assert.equal(
    (await rejection(s.passthrough!({ method: 'GET', path: 'http://169.254.169.254/latest' }))).kind,
    'invalid_input',
  );
});
