// One sync job: read the source page by page into the record store, checkpoint after every page,
// resume an interrupted run from its last checkpoint, report the outcome as events.
import { hostname } from 'node:os';
import { newId } from '../core/ids.ts';
import { isConnectorError } from '../connectors/errors.ts';
import type { EntityCapability, EntityName, SessionStats } from '../connectors/types.ts';
import { connectorOf } from '../connections/sessions.ts';
import { setConnectionStatus } from '../connections/status.ts';
import { CONNECTION_COLUMNS, type ConnectionRow } from '../connections/store.ts';
import type { AppContext } from '../context.ts';
import { recordEvents } from '../events/index.ts';
import { changeEvents } from '../records/change-events.ts';
import {
  flagUnseenDeleted,
  isUniqueViolation,
  upsertPage,
  type PreparedPage,
  type RecordChange,
} from '../records/store.ts';
import type { Queryable } from '../store/db.ts';
import { effectiveMapping } from '../unified/mapping.ts';
import { fieldsToFetch } from '../unified/remote-fields.ts';
import { CUSTOM_PREFIX, customCapability, findObject, isCustom } from '../custom-objects/index.ts';
import { planSync, type SyncPlan, type SyncStateRow } from './plan.ts';
import { openPageReader, type PageReader } from './page-reader.ts';
import { intervalMinutes } from './schedule.ts';

export interface SyncJob {
  connectionId: string;
  entity: string;
  fullResync?: boolean;
}

export interface SyncOutcome {
  status: 'completed' | 'failed' | 'skipped';
  runId?: string;
  reason?: string;
}

/** Which process ran a run (host:pid), shown in run history. */
export const WORKER_ID = `${hostname()}:${process.pid}`;

/** Thrown for a transient failure (source unreachable or throttling) while the job has retries left:
 * the queue runs the job again later and it resumes the same run from its checkpoint. */
export class RetryableSyncError extends Error {}

export async function runSync(
  ctx: AppContext,
  job: SyncJob,
  opts: { signal?: AbortSignal; retriesLeft?: number } = {},
): Promise<SyncOutcome> {
  const conn = (
    await ctx.db.query<ConnectionRow>(
      `SELECT ${CONNECTION_COLUMNS} FROM connections c JOIN environments e ON e.id = c.environment_id WHERE c.id = $1`,
      [job.connectionId],
    )
  )[0];
  if (!conn) return { status: 'skipped', reason: 'no such connection' };
  if (conn.status === 'disconnected' || conn.status === 'reauthorization_required') {
    return { status: 'skipped', reason: `connection is ${conn.status}` };
  }
  const connector = connectorOf(ctx, conn);
  const custom = isCustom(job.entity)
    ? findObject(conn.settings, job.entity.slice(CUSTOM_PREFIX.length))
    : null;
  const cap = isCustom(job.entity)
    ? custom && customCapability(custom)
    : (connector.descriptor.capabilities[job.entity as EntityName] as EntityCapability | undefined);
  if (!cap?.read) return { status: 'skipped', reason: `${conn.system} does not read ${job.entity}` };
  const state = (
    await ctx.db.query<SyncStateRow>('SELECT * FROM sync_state WHERE connection_id = $1 AND entity = $2', [
      conn.id,
      job.entity,
    ])
  )[0];
  if (!state) return { status: 'skipped', reason: 'no sync state' };

  const now = new Date();
  let runId: string;
  let plan: SyncPlan;
  let resume: string | null = null;
  // An unfinished run (crash, retry, earlier failure) is continued from its checkpoint with its own plan.
  const resumable = Boolean(state.current_run_id) && !job.fullResync;
  if (resumable) {
    const run = (await ctx.db.query<any>('SELECT * FROM sync_runs WHERE id = $1', [state.current_run_id]))[0];
    runId = state.current_run_id!;
    resume = state.resume;
    plan = {
      mode: run.mode,
      since: run.since,
      windowStart: run.window_start,
      reconcile:
        run.mode !== 'incremental' &&
        (run.mode !== 'initial' || state.initial_done) &&
        cap.delete_detection !== 'none',
    };
    await ctx.db.query(
      `UPDATE sync_runs SET status = 'running', attempts = attempts + 1, resumed_from_page = pages, error = NULL, worker = $2
        WHERE id = $1`,
      [runId, WORKER_ID],
    );
  } else {
    plan = planSync(cap, state, {
      fullResync: Boolean(job.fullResync),
      initialSyncDays: Number(conn.settings?.initial_sync_days ?? 90),
      reconcileEveryMs: Number(conn.settings?.reconcile_interval_hours ?? 24) * 3_600_000,
      now,
    });
    runId = newId('run');
    await ctx.db.query(
      `INSERT INTO sync_runs (id, connection_id, entity, mode, status, since, window_start, worker)
       VALUES ($1,$2,$3,$4,'running',$5,$6,$7)`,
      [runId, conn.id, job.entity, plan.mode, plan.since, plan.windowStart, WORKER_ID],
    );
  }
  await ctx.db.query(
    `UPDATE sync_state SET status = 'in_progress', current_run_id = $3, resume = $4, last_sync_started_at = now(),
       window_start = CASE WHEN $5 = 'initial' THEN $6::timestamptz ELSE window_start END
     WHERE connection_id = $1 AND entity = $2`,
    [conn.id, job.entity, runId, resume, plan.mode, plan.windowStart],
  );

  // Requests and retries of the read already added to the run's counters.
  const counted: SessionStats = { requests: 0, retries: 0 };
  let reader: PageReader | null = null;
  const emitRecordEvents = plan.mode !== 'initial' || state.initial_done;
  try {
    const mapping = await effectiveMapping(ctx.db, connector, conn.id, job.entity);
    reader = await openPageReader(
      ctx,
      conn,
      connector,
      {
        entity: job.entity,
        request: {
          since: plan.since,
          windowStart: plan.windowStart,
          resume,
          fields: fieldsToFetch(connector, conn.settings, job.entity, mapping.mapping),
        },
        mapping,
        mapAll: plan.mode === 'initial',
        copyFor: { runId },
      },
      opts.signal,
    );
    // A page is written while the next one is fetched and prepared (serialised, hashed, mapped):
    // the database and this process work at the same time. Pages still commit one after another,
    // each with its checkpoint, so a crash resumes after the last committed page.
    const writeOnce = (
      prepared: PreparedPage,
      resumeToken: string | null,
      stats: SessionStats,
      assumeNew: boolean,
    ) =>
      ctx.db.tx(
        async (q) => {
          const res = await upsertPage(q, {
            connectionId: conn.id,
            entity: job.entity,
            runId,
            prepared,
            mapping,
            assumeNew,
            changes: emitRecordEvents,
          });
          if (emitRecordEvents) await recordEvents(q, changeEvents(conn, job.entity, res.changes));
          // Counters and checkpoint in one statement: every round trip of a page write counts.
          await q.query(
            `WITH run AS (
               UPDATE sync_runs SET pages = pages + 1, records_added = records_added + $2,
                 records_updated = records_updated + $3, records_deleted = records_deleted + $4,
                 records_unchanged = records_unchanged + $5, requests = requests + $6, retries = retries + $7,
                 high_water = GREATEST(high_water, $8::timestamptz)
               WHERE id = $1 RETURNING id)
             UPDATE sync_state SET resume = $11 WHERE connection_id = $9 AND entity = $10`,
            [
              runId,
              res.added,
              res.updated,
              res.deleted,
              res.unchanged,
              stats.requests - counted.requests,
              stats.retries - counted.retries,
              res.maxRemoteUpdatedAt,
              conn.id,
              job.entity,
              resumeToken,
            ],
          );
          counted.requests = stats.requests;
          counted.retries = stats.retries;
        },
        // Initial pages emit no events: an unflushed commit lost in a database crash only undoes
        // that page together with its checkpoint, and the resumed run reads it again.
        { asyncCommit: !emitRecordEvents },
      );
    // Initial pages are bulk-loaded without looking up what is stored; a page that meets stored
    // records after all (a resumed run re-reading its last page) is written again the careful way.
    const writePage = async (prepared: PreparedPage, resumeToken: string | null, stats: SessionStats) => {
      const assumeNew = plan.mode === 'initial';
      try {
        await writeOnce(prepared, resumeToken, stats, assumeNew);
      } catch (e) {
        if (!assumeNew || !isUniqueViolation(e)) throw e;
        await writeOnce(prepared, resumeToken, stats, false);
      }
    };
    let writing: Promise<void> | null = null;
    try {
      for await (const page of reader) {
        if (writing) await writing;
        writing = writePage(page.prepared, page.resume, page.stats);
        writing.catch(() => {}); // awaited before the next page or after the loop
        if (page.resume === null) break;
      }
      if (writing) await writing;
    } catch (e) {
      // A failed read must not race the page still being written: let it settle first.
      await writing?.catch(() => {});
      throw e;
    }
    const completed = await ctx.db.tx(async (q) => {
      let deleted: RecordChange[] = [];
      if (plan.reconcile) {
        deleted = await flagUnseenDeleted(q, {
          connectionId: conn.id,
          entity: job.entity,
          runId,
          windowStart: plan.windowStart,
        });
        if (emitRecordEvents) await recordEvents(q, changeEvents(conn, job.entity, deleted));
      }
      const run = (
        await q.query<any>(
          `UPDATE sync_runs SET status = 'completed', finished_at = now(), records_deleted = records_deleted + $2
            WHERE id = $1 RETURNING *`,
          [runId, deleted.length],
        )
      )[0];
      await q.query(
        `UPDATE sync_state SET status = 'completed', initial_done = true, current_run_id = NULL, resume = NULL,
           high_water = CASE WHEN $3 = 'incremental' OR $3 = 'initial' THEN GREATEST(high_water, $4::timestamptz) ELSE high_water END,
           last_sync_finished_at = now(), last_successful_sync_at = now(), last_error = NULL,
           last_reconciled_at = CASE WHEN $5 OR $3 = 'initial' THEN now() ELSE last_reconciled_at END,
           next_scheduled_at = now() + make_interval(mins => $6)
         WHERE connection_id = $1 AND entity = $2`,
        [
          conn.id,
          job.entity,
          plan.mode,
          run.high_water,
          plan.reconcile,
          intervalMinutes(conn.settings, job.entity),
        ],
      );
      await recordEvents(q, [
        {
          environmentId: conn.environment_id,
          connectionId: conn.id,
          type: 'sync.completed',
          data: { connection_id: conn.id, entity: job.entity, run: runSummary(run) },
        },
      ]);
      return run;
    });
    if (completed.records_added >= ANALYZE_AFTER_ADDED) await analyzeRecords(ctx);
    if (conn.status === 'offline') await setConnectionStatus(ctx.db, conn.id, 'active', 'sync succeeded');
    return { status: 'completed', runId };
  } catch (e) {
    const transient = isConnectorError(e) && (e.kind === 'unavailable' || e.kind === 'rate_limited');
    if (transient && (opts.retriesLeft ?? 0) > 0) {
      const message = (e as Error).message.slice(0, 1000);
      const now = reader?.stats() ?? counted;
      await ctx.db.query(
        'UPDATE sync_runs SET error = $2, requests = requests + $3, retries = retries + $4 WHERE id = $1',
        [runId, `retrying: ${message}`, now.requests - counted.requests, now.retries - counted.retries],
      );
      await ctx.db.query('UPDATE sync_state SET last_error = $3 WHERE connection_id = $1 AND entity = $2', [
        conn.id,
        job.entity,
        `retrying: ${message}`,
      ]);
      throw new RetryableSyncError(message);
    }
    const now = reader?.stats() ?? counted;
    await ctx.db.query(
      'UPDATE sync_runs SET requests = requests + $2, retries = retries + $3 WHERE id = $1',
      [runId, now.requests - counted.requests, now.retries - counted.retries],
    );
    await failRun(ctx, conn, job.entity, runId, e);
    return { status: 'failed', runId, reason: e instanceof Error ? e.message : String(e) };
  }
}

/** Rows a run adds before the planner's statistics of the records table are refreshed. */
const ANALYZE_AFTER_ADDED = 10_000;

/**
 * After a bulk load the planner still believes the table small (autovacuum analyzes it only later)
 * and may scan it whole for the next sync's lookups: a 400,000-order incremental sync took seconds.
 */
async function analyzeRecords(ctx: AppContext) {
  try {
    await ctx.db.query('ANALYZE records');
  } catch (e) {
    ctx.log.warn({ error: (e as Error).message }, 'ANALYZE records failed');
  }
}

async function failRun(ctx: AppContext, conn: ConnectionRow, entity: string, runId: string, e: unknown) {
  const message = (e instanceof Error ? e.message : String(e)).slice(0, 1000);
  const authRejected = isConnectorError(e) && e.kind === 'auth_rejected';
  const unreachable = isConnectorError(e) && (e.kind === 'unavailable' || e.kind === 'rate_limited');
  if (!isConnectorError(e))
    ctx.log.error({ connection_id: conn.id, entity, error: message }, 'sync failed unexpectedly');
  await ctx.db.tx(async (q: Queryable) => {
    const run = (
      await q.query<any>(
        `UPDATE sync_runs SET status = 'failed', finished_at = now(), error = $2 WHERE id = $1 RETURNING *`,
        [runId, message],
      )
    )[0];
    // The checkpoint stays: the next attempt resumes this run from its last page.
    await q.query(
      `UPDATE sync_state SET status = $3, last_error = $4, last_sync_finished_at = now(),
         next_scheduled_at = now() + make_interval(mins => $5)
       WHERE connection_id = $1 AND entity = $2`,
      [conn.id, entity, authRejected ? 'paused' : 'failed', message, authRejected ? 60 : 1],
    );
    await recordEvents(q, [
      {
        environmentId: conn.environment_id,
        connectionId: conn.id,
        type: 'sync.failed',
        data: { connection_id: conn.id, entity, error: message, run: runSummary(run) },
      },
    ]);
    if (authRejected)
      await setConnectionStatus(
        q,
        conn.id,
        'reauthorization_required',
        `credentials rejected during sync: ${message}`,
      );
    else if (unreachable)
      await setConnectionStatus(q, conn.id, 'offline', `source unreachable during sync: ${message}`);
  });
}

export function runSummary(run: any) {
  if (!run) return null;
  const iso = (d: unknown) => (d ? new Date(d as string).toISOString() : null);
  return {
    id: run.id,
    entity: run.entity,
    mode: run.mode,
    status: run.status,
    started_at: iso(run.started_at),
    finished_at: iso(run.finished_at),
    pages: run.pages,
    records_added: run.records_added,
    records_updated: run.records_updated,
    records_deleted: run.records_deleted,
    records_unchanged: run.records_unchanged,
    requests: run.requests,
    retries: run.retries,
    attempts: run.attempts,
    worker: run.worker ?? null,
    error: run.error,
  };
}
