// The durable event log. Writers pass the transaction that makes the change, so an event exists
// exactly when its change does. Webhook delivery reads from here.
import { newId } from '../core/ids.ts';
import { decodeCursor, encodeCursor } from '../core/pagination.ts';
import type { Queryable } from '../store/db.ts';
import { insertValues } from '../store/values.ts';

export interface NewEvent {
  environmentId: string;
  connectionId: string | null;
  type: string;
  data: Record<string, unknown>;
}

export async function recordEvents(q: Queryable, events: NewEvent[]): Promise<void> {
  if (events.length === 0) return;
  await insertValues(q, {
    head: 'INSERT INTO events (id, environment_id, connection_id, type, data)',
    casts: ['::text', '::text', '::text', '::text', '::jsonb'],
    rows: events.map((e) => [newId('evt'), e.environmentId, e.connectionId, e.type, JSON.stringify(e.data)]),
  });
}

export const recordEvent = (q: Queryable, e: NewEvent) => recordEvents(q, [e]);

export async function listEvents(
  q: Queryable,
  environmentId: string,
  f: { type?: string; connection_id?: string; cursor?: string; page_size: number },
) {
  const after = decodeCursor(f.cursor, 1);
  // A trailing ".*" selects a family: type=sync.* or type=work_order.*
  const family = f.type?.endsWith('.*') ? f.type.slice(0, -1) : null;
  const rows = await q.query<{
    seq: number;
    id: string;
    connection_id: string | null;
    type: string;
    data: unknown;
    created_at: Date;
  }>(
    `SELECT seq, id, connection_id, type, data, created_at FROM events
      WHERE environment_id = $1
        AND ($2::text IS NULL OR type = $2) AND ($3::text IS NULL OR type LIKE $3 || '%')
        AND ($4::text IS NULL OR connection_id = $4)
        AND ($5::bigint IS NULL OR seq > $5)
      ORDER BY seq LIMIT $6`,
    [
      environmentId,
      family ? null : (f.type ?? null),
      family,
      f.connection_id ?? null,
      after ? Number(after[0]) : null,
      f.page_size + 1,
    ],
  );
  const page = rows.slice(0, f.page_size);
  return {
    data: page.map((r) => ({
      id: r.id,
      type: r.type,
      connection_id: r.connection_id,
      created_at: new Date(r.created_at).toISOString(),
      data: r.data,
    })),
    next_cursor: rows.length > f.page_size ? encodeCursor([page[page.length - 1].seq]) : null,
  };
}
