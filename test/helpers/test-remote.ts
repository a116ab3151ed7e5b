// A small REST system for engine tests: work orders with change timestamps, cursor paging,
// an `updated_since` filter, hard deletes, and a switch that rejects the credentials.
import { createServer } from 'node:http';
import { z } from 'zod';
import { ConnectorError } from '../../src/connectors/errors.ts';
import type { Connector, SourceRecord } from '../../src/connectors/types.ts';
import { READ_ONLY_WORK_ORDERS } from './test-systems.ts';
import type { TestServer } from './server.ts';

export interface RemoteWorkOrder {
  id: string;
  title: string;
  status: 'open' | 'done';
  asset: string | null;
  updated_at: string;
}

export async function startRestRemote(count: number) {
  const orders = new Map<string, RemoteWorkOrder>();
  let clock = Date.now() - 10 * 86_400_000;
  const tick = () => new Date((clock += 1000)).toISOString();
  for (let i = 1; i <= count; i++) {
    orders.set(String(i), {
      id: String(i),
      title: `Order ${i}`,
      status: 'open',
      asset: `A${i % 7}`,
      updated_at: tick(),
    });
  }
  const state = { requests: [] as string[], rejectAuth: false };
  const server = createServer((req, res) => {
    const url = new URL(req.url!, 'http://x');
    state.requests.push(url.pathname + url.search);
    if (state.rejectAuth || req.headers.authorization !== 'Bearer good') {
      res.writeHead(401).end('no');
      return;
    }
    if (url.pathname === '/ping')
      return void res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    const since = url.searchParams.get('updated_since');
    const cursor = Number(url.searchParams.get('cursor') ?? 0);
    const limit = Number(url.searchParams.get('limit') ?? 50);
    const all = [...orders.values()]
      .filter((o) => !since || o.updated_at >= since)
      .sort((a, b) => Number(a.id) - Number(b.id));
    const items = all.slice(cursor, cursor + limit);
    const next = cursor + limit < all.length ? cursor + limit : null;
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ items, next }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    orders,
    state,
    change(id: string, patch: Partial<RemoteWorkOrder>) {
      Object.assign(orders.get(id)!, patch, { updated_at: tick() });
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

export function restConnector(): Connector {
  return {
    descriptor: {
      id: 'test-rest',
      name: 'Test REST CMMS',
      category: 'CMMS',
      deployments: ['cloud'],
      credit_tier: 1,
      protocol: 'rest',
      credential_fields: [
        { name: 'api_key', label: 'API key', type: 'password', required: true, secret: true },
      ],
      capabilities: { work_orders: READ_ONLY_WORK_ORDERS },
    },
    credentialsSchema: z.object({ api_key: z.string() }),
    // A strict converter, so tests can make a mapping fail on chosen records.
    mappingFunctions: {
      checked_int: (x: unknown) => {
        if (x === null || x === undefined) return null;
        if (!/^\d+$/.test(String(x))) throw new Error(`not an integer: ${String(x)}`);
        return Number(x);
      },
    },
    mappings: {
      work_orders: {
        fields: {
          number: 'id',
          title: 'title',
          status: "map(status, {'open': 'REQUESTED', 'done': 'COMPLETED'})",
          asset_id: "ref('assets', asset)",
        },
      },
    },
    open(config) {
      let requests = 0;
      const get = async (path: string) => {
        requests++;
        const res = await fetch(config.instanceUrl + path, {
          headers: { authorization: `Bearer ${config.credentials.api_key}` },
        }).catch((e) => {
          throw new ConnectorError('unavailable', 'unreachable', { cause: e });
        });
        if (res.status === 401) throw new ConnectorError('auth_rejected', 'API key rejected');
        return res.json() as Promise<any>;
      };
      return {
        check: async () => void (await get('/ping')),
        async *read(_entity, req) {
          let cursor: number | null = Number(req.resume ?? 0);
          const since = req.since ?? req.windowStart;
          while (cursor !== null) {
            const page = await get(
              `/work-orders?limit=50&cursor=${cursor}${since ? `&updated_since=${since.toISOString()}` : ''}`,
            );
            const records: SourceRecord[] = page.items.map((o: RemoteWorkOrder) => ({
              remoteId: o.id,
              data: o,
              remoteUpdatedAt: o.updated_at,
            }));
            cursor = page.next;
            yield { records, resume: cursor === null ? null : String(cursor) };
          }
        },
        async get(_entity, id) {
          const page = await get(`/work-orders?limit=100000`);
          const o = page.items.find((x: RemoteWorkOrder) => x.id === id);
          return o ? { remoteId: o.id, data: o, remoteUpdatedAt: o.updated_at } : null;
        },
        stats: () => ({ requests, retries: 0 }),
      };
    },
  };
}

/** A connection of the test REST system to `url` (throws unless it is created). */
export async function connectRest(
  s: Pick<TestServer, 'call' | 'sandboxKey'>,
  url: string,
  settings: Record<string, unknown> = {},
): Promise<{ id: string; token: string } & Record<string, any>> {
  const r = await s.call('POST', '/v1/connections', {
    token: s.sandboxKey,
    body: {
      system: 'test-rest',
      deployment: 'cloud',
      customer_id: 'c1',
      customer_name: 'C1',
      instance_url: url,
      credentials: { api_key: 'good' },
      settings,
    },
  });
  if (r.status !== 201) throw new Error(`connection failed: ${JSON.stringify(r.body)}`);
  return r.body;
}
