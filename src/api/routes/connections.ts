// Management of connections (secret key) and the connection's own view (connection token).
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../context.ts';
import {
  createConnection,
  credits,
  disconnect,
  getConnection,
  listConnections,
  rotateToken,
  updateConnection,
} from '../../connections/service.ts';
import { findConnection, toApiConnection } from '../../connections/store.ts';
import type { Auth } from '../auth.ts';
import { ENTITIES } from '../../connectors/types.ts';
import { CustomObjectSchema } from '../../custom-objects/index.ts';
import { defineRoute, listOf, pageQuery } from '../route.ts';

const STATUSES = ['active', 'offline', 'reauthorization_required', 'disconnected'] as const;

export const Connection = z
  .object({
    id: z.string(),
    system: z.string(),
    deployment: z.enum(['cloud', 'on_premise']),
    environment: z.enum(['sandbox', 'production']),
    customer_id: z.string(),
    customer_name: z.string(),
    instance_url: z.string(),
    status: z.enum(STATUSES),
    status_reason: z.string().nullable(),
    settings: z.record(z.string(), z.unknown()),
    credits: z.number().int().describe('Credits this connection consumes'),
    created_at: z.string(),
    updated_at: z.string(),
    disconnected_at: z.string().nullable(),
  })
  .meta({ id: 'Connection' });

const ConnectionWithToken = Connection.extend({
  token: z.string().describe('The connection token (ib_ct_…). Shown only in this response; store it now.'),
}).meta({ id: 'ConnectionWithToken' });

const RemoteFields = z.union([
  z.enum(['all', 'mapped']),
  z.array(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'a top-level source property name')).max(500),
]);

export const ConnectionSettings = z
  .object({
    initial_sync_days: z
      .number()
      .int()
      .min(1)
      .max(3650)
      .optional()
      .describe('History window of the initial sync (default 90)'),
    sync_interval_minutes: z
      .union([z.number().int().min(1), z.record(z.string(), z.number().int().min(1))])
      .optional()
      .describe('Sync schedule: minutes for all entities, or per entity (default 15)'),
    sync_entities: z
      .array(z.enum(ENTITIES))
      .optional()
      .describe('Sync only these unified entities (default: every entity the system reads)'),
    reconcile_interval_hours: z
      .number()
      .min(0)
      .optional()
      .describe('How often deletions are reconciled by a full read (default 24)'),
    remote_fields: z
      .union([RemoteFields, z.partialRecord(z.enum(ENTITIES), RemoteFields)])
      .optional()
      .describe(
        'Source fields syncs read and keep as remote_data: "all" (default), "mapped" (only those the field mappings read; much faster for wide records such as SAP orders), or "mapped" plus a list of extra source fields; for every entity, or per entity',
      ),
    custom_objects: z
      .array(CustomObjectSchema)
      .optional()
      .describe('Source entities to sync and serve at /v1/custom-objects/{name}'),
  })
  .catchall(z.unknown())
  .describe('Connector-specific settings are kept as given');

const CreateConnection = z
  .object({
    system: z.string().min(1).describe('A system id from GET /v1/systems'),
    deployment: z.enum(['cloud', 'on_premise']),
    customer_id: z.string().min(1).max(200).describe('Your id for the customer'),
    customer_name: z.string().min(1).max(500),
    instance_url: z.string().min(1).max(2000).describe('Base URL of the customer instance (http or https)'),
    credentials: z.record(z.string(), z.unknown()).describe('Fields of the system credential form'),
    settings: ConnectionSettings.optional(),
  })
  .meta({ id: 'CreateConnection' });

const Credits = z
  .object({
    pool: z.number().int(),
    used: z.number().int(),
    available: z.number().int(),
    connections: z.array(
      z.object({
        connection_id: z.string(),
        system: z.string(),
        customer_id: z.string(),
        deployment: z.string(),
        credits: z.number().int(),
      }),
    ),
  })
  .meta({ id: 'Credits' });

const idParams = z.object({ id: z.string().describe('Connection id') });

export const callerOf = (auth: Auth) => {
  if (auth.kind === 'none') throw new Error('route without auth');
  return { environmentId: auth.environmentId, environmentKind: auth.environmentKind };
};

export function registerConnectionRoutes(app: FastifyInstance, ctx: AppContext) {
  defineRoute(app, {
    method: 'POST',
    url: '/v1/connections',
    auth: 'secret_key',
    tag: 'Connections',
    summary:
      'Create a connection: checks the credentials against the system, consumes credits, returns the token once',
    body: CreateConnection,
    responses: { 201: { description: 'Created', schema: ConnectionWithToken } },
    handler: async ({ body, auth }) => createConnection(ctx, callerOf(auth), body),
  });
  defineRoute(app, {
    method: 'GET',
    url: '/v1/connections',
    auth: 'secret_key',
    tag: 'Connections',
    summary: 'List connections',
    query: z.object({
      customer_id: z.string().optional(),
      system: z.string().optional(),
      status: z.enum(STATUSES).optional(),
      ...pageQuery,
    }),
    responses: { 200: { description: 'A page of connections', schema: listOf(Connection) } },
    handler: async ({ query, auth }) => listConnections(ctx, callerOf(auth), query),
  });
  defineRoute(app, {
    method: 'GET',
    url: '/v1/connections/{id}',
    auth: 'secret_key',
    tag: 'Connections',
    summary: 'Get a connection',
    params: idParams,
    responses: { 200: { description: 'The connection', schema: Connection } },
    handler: async ({ params, auth }) => toApiConnection(await getConnection(ctx, callerOf(auth), params.id)),
  });
  defineRoute(app, {
    method: 'PATCH',
    url: '/v1/connections/{id}',
    auth: 'secret_key',
    tag: 'Connections',
    summary: 'Change the customer name or settings (sync schedule, window, custom objects)',
    params: idParams,
    body: z.object({
      customer_name: z.string().min(1).max(500).optional(),
      settings: ConnectionSettings.optional(),
    }),
    responses: { 200: { description: 'The connection', schema: Connection } },
    handler: async ({ params, body, auth }) => updateConnection(ctx, callerOf(auth), params.id, body),
  });
  defineRoute(app, {
    method: 'POST',
    url: '/v1/connections/{id}/token/rotate',
    auth: 'secret_key',
    tag: 'Connections',
    summary: 'Issue a new connection token; the old one stops working at once',
    params: idParams,
    responses: { 200: { description: 'The connection with its new token', schema: ConnectionWithToken } },
    handler: async ({ params, auth }) => rotateToken(ctx, callerOf(auth), params.id),
  });
  defineRoute(app, {
    method: 'DELETE',
    url: '/v1/connections/{id}',
    auth: 'secret_key',
    tag: 'Connections',
    summary: 'Disconnect: the token dies at once, credits return to the pool, synced data is kept',
    params: idParams,
    responses: { 200: { description: 'The disconnected connection', schema: Connection } },
    handler: async ({ params, auth }) => disconnect(ctx, callerOf(auth), params.id),
  });
  defineRoute(app, {
    method: 'GET',
    url: '/v1/credits',
    auth: 'secret_key',
    tag: 'Connections',
    summary: 'Credit pool of this environment: size, used, available, per connection',
    responses: { 200: { description: 'Credits', schema: Credits } },
    handler: async ({ auth }) => credits(ctx, callerOf(auth)),
  });
  defineRoute(app, {
    method: 'GET',
    url: '/v1/connection',
    auth: 'connection_token',
    tag: 'Connections',
    summary: 'The connection this token belongs to',
    responses: { 200: { description: 'The connection', schema: Connection } },
    handler: async ({ auth }) => {
      const a = auth as Extract<Auth, { kind: 'connection_token' }>;
      return toApiConnection((await findConnection(ctx.db, a.environmentId, a.connectionId))!);
    },
  });
}
