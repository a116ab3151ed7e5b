// Connection status transitions; each one is an event in the same transaction.
import { recordEvents, type NewEvent } from '../events/index.ts';
import type { Queryable } from '../store/db.ts';
import type { ConnectionStatus } from './store.ts';

/** Sets the status unless it already is that (or the connection is disconnected). Returns whether it changed. */
export async function setConnectionStatus(
  q: Queryable,
  connectionId: string,
  to: Exclude<ConnectionStatus, 'disconnected'>,
  reason: string | null,
): Promise<boolean> {
  const rows = await q.query<{ environment_id: string; from: string }>(
    `UPDATE connections c SET status = $2, status_reason = $3, updated_at = now()
       FROM (SELECT id, status AS from_status FROM connections WHERE id = $1 FOR UPDATE) old
      WHERE c.id = old.id AND old.from_status <> $2 AND old.from_status <> 'disconnected'
      RETURNING c.environment_id, old.from_status AS from`,
    [connectionId, to, reason],
  );
  const row = rows[0];
  if (!row) return false;
  const events: NewEvent[] = [
    {
      environmentId: row.environment_id,
      connectionId,
      type: 'connection.status_changed',
      data: { connection_id: connectionId, from: row.from, to, reason },
    },
  ];
  if (to === 'reauthorization_required') {
    events.push({
      environmentId: row.environment_id,
      connectionId,
      type: 'connection.reauthorization_required',
      data: { connection_id: connectionId, reason },
    });
  }
  await recordEvents(q, events);
  return true;
}
