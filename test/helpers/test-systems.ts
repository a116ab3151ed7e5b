// Systems that exist only inside the test suite: a tiny HTTP "remote system" with Basic auth,
// and connectors for it at each credit tier, so connection management is tested over real HTTP.
import { createServer, type Server } from 'node:http';
import { z } from 'zod';
import { ConnectorError } from '../../src/connectors/errors.ts';
import type { Connector, EntityCapability } from '../../src/connectors/types.ts';

/** What the test systems offer: work orders, read-only, incremental, deletes by reconciliation. */
export const READ_ONLY_WORK_ORDERS: EntityCapability = {
  read: true,
  create: false,
  update: false,
  delete: false,
  incremental: true,
  delete_detection: 'reconciliation',
  kind: 'transactional',
};

export interface FakeRemote {
  url: string;
  calls: number;
  close(): Promise<void>;
}

/** A remote with one endpoint, GET /ping, that accepts user "demo" with password "demo". */
export async function startRemote(): Promise<FakeRemote> {
  const state = { calls: 0 };
  const server: Server = createServer((req, res) => {
    state.calls++;
    const ok = req.headers.authorization === 'Basic ' + Buffer.from('demo:demo').toString('base64');
    res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' }).end(JSON.stringify({ ok }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    get calls() {
      return state.calls;
    },
    close: () => new Promise((r) => server.close(() => r())),
  };
}

export function testConnector(id: string, tier: 1 | 2 | 3): Connector {
  return {
    descriptor: {
      id,
      name: `Test ${id}`,
      category: 'CMMS',
      deployments: ['cloud', 'on_premise'],
      credit_tier: tier,
      protocol: 'rest',
      credential_fields: [
        { name: 'username', label: 'User', type: 'text', required: true, secret: false },
        { name: 'password', label: 'Password', type: 'password', required: true, secret: true },
      ],
      capabilities: { work_orders: READ_ONLY_WORK_ORDERS },
    },
    credentialsSchema: z.object({ username: z.string().min(1), password: z.string().min(1) }),
    mappings: {},
    open(config) {
      return {
        async check() {
          const res = await fetch(`${config.instanceUrl}/ping`, {
            headers: {
              authorization:
                'Basic ' +
                Buffer.from(`${config.credentials.username}:${config.credentials.password}`).toString(
                  'base64',
                ),
            },
          }).catch((e) => {
            throw new ConnectorError('unavailable', `cannot reach ${config.instanceUrl}`, { cause: e });
          });
          if (res.status === 401)
            throw new ConnectorError('auth_rejected', 'credentials rejected', { remote: { status: 401 } });
        },
        async *read() {},
        async get() {
          return null;
        },
        stats: () => ({ requests: 0, retries: 0 }),
      };
    },
  };
}
