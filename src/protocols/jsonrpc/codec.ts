// Typed values of JSON-RPC servers that tag non-JSON types as `{"__class__": "<type>", ...}` objects
// (Decimal, date, datetime, time, timedelta, bytes). Records are kept verbatim as the server sent
// them; these helpers build typed parameters and read typed results where code needs the value.

export interface DecimalValue {
  __class__: 'Decimal';
  decimal: string;
}
export interface DateValue {
  __class__: 'date';
  year: number;
  month: number;
  day: number;
}
export interface DateTimeValue {
  __class__: 'datetime';
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  microsecond: number;
}
export interface TimeValue {
  __class__: 'time';
  hour: number;
  minute: number;
  second: number;
  microsecond: number;
}
export interface TimeDeltaValue {
  __class__: 'timedelta';
  seconds: number;
}
export interface BytesValue {
  __class__: 'bytes';
  base64: string;
}
export type TypedValue = DecimalValue | DateValue | DateTimeValue | TimeValue | TimeDeltaValue | BytesValue;

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function classOf(v: unknown): string | null {
  return isObject(v) && typeof v.__class__ === 'string' ? v.__class__ : null;
}

/** A decimal travels as text so no digit is lost to binary floating point. */
export function encodeDecimal(value: string | number | bigint): DecimalValue {
  const text = String(value).trim();
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) {
    throw new TypeError(`not a decimal number: ${JSON.stringify(value)}`);
  }
  return { __class__: 'Decimal', decimal: text };
}

/** `YYYY-MM-DD` (any trailing time is ignored) or a Date (its UTC calendar day). */
export function encodeDate(value: string | Date): DateValue {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new TypeError('invalid Date');
    return {
      __class__: 'date',
      year: value.getUTCFullYear(),
      month: value.getUTCMonth() + 1,
      day: value.getUTCDate(),
    };
  }
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(value.trim());
  if (!m) throw new TypeError(`not a date: ${JSON.stringify(value)}`);
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const check = new Date(Date.UTC(year, month - 1, day));
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) {
    throw new TypeError(`not a date: ${JSON.stringify(value)}`);
  }
  return { __class__: 'date', year, month, day };
}

/**
 * The wire format has no time zone; the wall-clock components are those of UTC, which is what the
 * servers this is used with store (callers that know a server's zone shift the instant first).
 */
export function encodeDateTime(value: Date | string): DateTimeValue {
  const d = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(d.getTime())) throw new TypeError(`not a date-time: ${JSON.stringify(value)}`);
  return {
    __class__: 'datetime',
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    microsecond: d.getUTCMilliseconds() * 1000,
  };
}

export function encodeTime(value: string): TimeValue {
  const m = /^(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?$/.exec(value.trim());
  if (!m) throw new TypeError(`not a time: ${JSON.stringify(value)}`);
  return {
    __class__: 'time',
    hour: Number(m[1]),
    minute: Number(m[2]),
    second: Number(m[3] ?? 0),
    microsecond: Number((m[4] ?? '').padEnd(6, '0')),
  };
}

export function encodeTimeDelta(seconds: number): TimeDeltaValue {
  return { __class__: 'timedelta', seconds };
}

export function encodeBytes(value: Uint8Array | string): BytesValue {
  const buf = typeof value === 'string' ? Buffer.from(value, 'utf8') : Buffer.from(value);
  return { __class__: 'bytes', base64: buf.toString('base64') };
}

/** Decimal text (`"12.50"`) from a typed Decimal, a number or numeric text; null otherwise. */
export function decodeDecimal(v: unknown): string | null {
  if (classOf(v) === 'Decimal') return String((v as DecimalValue).decimal);
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return v.trim();
  return null;
}

/** `YYYY-MM-DD` from a typed date or datetime; null otherwise. */
export function decodeDate(v: unknown): string | null {
  const cls = classOf(v);
  if (cls !== 'date' && cls !== 'datetime') return null;
  const d = v as DateValue;
  return `${pad(d.year, 4)}-${pad(d.month)}-${pad(d.day)}`;
}

/** ISO 8601 UTC instant from a typed datetime (read as UTC wall-clock) or date; null otherwise. */
export function decodeDateTime(v: unknown): string | null {
  const cls = classOf(v);
  if (cls === 'date') return `${decodeDate(v)}T00:00:00.000Z`;
  if (cls !== 'datetime') return null;
  const d = v as DateTimeValue;
  const ms = Date.UTC(
    d.year,
    d.month - 1,
    d.day,
    d.hour,
    d.minute,
    d.second,
    Math.floor((d.microsecond ?? 0) / 1000),
  );
  return new Date(ms).toISOString();
}

export function decodeTime(v: unknown): string | null {
  if (classOf(v) !== 'time') return null;
  const t = v as TimeValue;
  return `${pad(t.hour)}:${pad(t.minute)}:${pad(t.second)}`;
}

export function decodeBytes(v: unknown): Uint8Array | null {
  if (classOf(v) !== 'bytes') return null;
  return new Uint8Array(Buffer.from((v as BytesValue).base64, 'base64'));
}

/**
 * Plain JSON from a typed result: Decimal → text, date → `YYYY-MM-DD`, datetime → ISO UTC,
 * time → `HH:MM:SS`, timedelta → seconds, bytes → base64 text. Unknown classes stay as they are.
 */
export function toPlain(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(toPlain);
  if (!isObject(v)) return v;
  switch (classOf(v)) {
    case 'Decimal':
      return decodeDecimal(v);
    case 'date':
      return decodeDate(v);
    case 'datetime':
      return decodeDateTime(v);
    case 'time':
      return decodeTime(v);
    case 'timedelta':
      return (v as unknown as TimeDeltaValue).seconds;
    case 'bytes':
      return (v as unknown as BytesValue).base64;
  }
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) out[k] = toPlain(x);
  return out;
}
