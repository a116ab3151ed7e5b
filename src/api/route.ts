// Routes are declared once with Zod schemas: the same declaration validates requests and
// produces the OpenAPI document (src/api/openapi.ts).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ApiError } from '../core/errors.ts';
import type { Auth } from './auth.ts';

export type AuthKind = 'none' | 'secret_key' | 'connection_token' | 'either';

export interface RouteSpec<B extends z.ZodType, Q extends z.ZodType, P extends z.ZodType> {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  auth: AuthKind;
  tag: string;
  summary: string;
  description?: string;
  body?: B;
  query?: Q;
  params?: P;
  responses: Record<number, { description: string; schema?: z.ZodType; contentType?: string }>;
  /** Left out of the OpenAPI document (internal endpoints). */
  hidden?: boolean;
  handler: (
    input: { body: z.output<B>; query: z.output<Q>; params: z.output<P>; auth: Auth; req: FastifyRequest },
    reply: FastifyReply,
  ) => Promise<unknown>;
}

export const routeTable: RouteSpec<any, any, any>[] = [];

function issuesToDetails(where: string, error: z.ZodError) {
  return error.issues.map((i) => ({
    field: [where === 'body' ? '' : where, ...i.path].filter((p) => p !== '').join('.') || where,
    message: i.message,
  }));
}

export function defineRoute<
  B extends z.ZodType = z.ZodUnknown,
  Q extends z.ZodType = z.ZodUnknown,
  P extends z.ZodType = z.ZodUnknown,
>(app: FastifyInstance, spec: RouteSpec<B, Q, P>): void {
  if (!routeTable.some((r) => r.method === spec.method && r.url === spec.url)) routeTable.push(spec);
  app.route({
    method: spec.method,
    url: spec.url.replace(/\{(\w+)\}/g, ':$1'),
    config: { auth: spec.auth },
    handler: async (req, reply) => {
      const details: { field: string; message: string }[] = [];
      const parse = (where: string, schema: z.ZodType | undefined, value: unknown) => {
        if (!schema) return value;
        const r = schema.safeParse(value ?? (where === 'body' ? undefined : {}));
        if (!r.success) {
          details.push(...issuesToDetails(where, r.error));
          return undefined;
        }
        return r.data;
      };
      const params = parse('params', spec.params, req.params);
      const query = parse('query', spec.query, req.query);
      const body = parse('body', spec.body, req.body);
      if (details.length > 0) {
        throw new ApiError(
          'VALIDATION_FAILED',
          `Invalid request: ${details.map((d) => d.field).join(', ')}`,
          { details },
        );
      }
      const out = await spec.handler({ body, query, params, auth: req.auth!, req } as any, reply);
      if (!reply.sent) {
        const status = Number(Object.keys(spec.responses)[0]);
        if (reply.statusCode === 200 && status !== 200) reply.code(status);
        return out;
      }
      return reply;
    },
  });
}

/** page_size and cursor, shared by every list. */
export const pageQuery = {
  cursor: z.string().optional().describe('Opaque cursor from next_cursor of the previous page'),
  page_size: z.coerce.number().int().min(1).max(1000).default(100).describe('Records per page (max 1000)'),
};

export const listOf = <T extends z.ZodType>(item: T) =>
  z.object({ data: z.array(item), next_cursor: z.string().nullable().describe('null on the last page') });
