// Starts a real Ironbridge API on a random port over a fresh test database.
import { ensureDefaultAccount } from '../../src/accounts/index.ts';
import { buildApp } from '../../src/api/app.ts';
import { loadConfig, type Config } from '../../src/core/config.ts';
import { Keyring, generateKey } from '../../src/core/encryption.ts';
import { Registry } from '../../src/connectors/registry.ts';
import type { AppContext, Logger } from '../../src/context.ts';
import { createSecretKey } from '../../src/accounts/index.ts';
import { createTestDatabase, type TestDatabase } from './database.ts';
import { JobQueue } from '../../src/jobs/queue.ts';
import { workerHooks } from '../../src/worker.ts';

export const quietLogger: Logger = process.env.IRONBRIDGE_TEST_LOG
  ? {
      info: (o, m) => console.error('info', o, m),
      warn: (o, m) => console.error('warn', o, m),
      error: (o, m) => console.error('error', o, m),
    }
  : { info() {}, warn() {}, error() {} };

/** Polls until `fn` returns a truthy value (or throws after `ms`). */
export async function eventually<T>(
  fn: () => Promise<T | null | undefined | false>,
  ms = 20_000,
  what = 'condition',
): Promise<T> {
  const end = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v as T;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}${last ? `: ${last}` : ''}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

export interface TestServer {
  url: string;
  ctx: AppContext;
  database: TestDatabase;
  sandboxKey: string;
  productionKey: string;
  call(
    method: string,
    path: string,
    opts?: { token?: string; body?: unknown; headers?: Record<string, string> },
  ): Promise<{
    status: number;
    headers: Headers;
    body: any;
  }>;
  close(): Promise<void>;
}

export async function startTestServer(
  opts: {
    registry?: Registry;
    config?: Partial<Config>;
    encryptionKey?: string;
    worker?: boolean;
    jobs?: boolean;
  } = {},
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
  let stopWorker: (() => Promise<void>) | null = null;
  if (opts.worker || opts.jobs) {
    ctx.jobs = new JobQueue(ctx.db, database.url);
    await ctx.jobs.start({ supervise: true });
  }
  if (opts.worker) stopWorker = await workerHooks.startWorker!(ctx);
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
      await stopWorker?.();
      await ctx.jobs?.stop();
      await app.close();
      await database.drop();
    },
  };
}
