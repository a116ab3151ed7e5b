// Runs the roles of one process: the HTTP API, the background worker, or both.
import type { FastifyInstance } from 'fastify';
import { ensureDefaultAccount } from './accounts/index.ts';
import { buildApp } from './api/app.ts';
import { registerAdminRoutes } from './api/routes/admin.ts';
import { randomBytes } from 'node:crypto';
import { rotateEmbeddedKey } from './connections/reencrypt.ts';
import type { AppContext } from './context.ts';
import { writeServerLock } from './server-lock.ts';
import { JobQueue } from './jobs/queue.ts';

export interface RunningServer {
  app: FastifyInstance | null;
  url: string | null;
  sandboxKey?: string;
  close(): Promise<void>;
}

export interface RoleHooks {
  /** Starts background work (sync scheduling, deliveries); returns its stopper. */
  startWorker?: (ctx: AppContext) => Promise<() => Promise<void>>;
}

export async function startServer(
  ctx: AppContext,
  opts: { port: number; host: string; api: boolean; worker: boolean; logger?: boolean; hooks?: RoleHooks },
): Promise<RunningServer> {
  const boot = await ensureDefaultAccount(ctx.db);
  ctx.jobs ??= new JobQueue(ctx.db, ctx.config.databaseUrl);
  await ctx.jobs.start({ supervise: opts.worker });
  let app: FastifyInstance | null = null;
  let url: string | null = null;
  if (opts.api) {
    app = await buildApp(ctx, { logger: opts.logger });
    const embedded = ctx.db.kind === 'pglite';
    // Admin endpoints exist only for an embedded server, whose lock file hands their secret to the CLI.
    const adminSecret = embedded ? randomBytes(32).toString('base64url') : null;
    if (adminSecret) registerAdminRoutes(app, ctx, adminSecret, () => rotateEmbeddedKey(ctx));
    await app.listen({ port: opts.port, host: opts.host });
    const addr = app.server.address();
    const port = typeof addr === 'object' && addr ? addr.port : opts.port;
    url = `http://${opts.host === '0.0.0.0' || opts.host === '::' ? 'localhost' : opts.host}:${port}`;
    if (adminSecret) writeServerLock(ctx.config.dataDir, port, adminSecret);
  }
  const stopWorker = opts.worker && opts.hooks?.startWorker ? await opts.hooks.startWorker(ctx) : null;
  return {
    app,
    url,
    sandboxKey: boot.sandboxKey,
    async close() {
      await stopWorker?.();
      await app?.close();
      await ctx.jobs?.stop();
      await ctx.db.close();
    },
  };
}
