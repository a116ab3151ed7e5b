// The HTTP API: request ids, auth, rate limits, the error envelope and the request log around
// every route; routes live in src/api/routes/.
import Fastify, { type FastifyInstance } from 'fastify';
import { randomBytes } from 'node:crypto';
import { ApiError, errorBody } from '../core/errors.ts';
import { redactBody, redactHeaders } from '../core/redact.ts';
import type { AppContext } from '../context.ts';
import { authenticate } from './auth.ts';
import { RateLimiter } from './rate-limit.ts';
import { registerRoutes } from './routes/index.ts';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

declare module 'fastify' {
  interface FastifyRequest {
    logBody?: unknown;
    responseBody?: unknown;
    errorCode?: string;
  }
}

export async function buildApp(ctx: AppContext, opts: { logger?: boolean } = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: opts.logger
      ? { level: ctx.config.logLevel, redact: ['req.headers.authorization', 'req.headers.cookie'] }
      : false,
    bodyLimit: ctx.config.bodyLimitBytes,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given)
        ? given
        : `req_${randomBytes(12).toString('hex')}`;
    },
    trustProxy: false,
  });
  const limiter = new RateLimiter(ctx.config.rateLimitPerMinute);

  app.addHook('onRequest', async (req, reply) => {
    reply.header('x-request-id', req.id);
    req.auth = await authenticate(ctx, req);
    const key = req.auth.kind === 'none' ? null : req.auth.tokenHash;
    if (key) {
      const d = limiter.take(key);
      reply.header('ratelimit-limit', String(d.limit));
      reply.header('ratelimit-remaining', String(d.remaining));
      reply.header('ratelimit-reset', String(d.resetSeconds));
      if (!d.allowed) {
        throw new ApiError('RATE_LIMIT_EXCEEDED', `Rate limit of ${d.limit} requests per minute exceeded`, {
          headers: { 'retry-after': String(d.resetSeconds) },
        });
      }
    }
  });

  app.setErrorHandler((err: any, req, reply) => {
    let apiErr: ApiError;
    if (err instanceof ApiError) apiErr = err;
    else if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      apiErr = new ApiError('PAYLOAD_TOO_LARGE', `The body exceeds ${ctx.config.bodyLimitBytes} bytes`);
    } else if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      apiErr = new ApiError('INVALID_REQUEST', 'Send JSON with Content-Type: application/json');
    } else if (
      err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' ||
      err.code === 'FST_ERR_CTP_INVALID_JSON_BODY' ||
      err instanceof SyntaxError
    ) {
      apiErr = new ApiError('INVALID_REQUEST', 'The body is not valid JSON');
    } else if (typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500) {
      apiErr = new ApiError('INVALID_REQUEST', String(err.message ?? 'Bad request').slice(0, 300));
    } else {
      req.log?.error({ err: { message: err?.message, stack: err?.stack }, reqId: req.id }, 'unhandled error');
      ctx.log.error({ request_id: req.id, error: String(err?.message ?? err) }, 'unhandled error');
      apiErr = new ApiError('INTERNAL_ERROR', `An unexpected error occurred; quote request id ${req.id}`);
    }
    req.errorCode = apiErr.code;
    for (const [k, v] of Object.entries(apiErr.headers ?? {})) reply.header(k, v);
    reply.code(apiErr.status).send(errorBody(apiErr, req.id));
  });

  app.setNotFoundHandler((req, reply) => {
    req.errorCode = 'NOT_FOUND';
    reply
      .code(404)
      .send(errorBody(new ApiError('NOT_FOUND', `No route ${req.method} ${req.url.split('?')[0]}`), req.id));
  });

  app.addHook('onSend', async (req, reply, payload) => {
    if (
      typeof payload === 'string' &&
      payload.length < 64_000 &&
      String(reply.getHeader('content-type') ?? '').includes('json')
    ) {
      req.responseBody = payload;
    }
    return payload;
  });

  app.addHook('onResponse', async (req, reply) => {
    const auth = req.auth;
    let response: unknown = null;
    try {
      response = req.responseBody ? redactBody(JSON.parse(String(req.responseBody))) : null;
    } catch {}
    ctx.db
      .query(
        `INSERT INTO request_log (request_id, environment_id, connection_id, method, path, status, duration_ms,
           request_headers, request_body, response_body, error_code)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8::jsonb,$9::jsonb,$10::jsonb,$11)`,
        [
          req.id,
          auth && auth.kind !== 'none' ? auth.environmentId : null,
          auth?.kind === 'connection_token' ? auth.connectionId : ((req.params as any)?.id ?? null),
          req.method,
          req.url.slice(0, 2000),
          reply.statusCode,
          reply.elapsedTime,
          JSON.stringify(redactHeaders(req.headers as Record<string, unknown>)),
          req.body === undefined ? null : JSON.stringify(redactBody(req.body)),
          response === null ? null : JSON.stringify(response),
          req.errorCode ?? null,
        ],
      )
      .catch((e) => ctx.log.warn({ error: String(e) }, 'request log write failed'));
  });

  await registerRoutes(app, ctx);
  return app;
}
