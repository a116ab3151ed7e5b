// Reads of the Tryton connector against the real trytond: records made through Tryton's own API (the
// raw caller, not the connector) must come out of the connector and its default mappings right.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { compileMapping } from '../../mappings/index.ts';
import { recordId } from '../../core/ids.ts';
import { isConnectorError } from '../errors.ts';
import type { ConnectorSession, EntityName, ReadRequest, SourceRecord } from '../types.ts';
import { tryton } from './index.ts';
import { sandboxConnection, startTryton } from './sandbox/index.ts';
import type { TrytonSandbox } from './sandbox/index.ts';
import { date, decimal, trytonLogin } from './sandbox/raw-rpc.ts';
import type { TrytonRaw } from './sandbox/raw-rpc.ts';

let sb: TrytonSandbox;
let raw: TrytonRaw;
let session: ConnectorSession;
const CONN = 'conn_tryton_sandbox';

before(async () => {
  sb = await startTryton();
  raw = await trytonLogin(sb.url, sb.database, sb.user, sb.password);
  session = tryton.open(sandboxConnection(sb));
});
after(async () => {
  await session?.close?.();
  await sb?.close();
});

async function readAll(entity: string, req: ReadRequest = {}): Promise<SourceRecord[]> {
  const out: SourceRecord[] = [];
  for await (const page of session.read(entity, req)) out.push(...page.records);
  return out;
}

function mapped(entity: EntityName, record: SourceRecord): Record<string, unknown> {
  const m = compileMapping(tryton.mappings[entity]!, { functions: tryton.mappingFunctions });
  const { values, warnings } = m.apply(record.data, { connectionId: CONN });
  assert.deepEqual(warnings, []);
  return values;
}

const byName = (records: SourceRecord[], name: string) => {
  const r = records.find((x) => x.data.name === name);
  assert.ok(r, `no record named ${name}`);
  return r;
};

async function one(model: string, domain: unknown[]): Promise<number> {
  const rows = await raw.call<{ id: number }[]>(`model.${model}.search_read`, [domain, 0, 1, null, ['id']]);
  assert.equal(rows.length, 1, `${model} ${JSON.stringify(domain)}`);
  return rows[0].id;
}

test('check() logs in; a wrong password or database is auth_rejected', async () => {
  await session.check();
  for (const creds of [{ password: 'wrong-password' }, { database: 'no_such_db' }]) {
    const bad = tryton.open(sandboxConnection(sb, creds));
    await assert.rejects(bad.check(), (e) => isConnectorError(e) && e.kind === 'auth_rejected');
  }
  assert.equal(
    tryton.credentialsSchema.safeParse({ database: 'd', username: 'u', password: 'p' }).success,
    true,
  );
  assert.equal(tryton.credentialsSchema.safeParse({ database: 'd', username: 'u' }).success, false);
});

test('a supplier created in Tryton is a vendor with its address, contacts and terms', async () => {
  const country = await one('country.country', [['code', '=', 'DE']]);
  const term = await one('account.invoice.payment_term', [['name', '=', 'Net 30 days']]);
  const [id] = await raw.call<number[]>('model.party.party.create', [
    [
      {
        name: 'Kranbau Weser AG',
        addresses: [['create', [{ street: 'Hafenstraße 5', city: 'Bremen', postal_code: '28195', country }]]],
        contact_mechanisms: [
          [
            'create',
            [
              { type: 'email', value: 'einkauf@kranbau.example' },
              { type: 'phone', value: '+49 421 555 77' },
            ],
          ],
        ],
        identifiers: [['create', [{ type: 'eu_vat', code: 'DE123456788' }]]],
        supplier_payment_term: term,
      },
    ],
  ]);
  const vendors = await readAll('vendors');
  const r = byName(vendors, 'Kranbau Weser AG');
  assert.equal(r.remoteId, String(id));
  assert.match(r.remoteCreatedAt ?? '', /^\d{4}-\d\d-\d\dT/);
  assert.deepEqual(mapped('vendors', r), {
    code: r.data.code,
    name: 'Kranbau Weser AG',
    status: 'ACTIVE',
    tax_id: 'DE123456788',
    email: 'einkauf@kranbau.example',
    phone: '+49 421 555 77',
    address: { street: 'Hafenstraße 5', city: 'Bremen', postal_code: '28195', region: null, country: 'DE' },
    currency: null,
    payment_terms: 'Net 30 days',
  });
  // The company's own party is the buyer, not a vendor.
  assert.ok(!vendors.some((v) => v.data.name === 'Ironbridge Demo Works'));
  // An archived supplier is still read, as inactive (deletes are found by reconciliation).
  await raw.call('model.party.party.write', [[id], { active: false }]);
  const again = await session.get('vendors', String(id));
  assert.equal(mapped('vendors', again!).status, 'INACTIVE');
});

test('seeded and new products are items with type, unit and cost in the company currency', async () => {
  const uom = await one('product.uom', [['symbol', '=', 'u']]);
  await raw.call('model.product.template.create', [
    [
      {
        name: 'Proximity sensor M12',
        code: 'SNS-M12',
        type: 'goods',
        default_uom: uom,
        purchasable: true,
        purchase_uom: uom,
        list_price: decimal('30'),
        products: [['create', [{ cost_price: decimal('18.40'), description: 'PNP, 4 mm range' }]]],
      },
    ],
  ]);
  const items = await readAll('items');
  const sensor = mapped('items', byName(items, 'Proximity sensor M12'));
  assert.deepEqual(sensor, {
    code: 'SNS-M12',
    name: 'Proximity sensor M12',
    description: 'PNP, 4 mm range',
    type: 'SPARE_PART',
    unit_of_measure: 'u',
    unit_cost: 18.4,
    currency: 'EUR',
    manufacturer: null,
    manufacturer_part_number: null,
  });
  assert.equal(mapped('items', byName(items, 'Hydraulic oil ISO VG 46')).type, 'MATERIAL');
  assert.equal(mapped('items', byName(items, 'Calibration service')).type, 'SERVICE');
  assert.equal(mapped('items', byName(items, 'CNC milling machine DMU 50')).type, 'PRODUCT');
});

test('locations: warehouse tree with types, parents and the warehouse address', async () => {
  const locations = await readAll('locations');
  const wh = byName(locations, 'Warehouse');
  const store = mapped('locations', byName(locations, 'Spare parts store'));
  const zone = byName(locations, 'Storage Zone');
  assert.equal(store.type, 'STOREROOM');
  assert.equal(store.code, 'SPS');
  assert.equal(store.parent_id, recordId(CONN, 'locations', zone.remoteId));
  const w = mapped('locations', wh);
  assert.equal(w.type, 'WAREHOUSE');
  assert.deepEqual(w.address, {
    street: 'Werkstraße 1',
    city: 'Dortmund',
    postal_code: '44139',
    region: null,
    country: 'DE',
  });
  // Virtual locations (supplier, customer, lost and found) are not places.
  assert.ok(!locations.some((l) => ['supplier', 'customer', 'lost_found'].includes(String(l.data.type))));
});

test('inventory: stock per storage location, with stock reserved by assigned moves', async () => {
  const product = await one('product.product', [['code', '=', 'BRG-6204']]);
  const store = await one('stock.location', [['code', '=', 'SPS']]);
  const customer = await one('stock.location', [['type', '=', 'customer']]);
  const [move] = await raw.call<number[]>('model.stock.move.create', [
    [
      {
        product,
        uom: await one('product.uom', [['symbol', '=', 'u']]),
        quantity: 5,
        from_location: store,
        to_location: customer,
        unit_price: decimal('6'),
        currency: await one('currency.currency', [['code', '=', 'EUR']]),
        company: raw.context.company,
        planned_date: date('2030-01-01'),
      },
    ],
  ]);
  await raw.call('model.stock.move.assign', [[move]]);
  const stock = await readAll('inventory', { pageSize: 1 });
  const bearings = stock.find((r) => r.remoteId === `${product}/${store}`);
  assert.ok(bearings);
  assert.deepEqual(mapped('inventory', bearings), {
    item_id: recordId(CONN, 'items', String(product)),
    location_id: recordId(CONN, 'locations', String(store)),
    quantity_on_hand: 40,
    quantity_reserved: 5,
    quantity_available: 35,
    reorder_point: null,
    unit_of_measure: 'u',
    bin: null,
  });
  const ids = stock.map((r) => r.remoteId);
  assert.equal(new Set(ids).size, ids.length, 'every stock row once across pages');
  const crib = await one('stock.location', [['code', '=', 'MCR']]);
  assert.ok(ids.includes(`${product}/${crib}`));
  const live = await session.get('inventory', `${product}/${store}`);
  assert.equal(live?.data.quantity, 40);
  assert.equal(await session.get('inventory', `${product}/999999`), null);
});

test('purchases: lines, receipts and statuses through the default mapping', async () => {
  const purchases = await readAll('purchase_orders');
  const status = (supplier: string) =>
    mapped(
      'purchase_orders',
      purchases.find((p) => (p.data.party as { name: string }).name === supplier)!,
    );
  assert.equal(status('Acme Industrial Supply').status, 'DRAFT');
  assert.equal(status('Nordhafen Hydraulik GmbH').status, 'PENDING_APPROVAL');
  const partial = status('Delta Bearings Ltd');
  const delta = purchases.find((p) => (p.data.party as { name: string }).name === 'Delta Bearings Ltd')!;
  assert.equal(partial.status, 'PARTIALLY_RECEIVED');
  assert.equal(partial.vendor_id, recordId(CONN, 'vendors', String((delta.data.party as { id: number }).id)));
  assert.equal(partial.number, delta.data.number);
  assert.equal(partial.currency, 'EUR');
  assert.equal(partial.total_amount, 726);
  assert.equal(partial.payment_terms, 'Net 30 days');
  assert.equal(partial.order_date, `${new Date().getUTCFullYear()}-02-20`);
  assert.deepEqual(partial.ship_to, {
    street: 'Werkstraße 1',
    city: 'Dortmund',
    postal_code: '44139',
    region: null,
    country: 'DE',
  });
  const lines = partial.lines as Record<string, unknown>[];
  assert.equal(lines.length, 2);
  assert.deepEqual(
    lines.map((l) => [
      l.line_number,
      l.item_code,
      l.quantity,
      l.unit_price,
      l.amount,
      l.received_quantity,
      l.unit_of_measure,
    ]),
    [
      [1, 'BRG-6204', 100, 3.9, 390, 100, 'u'],
      [2, 'SEAL-P100', 4, 84, 336, 0, 'u'],
    ],
  );
  // Receiving the rest completes the receipt: RECEIVED while invoicing is still open.
  const [seals] = await raw.call<{ id: number }[]>('model.stock.move.search_read', [
    [
      ['purchase', '=', Number(delta.remoteId)],
      ['state', '=', 'draft'],
    ],
    0,
    1,
    null,
    ['id'],
  ]);
  const [shipment] = await raw.call<number[]>('model.stock.shipment.in.create', [
    [
      {
        supplier: (delta.data.party as { id: number }).id,
        warehouse: (delta.data.warehouse as { id: number }).id,
        company: raw.context.company,
        incoming_moves: [['add', [seals.id]]],
      },
    ],
  ]);
  await raw.call('model.stock.shipment.in.receive', [[shipment]]);
  await raw.call('model.stock.shipment.in.done', [[shipment]]);
  const received = mapped('purchase_orders', (await session.get('purchase_orders', delta.remoteId))!);
  assert.equal(received.status, 'RECEIVED');
  assert.deepEqual(
    (received.lines as Record<string, unknown>[]).map((l) => l.received_quantity),
    [100, 4],
  );
});

test('incremental reads return only what changed in Tryton since the instant given', async () => {
  const t0 = new Date();
  await new Promise((r) => setTimeout(r, 20));
  const acme = await one('party.party', [['name', '=', 'Acme Industrial Supply']]);
  await raw.call('model.party.party.write', [[acme], { name: 'Acme Industrial Supply Inc.' }]);
  // A change only in a related row: the template (name) of a product, a line of a purchase.
  const belt = await one('product.product', [['code', '=', 'BLT-SPZ1250']]);
  const [beltRow] = await raw.call<{ template: number }[]>('model.product.product.read', [
    [belt],
    ['template'],
  ]);
  await raw.call('model.product.template.write', [[beltRow.template], { name: 'V-belt SPZ 1250 Lw' }]);
  const quoted = await one('purchase.purchase', [['state', '=', 'quotation']]);
  const [line] = await raw.call<{ id: number }[]>('model.purchase.line.search_read', [
    [['purchase', '=', quoted]],
    0,
    1,
    null,
    ['id'],
  ]);
  await raw.call('model.purchase.line.write', [[line.id], { note: 'deliver to gate 3' }]);

  const ids = async (entity: string) => (await readAll(entity, { since: t0 })).map((r) => r.remoteId);
  assert.deepEqual(await ids('vendors'), [String(acme)]);
  assert.deepEqual(await ids('items'), [String(belt)]);
  assert.deepEqual(await ids('purchase_orders'), [String(quoted)]);
  assert.deepEqual(await ids('locations'), []);
  assert.deepEqual(await ids('assets'), []);
  const [vendor] = await readAll('vendors', { since: t0 });
  assert.equal(vendor.data.name, 'Acme Industrial Supply Inc.');
  // Tryton's timestamps are read as UTC: the change happened a moment ago.
  const skew = Date.parse(vendor.remoteUpdatedAt!) - t0.getTime();
  assert.ok(skew >= 0 && skew < 60_000, `remoteUpdatedAt ${vendor.remoteUpdatedAt} vs ${t0.toISOString()}`);
  // The initial window applies to purchases only; reference data is read in full.
  assert.equal(
    (await readAll('purchase_orders', { windowStart: new Date(Date.now() + 3600_000) })).length,
    0,
  );
  assert.ok((await readAll('vendors', { windowStart: new Date(Date.now() + 3600_000) })).length >= 3);
});

test('paging: small pages in id order, resumable from any token', async () => {
  const all = await readAll('items');
  const pages: { ids: string[]; resume: string | null }[] = [];
  for await (const p of session.read('items', { pageSize: 2 }))
    pages.push({ ids: p.records.map((r) => r.remoteId), resume: p.resume });
  assert.deepEqual(
    pages.flatMap((p) => p.ids),
    all.map((r) => r.remoteId),
  );
  assert.ok(pages.length >= 4);
  assert.equal(pages.at(-1)!.resume, null);
  const rest: string[] = [];
  for await (const p of session.read('items', { pageSize: 2, resume: pages[1].resume }))
    rest.push(...p.records.map((r) => r.remoteId));
  assert.deepEqual(
    rest,
    pages.slice(2).flatMap((p) => p.ids),
  );
  await assert.rejects(
    async () => {
      for await (const _ of session.read('items', { resume: 'garbage' })) void _;
    },
    (e) => isConnectorError(e) && e.kind === 'invalid_input',
  );
});

test('assets: running and draft fixed assets; get() of a missing record is null', async () => {
  const assets = await readAll('assets');
  const values = assets.map((a) => mapped('assets', a));
  const cnc = values.find((v) => v.name === 'CNC milling machine DMU 50')!;
  assert.equal(cnc.status, 'ACTIVE');
  assert.equal(cnc.purchase_cost, 185000);
  assert.equal(cnc.category, 'Production equipment');
  assert.equal(cnc.install_date, `${new Date().getUTCFullYear()}-02-01`);
  assert.equal(cnc.description, '5-axis machining centre, hall 2');
  assert.ok(cnc.tag);
  assert.equal(values.find((v) => v.name === 'Forklift truck 2.5 t')!.status, 'INACTIVE');
  assert.equal(await session.get('assets', '999999'), null);
  assert.equal(await session.get('assets', 'x'), null);
  await assert.rejects(
    async () => {
      for await (const _ of session.read('work_orders', {})) void _;
    },
    (e) => isConnectorError(e) && e.kind === 'not_supported',
  );
  assert.equal(tryton.descriptor.capabilities.work_orders?.read, false);
});
