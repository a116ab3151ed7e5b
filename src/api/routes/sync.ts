// Sync triggers, status, run history and the event log.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ENTITIES } from '../../connectors/types.ts';
import type { AppContext } from '../../context.ts';
import { listEvents } from '../../events/index.ts';
import { listSyncRuns, syncStatus, triggerSync } from '../../sync/service.ts';
import { defineRoute, listOf, pageQuery } from '../route.ts';
import { connectionInScope } from './scope.ts';

const TriggerBody = z
  .object({
    entities: z.array(z.string()).optional().describe('Entities to sync (default: all the system reads)'),
    full_resync: z
      .boolean()
      .optional()
      .describe('Read everything again (initial window), then reconcile deletions'),
  })
  .meta({ id: 'SyncTrigger' });

const RunSummary = z
  .object({
    id: z.string(),
    entity: z.string(),
    mode: z.enum(['initial', 'incremental', 'full', 'reconcile']),
    status: z.enum(['running', 'completed', 'failed']),
    started_at: z.string().nullable(),
    finished_at: z.string().nullable(),
    pages: z.number(),
    records_added: z.number(),
    records_updated: z.number(),
    records_deleted: z.number(),
    records_unchanged: z.number(),
    requests: z.number().describe('HTTP requests made to the source'),
    retries: z.number().describe('Requests retried after 429/5xx/network errors'),
    attempts: z.number().describe('Attempts; >1 when the run resumed from a checkpoint'),
    worker: z.string().nullable().describe('host:pid of the worker that ran (or last resumed) it'),
    error: z.string().nullable(),
  })
  .meta({ id: 'SyncRun' });

const EntityStatus = z
  .object({
    entity: z.string(),
    status: z.enum(['pending', 'in_progress', 'completed', 'failed', 'paused', 'disabled']),
    is_initial_sync: z.boolean(),
    last_sync_started_at: z.string().nullable(),
    last_sync_finished_at: z.string().nullable(),
    last_successful_sync_at: z.string().nullable(),
    next_scheduled_sync_at: z.string().nullable(),
    high_water_mark: z.string().nullable(),
    last_error: z.string().nullable(),
    last_run: RunSummary.nullable(),
  })
  .meta({ id: 'SyncStatus' });

const Event = z
  .object({
    id: z.string(),
    type: z.string(),
    connection_id: z.string().nullable(),
    created_at: z.string(),
    data: z.unknown(),
  })
  .meta({ id: 'Event' });

export function registerSyncRoutes(app: FastifyInstance, ctx: AppContext) {
  for (const scoped of [false, true]) {
    const prefix = scoped ? '/v1/connections/{id}' : '/v1';
    const params = z.object(scoped ? { id: z.string() } : {});
    const auth = scoped ? ('secret_key' as const) : ('connection_token' as const);
    const tag = 'Sync';
    defineRoute(app, {
      method: 'POST',
      url: `${prefix}/sync`,
      auth,
      tag,
      summary: 'Queue a sync now, for some or all entities',
      params,
      body: TriggerBody,
      responses: {
        202: {
          description: 'Queued',
          schema: z.object({
            data: z.array(
              z.object({
                entity: z.string(),
                status: z.enum(['queued', 'already_queued']),
                full_resync: z.boolean(),
              }),
            ),
          }),
        },
      },
      handler: async ({ body, params, auth }) => {
        const conn = await connectionInScope(ctx, auth, params as any);
        return triggerSync(ctx, conn.id, body);
      },
    });
    defineRoute(app, {
      method: 'GET',
      url: `${prefix}/sync-status`,
      auth,
      tag,
      summary: 'Sync status per entity',
      params,
      responses: { 200: { description: 'Status', schema: z.object({ data: z.array(EntityStatus) }) } },
      handler: async ({ params, auth }) =>
        syncStatus(ctx, (await connectionInScope(ctx, auth, params as any)).id),
    });
    defineRoute(app, {
      method: 'GET',
      url: `${prefix}/sync-runs`,
      auth,
      tag,
      summary: 'Sync run history, newest first',
      params,
      query: z.object({
        entity: z.enum(ENTITIES).optional(),
        status: z.enum(['running', 'completed', 'failed']).optional(),
        ...pageQuery,
      }),
      responses: { 200: { description: 'Runs', schema: listOf(RunSummary) } },
      handler: async ({ params, query, auth }) =>
        listSyncRuns(ctx, (await connectionInScope(ctx, auth, params as any)).id, query),
    });
  }
  defineRoute(app, {
    method: 'GET',
    url: '/v1/events',
    auth: 'secret_key',
    tag: 'Events',
    summary: 'The event log of this environment, oldest first',
    query: z.object({
      type: z.string().optional().describe('An event type, or a family such as work_order.* or sync.*'),
      connection_id: z.string().optional(),
      ...pageQuery,
    }),
    responses: { 200: { description: 'Events', schema: listOf(Event) } },
    handler: async ({ query, auth }) => listEvents(ctx.db, (auth as any).environmentId, query),
  });
}
