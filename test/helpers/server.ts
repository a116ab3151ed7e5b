// Starts a real Ironbridge API on a random port over a fresh test database.
import { ensureDefaultAccount } from '../../src/accounts/index.ts';
import { buildApp } from '../../src/api/app.ts';
import { loadConfig, type Config } from '../../src/core/config.ts';
import { Keyring, generateKey } from '../../src/core/encryption.ts';
import { Registry } from '../../src/connectors/registry.ts';
import type { AppContext, Logger } from '../../src/context.ts';
import { createSecretKey } from '../../src/accounts/index.ts';
import { createTestDatabase, type TestDatabase } from './database.ts';

export const quietLogger: Logger = { info() {}, warn() {}, error() {} };

export interface TestServer {
  url: string;
  ctx: AppContext;
  database: TestDatabase;
  sandboxKey: string;
  productionKey: string;
  call(method: string, path: string, opts?: { token?: string; body?: unknown; headers?: Record<string, string> }): Promise<{
    status: number;
    headers: Headers;
    body: any;
  }>;
  close(): Promise<void>;
}

export async function startTestServer(
  opts: { registry?: Registry; config?: Partial<Config>; encryptionKey?: string } = {},
): Promise<TestServer> {
  const database = await createTestDatabase();
  const config: Config = {
    ...loadConfig({}),
    allowPrivateUrls: true,
    host: '127.0.0.1',
    port: 0,
    ...opts.config,
  };
  const ctx: AppContext = {
    config,
    db: database.db,
    keyring: new Keyring(opts.encryptionKey ?? generateKey()),
    registry: opts.registry ?? new Registry(),
    log: quietLogger,
  };
  const boot = await ensureDefaultAccount(ctx.db);
  const productionKey = await createSecretKey(ctx.db, 'production');
  const app = await buildApp(ctx);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  return {
    url,
    ctx,
    database,
    sandboxKey: boot.sandboxKey!,
    productionKey,
    async call(method, path, o = {}) {
      const res = await fetch(url + path, {
        method,
        headers: {
          ...(o.token ? { authorization: `Bearer ${o.token}` } : {}),
          ...(o.body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...o.headers,
        },
        body: o.body === undefined ? undefined : typeof o.body === 'string' ? o.body : JSON.stringify(o.body),
      });
      const text = await res.text();
      let body: any = text;
      try {
        body = JSON.parse(text);
      } catch {}
      return { status: res.status, headers: res.headers, body };
    },
    async close() {
      await app.close();
      await database.drop();
    },
  };
}
