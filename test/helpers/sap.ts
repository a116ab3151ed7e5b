// An SAP sandbox and a connection to it, for end-to-end tests.
import { startSapSandbox, type SapSandboxOptions } from '../../src/connectors/sap-s4hana/sandbox/index.ts';
import type { TestServer } from './server.ts';

export async function sapSandbox(opts: SapSandboxOptions = {}) {
  const sandbox = await startSapSandbox({ port: 0, seed: 7, volume: 60, ...opts });
  const control = async (path: string, method = 'POST', body?: unknown) => {
    const r = await fetch(`${sandbox.url}/__sandbox/${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await r.text();
    return text ? JSON.parse(text) : null;
  };
  return { ...sandbox, control };
}

export async function connectSap(s: TestServer, url: string, settings: Record<string, unknown> = {}) {
  const r = await s.call('POST', '/v1/connections', {
    token: s.sandboxKey,
    body: {
      system: 'sap-s4hana',
      deployment: 'cloud',
      customer_id: 'acme',
      customer_name: 'Acme Industries',
      instance_url: url,
      credentials: { auth_type: 'basic', username: 'sandbox', password: 'sandbox' },
      settings,
    },
  });
  if (r.status !== 201) throw new Error(`connection failed: ${JSON.stringify(r.body)}`);
  return r.body as { id: string; token: string };
}
