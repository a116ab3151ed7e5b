// SAP rules that are more than a lookup, as small pure functions the default mappings call.
// Each takes raw OData values (decimals as text, dates as /Date(ms)/, booleans) and is null-safe.
import { formatDateTime } from '../../core/iso-time.ts';
import { odataDateToIso, parseODataDate } from '../../protocols/odata-v2/index.ts';

type Obj = Record<string, unknown>;

function list(x: unknown): Obj[] {
  if (Array.isArray(x)) return x as Obj[];
  if (x && typeof x === 'object' && Array.isArray((x as { results?: unknown }).results)) {
    return (x as { results: Obj[] }).results;
  }
  return [];
}

function num(x: unknown): number | null {
  if (typeof x === 'number') return Number.isFinite(x) ? x : null;
  if (typeof x === 'string' && x.trim() !== '' && Number.isFinite(Number(x))) return Number(x);
  return null;
}

/** Rounds to 6 decimals to drop binary noise of products and sums (prices carry at most 6). */
const tidy = (n: number): number => Math.round(n * 1e6) / 1e6;

/** Price per one order unit: SAP prices are per `NetPriceQuantity` units (price unit, often 1 or 100). */
export function sapUnitPrice(price: unknown, priceUnit: unknown): number | null {
  const p = num(price);
  if (p === null) return null;
  const per = num(priceUnit);
  return tidy(per && per > 0 ? p / per : p);
}

export function sapLineAmount(quantity: unknown, price: unknown, priceUnit: unknown): number | null {
  const q = num(quantity);
  const unit = sapUnitPrice(price, priceUnit);
  return q === null || unit === null ? null : tidy(q * unit);
}

const isDeletedItem = (item: Obj) => item.PurchasingDocumentDeletionCode === 'L';

/** Net value of the order: sum of its items that are not deleted. */
export function sapPoTotal(items: unknown): number | null {
  const live = list(items).filter((i) => !isDeletedItem(i));
  if (live.length === 0) return null;
  let total = 0;
  for (const i of live) total += sapLineAmount(i.OrderQuantity, i.NetPriceAmount, i.NetPriceQuantity) ?? 0;
  return tidy(total);
}

/** Earliest schedule-line delivery date (YYYY-MM-DD) of one item's schedule lines, or of a whole order's items. */
export function sapEarliestDelivery(x: unknown): string | null {
  let best: string | null = null;
  const consider = (lines: unknown) => {
    for (const l of list(lines)) {
      const d = odataDateToIso(l.ScheduleLineDeliveryDate);
      if (d && (best === null || d < best)) best = d;
    }
  };
  for (const el of list(x)) {
    if ('to_ScheduleLine' in el) consider(el.to_ScheduleLine);
    else consider([el]);
  }
  return best === null ? null : (best as string).slice(0, 10);
}

/**
 * Purchase order status, in this order:
 *   deletion code L → CANCELLED;
 *   every live item delivered and finally invoiced → CLOSED; every live item delivered → RECEIVED;
 *   some delivered → PARTIALLY_RECEIVED;
 *   processing status 01 (in process) or 08 (rejected) → DRAFT;
 *   03/04 (in release), or release not completed → PENDING_APPROVAL;
 *   02 (active) / 05 (released) → APPROVED; anything else → null.
 */
export function sapPoStatus(po: unknown): string | null {
  if (!po || typeof po !== 'object') return null;
  const o = po as Obj;
  if (o.PurchasingDocumentDeletionCode === 'L') return 'CANCELLED';
  const items = list(o.to_PurchaseOrderItem).filter((i) => !isDeletedItem(i));
  if (items.length > 0) {
    const delivered = items.filter((i) => i.IsCompletelyDelivered === true).length;
    if (delivered === items.length) {
      return items.every((i) => i.IsFinallyInvoiced === true) ? 'CLOSED' : 'RECEIVED';
    }
    if (delivered > 0) return 'PARTIALLY_RECEIVED';
  }
  const proc = String(o.PurchasingProcessingStatus ?? '');
  if (proc === '01' || proc === '08') return 'DRAFT';
  if (proc === '03' || proc === '04' || o.ReleaseIsNotCompleted === true) return 'PENDING_APPROVAL';
  if (proc === '02' || proc === '05') return 'APPROVED';
  return null;
}

/**
 * Maintenance order status from the system status line (e.g. "REL PCNF PRC SETC"); the most
 * advanced life-cycle status present wins:
 *   DLFL → CANCELLED, CLSD → CLOSED, TECO → COMPLETED, LKD (locked) → ON_HOLD,
 *   CNF (fully confirmed) or a main-work-completed time → COMPLETED,
 *   PCNF → IN_PROGRESS (partially confirmed), REL → SCHEDULED (released for execution),
 *   CRTD → REQUESTED. Without any of them → null.
 */
export function sapWoStatus(systemStatusText: unknown, mainWorkCompleted?: unknown): string | null {
  if (typeof systemStatusText !== 'string' || systemStatusText.trim() === '') return null;
  const codes = new Set(systemStatusText.trim().split(/\s+/));
  if (codes.has('DLFL')) return 'CANCELLED';
  if (codes.has('CLSD')) return 'CLOSED';
  if (codes.has('TECO')) return 'COMPLETED';
  if (codes.has('LKD')) return 'ON_HOLD';
  if (codes.has('CNF') || (mainWorkCompleted != null && mainWorkCompleted !== '')) return 'COMPLETED';
  if (codes.has('PCNF')) return 'IN_PROGRESS';
  if (codes.has('REL')) return 'SCHEDULED';
  if (codes.has('CRTD')) return 'REQUESTED';
  return null;
}

/** Components of all operations of an order, deleted ones left out. */
export function sapWoComponents(order: unknown): Obj[] {
  if (!order || typeof order !== 'object') return [];
  const out: Obj[] = [];
  for (const op of list((order as Obj).to_MaintenanceOrderOperation)) {
    for (const c of list(op.to_MaintOrderOpComponent_2)) if (c.IsDeleted !== true) out.push(c);
  }
  return out;
}

const HOURS_PER_UNIT: Record<string, number> = {
  H: 1,
  HR: 1,
  HUR: 1,
  MIN: 1 / 60,
  D: 24,
  DAY: 24,
  S: 1 / 3600,
};

/**
 * Work of the operations in hours: `planned` sums MaintOrdOperationWorkDuration, `actual` sums
 * ActualWorkQuantity, both in the unit MaintOrdOpWorkDurationUnit. Null when no operation has it.
 */
export function sapWoHours(operations: unknown, which: unknown): number | null {
  const field = which === 'actual' ? 'ActualWorkQuantity' : 'MaintOrdOperationWorkDuration';
  let total: number | null = null;
  for (const op of list(operations)) {
    if (op.IsMarkedForDeletion === true) continue;
    const n = num(op[field]);
    if (n === null) continue;
    const unit = String(op.MaintOrdOpWorkDurationUnit ?? 'H').toUpperCase();
    total = (total ?? 0) + n * (HOURS_PER_UNIT[unit] ?? 1);
  }
  return total === null ? null : tidy(total);
}

/** Earliest actual start (`start`) or latest actual end (`end`) over the operations, ISO 8601. */
export function sapWoActual(operations: unknown, which: unknown): string | null {
  const field = which === 'end' ? 'OpActualExecutionEndDateTime' : 'OpActualExecutionStartDateTime';
  // Compared as epoch milliseconds; only the winner becomes ISO text (this runs for every order).
  let best: number | null = null;
  for (const op of list(operations)) {
    const d = parseODataDate(op[field]);
    if (!d) continue;
    const ms = d.getTime();
    if (best === null || (which === 'end' ? ms > best : ms < best)) best = ms;
  }
  return best === null ? null : formatDateTime(best);
}

/** The text of a language from a description list (A_ProductDescription), else the first one. */
export function sapText(descriptions: unknown, language: unknown): string | null {
  const l = list(descriptions);
  const lang = String(language ?? 'EN').toUpperCase();
  const hit = l.find((d) => String(d.Language ?? '').toUpperCase() === lang) ?? l[0];
  const text = hit?.ProductDescription;
  return typeof text === 'string' && text !== '' ? text : null;
}

/** ACTIVE, BLOCKED (purchasing or posting block) or INACTIVE (deletion flag). */
export function sapVendorStatus(supplier: unknown): string | null {
  if (!supplier || typeof supplier !== 'object') return null;
  const s = supplier as Obj;
  if (s.DeletionIndicator === true) return 'INACTIVE';
  if (s.PurchasingIsBlocked === true || s.PostingIsBlocked === true) return 'BLOCKED';
  if (typeof s.SupplierProcurementBlock === 'string' && s.SupplierProcurementBlock !== '') return 'BLOCKED';
  return 'ACTIVE';
}

/** DECOMMISSIONED (marked for deletion), INACTIVE (inactive flag), else ACTIVE. */
export function sapAssetStatus(equipment: unknown): string | null {
  if (!equipment || typeof equipment !== 'object') return null;
  const e = equipment as Obj;
  if (e.EquipmentIsMarkedForDeletion === true) return 'DECOMMISSIONED';
  if (e.EquipmentIsInactive === true) return 'INACTIVE';
  return 'ACTIVE';
}

/** The mapping-language names of these functions. */
export const mappingFunctions: Record<string, (...args: unknown[]) => unknown> = {
  sap_unit_price: sapUnitPrice,
  sap_line_amount: sapLineAmount,
  sap_po_total: sapPoTotal,
  sap_earliest_delivery: sapEarliestDelivery,
  sap_po_status: sapPoStatus,
  sap_wo_status: sapWoStatus,
  sap_wo_components: sapWoComponents,
  sap_wo_hours: sapWoHours,
  sap_wo_actual: sapWoActual,
  sap_text: sapText,
  sap_vendor_status: sapVendorStatus,
  sap_asset_status: sapAssetStatus,
};

/** What the functions that take the whole record (`sap_po_status($)`) read from it. */
export const mappingFunctionReads: Record<string, readonly string[]> = {
  sap_po_status: [
    'PurchasingDocumentDeletionCode',
    'to_PurchaseOrderItem',
    'PurchasingProcessingStatus',
    'ReleaseIsNotCompleted',
  ],
  sap_wo_components: ['to_MaintenanceOrderOperation'],
  sap_vendor_status: [
    'DeletionIndicator',
    'PurchasingIsBlocked',
    'PostingIsBlocked',
    'SupplierProcurementBlock',
  ],
  sap_asset_status: ['EquipmentIsMarkedForDeletion', 'EquipmentIsInactive'],
};
