// Master data: plants (A_Plant), suppliers (A_Supplier), products (A_Product) and their
// descriptions (A_ProductDescription).
import type { Rec, SetSource } from '../store.ts';
import { Rng, STREAM, hash32, unit } from '../random.ts';
import { Nested } from '../indexes.ts';
import {
  COMPANY_CODES,
  PLANTS,
  PRODUCT_PREFIX,
  PRODUCT_TEXTS,
  PRODUCT_TYPE_WHEEL,
  PRODUCT_UNITS,
  SUPPLIER_WORDS,
  USERS,
  type ProductType,
} from './catalog.ts';
import { changedAt, createdAt, dayStart, pad, trunc, type Ctx } from './context.ts';

export const plantSource = (): SetSource => ({
  baseCount: PLANTS.length,
  keyOrdered: true,
  gen: (i) => {
    const p = PLANTS[i];
    return {
      Plant: p.plant,
      PlantName: p.name,
      CompanyCode: p.company.code,
      CompanyCodeName: p.company.name,
    };
  },
  findBase: (k) => PLANTS.findIndex((p) => p.plant === k.Plant),
});

export const plantIndex = (code: unknown) => PLANTS.findIndex((p) => p.plant === code);

// ---- suppliers -------------------------------------------------------------------------------

export const supplierId = (i: number) => String(17300001 + i);

export interface SupplierFlags {
  postingBlocked: boolean;
  purchasingBlocked: boolean;
  paymentBlocked: boolean;
  deleted: boolean;
}

/** Suppliers 17300003/5/7 are always purchasing-blocked, flagged for deletion, posting-blocked. */
export function supplierFlags(ctx: Ctx, i: number): SupplierFlags {
  return {
    postingBlocked: i === 6 || unit(ctx.seed, STREAM.supplier, i, 1) < 0.03,
    purchasingBlocked: i === 2 || unit(ctx.seed, STREAM.supplier, i, 2) < 0.05,
    paymentBlocked: unit(ctx.seed, STREAM.supplier, i, 3) < 0.02,
    deleted: i === 4 || unit(ctx.seed, STREAM.supplier, i, 4) < 0.03,
  };
}

/** A supplier a purchase order may go to (not blocked for purchasing, not flagged for deletion). */
export function usableSupplier(ctx: Ctx, r: Rng): number {
  const n = ctx.scale.suppliers;
  let i = r.int(n);
  for (let k = 0; k < n; k++, i = (i + 1) % n) {
    const f = supplierFlags(ctx, i);
    if (!f.purchasingBlocked && !f.deleted) return i;
  }
  return i;
}

export function supplierSource(ctx: Ctx): SetSource {
  const n = ctx.scale.suppliers;
  return {
    baseCount: n,
    keyOrdered: true,
    fast: { Supplier: (i) => supplierId(i) },
    gen: (i) => {
      const r = new Rng(ctx.seed, STREAM.supplier, i);
      const cc = COMPANY_CODES[i % COMPANY_CODES.length];
      const name = `${r.pick(SUPPLIER_WORDS.first)} ${r.pick(SUPPLIER_WORDS.second)} ${SUPPLIER_WORDS.suffix[cc.country]}`;
      const f = supplierFlags(ctx, i);
      return {
        Supplier: supplierId(i),
        SupplierName: name,
        SupplierFullName: name,
        SupplierAccountGroup: 'SUPL',
        CreatedByUser: r.pick(USERS),
        CreationDate: dayStart(createdAt(ctx, STREAM.supplier, i, n)),
        PostingIsBlocked: f.postingBlocked,
        PurchasingIsBlocked: f.purchasingBlocked,
        PaymentIsBlockedForSupplier: f.paymentBlocked,
        DeletionIndicator: f.deleted,
        VATRegistration: `${cc.country}${pad(r.int(1e9), 9)}`,
        SupplierProcurementBlock: f.purchasingBlocked ? '01' : '',
      };
    },
    findBase: (k) => {
      const i = Number(k.Supplier) - 17300001;
      return Number.isInteger(i) && i >= 0 && i < n && supplierId(i) === k.Supplier ? i : -1;
    },
  };
}

// ---- products --------------------------------------------------------------------------------

export const productType = (ctx: Ctx, i: number): ProductType =>
  PRODUCT_TYPE_WHEEL[hash32(ctx.seed, STREAM.product, i, 7) % PRODUCT_TYPE_WHEEL.length];
export const productId = (ctx: Ctx, i: number) => `${PRODUCT_PREFIX[productType(ctx, i)]}${100001 + i}`;

export function productIndex(ctx: Ctx, id: unknown): number {
  if (typeof id !== 'string') return -1;
  const m = /^[A-Z]{2}(\d+)$/.exec(id);
  if (!m) return -1;
  const i = Number(m[1]) - 100001;
  return i >= 0 && i < ctx.scale.products && productId(ctx, i) === id ? i : -1;
}

/** Description in 'EN' or 'DE'; the code suffix keeps descriptions distinguishable. */
export function productText(ctx: Ctx, i: number, lang: 'EN' | 'DE'): string {
  const texts = PRODUCT_TEXTS[productType(ctx, i)];
  const t = texts[hash32(ctx.seed, STREAM.product, i, 8) % texts.length];
  const code = `${String.fromCharCode(65 + (i % 26))}${100 + ((i * 37) % 900)}`;
  return trunc(`${lang === 'EN' ? t[0] : t[1]} ${code}`, 40);
}

export function productUnit(ctx: Ctx, i: number): string {
  const units = PRODUCT_UNITS[productType(ctx, i)];
  return units[hash32(ctx.seed, STREAM.product, i, 9) % units.length];
}

/** Spare part (ERSA) near a random position, for order components. */
export function pickSparePart(ctx: Ctx, r: Rng): number {
  const n = ctx.scale.products;
  let i = r.int(n);
  for (let k = 0; k < 40; k++, i = (i + 1) % n) if (productType(ctx, i) === 'ERSA') return i;
  return i;
}

/** Any stockable product (not a service), for purchase order items. */
export function pickStockProduct(ctx: Ctx, r: Rng): number {
  const n = ctx.scale.products;
  let i = r.int(n);
  for (let k = 0; k < 40; k++, i = (i + 1) % n) if (productType(ctx, i) !== 'DIEN') return i;
  return i;
}

const PRODUCT_GROUPS: Record<ProductType, string> = { ERSA: 'SP01', ROH: 'RM01', HAWA: 'TG01', DIEN: 'SV01' };
export const productGroup = (t: ProductType) => PRODUCT_GROUPS[t];
export const productPrice = (ctx: Ctx, i: number) =>
  Math.round(
    (5 + unit(ctx.seed, STREAM.product, i, 10) * (productType(ctx, i) === 'ERSA' ? 900 : 120)) * 100,
  ) / 100;

export function productSource(ctx: Ctx): SetSource {
  const n = ctx.scale.products;
  return {
    baseCount: n,
    fast: {
      Product: (i) => productId(ctx, i),
      ProductType: (i) => productType(ctx, i),
      CreationDate: (i) => dayStart(createdAt(ctx, STREAM.product, i, n)),
    },
    baseLcdt: (i) => changedAt(ctx, STREAM.product, i, createdAt(ctx, STREAM.product, i, n)),
    gen: (i) => {
      const r = new Rng(ctx.seed, STREAM.product, i);
      const type = productType(ctx, i);
      const unitCode = productUnit(ctx, i);
      const weight = type === 'DIEN' ? 0 : Math.round(r.next() * 50_000) / 1000;
      const rec: Rec = {
        Product: productId(ctx, i),
        ProductType: type,
        CreationDate: dayStart(createdAt(ctx, STREAM.product, i, n)),
        CreatedByUser: r.pick(USERS),
        LastChangedByUser: r.pick(USERS),
        IsMarkedForDeletion: r.chance(0.02),
        GrossWeight: weight,
        NetWeight: Math.round(weight * 900) / 1000,
        WeightUnit: type === 'DIEN' ? '' : 'KG',
        ProductGroup: productGroup(type),
        BaseUnit: unitCode,
        PurchaseOrderQuantityUnit: unitCode,
        Division: '00',
        IndustrySector: 'M',
        ItemCategoryGroup: type === 'DIEN' ? 'LEIS' : 'NORM',
        CountryOfOrigin: r.pick(['DE', 'US', 'GB', 'SE', 'CN']),
      };
      if (type === 'ERSA') {
        rec.ProductManufacturerNumber = `MPN-${pad(r.int(1e6), 6)}`;
        rec.SerialNumberProfile = r.chance(0.2) ? '0002' : '';
      }
      return rec;
    },
    findBase: (k) => productIndex(ctx, k.Product),
    finish: (rec) => {
      if (typeof rec.LastChangeDateTime === 'number') rec.LastChangeDate = dayStart(rec.LastChangeDateTime);
    },
  };
}

// ---- descriptions: EN for every product, DE for about half -----------------------------------

export function descriptionNesting(ctx: Ctx): Nested {
  return new Nested(ctx.scale.products, (p) => (unit(ctx.seed, STREAM.product, p, 11) < 0.5 ? 2 : 1));
}

export function descriptionSource(ctx: Ctx, nest: Nested): SetSource {
  const LANGS = ['EN', 'DE'] as const;
  return {
    baseCount: nest.total,
    gen: (j) => {
      const p = nest.parentOf(j);
      const lang = LANGS[j - nest.start[p]];
      return { Product: productId(ctx, p), Language: lang, ProductDescription: productText(ctx, p, lang) };
    },
    findBase: (k) => {
      const p = productIndex(ctx, k.Product);
      if (p < 0) return -1;
      const local = LANGS.indexOf(k.Language as 'EN');
      return local >= 0 && local < nest.count(p) ? nest.start[p] + local : -1;
    },
  };
}
