// Purchase orders and items. A share is flagged for deletion, a share completely delivered and
// a share partially delivered — the states the write rules of the sandbox care about.
import type { SetSource } from '../store.ts';
import { Rng, STREAM, hash32 } from '../random.ts';
import { Nested } from '../indexes.ts';
import { PLANTS, USERS, type PlantDef } from './catalog.ts';
import { ageOf, changedAt, createdAt, dayStart, pad, type Ctx } from './context.ts';
import {
  pickStockProduct,
  productGroup,
  productId,
  productPrice,
  productText,
  productType,
  productUnit,
  supplierId,
  usableSupplier,
} from './master.ts';

export const purchaseOrderId = (i: number) => String(4500000001 + i);
export function purchaseOrderIndex(ctx: Ctx, id: unknown): number {
  const i = Number(id) - 4500000001;
  return typeof id === 'string' &&
    Number.isInteger(i) &&
    i >= 0 &&
    i < ctx.scale.purchaseOrders &&
    purchaseOrderId(i) === id
    ? i
    : -1;
}

type PoState = 'open' | 'partial' | 'delivered' | 'deleted';

interface PoCore {
  created: number;
  plant: PlantDef;
  supplier: number;
  state: PoState;
  r: Rng;
}

export function poCore(ctx: Ctx, i: number): PoCore {
  const r = new Rng(ctx.seed, STREAM.purchaseOrder, i);
  const created = createdAt(ctx, STREAM.purchaseOrder, i, ctx.scale.purchaseOrders);
  const plant = PLANTS[r.int(PLANTS.length)];
  const supplier = usableSupplier(ctx, r);
  const u = r.next();
  const old = ageOf(ctx, created) > 0.3;
  const cut = old ? [0.05, 0.8, 0.9] : [0.03, 0.23, 0.53];
  // 4500000002/3/4 always show a deletion code, full and partial delivery, whatever the seed.
  const forced: PoState | undefined =
    i === 1 ? 'deleted' : i === 2 ? 'delivered' : i === 3 ? 'partial' : i === 4 ? 'open' : undefined;
  const state: PoState =
    forced ?? (u < cut[0] ? 'deleted' : u < cut[1] ? 'delivered' : u < cut[2] ? 'partial' : 'open');
  return { created, plant, supplier, state, r };
}

export function purchaseOrderSource(ctx: Ctx): SetSource {
  const n = ctx.scale.purchaseOrders;
  return {
    baseCount: n,
    keyOrdered: true,
    fast: {
      PurchaseOrder: (i) => purchaseOrderId(i),
      CreationDate: (i) => dayStart(createdAt(ctx, STREAM.purchaseOrder, i, n)),
      PurchaseOrderDate: (i) => dayStart(createdAt(ctx, STREAM.purchaseOrder, i, n)),
    },
    baseLcdt: (i) => changedAt(ctx, STREAM.purchaseOrder, i, createdAt(ctx, STREAM.purchaseOrder, i, n)),
    gen: (i) => {
      const c = poCore(ctx, i);
      const r = c.r;
      const cc = c.plant.company;
      const terms = r.pick(['0001', '0002', 'NT30'] as const);
      return {
        PurchaseOrder: purchaseOrderId(i),
        CompanyCode: cc.code,
        PurchaseOrderType: 'NB',
        PurchasingDocumentDeletionCode: c.state === 'deleted' ? 'L' : '',
        PurchasingProcessingStatus: '05',
        CreatedByUser: r.pick(USERS),
        CreationDate: dayStart(c.created),
        Supplier: supplierId(c.supplier),
        Language: 'EN',
        PaymentTerms: terms,
        CashDiscount1Days: terms === '0002' ? 14 : 0,
        CashDiscount1Percent: terms === '0002' ? 2 : 0,
        NetPaymentDays: terms === '0001' ? 0 : 30,
        PurchasingOrganization: cc.purchasingOrganization,
        PurchasingDocumentOrigin: '9',
        PurchasingGroup: r.pick(['001', '002']),
        PurchaseOrderDate: dayStart(c.created),
        DocumentCurrency: cc.currency,
        ExchangeRate: '1.00000',
        IncotermsClassification: r.pick(['FCA', 'DAP', 'EXW']),
        IncotermsVersion: '2020',
        IncotermsLocation1: c.plant.city,
        AddressCountry: cc.country,
      };
    },
    findBase: (k) => purchaseOrderIndex(ctx, k.PurchaseOrder),
  };
}

export const itemNesting = (ctx: Ctx) =>
  new Nested(
    ctx.scale.purchaseOrders,
    (m) => (m === 3 ? 2 : 0) + 1 + (hash32(ctx.seed, STREAM.poItem, m) % 5),
  );

const itemNumber = (local: number) => pad((local + 1) * 10, 5);

export function purchaseOrderItemSource(ctx: Ctx, items: Nested): SetSource {
  return {
    baseCount: items.total,
    keyOrdered: true,
    fast: { PurchaseOrder: (j) => purchaseOrderId(items.parentOf(j)) },
    gen: (j) => {
      const m = items.parentOf(j);
      const local = j - items.start[m];
      const c = poCore(ctx, m);
      const r = new Rng(ctx.seed, STREAM.poItem, j);
      const p = pickStockProduct(ctx, r);
      const count = items.count(m);
      const delivered =
        c.state === 'delivered' ||
        (c.state === 'partial' && count > 1 && local < count - 1 && (local === 0 || r.chance(0.5)));
      const spare = productType(ctx, p) === 'ERSA';
      return {
        PurchaseOrder: purchaseOrderId(m),
        PurchaseOrderItem: itemNumber(local),
        PurchasingDocumentDeletionCode: c.state === 'deleted' ? 'L' : '',
        PurchaseOrderItemText: productText(ctx, p, 'EN'),
        Plant: c.plant.plant,
        StorageLocation: c.plant.storageLocations[spare ? 2 : 0],
        MaterialGroup: productGroup(productType(ctx, p)),
        OrderQuantity: spare ? r.range(1, 20) : r.range(10, 500),
        PurchaseOrderQuantityUnit: productUnit(ctx, p),
        OrderPriceUnit: productUnit(ctx, p),
        OrderPriceUnitToOrderUnitNmrtr: 1,
        OrdPriceUnitToOrderUnitDnmntr: 1,
        DocumentCurrency: c.plant.company.currency,
        NetPriceAmount: productPrice(ctx, p),
        NetPriceQuantity: 1,
        PriceIsToBePrinted: true,
        IsCompletelyDelivered: delivered,
        IsFinallyInvoiced: delivered && c.state === 'delivered' && r.chance(0.7),
        PurchaseOrderItemCategory: '0',
        AccountAssignmentCategory: spare && r.chance(0.25) ? 'F' : '',
        GoodsReceiptIsExpected: true,
        InvoiceIsExpected: true,
        InvoiceIsGoodsReceiptBased: true,
        Material: productId(ctx, p),
        ProductType: '1',
        TaxCountry: c.plant.company.country,
      };
    },
    findBase: (k) => {
      const m = purchaseOrderIndex(ctx, k.PurchaseOrder);
      if (m < 0 || typeof k.PurchaseOrderItem !== 'string') return -1;
      const local = Number(k.PurchaseOrderItem) / 10 - 1;
      return Number.isInteger(local) &&
        local >= 0 &&
        local < items.count(m) &&
        itemNumber(local) === k.PurchaseOrderItem
        ? items.start[m] + local
        : -1;
    },
  };
}
