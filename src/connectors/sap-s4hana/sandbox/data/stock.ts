// Plant-level product data and stock: A_ProductPlant → A_ProductStorageLocation →
// A_MatlStkInAcctMod rows, plus A_MaterialStock (one per stocked product). Storage locations
// exist only as these keys — the services have no storage-location entity of their own.
import type { Rec, SetSource } from '../store.ts';
import { Rng, STREAM, hash32, unit } from '../random.ts';
import { Nested } from '../indexes.ts';
import { PLANTS } from './catalog.ts';
import { createdAt, dayStart, type Ctx } from './context.ts';
import { productId, productIndex, productType, productUnit } from './master.ts';

/** Stock types of A_MatlStkInAcctMod: 01 unrestricted, 02 quality inspection, 07 blocked. */
const STOCK_TYPES = ['01', '02', '07'] as const;

export interface StockLayout {
  productPlants: Nested; // per product
  slocs: Nested; // per product plant
  rows: Nested; // per storage location
  /** Product plant → product (flat lookups without binary search). */
  ppProduct: Int32Array;
  slPlantRow: Int32Array; // storage location → product plant
  /** A_MaterialStock records: the products that have at least one storage location. */
  stocked: Int32Array;
  stockedIndex: Int32Array; // product → position in `stocked`, or -1
}

const plantOf = (ctx: Ctx, p: number, local: number) =>
  (hash32(ctx.seed, STREAM.productPlant, p) + local * 3) % PLANTS.length;
const slocOf = (ctx: Ctx, p: number, local: number) =>
  (productType(ctx, p) === 'ERSA' ? [2, 0] : [0, 1])[local];
const extraStockType = (ctx: Ctx, sl: number) => {
  const u = unit(ctx.seed, STREAM.stock, sl, 3);
  return u < 0.1 ? 1 : u < 0.15 ? 2 : 0;
};

export function buildStockLayout(ctx: Ctx): StockLayout {
  const P = ctx.scale.products;
  const productPlants = new Nested(P, (p) => 1 + (hash32(ctx.seed, STREAM.productPlant, p, 1) % 3));
  const PP = productPlants.total;
  const ppProduct = new Int32Array(PP);
  for (let p = 0; p < P; p++) ppProduct.fill(p, productPlants.start[p], productPlants.start[p + 1]);
  const slocs = new Nested(PP, (pp) =>
    productType(ctx, ppProduct[pp]) === 'DIEN' ? 0 : 1 + (hash32(ctx.seed, STREAM.productSloc, pp) % 2),
  );
  const slPlantRow = new Int32Array(slocs.total);
  for (let pp = 0; pp < PP; pp++) slPlantRow.fill(pp, slocs.start[pp], slocs.start[pp + 1]);
  const rows = new Nested(slocs.total, (sl) => (extraStockType(ctx, sl) ? 2 : 1));
  const stockedList: number[] = [];
  const stockedIndex = new Int32Array(P).fill(-1);
  for (let p = 0; p < P; p++) {
    const from = productPlants.start[p];
    const to = productPlants.start[p + 1];
    if (slocs.start[to] > slocs.start[from]) {
      stockedIndex[p] = stockedList.length;
      stockedList.push(p);
    }
  }
  return {
    productPlants,
    slocs,
    rows,
    ppProduct,
    slPlantRow,
    stocked: Int32Array.from(stockedList),
    stockedIndex,
  };
}

const ppPlant = (ctx: Ctx, L: StockLayout, pp: number) => {
  const p = L.ppProduct[pp];
  return PLANTS[plantOf(ctx, p, pp - L.productPlants.start[p])];
};
const slCode = (ctx: Ctx, L: StockLayout, sl: number) => {
  const pp = L.slPlantRow[sl];
  return ppPlant(ctx, L, pp).storageLocations[slocOf(ctx, L.ppProduct[pp], sl - L.slocs.start[pp])];
};

function findPlantRow(ctx: Ctx, L: StockLayout, k: Rec): number {
  const p = productIndex(ctx, k.Product ?? k.Material);
  if (p < 0) return -1;
  for (let pp = L.productPlants.start[p]; pp < L.productPlants.start[p + 1]; pp++) {
    if (ppPlant(ctx, L, pp).plant === k.Plant) return pp;
  }
  return -1;
}

function findSloc(ctx: Ctx, L: StockLayout, k: Rec): number {
  const pp = findPlantRow(ctx, L, k);
  if (pp < 0) return -1;
  for (let sl = L.slocs.start[pp]; sl < L.slocs.start[pp + 1]; sl++) {
    if (slCode(ctx, L, sl) === k.StorageLocation) return sl;
  }
  return -1;
}

export function productPlantSource(ctx: Ctx, L: StockLayout): SetSource {
  return {
    baseCount: L.ppProduct.length,
    gen: (pp) => {
      const p = L.ppProduct[pp];
      const r = new Rng(ctx.seed, STREAM.productPlant, pp);
      const plant = ppPlant(ctx, L, pp);
      const type = productType(ctx, p);
      const firstSloc = L.slocs.count(pp) ? slCode(ctx, L, L.slocs.start[pp]) : '';
      return {
        Product: productId(ctx, p),
        Plant: plant.plant,
        PurchasingGroup: '001',
        ProfitCenter: `YB${plant.plant.slice(0, 2)}0`,
        MRPType: type === 'DIEN' ? 'ND' : r.pick(['PD', 'VB', 'VB', 'ND']),
        MRPResponsible: '001',
        ABCIndicator: r.pick(['A', 'B', 'C', 'C']),
        ProcurementType: 'F',
        AvailabilityCheckType: '02',
        GoodsReceiptDuration: r.int(3),
        BaseUnit: productUnit(ctx, p),
        ProductionInvtryManagedLoc: firstSloc,
        ProductIsCriticalPrt: type === 'ERSA' && r.chance(0.15),
        CountryOfOrigin: plant.company.country,
        FiscalYearVariant: 'K4',
        PeriodType: 'M',
        MinimumLotSizeQuantity: type === 'DIEN' ? 0 : r.range(1, 10),
      };
    },
    findBase: (k) => findPlantRow(ctx, L, k),
  };
}

export function productSlocSource(ctx: Ctx, L: StockLayout): SetSource {
  return {
    baseCount: L.slPlantRow.length,
    gen: (sl) => {
      const pp = L.slPlantRow[sl];
      const p = L.ppProduct[pp];
      const r = new Rng(ctx.seed, STREAM.productSloc, sl);
      const created = dayStart(createdAt(ctx, STREAM.product, p, ctx.scale.products));
      return {
        Product: productId(ctx, p),
        Plant: ppPlant(ctx, L, pp).plant,
        StorageLocation: slCode(ctx, L, sl),
        WarehouseStorageBin: `${r.pick(['A', 'B', 'C'])}-${String(r.range(1, 40)).padStart(2, '0')}-${r.range(1, 6)}`,
        CreationDate: created,
        DateOfLastPostedCntUnRstrcdStk: dayStart(ctx.now - r.range(5, 360) * 86_400_000),
        InventoryCorrectionFactor: 0,
        FiscalYearCurrentPeriod: String(new Date(ctx.now).getUTCFullYear()),
        FiscalMonthCurrentPeriod: String(new Date(ctx.now).getUTCMonth() + 1).padStart(2, '0'),
      };
    },
    findBase: (k) => findSloc(ctx, L, k),
  };
}

export function materialStockSource(ctx: Ctx, L: StockLayout): SetSource {
  return {
    baseCount: L.stocked.length,
    gen: (m) => {
      const p = L.stocked[m];
      return { Material: productId(ctx, p), MaterialBaseUnit: productUnit(ctx, p) };
    },
    findBase: (k) => {
      const p = productIndex(ctx, k.Material);
      return p < 0 ? -1 : L.stockedIndex[p];
    },
  };
}

/** Flat index of the first stock row of A_MaterialStock record m, and the end (exclusive). */
export function stockRowsOfMaterial(L: StockLayout, m: number): [number, number] {
  const p = L.stocked[m];
  const ppFrom = L.productPlants.start[p];
  const ppTo = L.productPlants.start[p + 1];
  return [L.rows.start[L.slocs.start[ppFrom]], L.rows.start[L.slocs.start[ppTo]]];
}

export function stockRowSource(ctx: Ctx, L: StockLayout): SetSource {
  return {
    baseCount: L.rows.total,
    gen: (row) => {
      const sl = L.rows.parentOf(row);
      const pp = L.slPlantRow[sl];
      const p = L.ppProduct[pp];
      const r = new Rng(ctx.seed, STREAM.stock, row);
      const local = row - L.rows.start[sl];
      const typeIdx = local === 0 ? 0 : extraStockType(ctx, sl);
      const spare = productType(ctx, p) === 'ERSA';
      const qty =
        local === 0 ? (r.chance(0.08) ? 0 : r.range(1, spare ? 40 : 800)) : r.range(1, spare ? 5 : 50);
      return {
        Material: productId(ctx, p),
        Plant: ppPlant(ctx, L, pp).plant,
        StorageLocation: slCode(ctx, L, sl),
        Batch: '',
        Supplier: '',
        Customer: '',
        WBSElementInternalID: '00000000',
        SDDocument: '',
        SDDocumentItem: '000000',
        InventorySpecialStockType: '',
        InventoryStockType: STOCK_TYPES[typeIdx],
        WBSElementExternalID: '',
        MaterialBaseUnit: productUnit(ctx, p),
        MatlWrhsStkQtyInMatlBaseUnit: qty,
      };
    },
    findBase: (k) => {
      const sl = findSloc(ctx, L, {
        Product: k.Material,
        Plant: k.Plant,
        StorageLocation: k.StorageLocation,
      });
      if (sl < 0) return -1;
      for (let row = L.rows.start[sl]; row < L.rows.start[sl + 1]; row++) {
        const local = row - L.rows.start[sl];
        const st = STOCK_TYPES[local === 0 ? 0 : extraStockType(ctx, sl)];
        if (
          st === k.InventoryStockType &&
          k.Batch === '' &&
          k.Supplier === '' &&
          k.Customer === '' &&
          k.WBSElementInternalID === '00000000' &&
          k.SDDocument === '' &&
          k.SDDocumentItem === '000000' &&
          k.InventorySpecialStockType === ''
        ) {
          return row;
        }
      }
      return -1;
    },
  };
}
