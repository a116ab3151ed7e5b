// The worker side of syncing: process sync jobs, and queue the ones whose schedule is due.
import type { AppContext } from '../context.ts';
import { SYNC_QUEUE, type SyncJobData } from '../jobs/queue.ts';
import { runSync } from './run.ts';

export interface SyncWorkerOptions {
  /** Jobs this process runs at once. */
  concurrency: number;
  /** Jobs of one connection running at once, across all workers. */
  perConnection: number;
  schedulerIntervalMs: number;
}

export async function startSyncWorker(
  ctx: AppContext,
  opts: SyncWorkerOptions,
): Promise<() => Promise<void>> {
  const jobs = ctx.jobs!;
  await jobs.boss.work<SyncJobData>(
    SYNC_QUEUE,
    {
      localConcurrency: opts.concurrency,
      groupConcurrency: opts.perConnection,
      pollingIntervalSeconds: 0.5,
      batchSize: 1,
      includeMetadata: true,
    } as any,
    async ([job]: any[]) => {
      const data = job.data as SyncJobData;
      const state = await ctx.db.query<{ full_resync_requested: boolean }>(
        `UPDATE sync_state s SET full_resync_requested = false
           FROM (SELECT full_resync_requested FROM sync_state WHERE connection_id = $1 AND entity = $2 FOR UPDATE) old
          WHERE s.connection_id = $1 AND s.entity = $2
          RETURNING old.full_resync_requested`,
        [data.connectionId, data.entity],
      );
      // A RetryableSyncError propagates: the queue retries the job with backoff, resuming from the checkpoint.
      const outcome = await runSync(
        ctx,
        { ...data, fullResync: Boolean(state[0]?.full_resync_requested) },
        { signal: job.signal, retriesLeft: Math.max(0, (job.retryLimit ?? 0) - (job.retryCount ?? 0)) },
      );
      if (outcome.status === 'failed') ctx.log.warn({ ...data, reason: outcome.reason }, 'sync failed');
      return outcome;
    },
  );
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const tick = async () => {
    if (stopped) return;
    try {
      await queueDueSyncs(ctx);
    } catch (e) {
      ctx.log.warn({ error: String(e) }, 'sync scheduler tick failed');
    }
    if (!stopped) timer = setTimeout(tick, opts.schedulerIntervalMs);
  };
  void tick();
  return async () => {
    stopped = true;
    clearTimeout(timer);
    await jobs.boss.offWork(SYNC_QUEUE).catch(() => {});
  };
}

/** Claims due schedules (safe with several workers: SKIP LOCKED) and queues their jobs. */
export async function queueDueSyncs(ctx: AppContext): Promise<number> {
  const due = await ctx.db.query<{ connection_id: string; entity: string }>(
    `UPDATE sync_state s SET next_scheduled_at = now() + interval '10 minutes'
       FROM (SELECT s2.connection_id, s2.entity FROM sync_state s2 JOIN connections c ON c.id = s2.connection_id
              WHERE s2.next_scheduled_at <= now() AND c.status IN ('active', 'offline') AND s2.status <> 'disabled'
              ORDER BY s2.next_scheduled_at LIMIT 200 FOR UPDATE OF s2 SKIP LOCKED) d
      WHERE s.connection_id = d.connection_id AND s.entity = d.entity
      RETURNING s.connection_id, s.entity`,
  );
  for (const d of due) await ctx.jobs!.enqueueSync({ connectionId: d.connection_id, entity: d.entity });
  return due.length;
}
