// Value coercions shared by the operators and the function library. Source systems disagree on
// types (SAP sends numbers as text, Tryton wraps decimals), so comparisons and conversions are lenient
// about representation but never guess: text that is not a number is not a number.
import { formatDate, formatDateTime } from '../core/iso-time.ts';
import { toEpochMs, trytonClass } from './dates.ts';

// ABAP writes negative amounts with a trailing minus ("12.50-").
const TRAILING_MINUS_RE = /^(?:\d+\.?\d*|\.\d+)-$/;

export function isBlank(v: unknown): boolean {
  return v === null || v === undefined || v === '';
}

/** JS truthiness: null, false, 0, NaN and "" are false; everything else (including "X") is true. */
export function truthy(v: unknown): boolean {
  return !!v;
}

const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

/**
 * `[+-]digits[.digits][e[+-]digits]` → number, NaN when the text is not that. Hand-scanned: SAP sends
 * every amount and quantity as text, so this runs several times per record. With at most 15 digits
 * and no exponent, integer / 10^k is exact-rounded (both operands are exact doubles), i.e. equal to
 * Number(t); longer or exponent forms fall back to Number.
 */
function scanDecimal(t: string): number {
  const n = t.length;
  let i = 0;
  let c = t.charCodeAt(0);
  const neg = c === 45;
  if (neg || c === 43) i++;
  let digits = 0;
  let mantissa = 0;
  let scale = 0;
  while (i < n && (c = t.charCodeAt(i)) >= 48 && c <= 57) {
    mantissa = mantissa * 10 + (c - 48);
    i++;
    digits++;
  }
  if (i < n && c === 46) {
    i++;
    while (i < n && (c = t.charCodeAt(i)) >= 48 && c <= 57) {
      mantissa = mantissa * 10 + (c - 48);
      i++;
      digits++;
      scale++;
    }
  }
  if (digits === 0) return Number.NaN;
  if (i === n) {
    if (digits <= 15) {
      const v = scale === 0 ? mantissa : mantissa / POW10[scale];
      return neg ? -v : v;
    }
    return Number(t);
  }
  if ((c | 32) !== 101) return Number.NaN;
  i++;
  if (i < n && ((c = t.charCodeAt(i)) === 43 || c === 45)) i++;
  const expStart = i;
  while (i < n && (c = t.charCodeAt(i)) >= 48 && c <= 57) i++;
  return i === expStart || i !== n ? Number.NaN : Number(t);
}

function parseNumberText(s: string): number | null {
  let t = s;
  if (t.length === 0) return null;
  const first = t.charCodeAt(0);
  const last = t.charCodeAt(t.length - 1);
  if (first <= 32 || last <= 32) t = t.trim();
  if (t.length === 0) return null;
  const n = scanDecimal(t);
  if (n === n) return Number.isFinite(n) ? n : null; // not NaN
  if (TRAILING_MINUS_RE.test(t)) return -Number(t.slice(0, -1));
  return null;
}

/** A number from a number, numeric text or a Tryton Decimal; null otherwise. */
export function toNumber(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'string') return parseNumberText(v);
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return Number(v);
  if (trytonClass(v) === 'Decimal') {
    const d = (v as { decimal?: unknown }).decimal;
    return typeof d === 'string' ? parseNumberText(d) : typeof d === 'number' ? toNumber(d) : null;
  }
  return null;
}

/** Text form of a value: numbers and booleans as written, dates as ISO, other objects as JSON. */
export function toText(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : null;
  if (typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (v instanceof Date) {
    const t = v.getTime();
    return Number.isFinite(t) ? formatDateTime(t) : null;
  }
  const cls = trytonClass(v);
  if (cls === 'Decimal') {
    const d = (v as { decimal?: unknown }).decimal;
    return d === null || d === undefined ? null : String(d);
  }
  if (cls === 'date' || cls === 'datetime') {
    const ms = toEpochMs(v);
    return ms === null ? null : cls === 'date' ? formatDate(ms) : formatDateTime(ms);
  }
  if (typeof v === 'object') return JSON.stringify(v);
  return null;
}

/** Key used by `map()`: text and numbers by their text; anything else has no key. */
export function toKey(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (trytonClass(v) === 'Decimal') return toText(v);
  return null;
}

/** The elements of a list, or of an OData v2 collection `{ results: [...] }`; null for anything else. */
export function toList(v: unknown): unknown[] | null {
  if (Array.isArray(v)) return v;
  if (v !== null && typeof v === 'object') {
    const r = (v as { results?: unknown }).results;
    if (Array.isArray(r)) return r;
  }
  return null;
}

function numericSide(v: unknown): number | null {
  return typeof v === 'number' ? v : typeof v === 'string' ? parseNumberText(v) : toNumber(v);
}

/** `=`: null equals only null; numbers equal numeric text ("0010" = 10); dates by instant. */
export function valuesEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || a === undefined || b === null || b === undefined) {
    return (a === null || a === undefined) && (b === null || b === undefined);
  }
  const ta = typeof a;
  const tb = typeof b;
  if (ta === 'string' && tb === 'string') return false;
  if (ta === 'number' || tb === 'number' || trytonClass(a) === 'Decimal' || trytonClass(b) === 'Decimal') {
    const x = numericSide(a);
    return x !== null && x === numericSide(b);
  }
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  return false;
}

/** Ordering for `<`, `<=`, `>`, `>=`: negative/zero/positive, or null when the values do not compare. */
export function compareValues(a: unknown, b: unknown): number | null {
  if (a === null || a === undefined || b === null || b === undefined) return null;
  const ta = typeof a;
  const tb = typeof b;
  // Text against text is compared as text: ISO dates and zero-padded SAP numbers order correctly.
  if (ta === 'string' && tb === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (a instanceof Date && b instanceof Date) return a.getTime() - b.getTime();
  if (ta === 'boolean' && tb === 'boolean') return Number(a) - Number(b);
  const x = numericSide(a);
  const y = numericSide(b);
  if (x === null || y === null) return null;
  return x - y;
}
