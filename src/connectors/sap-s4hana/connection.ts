// One connection's HTTP client and OData services: base URL, auth, sap-client, retry settings.
import { ConnectorError } from '../errors.ts';
import { HttpClient, basicAuth, oauth2ClientCredentials } from '../../protocols/http/index.ts';
import type { AuthStrategy, RetryPolicy } from '../../protocols/http/index.ts';
import { ODataV2Service, parseODataError } from '../../protocols/odata-v2/index.ts';
import type { ConnectionConfig } from '../types.ts';
import { credentialsSchema } from './credentials.ts';
import type { SapCredentials } from './credentials.ts';
import type { ServiceName } from './entities.ts';

/** Where Gateway publishes OData v2 services, below the instance URL. */
export const ODATA_ROOT = 'sap/opu/odata/sap';
export const DEFAULT_TOKEN_PATH = 'sap/bc/sec/oauth2/token';

export interface SapConnection {
  http: HttpClient;
  credentials: SapCredentials;
  settings: Record<string, unknown>;
  service(name: ServiceName): ODataV2Service;
}

/**
 * The instance URL may be given with or without a path prefix (a reverse proxy, the API hub's
 * `/s4hanacloud`) and even with the OData root itself; everything from `/sap/` on is dropped.
 */
export function instanceBase(instanceUrl: string): URL {
  let url: URL;
  try {
    url = new URL(instanceUrl);
  } catch {
    throw new ConnectorError('invalid_input', 'instance URL is not a valid URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ConnectorError('invalid_input', 'instance URL must be http(s)');
  }
  const i = url.pathname.indexOf('/sap/');
  const path = i >= 0 ? url.pathname.slice(0, i) : url.pathname;
  url.pathname = path.endsWith('/') ? path : `${path}/`;
  url.search = '';
  url.hash = '';
  url.username = '';
  url.password = '';
  return url;
}

function numberSetting(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : undefined;
}

/** Connection settings may tune retries (`retry: {maxRetries, baseDelayMs, ...}`) and `timeout_ms`. */
function retrySettings(settings: Record<string, unknown>): Partial<RetryPolicy> {
  const r = settings.retry;
  if (!r || typeof r !== 'object') return {};
  const o = r as Record<string, unknown>;
  const out: Partial<RetryPolicy> = {};
  for (const k of ['maxRetries', 'baseDelayMs', 'maxDelayMs', 'maxRetryAfterMs'] as const) {
    const n = numberSetting(o[k]);
    if (n !== undefined) out[k] = n;
  }
  return out;
}

export function parseCredentials(raw: Record<string, unknown>): SapCredentials {
  const parsed = credentialsSchema.safeParse(raw);
  if (!parsed.success) {
    // Zod issues name fields and rules, never the values.
    const fields = parsed.error.issues.map((i) => i.path.join('.') || 'credentials').join(', ');
    throw new ConnectorError('invalid_input', `invalid SAP credentials: ${fields}`);
  }
  return parsed.data;
}

export function openConnection(config: ConnectionConfig): SapConnection {
  const credentials = parseCredentials(config.credentials);
  const base = instanceBase(config.instanceUrl);
  const query: Record<string, string> = {};
  if (credentials.sap_client) query['sap-client'] = credentials.sap_client;

  let auth: AuthStrategy;
  if (credentials.auth_type === 'basic') {
    auth = basicAuth(credentials.username, credentials.password);
  } else {
    const tokenUrl = new URL(credentials.token_url ?? new URL(DEFAULT_TOKEN_PATH, base).href);
    // The on-premise token endpoint is client-specific too.
    if (credentials.sap_client && !tokenUrl.searchParams.has('sap-client')) {
      tokenUrl.searchParams.set('sap-client', credentials.sap_client);
    }
    auth = oauth2ClientCredentials({
      tokenUrl: tokenUrl.href,
      clientId: credentials.client_id,
      clientSecret: credentials.client_secret,
    });
  }

  const http = new HttpClient({
    baseUrl: base.href,
    query,
    auth,
    headers: { Accept: 'application/json' },
    timeoutMs: numberSetting(config.settings.timeout_ms) ?? 60_000,
    retry: retrySettings(config.settings),
    checkUrl: config.checkUrl,
    errorParser: parseODataError,
  });
  const services = new Map<ServiceName, ODataV2Service>();
  return {
    http,
    credentials,
    settings: config.settings,
    service(name) {
      let svc = services.get(name);
      if (!svc) {
        svc = new ODataV2Service(http, `${ODATA_ROOT}/${name}`);
        services.set(name, svc);
      }
      return svc;
    },
  };
}
