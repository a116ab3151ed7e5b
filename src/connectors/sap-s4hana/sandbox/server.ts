// HTTP front of the sandbox: routing, logon, CSRF, fault injection, statistics and replies.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { SapError, errorBody } from './errors.ts';
import { UNAUTHORIZED_HTML, basicCredentials } from './auth.ts';
import { parseQueryOptions, splitQuery } from './query-options.ts';
import { parseResource } from './uri.ts';
import { handleRead } from './odata-read.ts';
import { handleWrite } from './odata-write.ts';
import { handleFunction } from './functions.ts';
import { handleControl } from './control.ts';
import { json, type Reply, type SandboxState } from './state.ts';

const ODATA = /^\/sap\/opu\/odata\/sap\/([^/]+)(?:\/(.*))?$/;
const TOKEN_PATH = '/sap/bc/sec/oauth2/token';
const MAX_BODY = 20 * 1024 * 1024;

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new SapError(413, '/IWFND/CM_BEC/413', 'Request body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new SapError(400, '/IWBEP/CM_MGW_RT/003', 'Malformed JSON in request body');
  }
}

/** Name under which a request is counted and to which scoped faults apply. */
export function targetOf(path: string): string {
  if (path === TOKEN_PATH) return '$token';
  const m = ODATA.exec(path);
  if (!m) return path;
  const first = (m[2] ?? '').split('/')[0].replace(/\(.*$/s, '');
  if (first === '' || first.startsWith('$')) return `${m[1].toUpperCase()}/${first || '$root'}`;
  return decodeURIComponent(first);
}

function errorReply(st: SandboxState, err: unknown, service?: string): Reply {
  const e =
    err instanceof SapError
      ? err
      : new SapError(500, '/IWBEP/CM_MGW_RT/000', 'Internal error in the sandbox');
  if (!(err instanceof SapError)) console.error('[sap-sandbox]', err);
  return json(e.status, errorBody(e, service, new Date(st.world.clock.now())), e.headers);
}

function unauthorized(): Reply {
  return {
    status: 401,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'www-authenticate': 'Basic realm="SAP NetWeaver Application Server"',
    },
    body: UNAUTHORIZED_HTML,
  };
}

async function tokenEndpoint(st: SandboxState, req: IncomingMessage, query: string): Promise<Reply> {
  const oauthError = (status: number, error: string, description: string): Reply =>
    json(status, { error, error_description: description }, { 'cache-control': 'no-store' });
  if (req.method !== 'POST') return oauthError(405, 'invalid_request', 'Use POST');
  const sapClient = new Map(splitQuery(query)).get('sap-client');
  const form = new Map(splitQuery(await readBody(req)));
  const basic = basicCredentials(req.headers.authorization);
  const id = basic?.user ?? form.get('client_id');
  const secret = basic?.password ?? form.get('client_secret');
  if (!st.auth.clientOk(sapClient) || !st.auth.clientCredentialsOk(id, secret)) {
    return {
      ...oauthError(401, 'invalid_client', 'Client authentication failed'),
      headers: {
        'content-type': 'application/json; charset=utf-8',
        'www-authenticate': 'Basic realm="SAP NetWeaver Application Server"',
      },
    };
  }
  if (form.get('grant_type') !== 'client_credentials') {
    return oauthError(400, 'unsupported_grant_type', 'Only grant_type=client_credentials is supported');
  }
  const t = st.auth.issueToken();
  return json(
    200,
    { access_token: t.token, token_type: 'Bearer', expires_in: t.expiresIn, scope: '' },
    { 'cache-control': 'no-store' },
  );
}

const WRITE_METHODS = new Set(['POST', 'PATCH', 'MERGE', 'PUT', 'DELETE']);

async function odata(
  st: SandboxState,
  req: IncomingMessage,
  path: string,
  query: string,
  origin: string,
): Promise<Reply> {
  const m = ODATA.exec(path)!;
  const service = m[1].toUpperCase();
  const svc = st.world.services.get(service);
  if (!svc) {
    throw new SapError(
      404,
      '/IWFND/MED/170',
      `No service found for namespace '/SAP/', name '${m[1]}', version '0001'`,
    );
  }
  const sapClient = /(?:^|&)sap-client=([^&]*)/.exec(query)?.[1];
  if (!st.auth.authenticate(req, sapClient === undefined ? undefined : decodeURIComponent(sapClient)))
    return unauthorized();
  const user = (basicCredentials(req.headers.authorization)?.user ?? st.auth.opts.user).toUpperCase();

  let method = req.method ?? 'GET';
  const tunnel = req.headers['x-http-method'];
  if (method === 'POST' && typeof tunnel === 'string' && WRITE_METHODS.has(tunnel.toUpperCase()))
    method = tunnel.toUpperCase();

  const extra: Record<string, string | string[]> = {};
  const csrfHeader = req.headers['x-csrf-token'];
  if (
    (method === 'GET' || method === 'HEAD') &&
    typeof csrfHeader === 'string' &&
    csrfHeader.toLowerCase() === 'fetch'
  ) {
    const f = st.auth.fetchCsrf(req);
    extra['x-csrf-token'] = f.token;
    extra['set-cookie'] = [
      `${st.auth.cookieName}=${f.sessionId}; path=/; HttpOnly`,
      `sap-usercontext=sap-client=${st.auth.opts.sapClient}; path=/`,
    ];
  }
  if (WRITE_METHODS.has(method) && !st.auth.csrfOk(req)) {
    return {
      status: 403,
      headers: { 'content-type': 'text/plain; charset=utf-8', 'x-csrf-token': 'Required' },
      body: 'CSRF token validation failed',
    };
  }
  const withExtra = (r: Reply): Reply => ({
    ...r,
    headers: { ...r.headers, ...(extra as Record<string, string>) },
  });
  try {
    const res = parseResource(svc, m[2] ?? '');
    const opts = parseQueryOptions(query);
    if (res.kind === 'function') {
      if (method !== 'GET' && method !== 'HEAD') await readBody(req);
      return withExtra(handleFunction(st, svc, res.name, method, opts.params, req, origin, user));
    }
    if (res.kind === 'batch')
      throw new SapError(501, '/IWBEP/CM_MGW_RT/051', '$batch is not supported by the sandbox');
    if (method === 'GET' || method === 'HEAD')
      return withExtra(handleRead(st, svc, res, { origin, path, opts }));
    if (!WRITE_METHODS.has(method))
      throw new SapError(405, '/IWBEP/CM_MGW_RT/110', `Method ${method} is not supported`);
    const body = method === 'DELETE' ? undefined : parseJson(await readBody(req));
    return withExtra(handleWrite(st, svc, res, method as 'POST', req, body, origin, user));
  } catch (e) {
    return withExtra(errorReply(st, e, service));
  }
}

async function route(st: SandboxState, req: IncomingMessage, origin: string): Promise<Reply> {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  const query = q < 0 ? '' : url.slice(q + 1);
  if (path.startsWith('/__sandbox/')) {
    try {
      const body = req.method === 'POST' ? parseJson(await readBody(req)) : undefined;
      return handleControl(st, req.method ?? 'GET', path, body);
    } catch (e) {
      return errorReply(st, e);
    }
  }
  const target = targetOf(path);
  st.stats.record(
    target,
    req.method === 'POST' && typeof req.headers['x-http-method'] === 'string'
      ? String(req.headers['x-http-method']).toUpperCase()
      : (req.method ?? 'GET'),
  );
  const fault = st.faults.take(target);
  if (fault.delayMs) await sleep(fault.delayMs);
  if (fault.error) return errorReply(st, fault.error, ODATA.exec(path)?.[1]);
  try {
    if (path === TOKEN_PATH) return await tokenEndpoint(st, req, query);
    if (ODATA.test(path)) return await odata(st, req, path, query, origin);
    return errorReply(st, new SapError(404, '/IWFND/MED/170', `No service found at ${path}`));
  } catch (e) {
    return errorReply(st, e, ODATA.exec(path)?.[1]);
  }
}

export function createSandboxServer(st: SandboxState): Server {
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const origin = `http://${req.headers.host ?? 'localhost'}`;
    route(st, req, origin).then(
      (reply) => {
        const body = req.method === 'HEAD' ? undefined : reply.body;
        if (!res.headersSent) {
          res.writeHead(reply.status, {
            ...reply.headers,
            ...(reply.body !== undefined ? { 'content-length': Buffer.byteLength(reply.body) } : {}),
          });
        }
        const { after, release } = reply;
        if (after || release) {
          res.end(body, () => {
            release?.();
            if (after) setImmediate(after);
          });
        } else res.end(body);
      },
      (err) => {
        console.error('[sap-sandbox]', err);
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end('Internal error');
      },
    );
  });
  server.keepAliveTimeout = 30_000;
  return server;
}
