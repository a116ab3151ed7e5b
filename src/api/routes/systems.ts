import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../context.ts';
import { ENTITIES } from '../../connectors/types.ts';
import { creditsFor } from '../../connectors/registry.ts';
import { defineRoute } from '../route.ts';

const Capability = z.object({
  read: z.boolean(),
  create: z.boolean(),
  update: z.boolean(),
  delete: z.boolean(),
  incremental: z.boolean(),
  delete_detection: z.enum(['marker', 'reconciliation', 'none']),
  kind: z.enum(['transactional', 'reference']),
  writable_fields: z.array(z.string()).optional(),
  rules: z.array(z.string()).optional(),
  actions: z.array(z.string()).optional(),
});

export const System = z
  .object({
    id: z.string().describe('System id used in POST /v1/connections'),
    name: z.string(),
    category: z.enum(['ERP', 'CMMS', 'EAM', 'WMS']),
    deployments: z.array(z.enum(['cloud', 'on_premise'])),
    credit_tier: z.number().int().describe('1, 2 or 3'),
    credits: z
      .object({ cloud: z.number().int(), on_premise: z.number().int() })
      .describe('Credits a connection consumes'),
    protocol: z.string(),
    credential_fields: z.array(
      z.object({
        name: z.string(),
        label: z.string(),
        type: z.enum(['text', 'password', 'select', 'url']),
        required: z.boolean(),
        secret: z.boolean(),
        description: z.string().optional(),
        options: z.array(z.string()).optional(),
        when: z.object({ field: z.string(), equals: z.string() }).optional(),
      }),
    ),
    capabilities: z
      .record(z.enum(ENTITIES), Capability)
      .describe('Per unified entity: what the system supports'),
  })
  .meta({ id: 'System' });

export function registerSystemRoutes(app: FastifyInstance, ctx: AppContext) {
  defineRoute(app, {
    method: 'GET',
    url: '/v1/systems',
    auth: 'secret_key',
    tag: 'Systems',
    summary: 'List the systems Ironbridge can connect to, with credential forms and capabilities',
    responses: { 200: { description: 'Systems', schema: z.object({ data: z.array(System) }) } },
    handler: async () => ({
      data: ctx.registry.list().map((d) => ({
        ...d,
        credits: { cloud: creditsFor(d, 'cloud'), on_premise: creditsFor(d, 'on_premise') },
      })),
    }),
  });
}
