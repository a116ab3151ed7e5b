// Periodic health check of every live connection: unreachable → offline, back → active,
// credentials rejected → reauthorization_required (syncs stop). Each transition is an event.
import { isConnectorError } from '../connectors/errors.ts';
import { sessionFor } from '../connections/sessions.ts';
import { setConnectionStatus } from '../connections/status.ts';
import { CONNECTION_COLUMNS, type ConnectionRow } from '../connections/store.ts';
import type { AppContext } from '../context.ts';

export async function checkConnection(ctx: AppContext, conn: ConnectionRow): Promise<string> {
  try {
    await sessionFor(ctx, conn).check();
    await setConnectionStatus(ctx.db, conn.id, 'active', 'health check passed');
    return 'active';
  } catch (e) {
    if (isConnectorError(e) && e.kind === 'auth_rejected') {
      await setConnectionStatus(
        ctx.db,
        conn.id,
        'reauthorization_required',
        `credentials rejected: ${e.message}`,
      );
      return 'reauthorization_required';
    }
    const reason = e instanceof Error ? e.message : String(e);
    await setConnectionStatus(ctx.db, conn.id, 'offline', `health check failed: ${reason}`.slice(0, 500));
    return 'offline';
  }
}

/** Checks connections whose check is due; several workers share them (SKIP LOCKED). */
export async function checkDueConnections(ctx: AppContext, intervalSeconds: number): Promise<number> {
  const due = await ctx.db.query<ConnectionRow>(
    `WITH d AS (
       SELECT id FROM connections WHERE next_health_check_at <= now() AND status IN ('active', 'offline')
        ORDER BY next_health_check_at LIMIT 50 FOR UPDATE SKIP LOCKED)
     UPDATE connections c SET next_health_check_at = now() + make_interval(secs => $1), last_health_check_at = now()
       FROM d WHERE c.id = d.id RETURNING c.id`,
    [intervalSeconds],
  );
  for (const { id } of due) {
    const row = (
      await ctx.db.query<ConnectionRow>(
        `SELECT ${CONNECTION_COLUMNS} FROM connections c JOIN environments e ON e.id = c.environment_id WHERE c.id = $1`,
        [id],
      )
    )[0];
    if (row) await checkConnection(ctx, row);
  }
  return due.length;
}

export function startHealthChecks(ctx: AppContext, intervalSeconds: number): () => Promise<void> {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const tick = async () => {
    try {
      await checkDueConnections(ctx, intervalSeconds);
    } catch (e) {
      ctx.log.warn({ error: String(e) }, 'health check tick failed');
    }
    if (!stopped) timer = setTimeout(tick, Math.min(5000, intervalSeconds * 500));
  };
  void tick();
  return async () => {
    stopped = true;
    clearTimeout(timer);
  };
}
