// The OpenAPI 3.1 document, generated from the route table and the Zod schemas that validate requests.
import { z } from 'zod';
import { ERROR_CATALOGUE } from '../core/errors.ts';
import { ENTITY_INFO } from '../model/index.ts';
import { routeTable } from './route.ts';

type Json = Record<string, any>;

export const ErrorEnvelope = z
  .object({
    error: z.object({
      code: z.enum(Object.keys(ERROR_CATALOGUE) as [string, ...string[]]).describe('Stable error code'),
      type: z.string().describe('Error family'),
      message: z.string().describe('What went wrong, for humans'),
      request_id: z.string().describe('Same as the X-Request-Id header'),
      details: z.unknown().optional().describe('Per-field problems, when there are any'),
      remote_error: z
        .object({
          status: z.number().optional(),
          code: z.string().optional(),
          message: z.string().optional(),
        })
        .optional()
        .describe("The source system's own error"),
    }),
  })
  .meta({ id: 'Error' });

class Components {
  schemas: Record<string, Json> = {};

  /** JSON Schema of a Zod schema, with named sub-schemas hoisted into components. */
  convert(schema: z.ZodType, io: 'input' | 'output'): Json {
    const json = z.toJSONSchema(schema, { target: 'draft-2020-12', unrepresentable: 'any', io }) as Json;
    const defs = (json.$defs ?? {}) as Record<string, Json>;
    delete json.$defs;
    delete json.$schema;
    for (const [name, def] of Object.entries(defs)) {
      if (!this.schemas[name]) this.schemas[name] = rewriteRefs(def);
    }
    const id = z.globalRegistry.get(schema)?.id as string | undefined;
    if (id) {
      delete json.id;
      if (!this.schemas[id]) this.schemas[id] = rewriteRefs(json);
      return { $ref: `#/components/schemas/${id}` };
    }
    return rewriteRefs(json);
  }
}

function rewriteRefs(node: any): any {
  if (Array.isArray(node)) return node.map(rewriteRefs);
  if (node && typeof node === 'object') {
    const out: Json = {};
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref' && typeof v === 'string') out[k] = v.replace('#/$defs/', '#/components/schemas/');
      else if (k !== 'id' || typeof v !== 'string') out[k] = rewriteRefs(v);
    }
    return out;
  }
  return node;
}

function parameters(where: 'path' | 'query', schema: z.ZodType | undefined, c: Components): Json[] {
  if (!schema || !(schema instanceof z.ZodObject)) return [];
  const json = c.convert(schema, 'input');
  const required = new Set<string>(json.required ?? []);
  return Object.entries((json.properties ?? {}) as Record<string, Json>).map(([name, s]) => {
    const { description, ...rest } = s;
    return {
      name,
      in: where,
      required: where === 'path' || required.has(name),
      ...(description ? { description } : {}),
      schema: rest,
    };
  });
}

export function buildOpenApi(opts: { serverUrl?: string } = {}): Json {
  const c = new Components();
  const paths: Record<string, Json> = {};
  for (const r of routeTable) {
    if (r.hidden) continue;
    const op: Json = {
      tags: [r.tag],
      summary: r.summary,
      operationId: `${r.method.toLowerCase()}${r.url.replace(/\{(\w+)\}/g, 'By_$1').replace(/[^A-Za-z0-9]+(.)?/g, (_: string, ch?: string) => (ch ?? '').toUpperCase())}`,
      ...(r.description ? { description: r.description } : {}),
      parameters: [...parameters('path', r.params, c), ...parameters('query', r.query, c)],
      responses: {} as Json,
    };
    if (r.auth !== 'none') {
      op.security = [{ bearer: [] }];
      op.description =
        `${op.description ?? ''}\n\nAuth: ${r.auth === 'either' ? 'secret key or connection token' : r.auth.replace('_', ' ')}.`.trim();
    }
    if (r.body)
      op.requestBody = {
        required: true,
        content: { 'application/json': { schema: c.convert(r.body, 'input') } },
      };
    for (const [status, resp] of Object.entries(r.responses)) {
      op.responses[status] = {
        description: resp.description,
        ...(resp.schema
          ? {
              content: {
                [resp.contentType ?? 'application/json']: { schema: c.convert(resp.schema, 'output') },
              },
            }
          : {}),
      };
    }
    op.responses.default = {
      description: 'Error (see the error catalogue)',
      content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
    };
    (paths[r.url] ??= {})[r.method.toLowerCase()] = op;
  }
  c.convert(ErrorEnvelope, 'output');
  for (const info of Object.values(ENTITY_INFO)) c.convert(info.schema, 'output');
  return {
    openapi: '3.1.0',
    info: {
      title: 'Ironbridge API',
      version: '1.0.0',
      description:
        'Unified API for industrial systems (ERP, CMMS, EAM, WMS). Errors use one envelope; the codes are:\n\n' +
        Object.entries(ERROR_CATALOGUE)
          .map(([code, e]) => `- \`${code}\` (${e.status}): ${e.message}`)
          .join('\n'),
    },
    ...(opts.serverUrl ? { servers: [{ url: opts.serverUrl }] } : {}),
    paths,
    components: {
      schemas: c.schemas,
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description: 'A secret key (ib_sk_…) or a connection token (ib_ct_…)',
        },
      },
    },
  };
}
