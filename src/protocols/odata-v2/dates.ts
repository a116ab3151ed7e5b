// OData v2 JSON ("verbose") date and time forms.
//   Edm.DateTime / Edm.DateTimeOffset: "/Date(1704067200000)/", "/Date(1704067200000+0000)/"
//   Edm.Time: ISO 8601 duration "PT12H30M00S"
import { formatDateTime } from '../../core/iso-time.ts';

const DATE_RE = /^\/Date\((-?\d+)([+-]\d{1,4})?\)\/$/;

/**
 * The instant of a `/Date(ms±offset)/` value. The milliseconds are UTC already; the offset only
 * says in which zone the value was entered, so it does not move the instant.
 */
export function parseODataDate(value: unknown): Date | null {
  if (value == null || value === '') return null;
  if (value instanceof Date) return value;
  if (typeof value !== 'string') return null;
  const m = DATE_RE.exec(value.trim());
  if (m) return new Date(Number(m[1]));
  // Some servers (and $format=json of newer stacks) send ISO text instead.
  if (/^\d{4}-\d{2}-\d{2}/.test(value)) {
    const hasZone = /(Z|[+-]\d{2}:?\d{2})$/.test(value);
    const d = new Date(hasZone || value.length === 10 ? value : `${value}Z`);
    return Number.isNaN(d.getTime()) ? null : d;
  }
  return null;
}

/** ISO 8601 text of an OData date, or null. */
export function odataDateToIso(value: unknown): string | null {
  const ms = parseODataDate(value)?.getTime();
  return ms === undefined || Number.isNaN(ms) ? null : formatDateTime(ms);
}

/** `/Date(ms)/` for an Edm.DateTime in a request body. */
export function toODataDateTime(d: Date | string): string {
  return `/Date(${new Date(d).getTime()})/`;
}

/** `/Date(ms+0000)/` for an Edm.DateTimeOffset in a request body. */
export function toODataDateTimeOffset(d: Date | string): string {
  return `/Date(${new Date(d).getTime()}+0000)/`;
}

const DURATION_RE =
  /^P(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/** Milliseconds of an Edm.Time / xs:duration value such as `PT12H30M00S`; null when unreadable. */
export function parseDuration(value: unknown): number | null {
  if (typeof value !== 'string' || value === '' || value === 'P' || value === 'PT') return null;
  const m = DURATION_RE.exec(value.trim());
  if (!m) return null;
  const [d, h, min, s] = m.slice(1).map((x) => (x ? Number(x) : 0));
  return Math.round((((d * 24 + h) * 60 + min) * 60 + s) * 1000);
}

/** `PT12H30M00S` for a time of day or duration in milliseconds (two-digit fields, as servers commonly write them). */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const two = (n: number) => String(n).padStart(2, '0');
  return `PT${two(h)}H${two(m)}M${two(s)}S`;
}

/** An instant from an Edm.DateTime date plus an Edm.Time time of day (split date and time fields). */
export function combineDateAndTime(date: unknown, time: unknown): Date | null {
  const d = parseODataDate(date);
  if (!d) return null;
  const t = parseDuration(time) ?? 0;
  const midnight = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  return new Date(midnight + t);
}
