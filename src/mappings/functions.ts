// The built-in function library (README.md). Every function is null-safe: a null input gives null
// unless documented otherwise. Functions that need the evaluation scope or compile-time work
// (if, coalesce, map, ref, sum) are special forms in compile-expr.ts; they are listed here for arity.
import { combineDateTime, toDateText, toDateTimeText } from './dates.ts';
import { toList, toNumber, toText } from './values.ts';

export type MappingFunction = (...args: unknown[]) => unknown;

export interface FunctionSpec {
  min: number;
  max: number;
  /** Absent for special forms, which the compiler builds itself. */
  fn?: MappingFunction;
}

const MANY = Number.POSITIVE_INFINITY;

function str(x: unknown): string | null {
  return toText(x);
}

function trim(x: unknown): string | null {
  const t = toText(x);
  if (t === null) return null;
  const r = t.trim();
  return r.length === 0 ? null : r;
}

function upper(x: unknown): string | null {
  const t = toText(x);
  return t === null ? null : t.toUpperCase();
}

function lower(x: unknown): string | null {
  const t = toText(x);
  return t === null ? null : t.toLowerCase();
}

function int(x: unknown): number | null {
  const n = toNumber(x);
  if (n === null) return null;
  const t = Math.trunc(n);
  return t === 0 ? 0 : t; // no -0 in output
}

function concat(...parts: unknown[]): string | null {
  let out: string | null = null;
  for (const p of parts) {
    const t = toText(p);
    if (t !== null) out = out === null ? t : out + t;
  }
  return out;
}

/** Nulls and empty text are skipped (no ", ," for missing address lines); list arguments are spread. */
function join(sep: unknown, ...parts: unknown[]): string | null {
  const s = toText(sep) ?? '';
  let out: string | null = null;
  const add = (p: unknown): void => {
    const t = toText(p);
    if (t === null || t === '') return;
    out = out === null ? t : out + s + t;
  };
  for (const p of parts) {
    if (Array.isArray(p)) p.forEach(add);
    else add(p);
  }
  return out;
}

function refKey(...parts: unknown[]): string | null {
  let out = '';
  for (let i = 0; i < parts.length; i++) {
    const t = toText(parts[i]);
    // A compound key with a missing part identifies nothing.
    if (t === null || t === '') return null;
    out = i === 0 ? t : out + '/' + t;
  }
  return out;
}

function first(list: unknown): unknown {
  const l = toList(list);
  if (l === null || l.length === 0) return null;
  return l[0] ?? null;
}

/** count(null) is 0: "no lines" is a count, not an unknown. */
function count(list: unknown): number | null {
  if (list === null || list === undefined) return 0;
  const l = toList(list);
  return l === null ? null : l.length;
}

function results(x: unknown): unknown[] | null {
  return toList(x);
}

function stripZeros(x: unknown): string | null {
  const t = toText(x);
  if (t === null) return null;
  let i = 0;
  while (i < t.length - 1 && t.charCodeAt(i) === 48) i++;
  return i === 0 ? t : t.slice(i);
}

const TRUE_TEXT = new Set(['x', 'true', 'yes', 'y', '1']);
const FALSE_TEXT = new Set(['', 'false', 'no', 'n', '0']);

function bool(x: unknown): boolean | null {
  if (typeof x === 'boolean') return x;
  if (typeof x === 'number') return x !== 0;
  if (typeof x === 'string') {
    const t = x.trim().toLowerCase();
    if (TRUE_TEXT.has(t)) return true;
    if (FALSE_TEXT.has(t)) return false;
  }
  return null;
}

/** Half away from zero, on the decimal text so 1.005 rounds to 1.01. */
function round(x: unknown, digits?: unknown): number | null {
  const n = toNumber(x);
  if (n === null) return null;
  const d = digits === undefined || digits === null ? 0 : toNumber(digits);
  if (d === null || !Number.isInteger(d) || d < 0 || d > 15) return null;
  const sign = n < 0 ? -1 : 1;
  const r = sign * Number(Math.round(Number(`${Math.abs(n)}e${d}`)) + `e-${d}`);
  return r === 0 ? 0 : r;
}

function substr(x: unknown, start: unknown, length?: unknown): string | null {
  const t = toText(x);
  const s = toNumber(start);
  if (t === null || s === null) return null;
  const from = s < 0 ? Math.max(t.length + Math.trunc(s), 0) : Math.trunc(s);
  if (length === undefined || length === null) return t.slice(from);
  const len = toNumber(length);
  return len === null ? null : t.slice(from, from + Math.max(Math.trunc(len), 0));
}

function replace(x: unknown, find: unknown, by: unknown): string | null {
  const t = toText(x);
  if (t === null) return null;
  const f = toText(find);
  if (f === null || f === '') return t;
  return t.replaceAll(f, toText(by) ?? '');
}

/**
 * Drops binary noise from a sum (0.1 + 0.2 → 0.3) without touching real amounts: snap to 6 decimals
 * only when that moves the value by less than a relative 1e-12.
 */
export function tidySum(n: number): number {
  if (Number.isInteger(n)) return n;
  const r = Math.round(n * 1e6) / 1e6;
  return Math.abs(r - n) <= Math.abs(n) * 1e-12 ? r : n;
}

/** Runtime `sum(list, path)` when the path is not a literal; the compiler precomputes the common case. */
export function sumList(list: unknown, pick: ((el: unknown) => unknown) | null): number | null {
  const l = toList(list);
  if (l === null) return null;
  let total = 0;
  for (const el of l) {
    const n = toNumber(pick === null ? el : pick(el));
    if (n !== null) total += n;
  }
  return tidySum(total);
}

export const BUILTINS: Record<string, FunctionSpec> = {
  string: { min: 1, max: 1, fn: str },
  trim: { min: 1, max: 1, fn: trim },
  upper: { min: 1, max: 1, fn: upper },
  lower: { min: 1, max: 1, fn: lower },
  number: { min: 1, max: 1, fn: toNumber },
  decimal: { min: 1, max: 1, fn: toNumber },
  int: { min: 1, max: 1, fn: int },
  date: { min: 1, max: 1, fn: toDateText },
  datetime: { min: 1, max: 1, fn: toDateTimeText },
  datetime_of: { min: 2, max: 2, fn: combineDateTime },
  concat: { min: 1, max: MANY, fn: concat },
  join: { min: 2, max: MANY, fn: join },
  coalesce: { min: 1, max: MANY },
  map: { min: 2, max: 3 },
  if: { min: 2, max: 3 },
  ref: { min: 2, max: 2 },
  ref_key: { min: 1, max: MANY, fn: refKey },
  first: { min: 1, max: 1, fn: first },
  count: { min: 1, max: 1, fn: count },
  sum: { min: 1, max: 2 },
  results: { min: 1, max: 1, fn: results },
  strip_zeros: { min: 1, max: 1, fn: stripZeros },
  bool: { min: 1, max: 1, fn: bool },
  round: { min: 1, max: 2, fn: round },
  substr: { min: 2, max: 3, fn: substr },
  replace: { min: 3, max: 3, fn: replace },
};
