// The moving part of the sandbox seed: opening stock, fixed assets and purchases in several states
// (draft, quotation, processing with one line received).
import { date, decimal } from './raw-rpc.ts';
import type { TrytonRaw } from './raw-rpc.ts';
import { PRODUCTS, create, one, xmlId } from './seed-util.ts';
import type { Row } from './seed-util.ts';

export interface SeedContext {
  year: number;
  companyId: number;
  currencyId: number;
  companyPartyId: number;
  net30: number;
  assetCategory: number;
  uoms: Record<string, number>;
  supplierIds: Record<string, number>;
  productIds: Record<string, number>;
  warehouse: number;
  storage: number;
  sparePartsStore: number;
  maintenanceCrib: number;
}

export async function seedActivity(rpc: TrytonRaw, c: SeedContext): Promise<void> {
  const { year, companyId, currencyId, companyPartyId, net30, assetCategory, uoms, supplierIds, productIds } =
    c;
  const { storage, sparePartsStore, maintenanceCrib } = c;
  const warehouse = { id: c.warehouse };
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
}
