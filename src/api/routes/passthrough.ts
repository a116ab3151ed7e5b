// POST /v1/passthrough: an authenticated raw request to the source, confined to the connection's
// base URL. The connector adds auth, CSRF and tokens; we refuse anything that could leave the instance.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ApiError } from '../../core/errors.ts';
import { connectorErrorToApi } from '../../connections/errors.ts';
import { sessionFor } from '../../connections/sessions.ts';
import type { AppContext } from '../../context.ts';
import { defineRoute } from '../route.ts';
import { connectionInScope } from './scope.ts';

const PassthroughRequest = z
  .object({
    method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'MERGE', 'DELETE', 'HEAD']),
    path: z
      .string()
      .min(1)
      .max(4000)
      .describe('Path under the instance URL, e.g. /sap/opu/odata/sap/API_PLANT_SRV/$metadata'),
    query: z.record(z.string(), z.string()).optional(),
    headers: z
      .record(z.string(), z.string())
      .optional()
      .describe('Extra headers; auth headers are set by Ironbridge'),
    body: z.unknown().optional(),
  })
  .meta({ id: 'PassthroughRequest' });

const FORBIDDEN_HEADERS = new Set([
  'authorization',
  'cookie',
  'host',
  'x-csrf-token',
  'proxy-authorization',
  'apikey',
  'maxauth',
]);

/** Refuses absolute URLs, scheme-relative paths, dot segments (also percent-encoded) and control characters. */
export function confinedPath(path: string): string {
  const refuse = (why: string): never => {
    throw new ApiError('VALIDATION_FAILED', `path ${why}`, { details: [{ field: 'path', message: why }] });
  };
  if (/^[a-z][a-z0-9+.-]*:/i.test(path)) refuse('must be relative to the instance URL, not an absolute URL');
  if (!path.startsWith('/') || path.startsWith('//') || path.startsWith('/\\'))
    refuse('must start with a single /');
  let decoded = path;
  for (let i = 0; i < 3; i++) {
    try {
      const next = decodeURIComponent(decoded);
      if (next === decoded) break;
      decoded = next;
    } catch {
      refuse('is not valid percent-encoding');
    }
  }
  if (/[\u0000-\u001f\\]/.test(decoded)) refuse('contains control characters or backslashes');
  if (decoded.split(/[/?#]/).some((seg) => seg === '..' || seg === '.'))
    refuse('must not contain . or .. segments');
  if (/[?#]/.test(path)) refuse('must not carry a query or fragment; use the query object');
  return path;
}

export function registerPassthroughRoutes(app: FastifyInstance, ctx: AppContext) {
  for (const scoped of [false, true]) {
    defineRoute(app, {
      method: 'POST',
      url: scoped ? '/v1/connections/{id}/passthrough' : '/v1/passthrough',
      auth: scoped ? 'secret_key' : 'connection_token',
      tag: 'Passthrough',
      summary: "A raw, authenticated request to the source system, confined to the connection's base URL",
      params: z.object(scoped ? { id: z.string() } : {}),
      body: PassthroughRequest,
      responses: {
        200: {
          description: "The source's answer",
          schema: z.object({
            status: z.number(),
            headers: z.record(z.string(), z.string()),
            body: z.unknown(),
          }),
        },
      },
      handler: async ({ body, params, auth }) => {
        const conn = await connectionInScope(ctx, auth, params);
        if (conn.status === 'disconnected')
          throw new ApiError('CONNECTION_DISCONNECTED', 'The connection is disconnected');
        const session = sessionFor(ctx, conn);
        if (!session.passthrough)
          throw new ApiError('OPERATION_NOT_SUPPORTED', `${conn.system} does not offer passthrough requests`);
        const bad = Object.keys(body.headers ?? {}).filter((h) => FORBIDDEN_HEADERS.has(h.toLowerCase()));
        if (bad.length) {
          throw new ApiError('VALIDATION_FAILED', `headers ${bad.join(', ')} are set by Ironbridge`, {
            details: bad.map((h) => ({ field: `headers.${h}`, message: 'set by Ironbridge' })),
          });
        }
        try {
          return await session.passthrough({ ...body, path: confinedPath(body.path) });
        } catch (e) {
          throw connectorErrorToApi(e);
        }
      },
    });
  }
}
