// /health, /ready, /openapi.json, /docs.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../context.ts';
import { renderDocs } from '../docs.ts';
import { buildOpenApi } from '../openapi.ts';
import { defineRoute } from '../route.ts';

export function registerMetaRoutes(app: FastifyInstance, ctx: AppContext) {
  defineRoute(app, {
    method: 'GET',
    url: '/health',
    auth: 'none',
    tag: 'Operations',
    summary: 'Liveness: the process answers',
    responses: { 200: { description: 'Alive', schema: z.object({ status: z.literal('ok') }) } },
    handler: async () => ({ status: 'ok' as const }),
  });
  defineRoute(app, {
    method: 'GET',
    url: '/ready',
    auth: 'none',
    tag: 'Operations',
    summary: 'Readiness: the database answers',
    responses: {
      200: { description: 'Ready', schema: z.object({ status: z.literal('ready'), database: z.string() }) },
      503: { description: 'Not ready' },
    },
    handler: async (_i, reply) => {
      try {
        await ctx.db.query('SELECT 1');
        return { status: 'ready' as const, database: ctx.db.kind };
      } catch {
        reply.code(503);
        return { status: 'unavailable', database: ctx.db.kind };
      }
    },
  });
  let cached: object | null = null;
  const doc = () => (cached ??= buildOpenApi({ serverUrl: ctx.config.publicUrl ?? undefined }));
  app.get('/openapi.json', async () => doc());
  app.get('/docs', async (_req, reply) =>
    reply.type('text/html; charset=utf-8').send(renderDocs(doc() as any)),
  );
}
