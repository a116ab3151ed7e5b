// Raw-HTTP helpers for the sandbox tests: plain fetch, no client code, so the tests check the
// wire protocol itself.
import type { PropertyModel } from './edmx.ts';
import { startSapSandbox, type SapSandbox, type SapSandboxOptions } from './index.ts';

export const NOW = new Date('2025-06-01T00:00:00Z');

/** A property model for unit tests: nullable, scale 0, every capability on. */
export const testProperty = (name: string, type: string, extra: Partial<PropertyModel> = {}): PropertyModel =>
  ({
    name,
    type,
    nullable: true,
    scale: 0,
    creatable: true,
    updatable: true,
    filterable: true,
    sortable: true,
    ...extra,
  }) as PropertyModel;
export const BASIC = `Basic ${Buffer.from('sandbox:sandbox').toString('base64')}`;

export async function start(opts: SapSandboxOptions = {}): Promise<SapSandbox> {
  return startSapSandbox({ volume: 200, now: NOW, ...opts });
}

export const svc = (sb: SapSandbox, service: string) => `${sb.url}/sap/opu/odata/sap/${service}`;

export interface Res {
  status: number;
  headers: Headers;
  text: string;
  // Parsed JSON body when there is one.
  body: any;
}

export async function call(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Res> {
  const headers: Record<string, string> = {
    authorization: BASIC,
    accept: 'application/json',
    ...init.headers,
  };
  if (headers.authorization === '') delete headers.authorization;
  const r = await fetch(url, { ...init, headers });
  const text = await r.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  return { status: r.status, headers: r.headers, text, body };
}

export const get = (url: string, headers: Record<string, string> = {}) => call(url, { headers });

/** Fetches a CSRF token and the session cookie that goes with it. */
export async function csrf(sb: SapSandbox, service: string): Promise<{ token: string; cookie: string }> {
  const r = await fetch(`${svc(sb, service)}/`, {
    headers: { authorization: BASIC, 'x-csrf-token': 'Fetch' },
  });
  await r.text();
  const token = r.headers.get('x-csrf-token')!;
  const cookie = r.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  return { token, cookie };
}

export interface WriteOpts {
  session?: { token: string; cookie: string };
  ifMatch?: string;
  headers?: Record<string, string>;
}

export function send(method: string, url: string, body: unknown, o: WriteOpts = {}): Promise<Res> {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...o.headers };
  if (o.session) {
    headers['x-csrf-token'] = o.session.token;
    headers.cookie = o.session.cookie;
  }
  if (o.ifMatch) headers['if-match'] = o.ifMatch;
  return call(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
}

export const control = (sb: SapSandbox, path: string, method = 'GET', body?: unknown) =>
  call(`${sb.url}/__sandbox/${path}`, {
    method,
    headers: { authorization: '', 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

/** "/Date(1704067200000+0000)/" → epoch ms. */
export const ms = (d: string) => Number(/\/Date\((-?\d+)/.exec(d)![1]);
