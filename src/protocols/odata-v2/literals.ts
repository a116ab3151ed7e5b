// OData v2 literal forms (URI conventions §2.2.2): how a value is written inside $filter,
// key predicates and function-import parameters.

/** A value already in OData literal form; plain strings passed where a literal is expected are quoted. */
export interface ODataLiteral {
  readonly odata: string;
}

const literal = (odata: string): ODataLiteral => ({ odata });

function iso(d: Date | string, what: string): string {
  const date = typeof d === 'string' ? new Date(d) : d;
  if (Number.isNaN(date.getTime())) throw new TypeError(`invalid ${what}: ${String(d)}`);
  return date.toISOString();
}

export const lit = {
  /** `'O''Neil'`: single quotes doubled. */
  string: (s: string): ODataLiteral => literal(`'${s.replace(/'/g, "''")}'`),
  /** `datetimeoffset'2024-01-01T00:00:00Z'` (whole seconds unless the value has milliseconds). */
  datetimeOffset: (d: Date | string): ODataLiteral =>
    literal(`datetimeoffset'${iso(d, 'datetimeoffset').replace('.000Z', 'Z')}'`),
  /** `datetime'2024-01-01T00:00:00'`: Edm.DateTime has no zone; the UTC wall clock is sent. */
  datetime: (d: Date | string): ODataLiteral =>
    literal(`datetime'${iso(d, 'datetime').replace(/(\.000)?Z$/, '')}'`),
  /** `time'PT12H30M00S'`. */
  time: (duration: string): ODataLiteral => literal(`time'${duration}'`),
  guid: (g: string): ODataLiteral => {
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(g))
      throw new TypeError(`invalid guid: ${g}`);
    return literal(`guid'${g}'`);
  },
  /** `12.50M`: from a number or decimal text, kept exact when given as text. */
  decimal: (v: number | string): ODataLiteral => {
    const text = typeof v === 'number' ? String(v) : v.trim();
    if (!/^-?\d+(\.\d+)?$/.test(text)) throw new TypeError(`invalid decimal: ${String(v)}`);
    return literal(`${text}M`);
  },
  int: (n: number): ODataLiteral => {
    if (!Number.isInteger(n)) throw new TypeError(`invalid integer: ${n}`);
    return literal(String(n));
  },
  /** Edm.Int64 is written with an `L` suffix. */
  int64: (n: number | bigint | string): ODataLiteral => literal(`${String(n)}L`),
  double: (n: number): ODataLiteral => literal(`${n}d`),
  bool: (b: boolean): ODataLiteral => literal(b ? 'true' : 'false'),
  null: (): ODataLiteral => literal('null'),
  /** Escape hatch for a literal written by hand. */
  raw: (text: string): ODataLiteral => literal(text),
};

export function isLiteral(v: unknown): v is ODataLiteral {
  return typeof v === 'object' && v !== null && typeof (v as ODataLiteral).odata === 'string';
}

export type LiteralInput = ODataLiteral | string | number | boolean | Date | null;

/** A sensible literal for a JS value: text → string, Date → datetimeoffset, integer → Int32, etc. */
export function toLiteral(v: LiteralInput): string {
  if (isLiteral(v)) return v.odata;
  if (v === null) return 'null';
  if (typeof v === 'string') return lit.string(v).odata;
  if (typeof v === 'boolean') return lit.bool(v).odata;
  if (v instanceof Date) return lit.datetimeOffset(v).odata;
  if (Number.isInteger(v)) return String(v);
  return lit.decimal(v).odata;
}
