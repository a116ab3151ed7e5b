// System query options and resource paths, checked against the full data read in one go.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { csrf, get, ms, send, start, svc } from './test-support.ts';

const sb = await start();
after(() => sb.close());
const MO = `${svc(sb, 'API_MAINTENANCEORDER')}/MaintenanceOrder`;
const PO = svc(sb, 'API_PURCHASEORDER_PROCESS_SRV');
let all: any[] = [];

before(async () => {
  // Put a quote into one description to exercise '' escaping.
  const s = await csrf(sb, 'API_MAINTENANCEORDER');
  const list = (await get(`${MO}?$filter=MaintOrdProcessPhaseCode eq '03'&$top=1`)).body.d.results;
  const r = await send(
    'PATCH',
    list[0].__metadata.uri,
    { MaintenanceOrderDesc: "Check O'Brien valve" },
    { session: s, ifMatch: list[0].__metadata.etag },
  );
  assert.equal(r.status, 204, r.text);
  all = (await get(MO)).body.d.results;
  assert.equal(all.length, 200);
});

async function filtered(filter: string, url = MO): Promise<any[]> {
  const r = await get(`${url}?$filter=${encodeURIComponent(filter)}`);
  assert.equal(r.status, 200, `${filter}: ${r.text.slice(0, 300)}`);
  return r.body.d.results;
}
const ids = (xs: any[]) => xs.map((x) => x.MaintenanceOrder).sort();
const expectIds = (xs: any[], pred: (x: any) => boolean) => assert.deepEqual(ids(xs), ids(all.filter(pred)));

test('comparison operators on strings, numbers and dates', async () => {
  expectIds(await filtered("MaintenanceOrderType eq 'PM01'"), (x) => x.MaintenanceOrderType === 'PM01');
  expectIds(await filtered("MaintenanceOrderType ne 'PM01'"), (x) => x.MaintenanceOrderType !== 'PM01');
  expectIds(await filtered("MaintPriority gt '2'"), (x) => x.MaintPriority > '2');
  expectIds(await filtered("MaintPriority le '2'"), (x) => x.MaintPriority <= '2');
  expectIds(await filtered('MaintenanceCall ge 12'), (x) => x.MaintenanceCall >= 12);
  expectIds(await filtered('MaintenanceCall lt 3'), (x) => x.MaintenanceCall < 3);
  const cut = ms(all[120].LastChangeDateTime);
  const iso = new Date(cut).toISOString().slice(0, 19);
  expectIds(
    await filtered(`LastChangeDateTime gt datetimeoffset'${iso}Z'`),
    (x) => ms(x.LastChangeDateTime) > Math.floor(cut / 1000) * 1000,
  );
  expectIds(
    await filtered(`MaintOrdBasicStartDate lt datetime'2024-06-01T00:00:00'`),
    (x) => ms(x.MaintOrdBasicStartDate) < Date.UTC(2024, 5, 1),
  );
});

test('and, or, not and parentheses', async () => {
  expectIds(
    await filtered(
      "(MaintenanceOrderType eq 'PM01' or MaintenanceOrderType eq 'PM03') and not (MaintPriority eq '1')",
    ),
    (x) =>
      (x.MaintenanceOrderType === 'PM01' || x.MaintenanceOrderType === 'PM03') && x.MaintPriority !== '1',
  );
});

test("string functions and '' escaping", async () => {
  expectIds(await filtered("substringof('pump',MaintenanceOrderDesc)"), (x) =>
    x.MaintenanceOrderDesc.includes('pump'),
  );
  expectIds(await filtered("startswith(MaintenanceOrderDesc,'Replace')"), (x) =>
    x.MaintenanceOrderDesc.startsWith('Replace'),
  );
  expectIds(await filtered("endswith(Equipment,'7')"), (x) => x.Equipment.endsWith('7'));
  expectIds(await filtered("substringof('tolower',MaintenanceOrderDesc) eq false"), () => true);
  const quoted = await filtered("MaintenanceOrderDesc eq 'Check O''Brien valve'");
  assert.equal(quoted.length, 1);
  expectIds(
    await filtered("tolower(MaintenanceOrderType) eq 'pm02'"),
    (x) => x.MaintenanceOrderType === 'PM02',
  );
});

test('decimals, booleans and null', async () => {
  const items = `${PO}/A_PurchaseOrderItem`;
  const allItems = (await get(items)).body.d.results;
  const big = await filtered('OrderQuantity ge 100m and NetPriceAmount lt 500.5m', items);
  assert.deepEqual(
    big.map((x) => x.PurchaseOrder + x.PurchaseOrderItem).sort(),
    allItems
      .filter((x: any) => Number(x.OrderQuantity) >= 100 && Number(x.NetPriceAmount) < 500.5)
      .map((x: any) => x.PurchaseOrder + x.PurchaseOrderItem)
      .sort(),
  );
  const delivered = await filtered('IsCompletelyDelivered eq true', items);
  assert.equal(delivered.length, allItems.filter((x: any) => x.IsCompletelyDelivered).length);
  expectIds(await filtered('MainWorkCompletedDateTime eq null'), (x) => x.MainWorkCompletedDateTime === null);
  expectIds(await filtered('MainWorkCompletedDateTime ne null'), (x) => x.MainWorkCompletedDateTime !== null);
});

test('non-filterable, unknown properties and bad syntax answer 400 with SAP error JSON', async () => {
  for (const f of [
    "SystemStatusText eq 'REL'",
    "NoSuchField eq 'x'",
    'MaintenanceOrder eq 4000001',
    "MaintenanceOrder eq 'unterminated",
    'MaintenanceOrder eq',
    "MaintenanceOrder eq guid'00000000-0000-0000-0000-000000000000'",
  ]) {
    const r = await get(`${MO}?$filter=${encodeURIComponent(f)}`);
    assert.equal(r.status, 400, f);
    assert.equal(typeof r.body.error.code, 'string');
    assert.equal(r.body.error.message.lang, 'en');
    assert.ok(Array.isArray(r.body.error.innererror.errordetails));
    assert.ok(r.body.error.innererror.transactionid);
  }
  const r = await get(`${MO}?$filter=${encodeURIComponent("SystemStatusText eq 'REL'")}`);
  assert.match(r.body.error.message.value, /SystemStatusText/);
});

test('$top, $skip and $orderby (asc, desc, several keys)', async () => {
  const r = await get(`${MO}?$orderby=MaintenanceOrderType desc,MaintenanceOrder asc&$skip=5&$top=10`);
  const sorted = [...all].sort((a, b) =>
    a.MaintenanceOrderType < b.MaintenanceOrderType
      ? 1
      : a.MaintenanceOrderType > b.MaintenanceOrderType
        ? -1
        : a.MaintenanceOrder < b.MaintenanceOrder
          ? -1
          : 1,
  );
  assert.deepEqual(
    r.body.d.results.map((x: any) => x.MaintenanceOrder),
    sorted.slice(5, 15).map((x) => x.MaintenanceOrder),
  );
  const byTime = await get(`${MO}?$orderby=LastChangeDateTime desc&$top=3`);
  const times = byTime.body.d.results.map((x: any) => ms(x.LastChangeDateTime));
  assert.deepEqual(
    times,
    [...times].sort((a, b) => b - a),
  );
  assert.equal(times[0], Math.max(...all.map((x) => ms(x.LastChangeDateTime))));
  assert.equal((await get(`${MO}?$orderby=SystemStatusText`)).status, 400);
  assert.equal((await get(`${MO}?$top=-1`)).status, 400);
  assert.equal((await get(`${MO}?$skip=x`)).status, 400);
  assert.equal((await get(`${MO}?$bogus=1`)).status, 400);
});

test('$select limits properties; $expand inlines navigations, nested and with selected paths', async () => {
  const r = await get(`${MO}?$top=2&$select=MaintenanceOrder,MaintPriority`);
  assert.deepEqual(Object.keys(r.body.d.results[0]).sort(), [
    'MaintPriority',
    'MaintenanceOrder',
    '__metadata',
  ]);
  const e = await get(
    `${MO}?$top=3&$expand=to_MaintenanceOrderOperation/to_MaintOrderOpComponent_2&$select=MaintenanceOrder,to_MaintenanceOrderOperation/MaintenanceOrderOperation,to_MaintenanceOrderOperation/to_MaintOrderOpComponent_2/Product`,
  );
  assert.equal(e.status, 200, e.text.slice(0, 300));
  for (const o of e.body.d.results) {
    assert.ok(o.to_MaintenanceOrderOperation.results.length >= 1);
    for (const op of o.to_MaintenanceOrderOperation.results) {
      assert.deepEqual(Object.keys(op).sort(), [
        'MaintenanceOrderOperation',
        '__metadata',
        'to_MaintOrderOpComponent_2',
      ]);
      for (const c of op.to_MaintOrderOpComponent_2.results)
        assert.deepEqual(Object.keys(c).sort(), ['Product', '__metadata']);
    }
  }
  const p = await get(`${svc(sb, 'API_PRODUCT_SRV')}/A_Product?$top=2&$expand=to_Description`);
  assert.equal(p.body.d.results[0].to_Description.results[0].Language, 'EN');
  assert.ok(p.body.d.results[0].to_Plant.__deferred.uri.endsWith('/to_Plant'));
  assert.equal((await get(`${MO}?$select=Nope`)).status, 400);
  assert.equal((await get(`${MO}?$expand=to_Nowhere`)).status, 400);
});

test('$inlinecount allpages|none, anything else 400; $format=json', async () => {
  const a = await get(`${MO}?$top=1&$inlinecount=allpages`);
  assert.equal(a.body.d.__count, '200');
  const n = await get(`${MO}?$top=1&$inlinecount=none`);
  assert.equal(n.body.d.__count, undefined);
  assert.equal((await get(`${MO}?$inlinecount=yes`)).status, 400);
  const f = await get(`${MO}?$top=1&$format=json`, { accept: '*/*' });
  assert.equal(f.status, 200);
  assert.match(f.headers.get('content-type')!, /application\/json/);
});

test('entity by key, compound key, navigation both ways, $count', async () => {
  const one = await get(`${MO}('4000001')`);
  assert.equal(one.body.d.MaintenanceOrder, '4000001');
  assert.equal(one.headers.get('etag'), one.body.d.__metadata.etag);
  const eq = await get(
    `${svc(sb, 'API_EQUIPMENT')}/Equipment(Equipment='10000002',ValidityEndDate=datetime'9999-12-31T00:00:00')`,
  );
  assert.equal(eq.status, 200);
  assert.equal(eq.body.d.Equipment, '10000002');
  const items = await get(`${PO}/A_PurchaseOrder('4500000001')/to_PurchaseOrderItem`);
  assert.ok(items.body.d.results.length >= 1);
  assert.ok(items.body.d.results.every((x: any) => x.PurchaseOrder === '4500000001'));
  const back = await get(`${items.body.d.results[0].__metadata.uri}/to_PurchaseOrder`);
  assert.equal(back.body.d.PurchaseOrder, '4500000001');
  const count = await get(`${MO}/$count?$filter=${encodeURIComponent("MaintenanceOrderType eq 'PM02'")}`);
  assert.equal(count.text, String(all.filter((x) => x.MaintenanceOrderType === 'PM02').length));
});

test('unknown sets, unknown keys and malformed keys', async () => {
  const r = await get(`${svc(sb, 'API_MAINTENANCEORDER')}/NoSuchSet`);
  assert.equal(r.status, 404);
  assert.ok(r.body.error.code);
  assert.equal((await get(`${MO}('9999999')`)).status, 404);
  assert.equal((await get(`${MO}(Foo='1')`)).status, 400);
  assert.equal((await get(`${sb.url}/sap/opu/odata/sap/API_NOPE/`)).status, 404);
  const bp = await get(`${svc(sb, 'API_BUSINESS_PARTNER')}/A_BusinessPartner?$inlinecount=allpages`);
  assert.deepEqual(bp.body.d, { results: [], __count: '0' });
});

test('filters on cheap fields agree with full records, also after a change of such a field', async () => {
  const cut = new Date(ms(all[150].LastChangeDateTime)).toISOString();
  const created = new Date(ms(all[100].MaintOrderCreationDateTime)).toISOString();
  const f = `LastChangeDateTime ge datetimeoffset'${cut}' or MaintOrderCreationDateTime ge datetimeoffset'${created}'`;
  const r = await get(`${MO}?$filter=${encodeURIComponent(f)}&$orderby=MaintenanceOrder&$top=500`);
  assert.deepEqual(
    r.body.d.results.map((x: any) => x.MaintenanceOrder),
    all
      .filter(
        (x) =>
          ms(x.LastChangeDateTime) >= Date.parse(cut) ||
          ms(x.MaintOrderCreationDateTime) >= Date.parse(created),
      )
      .map((x) => x.MaintenanceOrder)
      .sort(),
  );
  const target = (
    await get(
      `${MO}?$filter=${encodeURIComponent("MaintOrdProcessPhaseCode eq '03' and Equipment ne '10000005'")}&$top=1`,
    )
  ).body.d.results[0];
  const s = await csrf(sb, 'API_MAINTENANCEORDER');
  const p = await send(
    'PATCH',
    target.__metadata.uri,
    { Equipment: '10000005' },
    { session: s, ifMatch: target.__metadata.etag },
  );
  assert.equal(p.status, 204, p.text);
  const hits = await get(
    `${MO}?$filter=${encodeURIComponent("Equipment eq '10000005'")}&$select=MaintenanceOrder,Equipment`,
  );
  assert.ok(hits.body.d.results.some((x: any) => x.MaintenanceOrder === target.MaintenanceOrder));
  assert.ok(hits.body.d.results.every((x: any) => x.Equipment === '10000005'));
});
