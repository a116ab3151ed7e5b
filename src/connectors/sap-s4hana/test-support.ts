// Shared fixture of the integration tests: a sandbox on a free port, sessions against it, and the
// sandbox's control endpoints (tick, faults, stats).
import { startSapSandbox } from './sandbox/index.ts';
import type { SapSandboxOptions } from './sandbox/index.ts';
import { sapS4hana } from './index.ts';
import type { ConnectorSession, ReadRequest, SourceRecord } from '../types.ts';

export interface Fixture {
  url: string;
  close(): Promise<void>;
  session(opts?: {
    credentials?: Record<string, unknown>;
    settings?: Record<string, unknown>;
  }): ConnectorSession;
  control(method: string, path: string, body?: unknown): Promise<Record<string, unknown>>;
  tick(count: number): Promise<Record<string, unknown>>;
  fault(spec: Record<string, unknown>): Promise<void>;
  clearFaults(): Promise<void>;
}

export const BASIC = { auth_type: 'basic', username: 'sandbox', password: 'sandbox', sap_client: '100' };
export const OAUTH = {
  auth_type: 'oauth2',
  client_id: 'sandbox',
  client_secret: 'sandbox',
  sap_client: '100',
};
/** Tiny retry delays keep fault tests fast. */
export const FAST = { retry: { baseDelayMs: 2, maxDelayMs: 10, maxRetries: 4 } };

export async function startFixture(opts: SapSandboxOptions = {}): Promise<Fixture> {
  const sb = await startSapSandbox({ port: 0, seed: 7, volume: 40, pageSize: 15, ...opts });
  const control = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${sb.url}${path}`, {
      method,
      headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = (await res.json()) as Record<string, unknown>;
    if (!res.ok) throw new Error(`sandbox control ${method} ${path} → ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
  return {
    url: sb.url,
    close: () => sb.close(),
    session: (o = {}) =>
      sapS4hana.open({
        connectionId: 'conn_test',
        instanceUrl: sb.url,
        deployment: 'on_premise',
        credentials: o.credentials ?? BASIC,
        settings: { ...FAST, ...o.settings },
      }),
    control,
    tick: (count) => control('POST', '/__sandbox/tick', { count }),
    fault: async (spec) => {
      await control('POST', '/__sandbox/faults', spec);
    },
    clearFaults: async () => {
      await control('DELETE', '/__sandbox/faults');
    },
  };
}

/** Reads every page; returns records and the page tokens. */
export async function readAll(
  session: ConnectorSession,
  entity: string,
  req: ReadRequest = {},
): Promise<{ records: SourceRecord[]; tokens: (string | null)[]; pages: number }> {
  const records: SourceRecord[] = [];
  const tokens: (string | null)[] = [];
  for await (const page of session.read(entity, req)) {
    records.push(...page.records);
    tokens.push(page.resume);
  }
  return { records, tokens, pages: tokens.length };
}

export async function rejection(
  p: Promise<unknown>,
): Promise<{ kind: string; message: string; remote?: Record<string, unknown>; retryAfterSeconds?: number }> {
  try {
    await p;
  } catch (err) {
    return err as { kind: string; message: string; remote?: Record<string, unknown> };
  }
  throw new Error('expected a rejection');
}
