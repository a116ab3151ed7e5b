// Field mappings per connection (connection token; the same under /v1/connections/{id} for secret keys).
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ApiError } from '../../core/errors.ts';
import type { AppContext } from '../../context.ts';
import {
  describeMappings,
  previewOverrides,
  putOverrides,
  resetOverride,
} from '../../field-mappings/service.ts';
import { ENTITY_INFO } from '../../model/index.ts';
import { defineRoute } from '../route.ts';
import { customEntity } from '../../custom-objects/index.ts';
import { connectionInScope } from './scope.ts';

const PATHS = Object.values(ENTITY_INFO).map((i) => i.path) as [string, ...string[]];
const unifiedEntityOf = (path: string) => Object.values(ENTITY_INFO).find((i) => i.path === path)!.name;

const Expr = z
  .string()
  .max(4000)
  .describe('An expression of the mapping language over the raw source record');
const OverrideValue = z
  .union([Expr, z.object({ each: Expr, fields: z.record(z.string(), Expr) }), z.null()])
  .describe('An expression, an array mapping {each, fields}, or null (blank a field / drop a custom field)');
const Overrides = z
  .object({
    fields: z.record(z.string(), OverrideValue).describe('Unified field (or custom_fields.<name>) → mapping'),
  })
  .meta({ id: 'FieldMappingOverrides' });

const FieldMappings = z
  .object({
    entity: z.string(),
    mapping_version: z.string().describe('Changes whenever the effective mapping changes'),
    fields: z.array(
      z.object({
        field: z.string(),
        expression: z.unknown(),
        source: z.enum(['default', 'override']),
        default_expression: z.unknown().nullable(),
      }),
    ),
    source_fields: z.array(
      z.object({
        path: z.string(),
        type: z.string().describe('EDM type from the metadata, or the JSON type seen in records'),
        label: z.string().optional(),
        example: z.unknown().optional(),
        from: z.enum(['metadata', 'records']),
      }),
    ),
    remote_fields: z
      .object({
        setting: z
          .union([z.enum(['all', 'mapped']), z.array(z.string())])
          .describe('settings.remote_fields for this entity'),
        fetched: z
          .array(z.string())
          .nullable()
          .describe('Top-level source fields syncs read (null: every field)'),
      })
      .describe('Which source fields syncs read and keep as remote_data'),
    resync: z
      .object({
        fields: z.array(z.string()).describe('Source fields the mapping now reads that were not fetched'),
        status: z.enum(['queued', 'already_queued']),
      })
      .nullable()
      .optional()
      .describe(
        'After a change: a full re-read of the entity requested because the mapping reads source fields the store does not hold (remote_fields "mapped")',
      ),
  })
  .meta({ id: 'FieldMappings' });

export function registerFieldMappingRoutes(app: FastifyInstance, ctx: AppContext) {
  for (const [scoped, custom] of [
    [false, false],
    [true, false],
    [false, true],
    [true, true],
  ] as const) {
    const root = scoped ? '/v1/connections/{id}/field-mappings' : '/v1/field-mappings';
    const prefix = custom ? `${root}/custom-objects` : root;
    const auth = scoped ? ('secret_key' as const) : ('connection_token' as const);
    const base = {
      ...(scoped ? { id: z.string() } : {}),
      entity: custom
        ? z.string().describe('Custom object name')
        : z.enum(PATHS).describe('Entity path, e.g. work-orders'),
    };
    const entityOf = (p: string) => (custom ? customEntity(p) : unifiedEntityOf(p));
    const tag = 'Field mappings';
    defineRoute(app, {
      method: 'GET',
      url: `${prefix}/{entity}`,
      auth,
      tag,
      summary: 'Every unified field with its expression (default or override) and the source fields to map',
      params: z.object(base),
      responses: { 200: { description: 'Mappings', schema: FieldMappings } },
      handler: async ({ params, auth }) =>
        describeMappings(ctx, await connectionInScope(ctx, auth, params), entityOf(params.entity)),
    });
    defineRoute(app, {
      method: 'PUT',
      url: `${prefix}/{entity}`,
      auth,
      tag,
      summary:
        'Override fields and add custom fields; takes effect on the next response (with remote_fields "mapped", a new source field is read by an automatic resync)',
      params: z.object(base),
      body: Overrides,
      responses: { 200: { description: 'Mappings after the change', schema: FieldMappings } },
      handler: async ({ params, body, auth }) => {
        if (Object.keys(body.fields).length === 0) throw new ApiError('VALIDATION_FAILED', 'fields is empty');
        return putOverrides(
          ctx,
          await connectionInScope(ctx, auth, params),
          entityOf(params.entity),
          body.fields,
        );
      },
    });
    defineRoute(app, {
      method: 'DELETE',
      url: `${prefix}/{entity}/{field}`,
      auth,
      tag,
      summary: "Remove a field's override (back to the default; a custom field disappears)",
      params: z.object({ ...base, field: z.string() }),
      responses: { 200: { description: 'Mappings after the change', schema: FieldMappings } },
      handler: async ({ params, auth }) =>
        resetOverride(ctx, await connectionInScope(ctx, auth, params), entityOf(params.entity), params.field),
    });
    defineRoute(app, {
      method: 'POST',
      url: `${prefix}/{entity}/preview`,
      auth,
      tag,
      summary: 'Apply a draft mapping to stored records and show before and after, without saving',
      params: z.object(base),
      body: Overrides.extend({
        limit: z.number().int().min(1).max(100).default(5),
        record_ids: z.array(z.string()).max(100).optional(),
      }),
      responses: {
        200: {
          description: 'Preview',
          schema: z.object({
            data: z.array(
              z.object({
                id: z.string(),
                remote_id: z.string(),
                before: z.record(z.string(), z.unknown()),
                after: z.record(z.string(), z.unknown()),
                changed_fields: z.array(z.string()),
                warnings: z.unknown(),
              }),
            ),
          }),
        },
      },
      handler: async ({ params, body, auth }) =>
        previewOverrides(
          ctx,
          await connectionInScope(ctx, auth, params),
          entityOf(params.entity),
          body.fields,
          body,
        ),
    });
  }
}
