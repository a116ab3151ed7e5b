// Shapes Tryton's read results into SourceRecord data. Tryton answers a dotted field (`party.name`)
// under the key `"party."`; mapping paths cannot contain that dot, so the nested record replaces the
// plain id under `party` (it always carries `id`, so nothing is lost): `party.name` then reads the
// same in a mapping as in Tryton's own field notation.
import { decodeDateTime } from '../../protocols/jsonrpc/index.ts';

export type Row = Record<string, unknown> & { id: number };

export function nestDotted(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(nestDotted);
  if (typeof value !== 'object' || value === null || '__class__' in value) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (k.endsWith('.')) continue;
    out[k] = nestDotted(v);
  }
  for (const [k, v] of Object.entries(value)) {
    if (k.endsWith('.')) out[k.slice(0, -1)] = nestDotted(v);
  }
  return out;
}

/** Values at a dotted path, flattening lists: `lines.moves.write_date` → every move's write_date. */
export function valuesAt(record: unknown, path: string): unknown[] {
  let current: unknown[] = [record];
  for (const step of path.split('.')) {
    const next: unknown[] = [];
    for (const c of current) {
      if (Array.isArray(c)) {
        for (const x of c) if (x && typeof x === 'object') next.push((x as Record<string, unknown>)[step]);
      } else if (c && typeof c === 'object') next.push((c as Record<string, unknown>)[step]);
    }
    current = next.flatMap((x) => (Array.isArray(x) ? x : [x]));
  }
  return current.filter((x) => x != null);
}

/** The latest of the timestamps found at `paths`, as ISO 8601; null when none is set. */
export function latestTimestamp(record: unknown, paths: string[]): string | null {
  let best: string | null = null;
  for (const p of paths) {
    for (const v of valuesAt(record, p)) {
      const iso = decodeDateTime(v);
      if (iso && (best === null || iso > best)) best = iso;
    }
  }
  return best;
}
