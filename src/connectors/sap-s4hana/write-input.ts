// Unified write input → SAP payload fields: which unified fields are writable, how each one is
// checked, and what SAP property it becomes.
import { ConnectorError } from '../errors.ts';
import { toODataDateTime, toODataDateTimeOffset } from '../../protocols/odata-v2/index.ts';

type Input = Record<string, unknown>;

export const PO_HEADER_FIELDS = ['vendor_id', 'order_date', 'currency', 'payment_terms', 'buyer'] as const;
export const PO_CREATE_ONLY = ['delivery_date', 'required_date'] as const;
export const PO_LINE_FIELDS = [
  'line_number',
  'item_id',
  'item_code',
  'description',
  'quantity',
  'unit_of_measure',
  'unit_price',
  'delivery_date',
  'location_id',
] as const;
export const WO_UPDATE_FIELDS = [
  'title',
  'priority',
  'asset_id',
  'location_id',
  'assigned_to',
  'scheduled_start',
  'scheduled_end',
  'due_date',
] as const;
export const WO_CREATE_FIELDS = [...WO_UPDATE_FIELDS, 'type'] as const;

export const PO_WRITABLE = [
  ...PO_HEADER_FIELDS,
  ...PO_CREATE_ONLY,
  'lines',
  ...PO_LINE_FIELDS.map((f) => `lines[].${f}`),
];
export const WO_WRITABLE = [...WO_CREATE_FIELDS];

/** Refuses any field outside `allowed`, naming it (the API answers FIELD_NOT_WRITABLE). */
export function assertWritable(input: Input, allowed: readonly string[], prefix = ''): void {
  for (const [k, v] of Object.entries(input)) {
    if (v === undefined) continue;
    if (!allowed.includes(k)) {
      throw new ConnectorError('field_not_writable', `${prefix}${k} cannot be written to SAP S/4HANA here`, {
        remote: { details: { field: `${prefix}${k}` } },
      });
    }
  }
}

function invalid(field: string, why: string): ConnectorError {
  return new ConnectorError('invalid_input', `${field} ${why}`, { remote: { details: { field } } });
}

export function text(input: Input, field: string, maxLength?: number): string | undefined {
  const v = input[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string' && typeof v !== 'number') throw invalid(field, 'must be text');
  const s = String(v).trim();
  if (maxLength !== undefined && s.length > maxLength)
    throw invalid(field, `is longer than ${maxLength} characters`);
  return s;
}

/** Decimals travel as text in OData v2 JSON; the number is checked and written without exponent. */
export function decimal(input: Input, field: string, opts: { positive?: boolean } = {}): string | undefined {
  const v = input[field];
  if (v === undefined || v === null) return undefined;
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  if (!Number.isFinite(n)) throw invalid(field, 'must be a number');
  if (opts.positive && n <= 0) throw invalid(field, 'must be greater than zero');
  if (n < 0) throw invalid(field, 'must not be negative');
  return typeof v === 'string' && /^\d+(\.\d+)?$/.test(v.trim()) ? v.trim() : String(Number(n.toFixed(6)));
}

function instant(input: Input, field: string): Date | undefined {
  const v = input[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string' || !/^\d{4}-\d{2}-\d{2}/.test(v))
    throw invalid(field, 'must be an ISO 8601 date');
  const d = new Date(v.length === 10 ? `${v}T00:00:00Z` : v);
  if (Number.isNaN(d.getTime())) throw invalid(field, 'must be an ISO 8601 date');
  return d;
}

/** Edm.DateTime (a calendar date in SAP): midnight UTC of the given day. */
export function sapDate(input: Input, field: string): string | undefined {
  const d = instant(input, field);
  if (!d) return undefined;
  return toODataDateTime(new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate())));
}

export function sapDateTimeOffset(input: Input, field: string): string | undefined {
  const d = instant(input, field);
  return d ? toODataDateTimeOffset(d) : undefined;
}

/** `location_id` remote ids are `Plant` or `Plant/StorageLocation`. */
export function location(
  input: Input,
  field = 'location_id',
): { plant: string; storageLocation?: string } | undefined {
  const v = text(input, field);
  if (v === undefined || v === '') return undefined;
  const [plant, storageLocation, extra] = v.split('/');
  if (
    !plant ||
    extra !== undefined ||
    plant.length > 4 ||
    (storageLocation !== undefined && storageLocation.length > 4)
  ) {
    throw invalid(field, 'must be a plant or plant/storage location remote id');
  }
  return storageLocation ? { plant, storageLocation } : { plant };
}

export const PRIORITY_TO_SAP: Record<string, string> = { URGENT: '1', HIGH: '2', MEDIUM: '3', LOW: '4' };
export const TYPE_TO_SAP: Record<string, string> = {
  CORRECTIVE: 'PM01',
  PREVENTIVE: 'PM02',
  INSPECTION: 'PM05',
  EMERGENCY: 'PM01',
};

export function oneOf(input: Input, field: string, table: Record<string, string>): string | undefined {
  const v = text(input, field);
  if (v === undefined) return undefined;
  const hit = table[v.toUpperCase()];
  if (!hit) throw invalid(field, `must be one of ${Object.keys(table).join(', ')}`);
  return hit;
}

/** Drops undefined values so that PATCH bodies only carry what the caller set. */
export function defined(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

export function linesOf(input: Input): Input[] | undefined {
  const v = input.lines;
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || v.some((l) => !l || typeof l !== 'object' || Array.isArray(l))) {
    throw invalid('lines', 'must be a list of objects');
  }
  return v as Input[];
}
