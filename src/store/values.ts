// Multi-row statements with one parameter per value. Arrays of large text passed as one array
// parameter are parsed slowly by PostgreSQL (10× slower for JSON documents of a few KB), so bulk
// writes build `VALUES ($1,$2::jsonb,...), (...)` in chunks instead. That still costs the server
// planning work per parameter (each becomes a Const in the plan): plain bulk inserts of many large rows
// are cheaper with COPY (`Queryable.copyRows`, copy.ts), as new records are written; this stays for
// statements that need ON CONFLICT, expressions or RETURNING.
import type { Queryable } from './db.ts';

const MAX_PARAMS = 30_000;

/**
 * Runs `head VALUES (...), (...) tail` for the rows, in chunks. `casts` has one entry per column
 * (e.g. '', '::jsonb', '::timestamptz'); `fixed` are leading parameters shared by every chunk.
 */
export async function insertValues<T = unknown>(
  q: Queryable,
  opts: { head: string; tail?: string; casts: string[]; rows: unknown[][]; fixed?: unknown[] },
): Promise<T[]> {
  const fixed = opts.fixed ?? [];
  const width = opts.casts.length;
  const perChunk = Math.max(1, Math.floor((MAX_PARAMS - fixed.length) / width));
  const out: T[] = [];
  for (let start = 0; start < opts.rows.length; start += perChunk) {
    const chunk = opts.rows.slice(start, start + perChunk);
    const params: unknown[] = [...fixed];
    const tuples: string[] = [];
    for (const row of chunk) {
      const cells: string[] = [];
      for (let c = 0; c < width; c++) {
        params.push(row[c]);
        cells.push(`$${params.length}${opts.casts[c]}`);
      }
      tuples.push(`(${cells.join(',')})`);
    }
    out.push(...(await q.query<T>(`${opts.head} VALUES ${tuples.join(',')} ${opts.tail ?? ''}`, params)));
  }
  return out;
}
