// Background work of the worker role: sync jobs, their schedules, and connection health checks.
import { startHealthChecks } from './health/index.ts';
import type { RoleHooks } from './server.ts';
import { startSyncWorker } from './sync/worker.ts';

export const workerHooks: RoleHooks = {
  async startWorker(ctx) {
    const stopSync = await startSyncWorker(ctx, {
      concurrency: ctx.config.syncConcurrency,
      perConnection: ctx.config.syncConcurrencyPerConnection,
      schedulerIntervalMs: 2000,
    });
    const stopHealth = startHealthChecks(ctx, ctx.config.healthIntervalSeconds);
    return async () => {
      await stopHealth();
      await stopSync();
    };
  },
};
