// Write protocol: CSRF token + session cookie, If-Match ETags, EDMX annotations on sets and
// properties, method tunnelling.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { csrf, get, send, start, svc } from './test-support.ts';

const sb = await start();
after(() => sb.close());
const MO_SVC = 'API_MAINTENANCEORDER';
const MO = `${svc(sb, MO_SVC)}/MaintenanceOrder`;
const SUP = `${svc(sb, 'API_BUSINESS_PARTNER')}/A_Supplier`;

/** An order in planning (phase 03) that may be changed. */
async function plannedOrder(skip = 0): Promise<any> {
  const r = await get(
    `${MO}?$filter=${encodeURIComponent("MaintOrdProcessPhaseCode eq '03'")}&$skip=${skip}&$top=1`,
  );
  return r.body.d.results[0];
}

test('CSRF fetch returns a token and a session cookie', async () => {
  const r = await fetch(`${svc(sb, MO_SVC)}/`, {
    headers: {
      authorization: `Basic ${Buffer.from('sandbox:sandbox').toString('base64')}`,
      'x-csrf-token': 'Fetch',
    },
  });
  assert.equal(r.status, 200);
  assert.ok(r.headers.get('x-csrf-token')!.length >= 20);
  assert.ok(r.headers.getSetCookie().some((c) => c.startsWith('SAP_SESSIONID_S4H_100=')));
  const doc = await r.json();
  assert.ok(doc.d.EntitySets.includes('MaintenanceOrder'));
});

test('writes without a valid token and cookie: 403, X-CSRF-Token: Required', async () => {
  const o = await plannedOrder();
  const s = await csrf(sb, MO_SVC);
  const cases = [
    {},
    { session: { token: s.token, cookie: '' } },
    { session: { token: 'wrong', cookie: s.cookie } },
    { session: { token: s.token, cookie: 'SAP_SESSIONID_S4H_100=other' } },
  ];
  for (const c of cases) {
    const r = await send(
      'PATCH',
      o.__metadata.uri,
      { MaintPriority: '2' },
      { ...c, ifMatch: o.__metadata.etag },
    );
    assert.equal(r.status, 403, JSON.stringify(c));
    assert.equal(r.headers.get('x-csrf-token'), 'Required');
    assert.equal(r.text, 'CSRF token validation failed');
  }
});

test('PATCH needs If-Match: missing → 428, stale → 412, current → 204 with a new ETag', async () => {
  const o = await plannedOrder();
  const s = await csrf(sb, MO_SVC);
  const missing = await send('PATCH', o.__metadata.uri, { MaintPriority: '2' }, { session: s });
  assert.equal(missing.status, 428);
  assert.ok(missing.body.error.message.value);
  const stale = await send(
    'PATCH',
    o.__metadata.uri,
    { MaintPriority: '2' },
    { session: s, ifMatch: `W/"datetimeoffset'2001-01-01T00%3A00%3A00.0000000Z'"` },
  );
  assert.equal(stale.status, 412);
  assert.ok(stale.body.error.code);
  const ok = await send(
    'PATCH',
    o.__metadata.uri,
    { MaintPriority: '2', MaintenanceOrderDesc: 'Changed by test' },
    { session: s, ifMatch: o.__metadata.etag },
  );
  assert.equal(ok.status, 204, ok.text);
  assert.equal(ok.text, '');
  const after = (await get(o.__metadata.uri)).body.d;
  assert.equal(after.MaintenanceOrderDesc, 'Changed by test');
  assert.notEqual(after.__metadata.etag, o.__metadata.etag);
  assert.equal(ok.headers.get('etag'), after.__metadata.etag);
  assert.equal(after.LastChangeByUser, 'SANDBOX');
  // The old ETag is now stale.
  const again = await send(
    'PATCH',
    o.__metadata.uri,
    { MaintPriority: '3' },
    { session: s, ifMatch: o.__metadata.etag },
  );
  assert.equal(again.status, 412);
});

test('MERGE as a method and tunnelled through POST with X-HTTP-Method', async () => {
  const o = await plannedOrder(1);
  const s = await csrf(sb, MO_SVC);
  const m = await send(
    'MERGE',
    o.__metadata.uri,
    { MaintPriority: '1' },
    { session: s, ifMatch: o.__metadata.etag },
  );
  assert.equal(m.status, 204, m.text);
  const cur = (await get(o.__metadata.uri)).body.d;
  assert.equal(cur.MaintPriority, '1');
  const t = await send(
    'POST',
    o.__metadata.uri,
    { MaintPriority: '4' },
    { session: s, ifMatch: cur.__metadata.etag, headers: { 'x-http-method': 'MERGE' } },
  );
  assert.equal(t.status, 204, t.text);
  assert.equal((await get(o.__metadata.uri)).body.d.MaintPriority, '4');
});

test('entity sets annotated not creatable / deletable / updatable refuse with 405 and SAP error JSON', async () => {
  const s = await csrf(sb, 'API_PLANT_SRV');
  const plant = await send('POST', `${svc(sb, 'API_PLANT_SRV')}/A_Plant`, { Plant: '9999' }, { session: s });
  assert.equal(plant.status, 405);
  assert.match(plant.body.error.message.value, /creatable/);
  const m = await csrf(sb, MO_SVC);
  const del = await send('DELETE', `${MO}('4000001')`, undefined, { session: m });
  assert.equal(del.status, 405);
  const sup = await csrf(sb, 'API_BUSINESS_PARTNER');
  assert.equal((await send('POST', SUP, { Supplier: '1' }, { session: sup })).status, 405);
  const stock = await csrf(sb, 'API_MATERIAL_STOCK_SRV');
  const st = await send(
    'PATCH',
    `${svc(sb, 'API_MATERIAL_STOCK_SRV')}/A_MaterialStock('RM100001')`,
    { MaterialBaseUnit: 'KG' },
    { session: stock },
  );
  assert.equal(st.status, 405);
});

test('a sap:updatable="false" property in PATCH is a 400 naming it; so is an unknown property', async () => {
  const o = await plannedOrder(2);
  const s = await csrf(sb, MO_SVC);
  const ro = await send(
    'PATCH',
    o.__metadata.uri,
    { MaintenanceOrderType: 'PM02' },
    { session: s, ifMatch: o.__metadata.etag },
  );
  assert.equal(ro.status, 400);
  assert.match(ro.body.error.message.value, /MaintenanceOrderType/);
  assert.equal(ro.body.error.innererror.errordetails[0].propertyref, 'MaintenanceOrderType');
  const unknown = await send(
    'PATCH',
    o.__metadata.uri,
    { Bogus: 1 },
    { session: s, ifMatch: o.__metadata.etag },
  );
  assert.equal(unknown.status, 400);
  assert.match(unknown.body.error.message.value, /Bogus/);
  const type = await send(
    'PATCH',
    o.__metadata.uri,
    { MaintPriority: 3 },
    { session: s, ifMatch: o.__metadata.etag },
  );
  assert.equal(type.status, 400);
  const long = await send(
    'PATCH',
    o.__metadata.uri,
    { MaintenanceOrderDesc: 'x'.repeat(41) },
    { session: s, ifMatch: o.__metadata.etag },
  );
  assert.equal(long.status, 400);
});

test('version ETags on sets without a change timestamp (A_Supplier)', async () => {
  const sup = (await get(`${SUP}?$top=1`)).body.d.results[0];
  assert.equal(sup.__metadata.etag, `W/"'1'"`);
  const s = await csrf(sb, 'API_BUSINESS_PARTNER');
  assert.equal(
    (await send('PATCH', sup.__metadata.uri, { VATRegistration: 'DE000000001' }, { session: s })).status,
    428,
  );
  const ok = await send(
    'PATCH',
    sup.__metadata.uri,
    { VATRegistration: 'DE000000001' },
    { session: s, ifMatch: sup.__metadata.etag },
  );
  assert.equal(ok.status, 204);
  assert.equal(ok.headers.get('etag'), `W/"'2'"`);
  const ro = await send(
    'PATCH',
    sup.__metadata.uri,
    { SupplierName: 'x' },
    { session: s, ifMatch: `W/"'2'"` },
  );
  assert.equal(ro.status, 400);
});
