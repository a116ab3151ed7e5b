// Prepares a freshly activated Tryton database through Tryton's own JSON-RPC, the way a user would in
// the client: company and currency, chart of accounts (Tryton's minimal chart, via its wizard),
// fiscal year, payment term, suppliers, products, stock locations with stock, fixed assets and a few
// purchases in different states. Names are deterministic so tests and trials can find records.
import { date, decimal, refreshContext } from './raw-rpc.ts';
import type { TrytonRaw } from './raw-rpc.ts';
import { seedActivity } from './seed-activity.ts';
import { PRODUCTS, SUPPLIERS, create, one, xmlId } from './seed-util.ts';
import type { Row } from './seed-util.ts';

export { PRODUCTS, SUPPLIERS } from './seed-util.ts';

export interface SeedSummary {
  companyId: number;
  currencyId: number;
  supplierIds: Record<string, number>;
  productIds: Record<string, number>;
  locationIds: Record<string, number>;
}

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

  await seedActivity(rpc, {
    year,
    companyId,
    currencyId,
    companyPartyId,
    net30,
    assetCategory,
    uoms,
    supplierIds,
    productIds,
    warehouse: warehouse.id,
    storage,
    sparePartsStore,
    maintenanceCrib,
  });
  return { companyId, currencyId, supplierIds, productIds, locationIds };
}
