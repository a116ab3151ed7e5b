// OData v2 value forms: the JSON encoding Gateway answers with, URI literals ($filter, keys,
// function parameters) and the JSON forms it accepts in request bodies.
// Internally a value is a string, boolean, number (all numeric types, and dates/times as epoch or
// day milliseconds) or null.
import type { EdmType, PropertyModel } from './edmx.ts';

export type Value = string | number | boolean | null;

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

export function formatTime(msOfDay: number): string {
  const s = Math.floor(msOfDay / 1000);
  return `PT${pad(Math.floor(s / 3600))}H${pad(Math.floor(s / 60) % 60)}M${pad(s % 60)}S`;
}

export function parseTime(s: string): number | undefined {
  const m = /^PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?$/.exec(s);
  if (!m || s === 'PT') return undefined;
  return (Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0)) * 1000;
}

/** Gateway renders Edm.Double in JSON as a string in scientific form with 16 fraction digits. */
export function formatDouble(n: number): string {
  const [mant, exp] = n.toExponential(16).split('e');
  const e = Number(exp);
  return `${mant}E${e < 0 ? '-' : '+'}${pad(Math.abs(e))}`;
}

/** Value → JSON text (already serialized), per the type's OData v2 verbose JSON form. */
export function encodeJson(p: PropertyModel, v: Value | undefined): string {
  if (v === undefined) return defaultJson(p);
  if (v === null) return 'null';
  switch (p.type) {
    case 'Edm.String':
    case 'Edm.Guid':
    case 'Edm.Binary':
      return JSON.stringify(String(v));
    case 'Edm.Boolean':
      return v ? 'true' : 'false';
    case 'Edm.Byte':
    case 'Edm.SByte':
    case 'Edm.Int16':
    case 'Edm.Int32':
      return String(Math.trunc(Number(v)));
    case 'Edm.Int64':
      return `"${Math.trunc(Number(v))}"`;
    case 'Edm.Decimal':
      return `"${Number(v).toFixed(p.scale)}"`;
    case 'Edm.Double':
    case 'Edm.Single':
      return `"${formatDouble(Number(v))}"`;
    case 'Edm.DateTime':
      return `"\\/Date(${v})\\/"`;
    case 'Edm.DateTimeOffset':
      return `"\\/Date(${v}+0000)\\/"`;
    case 'Edm.Time':
      return `"${formatTime(Number(v))}"`;
  }
}

const defaults = new WeakMap<PropertyModel, string>();

/** The initial value Gateway shows for a field nobody filled: "" , false, 0, "0.000", null. */
export function defaultJson(p: PropertyModel): string {
  let d = defaults.get(p);
  if (d !== undefined) return d;
  switch (p.type) {
    case 'Edm.String':
      d = '""';
      break;
    case 'Edm.Guid':
      d = '"00000000-0000-0000-0000-000000000000"';
      break;
    case 'Edm.Boolean':
      d = 'false';
      break;
    case 'Edm.Time':
      d = '"PT00H00M00S"';
      break;
    case 'Edm.DateTime':
    case 'Edm.DateTimeOffset':
    case 'Edm.Binary':
      d = 'null';
      break;
    default:
      d = encodeJson(p, 0);
  }
  defaults.set(p, d);
  return d;
}

/** The internal value a never-filled field compares as in $filter and $orderby. */
export function defaultValue(type: EdmType): Value {
  switch (type) {
    case 'Edm.String':
      return '';
    case 'Edm.Guid':
      return '00000000-0000-0000-0000-000000000000';
    case 'Edm.Boolean':
      return false;
    case 'Edm.DateTime':
    case 'Edm.DateTimeOffset':
    case 'Edm.Binary':
      return null;
    default:
      return 0;
  }
}

function isoUtc(ms: number, withMillis: boolean): string {
  const iso = new Date(ms).toISOString();
  return withMillis ? iso.slice(0, 23) : iso.slice(0, 19);
}

/** Key predicate / URI literal of a value, percent-encoded the way Gateway writes its URIs. */
export function uriLiteral(type: EdmType, v: Value): string {
  if (v === null) return 'null';
  switch (type) {
    case 'Edm.String':
      return `'${encodeURIComponent(String(v).replace(/'/g, "''"))}'`;
    case 'Edm.Guid':
      return `guid'${v}'`;
    case 'Edm.DateTime':
      return `datetime'${encodeURIComponent(isoUtc(Number(v), false))}'`;
    case 'Edm.DateTimeOffset':
      return `datetimeoffset'${encodeURIComponent(isoUtc(Number(v), false))}Z'`;
    case 'Edm.Time':
      return `time'${formatTime(Number(v))}'`;
    case 'Edm.Int64':
      return `${v}L`;
    case 'Edm.Decimal':
      return `${v}M`;
    case 'Edm.Boolean':
      return v ? 'true' : 'false';
    default:
      return String(v);
  }
}

/** A parsed URI literal: its value plus the literal's own kind, for type checks. */
export interface Literal {
  kind: 'string' | 'number' | 'boolean' | 'null' | 'datetime' | 'datetimeoffset' | 'guid' | 'time';
  value: Value;
}

const DATETIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?$/;
// A space stands for '+' when a client form-encoded an unescaped offset.
const DATETIMEOFFSET = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,7})?)?)(Z|[+\- ]\d{2}:\d{2})$/;

export function parseDateTime(s: string): number | undefined {
  const m = DATETIME.exec(s);
  if (!m) return undefined;
  const ms = m[7] ? Number(m[7].padEnd(3, '0').slice(0, 3)) : 0;
  const t = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +(m[6] ?? 0), ms);
  return Number.isNaN(t) ? undefined : t;
}

export function parseDateTimeOffset(s: string): number | undefined {
  const m = DATETIMEOFFSET.exec(s);
  if (!m) return undefined;
  const base = parseDateTime(m[1]);
  if (base === undefined) return undefined;
  if (m[2] === 'Z') return base;
  const sign = m[2][0] === '-' ? -1 : 1;
  const off = (Number(m[2].slice(1, 3)) * 60 + Number(m[2].slice(4, 6))) * 60000;
  return base - sign * off;
}

/** Parses one literal as written in a URI (already percent-decoded). Undefined = not a literal. */
export function parseLiteral(text: string): Literal | undefined {
  if (text === 'null') return { kind: 'null', value: null };
  if (text === 'true' || text === 'false') return { kind: 'boolean', value: text === 'true' };
  const q = /^(datetime|datetimeoffset|guid|time|)'((?:[^']|'')*)'$/i.exec(text);
  if (q) {
    const body = q[2].replace(/''/g, "'");
    const prefix = q[1].toLowerCase();
    if (prefix === '') return { kind: 'string', value: body };
    if (prefix === 'datetime') {
      const v = parseDateTime(body) ?? parseDateTimeOffset(body);
      return v === undefined ? undefined : { kind: 'datetime', value: v };
    }
    if (prefix === 'datetimeoffset') {
      const v = parseDateTimeOffset(body) ?? parseDateTime(body);
      return v === undefined ? undefined : { kind: 'datetimeoffset', value: v };
    }
    if (prefix === 'guid') {
      return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(body)
        ? { kind: 'guid', value: body.toLowerCase() }
        : undefined;
    }
    const t = parseTime(body);
    return t === undefined ? undefined : { kind: 'time', value: t };
  }
  const n = /^([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)([mMdDfFlL]?)$/.exec(text);
  if (n) return { kind: 'number', value: Number(n[1]) };
  return undefined;
}

/** Whether a literal of this kind may be compared with / assigned to a property of this type. */
export function literalFits(type: EdmType, kind: Literal['kind']): boolean {
  if (kind === 'null') return true;
  switch (type) {
    case 'Edm.String':
      return kind === 'string';
    case 'Edm.Boolean':
      return kind === 'boolean';
    case 'Edm.DateTime':
    case 'Edm.DateTimeOffset':
      return kind === 'datetime' || kind === 'datetimeoffset';
    case 'Edm.Guid':
      return kind === 'guid';
    case 'Edm.Time':
      return kind === 'time';
    case 'Edm.Binary':
      return false;
    default:
      return kind === 'number';
  }
}

/** Result of reading one property value from a request body. */
export type BodyValue = { ok: true; value: Value } | { ok: false; reason: string };

const JSON_DATE = /^\/Date\((-?\d+)(?:[+-]\d{4})?\)\/$/;

/** Accepts the JSON forms Gateway accepts on input (e.g. "/Date(ms)/" and ISO strings for dates). */
export function decodeBodyValue(p: PropertyModel, raw: unknown): BodyValue {
  const bad = (what: string): BodyValue => ({ ok: false, reason: `expected ${what}` });
  if (raw === null) return { ok: true, value: null };
  switch (p.type) {
    case 'Edm.String':
    case 'Edm.Guid':
    case 'Edm.Binary': {
      if (typeof raw !== 'string') return bad('a string');
      if (p.maxLength !== undefined && raw.length > p.maxLength) {
        return { ok: false, reason: `value is longer than ${p.maxLength} characters` };
      }
      return { ok: true, value: raw };
    }
    case 'Edm.Boolean':
      return typeof raw === 'boolean' ? { ok: true, value: raw } : bad('true or false');
    case 'Edm.DateTime':
    case 'Edm.DateTimeOffset': {
      if (typeof raw !== 'string') return bad('a date');
      const m = JSON_DATE.exec(raw);
      // The offset in "/Date(ms+hhmm)/" is informational: ms is already UTC.
      if (m) return { ok: true, value: Number(m[1]) };
      const v = parseDateTimeOffset(raw) ?? parseDateTime(raw);
      return v === undefined ? bad('a date like "/Date(1704067200000)/"') : { ok: true, value: v };
    }
    case 'Edm.Time': {
      const t = typeof raw === 'string' ? parseTime(raw) : undefined;
      return t === undefined ? bad('a time like "PT12H30M00S"') : { ok: true, value: t };
    }
    default: {
      const n =
        typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
      if (!Number.isFinite(n)) return bad('a number');
      if (p.type === 'Edm.Decimal' && p.precision !== undefined) {
        const intDigits = Math.trunc(Math.abs(n)).toString().length;
        if (intDigits > p.precision - p.scale) return { ok: false, reason: 'value is too large' };
      }
      return { ok: true, value: n };
    }
  }
}
