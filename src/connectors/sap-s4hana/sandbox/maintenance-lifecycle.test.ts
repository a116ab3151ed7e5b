// Maintenance order status changes through the EDMX function imports, along SAP's life cycle.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { csrf, get, ms, send, start, svc } from './test-support.ts';

const sb = await start();
after(() => sb.close());
const MOS = svc(sb, 'API_MAINTENANCEORDER');
let session: { token: string; cookie: string };

async function newOrder(): Promise<string> {
  session ??= await csrf(sb, 'API_MAINTENANCEORDER');
  const r = await send(
    'POST',
    `${MOS}/MaintenanceOrder`,
    { MaintenanceOrderType: 'PM01', Equipment: '10000002', MaintenanceOrderDesc: 'Life cycle' },
    { session },
  );
  assert.equal(r.status, 201, r.text);
  return r.body.d.MaintenanceOrder;
}

const order = async (id: string) => (await get(`${MOS}/MaintenanceOrder('${id}')`)).body.d;
const call = (fn: string, id: string, extra = '') =>
  send('POST', `${MOS}/${fn}?MaintenanceOrder='${id}'${extra}`, undefined, { session });
const status = (o: any) => o.SystemStatusText.split(' ')[0];

test('function imports use the EDMX HTTP method, need CSRF and the mandatory parameter', async () => {
  const id = await newOrder();
  const viaGet = await get(`${MOS}/ReleaseMaintenanceOrder?MaintenanceOrder='${id}'`);
  assert.equal(viaGet.status, 405);
  assert.equal(viaGet.headers.get('allow'), 'POST');
  const noCsrf = await send('POST', `${MOS}/ReleaseMaintenanceOrder?MaintenanceOrder='${id}'`, undefined);
  assert.equal(noCsrf.status, 403);
  const noParam = await send('POST', `${MOS}/ReleaseMaintenanceOrder`, undefined, { session });
  assert.equal(noParam.status, 400);
  const unknown = await call('ReleaseMaintenanceOrder', '9999999');
  assert.equal(unknown.status, 404);
  const notImpl = await send(
    'POST',
    `${MOS}/AssignTaskList?MaintenanceOrder='${id}'&TaskListType='A'&TaskListGroup='1'&TaskListGroupCounter='1'`,
    undefined,
    { session },
  );
  assert.equal(notImpl.status, 501);
});

test('CRTD → REL → main work completed → TECO → CLSD, with the phase and timestamps moving', async () => {
  const id = await newOrder();
  const o0 = await order(id);
  assert.equal(status(o0), 'CRTD');
  const rel = await call('ReleaseMaintenanceOrder', id);
  assert.equal(rel.status, 200, rel.text);
  assert.deepEqual(rel.body.d.ReleaseMaintenanceOrder, {
    __metadata: { type: 'cds_api_maintenanceorder_2.DummyFunctionImportResult' },
    IsInvalid: false,
  });
  const o1 = await order(id);
  assert.equal(status(o1), 'REL');
  assert.equal(o1.MaintOrdProcessPhaseCode, '07');
  assert.ok(ms(o1.LastChangeDateTime) > ms(o0.LastChangeDateTime));
  assert.notEqual(o1.__metadata.etag, o0.__metadata.etag);

  assert.equal(
    (
      await call(
        'SetMaintOrdToMainWorkComplete',
        id,
        `&MainWorkCompletedDateTime=datetimeoffset'2025-05-30T10:00:00Z'`,
      )
    ).status,
    200,
  );
  const o2 = await order(id);
  assert.equal(o2.MaintOrdProcessPhaseCode, '08');
  assert.equal(ms(o2.MainWorkCompletedDateTime), Date.UTC(2025, 4, 30, 10));

  assert.equal((await call('SetMaintOrdToTechCompleted', id)).status, 200);
  const o3 = await order(id);
  assert.equal(status(o3), 'TECO');
  assert.equal(o3.MaintOrdProcessPhaseCode, '09');
  assert.ok(o3.MaintOrderReferenceDateTime);

  assert.equal((await call('SetMaintOrderStatusToClosed', id)).status, 200);
  const o4 = await order(id);
  assert.equal(status(o4), 'CLSD');
  assert.equal(o4.MaintOrdProcessSubPhaseCode, '0902');
  const times = [o0, o1, o2, o3, o4].map((o) => ms(o.LastChangeDateTime));
  assert.deepEqual(
    times,
    [...times].sort((a, b) => a - b),
  );
});

test('steps out of order are refused with SAP error JSON', async () => {
  const id = await newOrder();
  for (const fn of [
    'SetMaintOrdToTechCompleted',
    'SetMaintOrderStatusToClosed',
    'SetMaintOrdToMainWorkComplete',
    'ResetMaintOrdStsTechCompleted',
  ]) {
    const r = await call(fn, id);
    assert.equal(r.status, 400, fn);
    assert.ok(r.body.error.message.value.includes(id), fn);
  }
  assert.equal(status(await order(id)), 'CRTD');
  assert.equal((await call('ReleaseMaintenanceOrder', id)).status, 200);
  assert.equal((await call('ReleaseMaintenanceOrder', id)).status, 400);
  assert.equal((await call('SetMaintOrderStatusToClosed', id)).status, 400);
});

test('reset functions step back', async () => {
  const id = await newOrder();
  await call('ReleaseMaintenanceOrder', id);
  await call('SetMaintOrdToMainWorkComplete', id);
  assert.equal((await call('ResetMaintOrdStsMainWorkCmplt', id)).status, 200);
  assert.equal((await order(id)).MainWorkCompletedDateTime, null);
  await call('SetMaintOrdToTechCompleted', id);
  await call('SetMaintOrderStatusToClosed', id);
  assert.equal((await call('ResetMaintOrderStatusClosed', id)).status, 200);
  assert.equal(status(await order(id)), 'TECO');
  assert.equal((await call('ResetMaintOrdStsTechCompleted', id)).status, 200);
  assert.equal(status(await order(id)), 'REL');
});

test('deletion flag, lock and approval follow their own rules', async () => {
  const id = await newOrder();
  assert.equal((await call('SubmitMaintOrderForApproval', id)).status, 200);
  assert.equal((await order(id)).MaintOrdProcessPhaseCode, '04');
  assert.equal((await call('ReleaseMaintenanceOrder', id)).status, 400, 'awaiting approval');
  assert.equal((await call('ApproveMaintenanceOrder', id)).status, 200);
  assert.equal((await call('SetMaintOrderStatusToLocked', id)).status, 200);
  const locked = await order(id);
  assert.match(locked.SystemStatusText, /LKD/);
  const patch = await send(
    'PATCH',
    locked.__metadata.uri,
    { MaintPriority: '2' },
    { session, ifMatch: locked.__metadata.etag },
  );
  assert.equal(patch.status, 400);
  assert.equal((await call('ReleaseMaintenanceOrder', id)).status, 400, 'locked');
  assert.equal((await call('SetMaintOrderStatusToUnlocked', id)).status, 200);
  assert.equal((await call('SetMaintOrdStsToMrkdForDeltn', id)).status, 200);
  assert.match((await order(id)).SystemStatusText, /DLFL/);
  assert.equal((await call('ReleaseMaintenanceOrder', id)).status, 400, 'flagged for deletion');
  assert.equal((await call('ResetMaintOrdStsMrkdForDeltn', id)).status, 200);
  assert.equal((await call('ReleaseMaintenanceOrder', id)).status, 200);
});

test('a stale If-Match on a function import is refused; equipment functions return the equipment', async () => {
  const id = await newOrder();
  const stale = await send('POST', `${MOS}/ReleaseMaintenanceOrder?MaintenanceOrder='${id}'`, undefined, {
    session,
    ifMatch: `W/"datetimeoffset'2000-01-01T00%3A00%3A00.0000000Z'"`,
  });
  assert.equal(stale.status, 412);
  const eqs = await csrf(sb, 'API_EQUIPMENT');
  const base = svc(sb, 'API_EQUIPMENT');
  const key = `Equipment='10000003'&ValidityEndDate=datetime'9999-12-31T00:00:00'`;
  const d = await send('POST', `${base}/DismantleEquipment?${key}`, undefined, { session: eqs });
  if (d.status === 200) assert.equal(d.body.d.EquipmentIsInstalled, false);
  else assert.equal(d.status, 400);
  const i = await send(
    'POST',
    `${base}/InstallEquipment?${key}&FunctionalLocation='1010-PRD-01'`,
    undefined,
    { session: eqs },
  );
  assert.equal(i.status, 200, i.text);
  assert.equal(i.body.d.Equipment, '10000003');
  assert.equal(i.body.d.FunctionalLocation, '1010-PRD-01');
  assert.equal(i.body.d.EquipmentIsInstalled, true);
  const del = await send('POST', `${base}/SetEquipToMarkedForDeletion?${key}`, undefined, { session: eqs });
  assert.equal(del.status, 200);
  const eq = (
    await get(`${base}/Equipment(Equipment='10000003',ValidityEndDate=datetime'9999-12-31T00:00:00')`)
  ).body.d;
  assert.equal(eq.EquipmentIsMarkedForDeletion, true);
});
