// Sync triggers, status and run history, as the API shows them.
import { ApiError } from '../core/errors.ts';
import { decodeCursor, encodeCursor } from '../core/pagination.ts';
import type { EntityName } from '../connectors/types.ts';
import type { AppContext } from '../context.ts';
import { runSummary } from './run.ts';

export async function triggerSync(
  ctx: AppContext,
  connectionId: string,
  body: { entities?: string[]; full_resync?: boolean },
) {
  const conn = (
    await ctx.db.query<{ status: string }>('SELECT status FROM connections WHERE id = $1', [connectionId])
  )[0];
  if (!conn) throw new ApiError('NOT_FOUND', 'No such connection');
  if (conn.status === 'disconnected')
    throw new ApiError('CONNECTION_DISCONNECTED', 'The connection is disconnected');
  if (conn.status === 'reauthorization_required') {
    throw new ApiError(
      'REAUTHORIZATION_REQUIRED',
      'The source rejected the credentials; reconnect before syncing',
    );
  }
  const states = await ctx.db.query<{ entity: string }>(
    'SELECT entity FROM sync_state WHERE connection_id = $1 ORDER BY entity',
    [connectionId],
  );
  const known = new Set(states.map((s) => s.entity));
  const wanted = body.entities ?? [...known];
  const unknown = wanted.filter((e) => !known.has(e));
  if (unknown.length) {
    throw new ApiError('VALIDATION_FAILED', `This connection does not sync ${unknown.join(', ')}`, {
      details: unknown.map((e) => ({ field: 'entities', message: `not synced by this system: ${e}` })),
    });
  }
  const out = [];
  for (const entity of wanted) {
    if (body.full_resync) {
      await ctx.db.query(
        'UPDATE sync_state SET full_resync_requested = true WHERE connection_id = $1 AND entity = $2',
        [connectionId, entity],
      );
    }
    const queued = await ctx.jobs!.enqueueSync({ connectionId, entity });
    out.push({
      entity,
      status: queued ? 'queued' : 'already_queued',
      full_resync: Boolean(body.full_resync),
    });
  }
  return { data: out };
}

/**
 * A full re-read of one entity that a configuration change needs (a mapping that reads source fields
 * the store does not hold). Nothing happens for entities the connection does not sync.
 */
export async function requestResync(
  ctx: AppContext,
  connectionId: string,
  entity: string,
): Promise<'queued' | 'already_queued' | null> {
  const rows = await ctx.db.query(
    'UPDATE sync_state SET full_resync_requested = true WHERE connection_id = $1 AND entity = $2 RETURNING entity',
    [connectionId, entity],
  );
  if (rows.length === 0) return null;
  return (await ctx.jobs!.enqueueSync({ connectionId, entity })) ? 'queued' : 'already_queued';
}

const iso = (d: unknown) => (d ? new Date(d as string).toISOString() : null);

export async function syncStatus(ctx: AppContext, connectionId: string) {
  const rows = await ctx.db.query<any>(
    `SELECT s.*, c.status AS connection_status, r.id AS run_id
       FROM sync_state s JOIN connections c ON c.id = s.connection_id
       LEFT JOIN LATERAL (SELECT * FROM sync_runs WHERE connection_id = s.connection_id AND entity = s.entity
                          ORDER BY started_at DESC LIMIT 1) r ON true
      WHERE s.connection_id = $1 ORDER BY s.entity`,
    [connectionId],
  );
  const runs = new Map(
    (
      await ctx.db.query<any>('SELECT * FROM sync_runs WHERE id = ANY($1::text[])', [
        rows.map((r) => r.run_id).filter(Boolean),
      ])
    ).map((r) => [r.id, r]),
  );
  return {
    data: rows.map((s) => ({
      entity: s.entity as EntityName,
      status:
        s.connection_status === 'disconnected'
          ? 'disabled'
          : s.connection_status === 'reauthorization_required'
            ? 'paused'
            : s.status,
      is_initial_sync: !s.initial_done,
      last_sync_started_at: iso(s.last_sync_started_at),
      last_sync_finished_at: iso(s.last_sync_finished_at),
      last_successful_sync_at: iso(s.last_successful_sync_at),
      next_scheduled_sync_at:
        s.connection_status === 'active' || s.connection_status === 'offline'
          ? iso(s.next_scheduled_at)
          : null,
      high_water_mark: iso(s.high_water),
      last_error: s.last_error,
      last_run: runSummary(runs.get(s.run_id)),
    })),
  };
}

export async function listSyncRuns(
  ctx: AppContext,
  connectionId: string,
  f: { entity?: string; status?: string; cursor?: string; page_size: number },
) {
  const after = decodeCursor(f.cursor, 2);
  const rows = await ctx.db.query<any>(
    `SELECT *, started_at::text AS started_key FROM sync_runs
      WHERE connection_id = $1 AND ($2::text IS NULL OR entity = $2) AND ($3::text IS NULL OR status = $3)
        AND ($4::timestamptz IS NULL OR (started_at, id) < ($4::timestamptz, $5::text))
      ORDER BY started_at DESC, id DESC LIMIT $6`,
    [
      connectionId,
      f.entity ?? null,
      f.status ?? null,
      after?.[0] ?? null,
      after?.[1] ?? null,
      f.page_size + 1,
    ],
  );
  const page = rows.slice(0, f.page_size);
  const last = page[page.length - 1];
  return {
    data: page.map(runSummary),
    next_cursor: rows.length > f.page_size ? encodeCursor([last.started_key, last.id]) : null,
  };
}
