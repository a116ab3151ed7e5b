// Prepares a freshly activated Tryton database through Tryton's own JSON-RPC, the way a user would in
// the client: company and currency, chart of accounts (Tryton's minimal chart, via its wizard),
// fiscal year, payment term, suppliers, products, stock locations with stock, fixed assets and a few
// purchases in different states. Names are deterministic so tests and trials can find records.
import { date, decimal, refreshContext } from './raw-rpc.ts';
import type { TrytonRaw } from './raw-rpc.ts';

type Row = Record<string, unknown> & { id: number };

async function one(
  rpc: TrytonRaw,
  model: string,
  domain: unknown[],
  fields: string[] = ['id'],
): Promise<Row> {
  const rows = await rpc.call<Row[]>(`model.${model}.search_read`, [domain, 0, 2, null, fields]);
  if (rows.length !== 1)
    throw new Error(`seed: expected one ${model} for ${JSON.stringify(domain)}, got ${rows.length}`);
  return rows[0];
}

async function xmlId(rpc: TrytonRaw, module: string, fsId: string): Promise<number> {
  const row = await one(
    rpc,
    'ir.model.data',
    [
      ['module', '=', module],
      ['fs_id', '=', fsId],
    ],
    ['db_id'],
  );
  return row.db_id as number;
}

async function create(rpc: TrytonRaw, model: string, values: Record<string, unknown>[]): Promise<number[]> {
  return rpc.call<number[]>(`model.${model}.create`, [values]);
}

export interface SeedSummary {
  companyId: number;
  currencyId: number;
  supplierIds: Record<string, number>;
  productIds: Record<string, number>;
  locationIds: Record<string, number>;
}

export const SUPPLIERS = [
  {
    name: 'Acme Industrial Supply',
    street: '12 Foundry Road',
    city: 'Pittsburgh',
    postal_code: '15222',
    country: 'US',
    email: 'orders@acme-industrial.example',
    phone: '+1 412 555 0100',
  },
  {
    name: 'Nordhafen Hydraulik GmbH',
    street: 'Kaistraße 7',
    city: 'Hamburg',
    postal_code: '20457',
    country: 'DE',
    email: 'vertrieb@nordhafen-hydraulik.example',
    phone: '+49 40 5550 1234',
  },
  {
    name: 'Delta Bearings Ltd',
    street: '3 Mill Lane',
    city: 'Sheffield',
    postal_code: 'S1 2HE',
    country: 'GB',
    email: 'sales@delta-bearings.example',
    phone: '+44 114 555 0199',
  },
] as const;

export const PRODUCTS = [
  { code: 'BRG-6204', name: 'Ball bearing 6204-2RS', type: 'goods', uom: 'uom_unit', cost: '4.20' },
  {
    code: 'OIL-VG46',
    name: 'Hydraulic oil ISO VG 46',
    type: 'goods',
    uom: 'uom_liter',
    cost: '3.10',
    consumable: true,
  },
  { code: 'BLT-SPZ1250', name: 'V-belt SPZ 1250', type: 'goods', uom: 'uom_unit', cost: '11.80' },
  { code: 'SEAL-P100', name: 'Pump seal kit P100', type: 'goods', uom: 'uom_unit', cost: '86.00' },
  { code: 'SRV-CAL', name: 'Calibration service', type: 'service', uom: 'uom_hour', cost: '95.00' },
] as const;

export async function seedTryton(rpc: TrytonRaw): Promise<SeedSummary> {
  // Countries are not shipped as data in this Tryton version: create the few the seed uses.
  const countryIds: Record<string, number> = {};
  const countries = [
    ['US', 'United States'],
    ['DE', 'Germany'],
    ['GB', 'United Kingdom'],
  ];
  const cids = await create(
    rpc,
    'country.country',
    countries.map(([code, name]) => ({ code, name })),
  );
  countries.forEach(([code], i) => (countryIds[code] = cids[i]));

  const [currencyId] = await create(rpc, 'currency.currency', [
    { name: 'Euro', code: 'EUR', symbol: '€', rounding: decimal('0.01'), digits: 2 },
  ]);
  await create(rpc, 'currency.currency', [
    { name: 'US Dollar', code: 'USD', symbol: '$', rounding: decimal('0.01'), digits: 2 },
  ]);

  const [companyPartyId] = await create(rpc, 'party.party', [
    {
      name: 'Ironbridge Demo Works',
      addresses: [
        [
          'create',
          [{ street: 'Werkstraße 1', city: 'Dortmund', postal_code: '44139', country: countryIds.DE }],
        ],
      ],
    },
  ]);
  const [companyId] = await create(rpc, 'company.company', [{ party: companyPartyId, currency: currencyId }]);
  await rpc.call('model.res.user.write', [
    [rpc.userId],
    { companies: [['add', [companyId]]], company: companyId },
  ]);
  await refreshContext(rpc);

  // The minimal chart (with the fixed-asset accounts account_asset adds) through Tryton's own wizard.
  const template = await one(rpc, 'account.account.template', [
    ['parent', '=', null],
    ['name', 'ilike', 'Minimal%'],
  ]);
  const [chart] = await rpc.call<[number]>('wizard.account.create_chart.create', []);
  const account = { company: companyId, account_template: template.id };
  await rpc.call('wizard.account.create_chart.execute', [chart, {}, 'account']);
  await rpc.call('wizard.account.create_chart.execute', [chart, { account }, 'create_account']);
  const payable = await one(rpc, 'account.account', [
    ['type.payable', '=', true],
    ['party_required', '=', true],
  ]);
  const receivable = await one(rpc, 'account.account', [
    ['type.receivable', '=', true],
    ['party_required', '=', true],
  ]);
  const properties = { company: companyId, account_payable: payable.id, account_receivable: receivable.id };
  await rpc.call('wizard.account.create_chart.execute', [
    chart,
    { account, properties },
    'create_properties',
  ]);
  await rpc.call('wizard.account.create_chart.delete', [chart]);

  // A fiscal year with monthly periods: asset depreciation and invoices post into periods.
  const moveSequenceType = await xmlId(rpc, 'account', 'sequence_type_account_move');
  const year = new Date().getUTCFullYear();
  const invoiceSequenceType = await xmlId(rpc, 'account_invoice', 'sequence_type_account_invoice');
  const [moveSequence] = await create(rpc, 'ir.sequence', [
    { name: `Account moves ${year}`, sequence_type: moveSequenceType, company: companyId },
  ]);
  const [invoiceSequence] = await create(rpc, 'ir.sequence.strict', [
    { name: `Invoices ${year}`, sequence_type: invoiceSequenceType, company: companyId },
  ]);
  const invoiceSequences = {
    company: companyId,
    in_invoice_sequence: invoiceSequence,
    in_credit_note_sequence: invoiceSequence,
    out_invoice_sequence: invoiceSequence,
    out_credit_note_sequence: invoiceSequence,
  };
  const [fiscalYear] = await create(rpc, 'account.fiscalyear', [
    {
      name: String(year),
      start_date: date(`${year}-01-01`),
      end_date: date(`${year}-12-31`),
      company: companyId,
      post_move_sequence: moveSequence,
      invoice_sequences: [['create', [invoiceSequences]]],
    },
  ]);
  await rpc.call('model.account.fiscalyear.create_period', [[fiscalYear]]);

  const [net30] = await create(rpc, 'account.invoice.payment_term', [
    {
      name: 'Net 30 days',
      lines: [['create', [{ type: 'remainder', relativedeltas: [['create', [{ days: 30 }]]] }]]],
    },
  ]);

  const supplierIds: Record<string, number> = {};
  const partyIds = await create(
    rpc,
    'party.party',
    SUPPLIERS.map((s) => ({
      name: s.name,
      addresses: [
        [
          'create',
          [{ street: s.street, city: s.city, postal_code: s.postal_code, country: countryIds[s.country] }],
        ],
      ],
      contact_mechanisms: [
        [
          'create',
          [
            { type: 'email', value: s.email },
            { type: 'phone', value: s.phone },
          ],
        ],
      ],
      supplier_payment_term: net30,
    })),
  );
  SUPPLIERS.forEach((s, i) => (supplierIds[s.name] = partyIds[i]));

  const expense = await one(rpc, 'account.account', [
    ['type.expense', '=', true],
    ['closed', '!=', true],
  ]);
  const revenue = await one(rpc, 'account.account', [
    ['type.revenue', '=', true],
    ['closed', '!=', true],
  ]);
  const fixedAssets = await rpc.call<Row[]>('model.account.account.search_read', [
    [['type.fixed_asset', '=', true]],
    0,
    null,
    [['code', 'ASC']],
    ['id', 'name', 'code'],
  ]);
  const [goodsCategory, assetCategory] = await create(rpc, 'product.category', [
    {
      name: 'Maintenance supplies',
      accounting: true,
      account_expense: expense.id,
      account_revenue: revenue.id,
    },
    {
      name: 'Production equipment',
      accounting: true,
      account_expense: expense.id,
      account_revenue: revenue.id,
      account_asset: fixedAssets[0].id,
      account_depreciation: (fixedAssets[1] ?? fixedAssets[0]).id,
    },
  ]);

  const uoms: Record<string, number> = {};
  for (const fsId of new Set(PRODUCTS.map((p) => p.uom))) uoms[fsId] = await xmlId(rpc, 'product', fsId);
  const productIds: Record<string, number> = {};
  for (const p of PRODUCTS) {
    const [templateId] = await create(rpc, 'product.template', [
      {
        name: p.name,
        code: p.code,
        type: p.type,
        consumable: 'consumable' in p && p.consumable,
        default_uom: uoms[p.uom],
        purchasable: true,
        purchase_uom: uoms[p.uom],
        list_price: decimal(p.cost),
        account_category: goodsCategory,
        products: [['create', [{ cost_price: decimal(p.cost), description: `${p.name} (seed)` }]]],
      },
    ]);
    const product = await one(rpc, 'product.product', [['template', '=', templateId]]);
    productIds[p.code] = product.id;
  }

  const warehouse = await one(
    rpc,
    'stock.location',
    [['type', '=', 'warehouse']],
    ['id', 'storage_location'],
  );
  const storage = warehouse.storage_location as number;
  const supplierLocation = await one(rpc, 'stock.location', [['type', '=', 'supplier']]);
  const [sparePartsStore, maintenanceCrib] = await create(rpc, 'stock.location', [
    { name: 'Spare parts store', code: 'SPS', type: 'storage', parent: storage },
    { name: 'Maintenance crib', code: 'MCR', type: 'storage', parent: storage },
  ]);
  const locationIds = {
    warehouse: warehouse.id,
    storage,
    spare_parts_store: sparePartsStore,
    maintenance_crib: maintenanceCrib,
    supplier: supplierLocation.id,
  };

  // Opening stock through physical inventories, the way a site records its first count.
  const stock: [string, number, number][] = [
    ['BRG-6204', sparePartsStore, 40],
    ['SEAL-P100', sparePartsStore, 3],
    ['BRG-6204', maintenanceCrib, 6],
    ['BLT-SPZ1250', maintenanceCrib, 12],
    ['OIL-VG46', storage, 200],
  ];
  const inventoryIds = await create(
    rpc,
    'stock.inventory',
    [sparePartsStore, maintenanceCrib, storage].map((location) => ({
      location,
      company: companyId,
      date: date(`${year}-01-15`),
      lines: [
        [
          'create',
          stock
            .filter(([, at]) => at === location)
            .map(([code, , quantity]) => ({ product: productIds[code], quantity })),
        ],
      ],
    })),
  );
  await rpc.call('model.stock.inventory.confirm', [inventoryIds]);

  // Fixed assets: depreciable products of type `assets`, one asset running, one still a draft.
  const assetJournal = await xmlId(rpc, 'account_asset', 'journal_asset');
  const assetProducts: Record<string, number> = {};
  for (const [code, name] of [
    ['EQ-CNC-DMU50', 'CNC milling machine DMU 50'],
    ['EQ-FLT-25', 'Forklift truck 2.5 t'],
  ]) {
    const [templateId] = await create(rpc, 'product.template', [
      {
        name,
        code,
        type: 'assets',
        depreciable: true,
        depreciation_duration: 120,
        default_uom: uoms.uom_unit,
        purchasable: true,
        purchase_uom: uoms.uom_unit,
        list_price: decimal('0'),
        account_category: assetCategory,
        products: [['create', [{}]]],
      },
    ]);
    assetProducts[code] = (await one(rpc, 'product.product', [['template', '=', templateId]])).id;
  }
  const [cnc] = await create(rpc, 'account.asset', [
    {
      product: assetProducts['EQ-CNC-DMU50'],
      account_journal: assetJournal,
      company: companyId,
      quantity: 1,
      unit: uoms.uom_unit,
      value: decimal('185000.00'),
      purchase_date: date(`${year}-01-10`),
      start_date: date(`${year}-02-01`),
      end_date: date(`${year + 9}-01-31`),
      comment: '5-axis machining centre, hall 2',
    },
    {
      product: assetProducts['EQ-FLT-25'],
      account_journal: assetJournal,
      company: companyId,
      quantity: 1,
      unit: uoms.uom_unit,
      value: decimal('32500.00'),
      purchase_date: date(`${year}-03-01`),
      start_date: date(`${year}-03-01`),
      end_date: date(`${year + 4}-02-28`),
    },
  ]);
  await rpc.call('model.account.asset.run', [[cnc]]);

  // Ship-to of purchases: the warehouse's address is the company's plant address.
  const companyAddress = await one(rpc, 'party.address', [['party', '=', companyPartyId]]);
  await rpc.call('model.stock.location.write', [[warehouse.id], { address: companyAddress.id }]);

  // Purchases in several states of Tryton's life cycle.
  const purchaseOf = async (supplier: string, lines: [string, number, string][], day: string) => {
    const party = supplierIds[supplier];
    const address = await one(rpc, 'party.address', [['party', '=', party]]);
    const [id] = await create(rpc, 'purchase.purchase', [
      {
        party,
        invoice_address: address.id,
        company: companyId,
        currency: currencyId,
        warehouse: warehouse.id,
        payment_term: net30,
        purchase_date: date(`${year}-${day}`),
        lines: [
          [
            'create',
            lines.map(([code, quantity, price], i) => {
              const p = PRODUCTS.find((x) => x.code === code)!;
              return {
                sequence: i + 1,
                product: productIds[code],
                quantity,
                unit: uoms[p.uom],
                unit_price: decimal(price),
                description: p.name,
              };
            }),
          ],
        ],
      },
    ]);
    return id;
  };
  await purchaseOf('Acme Industrial Supply', [['BRG-6204', 20, '4.15']], '03-02');
  const quoted = await purchaseOf('Nordhafen Hydraulik GmbH', [['OIL-VG46', 400, '2.95']], '03-05');
  await rpc.call('model.purchase.purchase.quote', [[quoted]]);
  const partial = await purchaseOf(
    'Delta Bearings Ltd',
    [
      ['BRG-6204', 100, '3.90'],
      ['SEAL-P100', 4, '84.00'],
    ],
    '02-20',
  );
  await rpc.call('model.purchase.purchase.quote', [[partial]]);
  await rpc.call('model.purchase.purchase.confirm', [[partial]]);
  // Receive the bearings only: the purchase stays in processing with one line received.
  const [bearingMove] = await rpc.call<Row[]>('model.stock.move.search_read', [
    [
      ['purchase', '=', partial],
      ['product', '=', productIds['BRG-6204']],
    ],
    0,
    1,
    null,
    ['id'],
  ]);
  const [shipment] = await create(rpc, 'stock.shipment.in', [
    {
      supplier: supplierIds['Delta Bearings Ltd'],
      warehouse: warehouse.id,
      company: companyId,
      incoming_moves: [['add', [bearingMove.id]]],
    },
  ]);
  await rpc.call('model.stock.shipment.in.receive', [[shipment]]);
  await rpc.call('model.stock.shipment.in.done', [[shipment]]);

  return { companyId, currencyId, supplierIds, productIds: { ...productIds, ...assetProducts }, locationIds };
}
