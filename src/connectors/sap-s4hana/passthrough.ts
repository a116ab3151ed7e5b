// POST /v1/passthrough: a raw call to the instance, with auth, sap-client and CSRF handled, that can
// never leave the instance URL.
import { ConnectorError } from '../errors.ts';
import { ODataV2Service } from '../../protocols/odata-v2/index.ts';
import type { PassthroughRequest, PassthroughResponse } from '../types.ts';
import type { SapConnection } from './connection.ts';

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'MERGE', 'DELETE']);
const READS = new Set(['GET', 'HEAD']);
// Headers the caller may not set: credentials, session and framing belong to the connector.
const BLOCKED_REQUEST_HEADERS = new Set([
  'authorization',
  'cookie',
  'host',
  'content-length',
  'x-csrf-token',
  'connection',
]);
const HIDDEN_RESPONSE_HEADERS = new Set([
  'set-cookie',
  'authorization',
  'www-authenticate',
  'proxy-authenticate',
  'x-csrf-token',
  'content-encoding',
  'content-length',
  'transfer-encoding',
  'connection',
]);

/** Refuses anything that could point outside the instance: schemes, `//`, `..`, backslashes, encoded escapes. */
export function safePath(path: string): { path: string; query: string } {
  if (typeof path !== 'string' || path.trim() === '')
    throw new ConnectorError('invalid_input', 'path is required');
  const [rawPath, ...rest] = path.split('?');
  const query = rest.join('?');
  const bad =
    /^[a-z][a-z0-9+.-]*:/i.test(rawPath) ||
    rawPath.startsWith('//') ||
    rawPath.includes('\\') ||
    /%(2e|2f|5c|00)/i.test(path) ||
    /[\u0000-\u001f\u007f#]/.test(path) ||
    rawPath.split('/').some((seg) => seg === '..' || seg === '.');
  if (bad) throw new ConnectorError('invalid_input', 'path must be a plain path below the instance URL');
  return { path: rawPath.replace(/^\/+/, ''), query };
}

/** `sap/opu/odata/sap/<SERVICE>/...` → the service root, where a CSRF token is fetched. */
function serviceRootOf(path: string): string | null {
  const m = /^(sap\/opu\/odata\/[^/]+\/[^/]+)(\/|$)/i.exec(path);
  return m ? m[1] : null;
}

export async function passthrough(
  conn: SapConnection,
  req: PassthroughRequest,
): Promise<PassthroughResponse> {
  const method = String(req.method ?? '').toUpperCase();
  if (!METHODS.has(method)) throw new ConnectorError('invalid_input', `method ${req.method} is not allowed`);
  const { path, query: inlineQuery } = safePath(req.path);
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers ?? {})) {
    if (!BLOCKED_REQUEST_HEADERS.has(k.toLowerCase())) headers[k] = String(v);
  }
  const query = [inlineQuery, new URLSearchParams(req.query ?? {}).toString()].filter(Boolean).join('&');
  const isJson = req.body !== undefined && typeof req.body !== 'string';
  const body = typeof req.body === 'string' ? req.body : undefined;
  const acceptAll = () => true;

  const root = serviceRootOf(path);
  let res;
  if (!READS.has(method) && root) {
    const svc = new ODataV2Service(conn.http, root);
    const rest = path.slice(root.length).replace(/^\//, '');
    const q = Object.fromEntries(new URLSearchParams(query));
    res = await svc.write(method, rest, {
      json: isJson ? req.body : undefined,
      body,
      query: q,
      headers,
      accept: acceptAll,
    });
  } else {
    res = await conn.http.request({
      method,
      path: query ? `${path}?${query}` : path,
      headers,
      json: isJson ? req.body : undefined,
      body,
      accept: acceptAll,
    });
  }
  const outHeaders: Record<string, string> = {};
  res.headers.forEach((v, k) => {
    if (!HIDDEN_RESPONSE_HEADERS.has(k.toLowerCase())) outHeaders[k] = v;
  });
  return { status: res.status, headers: outHeaders, body: res.body };
}
