// Reads against the SAP sandbox over real HTTP: full and incremental reads of every entity,
// resume tokens, live get, and default mappings applied to what was read.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ENTITIES } from '../types.ts';
import type { ConnectorSession } from '../types.ts';
import { compileMapping } from '../../mappings/index.ts';
import { recordId } from '../../core/ids.ts';
import { sapS4hana } from './index.ts';
import { readAll, rejection, startFixture } from './test-support.ts';
import type { Fixture } from './test-support.ts';

let fx: Fixture;
let session: ConnectorSession;
before(async () => {
  fx = await startFixture();
  session = fx.session();
});
after(() => fx.close());

const setCount = async (set: string) => {
  const info = await fx.control('GET', '/__sandbox/info');
  return (info.entitySets as Record<string, { count: number }>)[set].count;
};

test('check() passes with the sandbox user and fails with a wrong password', async () => {
  await session.check();
  const bad = fx.session({
    credentials: { auth_type: 'basic', username: 'sandbox', password: 'nope', sap_client: '100' },
  });
  const err = await rejection(bad.check());
  assert.equal(err.kind, 'auth_rejected');
  assert.ok(!err.message.includes('nope'));
});

test('full reads of every entity: complete, unique, clean records', async () => {
  const expected: Record<string, string> = {
    purchase_orders: 'A_PurchaseOrder',
    work_orders: 'MaintenanceOrder',
    items: 'A_Product',
    inventory: 'A_MatlStkInAcctMod',
    vendors: 'A_Supplier',
  };
  for (const entity of ENTITIES) {
    const { records, pages } = await readAll(session, entity, { pageSize: 25 });
    assert.ok(records.length > 0, `${entity} has records`);
    const ids = records.map((r) => r.remoteId);
    assert.equal(new Set(ids).size, ids.length, `${entity}: no duplicates`);
    if (expected[entity])
      assert.equal(records.length, await setCount(expected[entity]), `${entity}: every record`);
    if (records.length > 25) assert.ok(pages > 1, `${entity} paged`);
    for (const r of records) {
      assert.ok(r.remoteId, `${entity} remote id`);
      // What is stored and served: the record's JSON.
      const json = JSON.stringify(r.data);
      assert.ok(!json.includes('"__metadata"'), `${entity} without __metadata`);
      assert.ok(!json.includes('"__deferred"'), `${entity} without __deferred stubs`);
    }
  }
});

test('expanded children arrive with their parents', async () => {
  const { records: pos } = await readAll(session, 'purchase_orders');
  const items = pos[0].data.to_PurchaseOrderItem as { results: Record<string, unknown>[] };
  assert.ok(items.results.length > 0);
  assert.equal(items.results[0].PurchaseOrder, pos[0].remoteId);
  assert.ok(pos.every((p) => p.remoteUpdatedAt && p.remoteCreatedAt));
  const { records: wos } = await readAll(session, 'work_orders');
  const ops = wos[0].data.to_MaintenanceOrderOperation as { results: Record<string, unknown>[] };
  assert.ok(ops.results.length > 0);
  assert.ok('to_MaintOrderOpComponent_2' in ops.results[0]);
  const { records: products } = await readAll(session, 'items');
  assert.ok((products[0].data.to_Description as { results: unknown[] }).results.length > 0);
  const { records: locations } = await readAll(session, 'locations');
  const plants = locations.filter((l) => !l.remoteId.includes('/'));
  const slocs = locations.filter((l) => l.remoteId.includes('/'));
  assert.equal(plants.length, await setCount('A_Plant'));
  assert.ok(slocs.length > 0);
  for (const s of slocs)
    assert.ok(
      plants.some((p) => s.remoteId.startsWith(`${p.remoteId}/`)),
      'storage locations belong to plants',
    );
});

test('incremental reads return only what changed after a tick', async () => {
  for (const entity of ['work_orders', 'purchase_orders', 'assets', 'items'] as const) {
    const { records } = await readAll(session, entity);
    const high = records
      .map((r) => r.remoteUpdatedAt!)
      .sort()
      .at(-1)!;
    const since = new Date(Date.parse(high) + 1);
    assert.equal(
      (await readAll(session, entity, { since })).records.length,
      0,
      `${entity}: nothing newer yet`,
    );
  }
  const ticked = await fx.tick(30);
  const changed = (ticked.changed as { entitySet: string; key: unknown }[]).filter(
    (c) => c.entitySet === 'MaintenanceOrder',
  );
  assert.ok(changed.length > 0, 'the tick changed maintenance orders');
  const before = Date.parse(String(ticked.now)) - 60_000;
  const { records } = await readAll(session, 'work_orders', { since: new Date(before) });
  const got = new Set(records.map((r) => r.remoteId));
  for (const c of changed) assert.ok(got.has(String(c.key)), `changed order ${String(c.key)} is read`);
  assert.ok(records.length < (await setCount('MaintenanceOrder')), 'not a full read');
  assert.ok(records.every((r) => Date.parse(r.remoteUpdatedAt!) >= before));
});

test('the history window bounds the initial read of transactional data only', async () => {
  const all = (await readAll(session, 'purchase_orders')).records;
  const sorted = all.map((r) => r.remoteUpdatedAt!).sort();
  const windowStart = new Date(sorted[Math.floor(sorted.length / 2)]);
  const windowed = (await readAll(session, 'purchase_orders', { windowStart })).records;
  assert.ok(windowed.length > 0 && windowed.length < all.length);
  for (const r of windowed) {
    assert.ok(
      Date.parse(r.remoteUpdatedAt!) >= windowStart.getTime() ||
        Date.parse(r.remoteCreatedAt!) >= Date.parse(windowStart.toISOString().slice(0, 10)),
    );
  }
  assert.equal(
    (await readAll(session, 'vendors', { windowStart })).records.length,
    await setCount('A_Supplier'),
  );
});

test('a resume token lets a new session continue after any page', async () => {
  for (const entity of ['inventory', 'locations', 'work_orders'] as const) {
    const full = await readAll(session, entity, { pageSize: 10 });
    assert.ok(full.pages >= 3, `${entity} has several pages`);
    assert.equal(full.tokens.at(-1), null);
    const token = full.tokens[1]!;
    const rest = await readAll(fx.session(), entity, { pageSize: 10, resume: token });
    const head = [];
    let n = 0;
    for await (const page of session.read(entity, { pageSize: 10 })) {
      head.push(...page.records);
      if (++n === 2) break;
    }
    assert.deepEqual(
      [...head, ...rest.records].map((r) => r.remoteId),
      full.records.map((r) => r.remoteId),
      `${entity}: head + resumed tail = full read`,
    );
  }
  await assert.rejects(readAll(session, 'items', { resume: 'garbage' }), /resume token/);
});

test('get() reads one record live for every entity; unknown ids give null', async () => {
  for (const entity of ENTITIES) {
    const { records } = await readAll(session, entity, { pageSize: 50 });
    const sample = records[records.length - 1];
    const got = await session.get(entity, sample.remoteId);
    assert.ok(got, `${entity} ${sample.remoteId} found`);
    assert.equal(got.remoteId, sample.remoteId);
    assert.equal(
      await session.get(entity, entity === 'locations' ? '9999/ZZZZ' : 'NOPE404'),
      null,
      `${entity} missing`,
    );
  }
});

test('default mappings give sensible unified values', async () => {
  const map = (entity: keyof typeof sapS4hana.mappings, data: Record<string, unknown>) => {
    const m = compileMapping(sapS4hana.mappings[entity]!, { functions: sapS4hana.mappingFunctions });
    const out = m.apply(data, { connectionId: 'conn_test' });
    assert.deepEqual(out.warnings, [], `${entity} maps without warnings`);
    return out.values;
  };
  const po = (await readAll(session, 'purchase_orders')).records[0];
  const v = map('purchase_orders', po.data);
  assert.equal(v.number, po.remoteId);
  assert.ok(
    [
      'DRAFT',
      'PENDING_APPROVAL',
      'APPROVED',
      'PARTIALLY_RECEIVED',
      'RECEIVED',
      'CLOSED',
      'CANCELLED',
    ].includes(String(v.status)),
  );
  assert.equal(v.vendor_id, recordId('conn_test', 'vendors', String(po.data.Supplier)));
  const lines = v.lines as Record<string, unknown>[];
  assert.ok(lines.length > 0);
  assert.equal(typeof lines[0].quantity, 'number');
  assert.equal(lines[0].item_id, recordId('conn_test', 'items', String(lines[0].item_code)));
  const total = lines.reduce((s, l) => s + Number(l.amount), 0);
  assert.ok(Math.abs(Number(v.total_amount) - total) < 0.01 || po.deleted);

  for (const wo of (await readAll(session, 'work_orders')).records.slice(0, 20)) {
    const w = map('work_orders', wo.data);
    assert.ok(
      [
        'REQUESTED',
        'APPROVED',
        'SCHEDULED',
        'IN_PROGRESS',
        'ON_HOLD',
        'COMPLETED',
        'CLOSED',
        'CANCELLED',
      ].includes(String(w.status)),
      String(wo.data.SystemStatusText),
    );
    assert.ok(['LOW', 'MEDIUM', 'HIGH', 'URGENT'].includes(String(w.priority)));
    assert.equal(
      w.asset_id,
      wo.data.Equipment ? recordId('conn_test', 'assets', String(wo.data.Equipment)) : null,
    );
  }
  const inv = (await readAll(session, 'inventory')).records[0];
  const i = map('inventory', inv.data);
  assert.equal(
    i.location_id,
    recordId('conn_test', 'locations', `${inv.data.Plant}/${inv.data.StorageLocation}`),
  );
  assert.equal(typeof i.quantity_on_hand, 'number');
  const loc = (await readAll(session, 'locations')).records;
  const sloc = map('locations', loc.find((l) => l.remoteId.includes('/'))!.data);
  assert.equal(sloc.type, 'STOREROOM');
  assert.equal(map('locations', loc[0].data).type, 'PLANT');
  assert.ok(
    ['ACTIVE', 'BLOCKED', 'INACTIVE'].includes(
      String(map('vendors', (await readAll(session, 'vendors')).records[0].data).status),
    ),
  );
  assert.ok(
    ['ACTIVE', 'INACTIVE', 'IN_REPAIR', 'DECOMMISSIONED'].includes(
      String(map('assets', (await readAll(session, 'assets')).records[0].data).status),
    ),
  );
  const item = map('items', (await readAll(session, 'items')).records[0].data);
  assert.ok(item.name && ['SPARE_PART', 'MATERIAL', 'SERVICE', 'PRODUCT'].includes(String(item.type)));
});

test('sap-client goes on every call and the session counts its requests', async () => {
  await fx.control('DELETE', '/__sandbox/stats');
  const s = fx.session();
  await readAll(s, 'vendors');
  const stats = s.stats();
  assert.ok(stats.requests >= 1);
  assert.equal(stats.retries, 0);
  const wrongClient = fx.session({
    credentials: { auth_type: 'basic', username: 'sandbox', password: 'sandbox', sap_client: '200' },
  });
  assert.equal((await rejection(wrongClient.check())).kind, 'auth_rejected', 'the logon client is checked');
});
