// /v1/custom-objects/{name}: declared source entities, synced like unified ones.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../context.ts';
import { customEntity, declaredObjects } from '../../custom-objects/index.ts';
import { getUnified, listUnified } from '../../unified/read.ts';
import { defineRoute, listOf, pageQuery } from '../route.ts';
import { connectionInScope } from './scope.ts';

const bool = z
  .enum(['true', 'false'])
  .transform((v) => v === 'true')
  .optional();

const CustomRecord = z
  .object({
    id: z.string(),
    remote_id: z.string(),
    created_at: z.string(),
    modified_at: z.string(),
    remote_created_at: z.string().nullable(),
    remote_updated_at: z.string().nullable(),
    remote_deleted: z.boolean(),
    data: z.record(z.string(), z.unknown()).describe('The source record'),
    custom_fields: z.record(z.string(), z.unknown()),
  })
  .catchall(z.unknown())
  .describe("Fields added by the object's own mapping appear at the top level")
  .meta({ id: 'CustomObjectRecord' });

export function registerCustomObjectRoutes(app: FastifyInstance, ctx: AppContext) {
  for (const scoped of [false, true]) {
    const prefix = scoped ? '/v1/connections/{id}/custom-objects' : '/v1/custom-objects';
    const auth = scoped ? ('secret_key' as const) : ('connection_token' as const);
    const idParam = scoped ? { id: z.string() } : {};
    const tag = 'Custom objects';
    defineRoute(app, {
      method: 'GET',
      url: prefix,
      auth,
      tag,
      summary: 'The custom objects declared on this connection',
      params: z.object(idParam),
      responses: {
        200: {
          description: 'Declared objects',
          schema: z.object({
            data: z.array(z.object({ name: z.string(), source: z.string() }).catchall(z.unknown())),
          }),
        },
      },
      handler: async ({ params, auth }) => ({
        data: declaredObjects((await connectionInScope(ctx, auth, params)).settings),
      }),
    });
    defineRoute(app, {
      method: 'GET',
      url: `${prefix}/{name}`,
      auth,
      tag,
      summary: 'List records of a custom object',
      params: z.object({ ...idParam, name: z.string() }),
      query: z.object({
        ...pageQuery,
        modified_after: z.iso.datetime({ offset: true }).optional(),
        modified_before: z.iso.datetime({ offset: true }).optional(),
        created_after: z.iso.datetime({ offset: true }).optional(),
        created_before: z.iso.datetime({ offset: true }).optional(),
        include_deleted: bool,
      }),
      responses: { 200: { description: 'A page of records', schema: listOf(CustomRecord) } },
      handler: async ({ params, query, auth }) =>
        listUnified(ctx, await connectionInScope(ctx, auth, params), customEntity(params.name), {
          ...query,
          filters: {},
        }),
    });
    defineRoute(app, {
      method: 'GET',
      url: `${prefix}/{name}/{record_id}`,
      auth,
      tag,
      summary: 'Get one record of a custom object',
      params: z.object({ ...idParam, name: z.string(), record_id: z.string() }),
      responses: { 200: { description: 'The record', schema: CustomRecord } },
      handler: async ({ params, auth }) =>
        getUnified(
          ctx,
          await connectionInScope(ctx, auth, params),
          customEntity(params.name),
          params.record_id,
          {},
        ),
    });
  }
}
