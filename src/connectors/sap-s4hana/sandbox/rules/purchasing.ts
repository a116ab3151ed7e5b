// Purchase order rules: documents with a deletion code or fully delivered cannot change, a
// new order needs a known company code, order type, a supplier that may be purchased from, and
// at least one item. Message numbers of class ME are sandbox choices (README).
import { COMPANY_CODES } from '../data/catalog.ts';
import type { Rec } from '../store.ts';
import { childrenOf, linkOf, type World } from '../world.ts';
import { exists, parentOf, refuse, required, today, pad, type SetRules, type WriteCtx } from './common.ts';

const PO_TYPES = ['NB', 'FO', 'UB'];

function poItems(world: World, poIndex: number): Rec[] {
  const link = linkOf(world, 'A_PurchaseOrder', 'to_PurchaseOrderItem')!;
  const items = world.stores.get('A_PurchaseOrderItem')!;
  return childrenOf(world, link, poIndex).map((j) => items.get(j)!);
}

/** Why a purchase order refuses changes, or undefined. */
export function poBlocker(
  world: World,
  poIndex: number,
  po: Rec,
): { code: string; text: string } | undefined {
  if (po.PurchasingDocumentDeletionCode) {
    return {
      code: 'ME/006',
      text: `Purchase order ${po.PurchaseOrder} is flagged for deletion and cannot be changed`,
    };
  }
  const items = poItems(world, poIndex).filter((it) => !it.PurchasingDocumentDeletionCode);
  if (items.length > 0 && items.every((it) => it.IsCompletelyDelivered === true)) {
    return {
      code: 'ME/164',
      text: `Purchase order ${po.PurchaseOrder} is completely delivered and cannot be changed`,
    };
  }
  return undefined;
}

function assertChangeable(world: World, poIndex: number, po: Rec): void {
  const b = poBlocker(world, poIndex, po);
  if (b) throw refuse(b.code, b.text);
}

function checkSupplier(world: World, supplier: unknown): void {
  const s = exists(world, 'A_Supplier', { Supplier: supplier as string });
  if (!s) throw refuse('ME/045', `Supplier ${supplier} does not exist`, 'Supplier');
  if (s.DeletionIndicator === true)
    throw refuse('ME/046', `Supplier ${supplier} is flagged for deletion`, 'Supplier');
  if (s.PurchasingIsBlocked === true)
    throw refuse('ME/047', `Supplier ${supplier} is blocked for purchasing`, 'Supplier');
}

export const purchaseOrderRules: SetRules = {
  create(c, rec, children) {
    if (rec.PurchaseOrder)
      throw refuse('ME/076', 'Purchase order numbers are assigned internally', 'PurchaseOrder');
    required(rec, ['CompanyCode', 'PurchaseOrderType', 'Supplier'], 'ME/083');
    const cc = COMPANY_CODES.find((x) => x.code === rec.CompanyCode);
    if (!cc) throw refuse('ME/050', `Company code ${rec.CompanyCode} does not exist`, 'CompanyCode');
    if (!PO_TYPES.includes(String(rec.PurchaseOrderType))) {
      throw refuse('ME/051', `Order type ${rec.PurchaseOrderType} is not defined`, 'PurchaseOrderType');
    }
    checkSupplier(c.world, rec.Supplier);
    if (!(children.get('to_PurchaseOrderItem') ?? []).length) {
      throw refuse('ME/083', 'A purchase order needs at least one item (to_PurchaseOrderItem)');
    }
    const store = c.world.stores.get('A_PurchaseOrder')!;
    Object.assign(rec, {
      PurchaseOrder: String(4500000001 + store.slots),
      PurchasingOrganization: rec.PurchasingOrganization || cc.purchasingOrganization,
      PurchasingGroup: rec.PurchasingGroup || '001',
      DocumentCurrency: rec.DocumentCurrency || cc.currency,
      Language: rec.Language || 'EN',
      PurchaseOrderDate: rec.PurchaseOrderDate ?? today(c.stamp),
      PurchasingProcessingStatus: '02',
      PurchasingDocumentDeletionCode: '',
      CreationDate: today(c.stamp),
      CreatedByUser: c.user,
    });
  },
  update(c, i, current, patch) {
    assertChangeable(c.world, i, current);
    if (patch.Supplier !== undefined && patch.Supplier !== current.Supplier)
      checkSupplier(c.world, patch.Supplier);
  },
  remove(c, i, current) {
    if (current.PurchasingDocumentDeletionCode)
      throw refuse('ME/006', `Purchase order ${current.PurchaseOrder} is already flagged for deletion`);
    if (poItems(c.world, i).some((it) => it.IsCompletelyDelivered === true)) {
      throw refuse('ME/165', `Purchase order ${current.PurchaseOrder} has deliveries and cannot be deleted`);
    }
    // SAP keeps the document and sets the deletion code on the header and every item.
    const link = linkOf(c.world, 'A_PurchaseOrder', 'to_PurchaseOrderItem')!;
    const items = c.world.stores.get('A_PurchaseOrderItem')!;
    for (const j of childrenOf(c.world, link, i)) items.update(j, { PurchasingDocumentDeletionCode: 'L' });
    return { PurchasingDocumentDeletionCode: 'L' };
  },
};

export const purchaseOrderItemRules: SetRules = {
  create(c, rec) {
    const parent = parentOf(c.world, 'A_PurchaseOrderItem', rec);
    if (!parent)
      throw refuse('ME/001', `Purchase order ${rec.PurchaseOrder} does not exist`, 'PurchaseOrder');
    assertChangeable(c.world, parent.index, parent.rec);
    required(rec, ['Plant', 'OrderQuantity'], 'ME/083');
    if (!exists(c.world, 'A_Plant', { Plant: rec.Plant }))
      throw refuse('ME/060', `Plant ${rec.Plant} does not exist`, 'Plant');
    if (Number(rec.OrderQuantity) <= 0)
      throw refuse('ME/062', 'Enter a quantity greater than zero', 'OrderQuantity');
    let product: Rec | undefined;
    if (rec.Material) {
      product = exists(c.world, 'A_Product', { Product: rec.Material });
      if (!product) throw refuse('ME/061', `Material ${rec.Material} does not exist`, 'Material');
      if (product.IsMarkedForDeletion === true)
        throw refuse('ME/063', `Material ${rec.Material} is flagged for deletion`, 'Material');
    } else if (!rec.PurchaseOrderItemText) {
      throw refuse('ME/083', 'Enter a material or a short text for the item', 'Material');
    }
    if (!rec.PurchaseOrderItem) {
      const max = poItems(c.world, parent.index).reduce(
        (m, it) => Math.max(m, Number(it.PurchaseOrderItem)),
        0,
      );
      rec.PurchaseOrderItem = pad(max + 10, 5);
    } else if (!/^\d{5}$/.test(String(rec.PurchaseOrderItem))) {
      throw refuse('ME/010', 'Item numbers have five digits', 'PurchaseOrderItem');
    }
    const desc = product
      ? exists(c.world, 'A_ProductDescription', { Product: rec.Material, Language: 'EN' })
      : undefined;
    Object.assign(rec, {
      PurchaseOrderItemText: rec.PurchaseOrderItemText || desc?.ProductDescription || '',
      PurchaseOrderQuantityUnit: rec.PurchaseOrderQuantityUnit || product?.BaseUnit || 'PC',
      OrderPriceUnit: rec.OrderPriceUnit || rec.PurchaseOrderQuantityUnit || product?.BaseUnit || 'PC',
      MaterialGroup: rec.MaterialGroup || product?.ProductGroup || '',
      DocumentCurrency: parent.rec.DocumentCurrency,
      PurchasingDocumentDeletionCode: '',
      PurchaseOrderItemCategory: rec.PurchaseOrderItemCategory ?? '0',
      GoodsReceiptIsExpected: rec.GoodsReceiptIsExpected ?? true,
      InvoiceIsExpected: rec.InvoiceIsExpected ?? true,
      NetPriceQuantity: rec.NetPriceQuantity ?? 1,
    });
  },
  update(c: WriteCtx, _i, current) {
    const parent = parentOf(c.world, 'A_PurchaseOrderItem', current)!;
    assertChangeable(c.world, parent.index, parent.rec);
    if (current.PurchasingDocumentDeletionCode) {
      throw refuse(
        'ME/006',
        `Item ${current.PurchaseOrderItem} is flagged for deletion and cannot be changed`,
      );
    }
  },
  remove(c, _i, current) {
    const parent = parentOf(c.world, 'A_PurchaseOrderItem', current)!;
    assertChangeable(c.world, parent.index, parent.rec);
    if (current.PurchasingDocumentDeletionCode)
      throw refuse('ME/006', `Item ${current.PurchaseOrderItem} is already flagged for deletion`);
    if (current.IsCompletelyDelivered === true)
      throw refuse('ME/165', `Item ${current.PurchaseOrderItem} is delivered and cannot be deleted`);
    return { PurchasingDocumentDeletionCode: 'L' };
  },
};
