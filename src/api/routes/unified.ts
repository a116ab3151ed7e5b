// GET /v1/{entity} and /v1/{entity}/{id} for the seven unified entities, with a connection token;
// the same under /v1/connections/{id}/... with a secret key.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../context.ts';
import { ENTITY_INFO, type EntityInfo } from '../../model/index.ts';
import { getUnified, listUnified, type ListQuery } from '../../unified/read.ts';

const LIST_OPTIONS = new Set([
  'cursor',
  'page_size',
  'modified_after',
  'modified_before',
  'created_after',
  'created_before',
  'include_deleted',
  'include_remote_data',
  'expand',
]);
import { defineRoute, listOf, pageQuery } from '../route.ts';
import { connectionInScope } from './scope.ts';

const bool = z
  .enum(['true', 'false'])
  .transform((v) => v === 'true')
  .optional();
const datetime = (d: string) => z.iso.datetime({ offset: true }).optional().describe(d);

function expandParam(info: EntityInfo) {
  const names = Object.keys(info.expands);
  return z
    .string()
    .optional()
    .describe(names.length ? `Comma-separated: ${names.join(', ')}` : 'Nothing to expand on this entity')
    .transform((v, c) => {
      const list = v
        ? v
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean)
        : [];
      for (const x of list) {
        if (!names.includes(x))
          c.addIssue({
            code: 'custom',
            message: `cannot expand "${x}"; one of: ${names.join(', ') || 'none'}`,
          });
      }
      return list;
    });
}

export function registerUnifiedRoutes(app: FastifyInstance, ctx: AppContext) {
  for (const info of Object.values(ENTITY_INFO)) {
    const filters = Object.fromEntries(
      info.filters.map((f) => [f, z.string().optional().describe(`Only records whose ${f} equals this`)]),
    );
    const listQuery = z
      .object({
        ...pageQuery,
        modified_after: datetime('Changed in Ironbridge after this instant'),
        modified_before: datetime('Changed in Ironbridge before this instant'),
        created_after: datetime('First stored after this instant'),
        created_before: datetime('First stored before this instant'),
        include_deleted: bool.describe('Include records deleted in the source'),
        include_remote_data: bool.describe('Include the raw source record as remote_data'),
        expand: expandParam(info),
        ...filters,
      })
      .catchall(z.string());
    const getQuery = z.object({
      live: bool.describe('Read through to the source system instead of the synced store'),
      include_remote_data: bool,
      expand: expandParam(info),
    });
    const handlerList = async ({ query, params, auth }: any) => {
      const conn = await connectionInScope(ctx, auth, params);
      // Known options go to the store as they are; anything else is an entity or custom-field filter.
      const filters: Record<string, string> = {};
      const options: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(query as Record<string, unknown>)) {
        if (LIST_OPTIONS.has(k)) options[k] = v;
        else if (info.filters.includes(k) || k.startsWith('custom_fields.')) filters[k] = String(v);
      }
      return listUnified(ctx, conn, info.name, { ...(options as Omit<ListQuery, 'filters'>), filters });
    };
    const handlerGet = async ({ query, params, auth }: any) => {
      const conn = await connectionInScope(ctx, auth, params);
      return getUnified(ctx, conn, info.name, params.record_id, query);
    };
    const schema = info.schema;
    for (const scoped of [false, true]) {
      const base = scoped ? `/v1/connections/{id}/${info.path}` : `/v1/${info.path}`;
      const idParam = scoped ? { id: z.string().describe('Connection id') } : {};
      defineRoute(app, {
        method: 'GET',
        url: base,
        auth: scoped ? 'secret_key' : 'connection_token',
        tag: scoped ? 'Unified data (secret key)' : 'Unified data',
        summary: `List ${info.name.replace('_', ' ')}`,
        params: z.object(idParam),
        query: listQuery,
        responses: { 200: { description: 'A page of records', schema: listOf(schema) } },
        handler: handlerList,
      });
      defineRoute(app, {
        method: 'GET',
        url: `${base}/{record_id}`,
        auth: scoped ? 'secret_key' : 'connection_token',
        tag: scoped ? 'Unified data (secret key)' : 'Unified data',
        summary: `Get one ${info.singular.replace('_', ' ')}`,
        params: z.object({ ...idParam, record_id: z.string().describe('Ironbridge record id') }),
        query: getQuery,
        responses: { 200: { description: 'The record', schema } },
        handler: handlerGet,
      });
    }
  }
}
