// Fault injection: every fault type, counts, scoping to an entity set, clearing.
import { test, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { control, csrf, get, send, start, svc } from './test-support.ts';

const sb = await start();
after(() => sb.close());
const PLANTS = `${svc(sb, 'API_PLANT_SRV')}/A_Plant`;
const MO = `${svc(sb, 'API_MAINTENANCEORDER')}/MaintenanceOrder`;
const fault = (body: unknown) => control(sb, 'faults', 'POST', body);

beforeEach(async () => {
  await control(sb, 'faults', 'DELETE');
});

test('rate_limit: the next N requests get 429 with Retry-After, then service resumes', async () => {
  assert.equal((await fault({ type: 'rate_limit', count: 2, retry_after: 3 })).status, 200);
  for (let n = 0; n < 2; n++) {
    const r = await get(PLANTS);
    assert.equal(r.status, 429);
    assert.equal(r.headers.get('retry-after'), '3');
    assert.ok(r.body.error.message.value);
  }
  assert.equal((await get(PLANTS)).status, 200);
});

test('error: 503 or 500 for the next N requests', async () => {
  await fault({ type: 'error', status: 503, count: 1 });
  await fault({ type: 'error', status: 500, count: 1 });
  const a = await get(PLANTS);
  const b = await get(PLANTS);
  assert.deepEqual([a.status, b.status], [503, 500]);
  assert.ok(a.body.error.code);
  assert.equal((await get(PLANTS)).status, 200);
  assert.equal((await fault({ type: 'error', status: 200 })).status, 400);
  assert.equal((await fault({ type: 'nonsense' })).status, 400);
});

test('latency delays the next N requests', async () => {
  await fault({ type: 'latency', ms: 150, count: 2 });
  for (let n = 0; n < 2; n++) {
    const t0 = performance.now();
    assert.equal((await get(PLANTS)).status, 200);
    const took = performance.now() - t0;
    assert.ok(took >= 140, `took ${took}`);
  }
  // Used up: nothing is left to delay the next request.
  assert.deepEqual((await control(sb, 'faults')).body.faults, []);
});

test('faults scoped to an entity set leave other sets alone', async () => {
  await fault({ type: 'error', status: 503, count: 1, entitySet: 'MaintenanceOrder' });
  assert.equal((await get(PLANTS)).status, 200);
  assert.equal((await get(`${MO}?$top=1`)).status, 503);
  assert.equal((await get(`${MO}?$top=1`)).status, 200);
  const listed = await fault({ type: 'rate_limit', count: 3, entitySet: 'A_Plant' });
  assert.deepEqual(listed.body.faults, [
    { type: 'rate_limit', remaining: 3, entitySet: 'A_Plant', retry_after: 1 },
  ]);
});

test('revoke_credentials: every logon fails until faults are cleared', async () => {
  const tokenUrl = `${sb.url}/sap/bc/sec/oauth2/token`;
  const tokenReq = () =>
    fetch(tokenUrl, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from('sandbox:sandbox').toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials',
    });
  const tok = await (await tokenReq()).json();
  await fault({ type: 'revoke_credentials' });
  assert.equal((await get(PLANTS)).status, 401);
  assert.equal((await get(PLANTS, { authorization: `Bearer ${tok.access_token}` })).status, 401);
  assert.equal((await tokenReq()).status, 401);
  assert.equal((await get(PLANTS)).status, 401);
  await control(sb, 'faults', 'DELETE');
  assert.equal((await get(PLANTS)).status, 200);
  assert.equal((await get(PLANTS, { authorization: `Bearer ${tok.access_token}` })).status, 200);
});

test('expire_csrf: tokens fetched before stop working; a fresh fetch works again', async () => {
  const s = await csrf(sb, 'API_MAINTENANCEORDER');
  const o = (await get(`${MO}?$filter=${encodeURIComponent("MaintOrdProcessPhaseCode eq '03'")}&$top=1`)).body
    .d.results[0];
  await fault({ type: 'expire_csrf' });
  const r = await send(
    'PATCH',
    o.__metadata.uri,
    { MaintPriority: '2' },
    { session: s, ifMatch: o.__metadata.etag },
  );
  assert.equal(r.status, 403);
  assert.equal(r.headers.get('x-csrf-token'), 'Required');
  const again = await csrf(sb, 'API_MAINTENANCEORDER');
  assert.notEqual(again.token, s.token);
  const ok = await send(
    'PATCH',
    o.__metadata.uri,
    { MaintPriority: '2' },
    { session: again, ifMatch: o.__metadata.etag },
  );
  assert.equal(ok.status, 204, ok.text);
});

test('/__sandbox itself is never faulted nor authenticated', async () => {
  await fault({ type: 'error', status: 503, count: 5 });
  assert.equal((await control(sb, 'stats')).status, 200);
  assert.equal((await control(sb, 'faults')).body.faults[0].remaining, 5);
});
