// Date inputs of the source systems we map: OData v2 `/Date(ms)/` (SAP Gateway), ISO 8601 text,
// SAP DATS/TIMS text (`20240101`, `123000`), JS Dates, epoch milliseconds and Tryton's typed JSON
// values. Everything is normalised to epoch milliseconds in UTC.

import { formatDate, formatDateTime } from '../core/iso-time.ts';

const MS_PER_DAY = 86_400_000;
// ECMAScript's representable range; toISOString throws outside it.
const MAX_MS = 8.64e15;

// OData v2: the milliseconds are the UTC instant; the optional offset (minutes) only says which zone
// the source displayed it in (SAP Gateway, WCF and Json.NET all serialise it that way).
const ODATA_RE = /^\\?\/Date\((-?\d+)(?:[+-]\d{1,4})?\)\\?\/$/;
const ISO_DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const ISO_DATETIME_RE =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*([Zz]|[+-]\d{2}(?::?\d{2})?)?$/;
const DATS_RE = /^(\d{4})(\d{2})(\d{2})$/;
const DURATION_RE = /^-?PT(?=\d)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)(?:\.(\d{1,9}))?S)?$/i;
const CLOCK_RE = /^(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?$/;
const TIMS_RE = /^(\d{2})(\d{2})(\d{2})$/;

/** Date.UTC that also works for years 0–99 (which Date.UTC maps to 1900–1999) and rejects overflow (Feb 30). */
function utc(y: number, mo: number, d: number, h = 0, mi = 0, s = 0, ms = 0): number | null {
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return null;
  const date = new Date(Date.UTC(2000, mo - 1, d, h, mi, s, ms));
  date.setUTCFullYear(y, mo - 1, d);
  if (date.getUTCDate() !== d || date.getUTCMonth() !== mo - 1) return null;
  const t = date.getTime();
  return Number.isFinite(t) ? t : null;
}

function fractionMs(frac: string | undefined): number {
  if (frac === undefined) return 0;
  return Number((frac + '00').slice(0, 3));
}

function num(v: unknown): number {
  return typeof v === 'number' ? v : Number(v ?? 0);
}

/** Tryton's JSON-RPC typed values: {"__class__": "date" | "datetime", year, month, day, ...}. */
export function trytonClass(v: unknown): string | null {
  if (v === null || typeof v !== 'object') return null;
  const c = (v as { __class__?: unknown }).__class__;
  return typeof c === 'string' ? c : null;
}

function trytonMs(v: Record<string, unknown>, cls: string): number | null {
  const y = num(v.year);
  const mo = num(v.month);
  const d = num(v.day);
  if (!Number.isInteger(y) || !Number.isInteger(mo) || !Number.isInteger(d)) return null;
  if (cls === 'date') return utc(y, mo, d);
  // Tryton datetimes are naive; the server stores UTC, so they are read as UTC.
  return utc(y, mo, d, num(v.hour), num(v.minute), num(v.second), Math.floor(num(v.microsecond) / 1000));
}

function parseText(s: string): number | null {
  if (s.length === 0) return null;
  const c = s.charCodeAt(0);
  if (c === 47 /* / */ || c === 92 /* \ */) return parseODataDate(s);
  let m = ISO_DATE_RE.exec(s);
  if (m !== null) return utc(Number(m[1]), Number(m[2]), Number(m[3]));
  m = ISO_DATETIME_RE.exec(s);
  if (m !== null) {
    const base = utc(
      Number(m[1]),
      Number(m[2]),
      Number(m[3]),
      Number(m[4]),
      Number(m[5]),
      Number(m[6] ?? 0),
      fractionMs(m[7]),
    );
    if (base === null) return null;
    const zone = m[8];
    // No zone designator: the instant is read as UTC, never as this server's local time.
    if (zone === undefined || zone === 'Z' || zone === 'z') return base;
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const offsetMin = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || 0);
    return base - sign * offsetMin * 60_000;
  }
  m = DATS_RE.exec(s);
  // SAP's initial date 00000000 fails the month check and gives null, as it should.
  if (m !== null) return utc(Number(m[1]), Number(m[2]), Number(m[3]));
  return null;
}

/** `/Date(1704067200000)/`, `/Date(1704067200000+0000)/`: scanned by hand, this is SAP's hot path. */
function parseODataDate(s: string): number | null {
  if (s.startsWith('/Date(') && s.endsWith(')/')) {
    let i = 6;
    const end = s.length - 2;
    const neg = s.charCodeAt(i) === 45;
    if (neg) i++;
    let ms = 0;
    const digitsStart = i;
    while (i < end) {
      const d = s.charCodeAt(i) - 48;
      if (d < 0 || d > 9) break;
      ms = ms * 10 + d;
      i++;
    }
    if (i === digitsStart || i - digitsStart > 16) return null;
    if (i < end) {
      // Optional zone offset in minutes; informational only (see ODATA_RE).
      const sign = s.charCodeAt(i);
      if ((sign !== 43 && sign !== 45) || end - i - 1 < 1 || end - i - 1 > 4) return null;
      for (let j = i + 1; j < end; j++) {
        const d = s.charCodeAt(j) - 48;
        if (d < 0 || d > 9) return null;
      }
    }
    return checkRange(neg ? -ms : ms);
  }
  const m = ODATA_RE.exec(s);
  return m === null ? null : checkRange(Number(m[1]));
}

function checkRange(ms: number): number | null {
  return Number.isFinite(ms) && Math.abs(ms) <= MAX_MS ? ms : null;
}

/** Epoch milliseconds (UTC) of any supported date/datetime input; null when absent or not a date. */
export function toEpochMs(v: unknown): number | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return parseText(v.trim());
  if (typeof v === 'number') return checkRange(v);
  if (v instanceof Date) return checkRange(v.getTime());
  const cls = trytonClass(v);
  if (cls === 'date' || cls === 'datetime') return trytonMs(v as Record<string, unknown>, cls);
  return null;
}

// Records of one sync share few distinct calendar dates, so date() of text inputs is memoised; the maps are simply emptied when full, which bounds memory without LRU bookkeeping.
const MEMO_SIZE = 4096;
const dateMemo = new Map<string, string | null>();

function remember(memo: Map<string, string | null>, key: string, value: string | null): string | null {
  if (memo.size >= MEMO_SIZE) memo.clear();
  memo.set(key, value);
  return value;
}

export function toDateText(v: unknown): string | null {
  if (typeof v !== 'string') {
    const ms = toEpochMs(v);
    return ms === null ? null : formatDate(ms);
  }
  const hit = dateMemo.get(v);
  if (hit !== undefined) return hit;
  // ISO dates are the common non-SAP case and are already in the output form.
  if (v.length === 10 && ISO_DATE_RE.test(v)) {
    const ok = utc(Number(v.slice(0, 4)), Number(v.slice(5, 7)), Number(v.slice(8, 10))) !== null;
    return remember(dateMemo, v, ok ? v : null);
  }
  const ms = toEpochMs(v);
  return remember(dateMemo, v, ms === null ? null : formatDate(ms));
}

// Not memoised: change timestamps are nearly unique per record and a memo would only churn.
export function toDateTimeText(v: unknown): string | null {
  const ms = toEpochMs(v);
  return ms === null ? null : formatDateTime(ms);
}

/**
 * Milliseconds since midnight of a time of day: OData v2 Edm.Time `PT12H30M00S`, `12:30[:00[.000]]`,
 * SAP TIMS `123000`, Tryton {"__class__":"time"} / {"__class__":"timedelta","seconds":..}.
 */
export function toTimeOfDayMs(v: unknown): number | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') {
    const s = v.trim();
    let m = DURATION_RE.exec(s);
    if (m !== null) {
      const ms =
        Number(m[1] ?? 0) * 3_600_000 +
        Number(m[2] ?? 0) * 60_000 +
        Number(m[3] ?? 0) * 1000 +
        fractionMs(m[4]);
      return s[0] === '-' ? -ms : ms;
    }
    m = CLOCK_RE.exec(s) ?? TIMS_RE.exec(s);
    if (m !== null) {
      const h = Number(m[1]);
      const mi = Number(m[2]);
      const sec = Number(m[3] ?? 0);
      if (h > 24 || mi > 59 || sec > 59) return null;
      return h * 3_600_000 + mi * 60_000 + sec * 1000 + fractionMs(m[4]);
    }
    return null;
  }
  const cls = trytonClass(v);
  const o = v as Record<string, unknown>;
  if (cls === 'time') {
    const ms = num(o.hour) * 3_600_000 + num(o.minute) * 60_000 + num(o.second) * 1000;
    return Number.isFinite(ms) ? ms + Math.floor(num(o.microsecond) / 1000) : null;
  }
  if (cls === 'timedelta') {
    const ms = num(o.seconds) * 1000;
    return Number.isFinite(ms) ? Math.round(ms) : null;
  }
  return null;
}

/** `datetime_of(date, time)`: the date's UTC day plus the time of day. A missing time means midnight. */
export function combineDateTime(date: unknown, time: unknown): string | null {
  const d = toEpochMs(date);
  if (d === null) return null;
  const day = Math.floor(d / MS_PER_DAY) * MS_PER_DAY;
  if (time === null || time === undefined || time === '') return formatDateTime(day);
  const t = toTimeOfDayMs(time);
  if (t === null) return null;
  const ms = checkRange(day + t);
  return ms === null ? null : formatDateTime(ms);
}
