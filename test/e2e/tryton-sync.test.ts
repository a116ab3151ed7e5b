// End to end over HTTP: Ironbridge API + worker ↔ a real trytond (the Tryton sandbox). What the API
// shows is compared with what Tryton itself answers through its own JSON-RPC (the raw caller).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Registry } from '../../src/connectors/registry.ts';
import { tryton } from '../../src/connectors/tryton/index.ts';
import { startTryton } from '../../src/connectors/tryton/sandbox/index.ts';
import type { TrytonSandbox } from '../../src/connectors/tryton/sandbox/index.ts';
import { decimal, trytonLogin } from '../../src/connectors/tryton/sandbox/raw-rpc.ts';
import type { TrytonRaw } from '../../src/connectors/tryton/sandbox/raw-rpc.ts';
import { eventually, startTestServer, type TestServer } from '../helpers/server.ts';

type Row = Record<string, any> & { id: number };

const ENTITIES = ['assets', 'inventory', 'items', 'locations', 'purchase_orders', 'vendors'];

let sb: TrytonSandbox;
let raw: TrytonRaw;
let s: TestServer;
let conn: { id: string; token: string };

const connect = (credentials: Record<string, unknown>) =>
  s.call('POST', '/v1/connections', {
    token: s.sandboxKey,
    body: {
      system: 'tryton',
      deployment: 'on_premise',
      customer_id: 'dortmund-works',
      customer_name: 'Ironbridge Demo Works',
      instance_url: sb.url,
      credentials: { database: sb.database, username: sb.user, password: sb.password, ...credentials },
      // The prepared Tryton database is cached for up to a year: its purchases may be older than the
      // default 90-day window of the initial sync, which reads by create/write date.
      settings: { initial_sync_days: 3650 },
    },
  });

const syncStatus = async (): Promise<any[]> => {
  const r = await s.call('GET', '/v1/sync-status', { token: conn.token });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body.data;
};

/** Triggers a sync of `entities` and waits until each has finished a run newer than the one before. */
async function syncAndWait(
  entities: string[],
  body: Record<string, unknown> = {},
): Promise<Record<string, any>> {
  const before = new Map((await syncStatus()).map((st) => [st.entity, st.last_run?.id]));
  const r = await s.call('POST', '/v1/sync', { token: conn.token, body: { entities, ...body } });
  assert.equal(r.status, 202, JSON.stringify(r.body));
  return eventually(
    async () => {
      const all = await syncStatus();
      const done = entities.map((e) => all.find((st) => st.entity === e));
      const finished = done.every(
        (st) =>
          st?.last_run &&
          st.last_run.id !== before.get(st.entity) &&
          st.status !== 'in_progress' &&
          st.last_run.finished_at,
      );
      return finished && Object.fromEntries(done.map((st) => [st.entity, st]));
    },
    40_000,
    `sync of ${entities.join(', ')}`,
  );
}

/** Every record of a unified list (all pages). */
async function list(path: string, q = ''): Promise<any[]> {
  const out: any[] = [];
  let cursor: string | null = null;
  do {
    const page: any = await s.call(
      'GET',
      `/v1/${path}?page_size=200${q}${cursor ? `&cursor=${cursor}` : ''}`,
      {
        token: conn.token,
      },
    );
    assert.equal(page.status, 200, JSON.stringify(page.body));
    out.push(...page.body.data);
    cursor = page.body.next_cursor;
  } while (cursor);
  return out;
}

const events = async (type: string) => {
  const r = await s.call('GET', `/v1/events?connection_id=${conn.id}&type=${type}&page_size=1000`, {
    token: s.sandboxKey,
  });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body.data as { type: string; data: any }[];
};

const searchRead = (
  model: string,
  domain: unknown[],
  fields: string[],
  context: Record<string, unknown> = {},
) => raw.call<Row[]>(`model.${model}.search_read`, [domain, 0, null, [['id', 'ASC']], fields], context);

async function oneId(model: string, domain: unknown[]): Promise<number> {
  const rows = await searchRead(model, domain, ['id'], { active_test: false });
  assert.equal(rows.length, 1, `${model} ${JSON.stringify(domain)}`);
  return rows[0].id;
}

/** Tryton's parties as a purchasing user sees suppliers: all of them but the companies' own. */
async function trytonVendors(): Promise<Row[]> {
  const companies = await searchRead('company.company', [], ['party']);
  return searchRead('party.party', [['id', 'not in', companies.map((c) => c.party)]], ['id', 'name'], {
    active_test: false,
  });
}

before(async () => {
  sb = await startTryton();
  raw = await trytonLogin(sb.url, sb.database, sb.user, sb.password);
  s = await startTestServer({
    registry: new Registry([tryton]),
    worker: true,
    config: { healthIntervalSeconds: 2 },
  });
});
after(async () => {
  await s?.close();
  await sb?.close();
});

describe('Tryton end to end', () => {
  test('wrong credentials are refused; the right ones connect and the initial sync matches Tryton', async () => {
    const wrong = await connect({ password: 'not-the-password' });
    assert.equal(wrong.status, 400, JSON.stringify(wrong.body));
    assert.equal(wrong.body.error.code, 'VALIDATION_FAILED');
    assert.match(wrong.body.error.message, /Tryton rejected the credentials/);
    const noDb = await connect({ database: 'no_such_database' });
    assert.equal(noDb.status, 400, JSON.stringify(noDb.body));
    assert.equal(noDb.body.error.code, 'VALIDATION_FAILED');
    const listed = await s.call('GET', '/v1/connections', { token: s.sandboxKey });
    assert.equal(listed.body.data.length, 0, 'refused connections are not stored');

    const ok = await connect({});
    assert.equal(ok.status, 201, JSON.stringify(ok.body));
    conn = ok.body;
    const initial = await eventually(
      async () => {
        const st = await syncStatus();
        return st.length === ENTITIES.length && st.every((x) => x.status === 'completed') && st;
      },
      60_000,
      'initial sync of all entities',
    );
    assert.deepEqual(initial.map((x) => x.entity).sort(), ENTITIES);
    for (const st of initial) {
      assert.equal(st.is_initial_sync, false, st.entity);
      assert.equal(st.last_run.mode, 'initial', st.entity);
      assert.equal(st.last_error, null, st.entity);
    }

    // Vendors: every party but the company's own, with Tryton's names.
    const parties = await trytonVendors();
    const vendors = await list('vendors');
    assert.ok(parties.length >= 3);
    assert.equal(vendors.length, parties.length);
    assert.deepEqual(
      vendors.map((v) => [v.remote_id, v.name]).sort(),
      parties.map((p) => [String(p.id), p.name]).sort(),
    );
    assert.ok(!vendors.some((v) => v.name === 'Ironbridge Demo Works'));
    const byName = (n: string) => vendors.find((v) => v.name === n);
    assert.equal(byName('Delta Bearings Ltd')?.status, 'ACTIVE');
    assert.equal(byName('Delta Bearings Ltd')?.payment_terms, 'Net 30 days');
    assert.equal(initial.find((x) => x.entity === 'vendors').last_run.records_added, parties.length);

    // Items: every product variant, code and name as in Tryton.
    const products = await searchRead('product.product', [], ['id', 'code', 'name', 'cost_price'], {
      active_test: false,
    });
    const items = await list('items');
    assert.equal(items.length, products.length);
    assert.deepEqual(
      items.map((i) => [i.remote_id, i.code, i.name]).sort(),
      products.map((p) => [String(p.id), p.code, p.name]).sort(),
    );
    const seal = items.find((i) => i.code === 'SEAL-P100');
    const sealRow = products.find((p) => p.code === 'SEAL-P100')!;
    assert.equal(seal.unit_cost, Number(sealRow.cost_price.decimal));
    assert.equal(seal.currency, 'EUR');

    // Purchases: number, state → status, supplier and lines, as Tryton holds them.
    const purchases = await searchRead(
      'purchase.purchase',
      [],
      ['id', 'number', 'state', 'party', 'total_amount', 'lines.moves.state'],
    );
    const pos = await list('purchase-orders', '&expand=lines');
    assert.equal(pos.length, purchases.length);
    assert.equal(pos.length, 3);
    const expectedStatus = (p: Row) => {
      const received = (p['lines.'] as Row[]).some((l) =>
        (l['moves.'] as Row[]).some((m) => m.state === 'done'),
      );
      return {
        draft: 'DRAFT',
        quotation: 'PENDING_APPROVAL',
        processing: received ? 'PARTIALLY_RECEIVED' : 'APPROVED',
      }[p.state as string];
    };
    for (const p of purchases) {
      const po = pos.find((x) => x.remote_id === String(p.id));
      assert.ok(po, `purchase ${p.id} is in the API`);
      assert.equal(po.number, p.number ?? null);
      assert.equal(po.status, expectedStatus(p), `purchase ${p.id} in state ${p.state}`);
      assert.equal(po.total_amount, Number(p.total_amount.decimal));
      assert.equal(po.vendor_id, vendors.find((v) => v.remote_id === String(p.party)).id);
      const lines = await searchRead(
        'purchase.line',
        [['purchase', '=', p.id]],
        ['sequence', 'quantity', 'unit_price', 'product.code', 'product'],
      );
      assert.deepEqual(
        po.lines.map((l: any) => [l.line_number, l.item_code, l.quantity, l.unit_price, l.item_id]),
        lines.map((l) => [
          l.sequence,
          l['product.'].code,
          l.quantity,
          Number(l.unit_price.decimal),
          items.find((i) => i.remote_id === String(l.product)).id,
        ]),
      );
    }
    assert.deepEqual(pos.map((p) => p.status).sort(), ['DRAFT', 'PARTIALLY_RECEIVED', 'PENDING_APPROVAL']);
    const delta = pos.find((p) => p.status === 'PARTIALLY_RECEIVED');
    assert.deepEqual(
      delta.lines.map((l: any) => [l.item_code, l.received_quantity]),
      [
        ['BRG-6204', 100],
        ['SEAL-P100', 0],
      ],
    );

    // Reference data read in full: locations, assets and stock.
    const locations = await searchRead(
      'stock.location',
      [['type', 'in', ['warehouse', 'storage', 'production', 'view']]],
      ['id'],
      { active_test: false },
    );
    assert.equal((await list('locations')).length, locations.length);
    const assets = await searchRead('account.asset', [], ['id']);
    assert.equal((await list('assets')).length, assets.length);
    const store = await oneId('stock.location', [['code', '=', 'SPS']]);
    const bearing = products.find((p) => p.code === 'BRG-6204')!;
    const bearings = (await list('inventory')).find((r) => r.remote_id === `${bearing.id}/${store}`);
    assert.equal(bearings?.quantity_on_hand, 40);
  });

  test('work orders: the API answers OPERATION_NOT_SUPPORTED and nothing syncs them', async () => {
    const r = await s.call('GET', '/v1/work-orders', { token: conn.token });
    assert.equal(r.status, 405, JSON.stringify(r.body));
    assert.equal(r.body.error.code, 'OPERATION_NOT_SUPPORTED');
    assert.ok(!(await syncStatus()).some((x) => x.entity === 'work_orders'));
    const trig = await s.call('POST', '/v1/sync', { token: conn.token, body: { entities: ['work_orders'] } });
    assert.equal(trig.status, 400, JSON.stringify(trig.body));
    assert.equal(trig.body.error.code, 'VALIDATION_FAILED');
  });

  test('a full resync flags a purchase deleted in Tryton and finds nothing else changed', async () => {
    const draft = (await searchRead('purchase.purchase', [['state', '=', 'draft']], ['id']))[0].id;
    // Tryton deletes only cancelled purchases.
    await raw.call('model.purchase.purchase.cancel', [[draft]]);
    await raw.call('model.purchase.purchase.delete', [[draft]]);
    const runs = await syncAndWait(['purchase_orders', 'vendors', 'items'], { full_resync: true });
    const po = runs.purchase_orders.last_run;
    assert.equal(runs.purchase_orders.status, 'completed', runs.purchase_orders.last_error);
    assert.equal(po.mode, 'initial');
    assert.deepEqual(
      [po.records_added, po.records_updated, po.records_deleted, po.records_unchanged],
      [0, 0, 1, 2],
    );
    for (const e of ['vendors', 'items']) {
      const run = runs[e].last_run;
      assert.deepEqual([run.records_added, run.records_updated, run.records_deleted], [0, 0, 0], e);
    }
    const visible = await list('purchase-orders');
    assert.ok(!visible.some((p) => p.remote_id === String(draft)));
    const flagged = (await list('purchase-orders', '&include_deleted=true')).find(
      (p) => p.remote_id === String(draft),
    );
    assert.equal(flagged?.remote_deleted, true);
    const deleted = await events('purchase_order.deleted');
    assert.deepEqual(
      deleted.map((e) => e.data.remote_id),
      [String(draft)],
    );
  });

  test('records created and changed in Tryton arrive with the next incremental sync, as events', async () => {
    const country = await oneId('country.country', [['code', '=', 'DE']]);
    const [party] = await raw.call<number[]>('model.party.party.create', [
      [
        {
          name: 'Kranbau Weser AG',
          addresses: [
            ['create', [{ street: 'Hafenstraße 5', city: 'Bremen', postal_code: '28195', country }]],
          ],
          contact_mechanisms: [['create', [{ type: 'email', value: 'einkauf@kranbau.example' }]]],
        },
      ],
    ]);
    const uom = await oneId('product.uom', [['symbol', '=', 'u']]);
    const [template] = await raw.call<number[]>('model.product.template.create', [
      [
        {
          name: 'Proximity sensor M12',
          code: 'SNS-M12',
          type: 'goods',
          default_uom: uom,
          purchasable: true,
          purchase_uom: uom,
          list_price: decimal('30'),
          products: [['create', [{ cost_price: decimal('18.40') }]]],
        },
      ],
    ]);
    const sensor = await oneId('product.product', [['template', '=', template]]);
    // A change only on the template (names live there) changes the product.
    const belt = (await searchRead('product.product', [['code', '=', 'BLT-SPZ1250']], ['template']))[0];
    await raw.call('model.product.template.write', [[belt.template], { name: 'V-belt SPZ 1250 Lw' }]);
    const address = await oneId('party.address', [['party', '=', party]]);
    const warehouse = await oneId('stock.location', [['type', '=', 'warehouse']]);
    const eur = await oneId('currency.currency', [['code', '=', 'EUR']]);
    const [purchase] = await raw.call<number[]>('model.purchase.purchase.create', [
      [
        {
          party,
          invoice_address: address,
          company: raw.context.company,
          currency: eur,
          warehouse,
          comment: 'sensors for line 4',
          lines: [
            [
              'create',
              [
                {
                  sequence: 1,
                  product: sensor,
                  quantity: 12,
                  unit: uom,
                  unit_price: decimal('17.90'),
                  description: 'Proximity sensor M12',
                },
              ],
            ],
          ],
        },
      ],
    ]);
    // The quotation is confirmed in Tryton (→ processing, nothing received yet).
    const quoted = (await searchRead('purchase.purchase', [['state', '=', 'quotation']], ['id']))[0].id;
    await raw.call('model.purchase.purchase.confirm', [[quoted]]);

    const runs = await syncAndWait(ENTITIES);
    const counts = (e: string) => {
      const r = runs[e].last_run;
      assert.equal(runs[e].status, 'completed', `${e}: ${runs[e].last_error}`);
      return { mode: r.mode, added: r.records_added, updated: r.records_updated, deleted: r.records_deleted };
    };
    assert.deepEqual(counts('vendors'), { mode: 'incremental', added: 1, updated: 0, deleted: 0 });
    assert.deepEqual(counts('items'), { mode: 'incremental', added: 1, updated: 1, deleted: 0 });
    assert.deepEqual(counts('purchase_orders'), { mode: 'incremental', added: 1, updated: 1, deleted: 0 });
    // The initial sync counts as a reconciliation: locations and assets also read incrementally.
    for (const e of ['locations', 'assets']) {
      assert.deepEqual(counts(e), { mode: 'incremental', added: 0, updated: 0, deleted: 0 }, e);
    }
    // Stock has no change timestamp in Tryton: always read in full.
    assert.equal(counts('inventory').mode, 'full');

    const vendor = (await list('vendors')).find((v) => v.remote_id === String(party));
    assert.equal(vendor?.name, 'Kranbau Weser AG');
    assert.equal(vendor.email, 'einkauf@kranbau.example');
    assert.equal(vendor.address.city, 'Bremen');
    const items = await list('items');
    const item = items.find((i) => i.remote_id === String(sensor));
    assert.deepEqual([item?.code, item?.name, item?.unit_cost], ['SNS-M12', 'Proximity sensor M12', 18.4]);
    assert.equal(items.find((i) => i.code === 'BLT-SPZ1250')?.name, 'V-belt SPZ 1250 Lw');

    const pos = await list('purchase-orders', '&expand=lines');
    const created = pos.find((p) => p.remote_id === String(purchase));
    assert.equal(created?.status, 'DRAFT');
    assert.equal(created.vendor_id, vendor.id);
    assert.equal(created.notes, 'sensors for line 4');
    assert.deepEqual(
      created.lines.map((l: any) => [l.item_id, l.item_code, l.quantity, l.unit_price, l.amount]),
      [[item.id, 'SNS-M12', 12, 17.9, 214.8]],
    );
    const confirmed = pos.find((p) => p.remote_id === String(quoted));
    assert.equal(confirmed?.status, 'APPROVED');

    const poEvents = (await events('purchase_order.*')).filter((e) => e.type !== 'purchase_order.deleted');
    assert.deepEqual(poEvents.map((e) => [e.type, e.data.remote_id, e.data.record.status]).sort(), [
      ['purchase_order.created', String(purchase), 'DRAFT'],
      ['purchase_order.updated', String(quoted), 'APPROVED'],
    ]);
    assert.deepEqual(
      (await events('vendor.*')).map((e) => [e.type, e.data.remote_id]),
      [['vendor.created', String(party)]],
    );
    assert.deepEqual(
      (await events('item.*')).map((e) => [e.type, e.data.remote_id]).sort(),
      [
        ['item.created', String(sensor)],
        ['item.updated', String(belt.id)],
      ].sort(),
    );
  });

  test('a password changed in Tryton → reauthorization_required; reads and syncs answer REAUTHORIZATION_REQUIRED', async () => {
    assert.equal(
      (await s.call('GET', `/v1/connections/${conn.id}`, { token: s.sandboxKey })).body.status,
      'active',
    );
    // The admin changes its own password through Tryton's API; Tryton ends the user's sessions.
    await raw.call('model.res.user.write', [[raw.userId], { password: 'Qz7-Brightwater!' }]);
    await assert.rejects(trytonLogin(sb.url, sb.database, sb.user, sb.password), /HTTP 401/);
    await trytonLogin(sb.url, sb.database, sb.user, 'Qz7-Brightwater!');
    // Health checks run every 2 s here: the change must show within a few intervals.
    await eventually(
      async () =>
        (await s.call('GET', `/v1/connections/${conn.id}`, { token: s.sandboxKey })).body.status ===
        'reauthorization_required',
      5 * 2000,
      'reauthorization_required within five health intervals',
    );

    for (const path of ['/v1/purchase-orders', '/v1/vendors?page_size=1']) {
      const r = await s.call('GET', path, { token: conn.token });
      assert.equal(r.status, 412, JSON.stringify(r.body));
      assert.equal(r.body.error.code, 'REAUTHORIZATION_REQUIRED');
    }
    const trig = await s.call('POST', '/v1/sync', { token: conn.token, body: {} });
    assert.equal(trig.body.error?.code, 'REAUTHORIZATION_REQUIRED', JSON.stringify(trig.body));
    const st = await s.call('GET', `/v1/connections/${conn.id}/sync-status`, { token: s.sandboxKey });
    assert.ok(
      st.body.data.every((x: any) => x.status === 'paused'),
      JSON.stringify(st.body.data),
    );

    const changed = await events('connection.status_changed');
    const last = changed.at(-1)!;
    assert.deepEqual([last.data.from, last.data.to], ['active', 'reauthorization_required']);
    assert.match(last.data.reason, /credentials rejected/);
    assert.equal((await events('connection.reauthorization_required')).length, 1);
  });
});
