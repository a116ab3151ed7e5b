// Configuration comes from the environment only; read once at start.
import { resolve } from 'node:path';

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | null;
  encryptionKey: string | null;
  previousEncryptionKeys: string[];
  creditPool: number;
  allowPrivateUrls: boolean;
  rateLimitPerMinute: number;
  bodyLimitBytes: number;
  logLevel: string;
  publicUrl: string | null;
  syncConcurrency: number;
  syncConcurrencyPerConnection: number;
  healthIntervalSeconds: number;
  /** Sync pages of shipped connectors are read and prepared on a thread of their own. */
  syncReadThread: boolean;
}

function int(name: string, fallback: number, env: NodeJS.ProcessEnv): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, got "${raw}"`);
  return n;
}

function bool(name: string, fallback: boolean, env: NodeJS.ProcessEnv): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (raw === 'true' || raw === 'false') return raw === 'true';
  throw new Error(`${name} must be true or false, got "${raw}"`);
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return {
    port: int('PORT', 3000, env),
    host: env.HOST ?? '0.0.0.0',
    dataDir: resolve(env.IRONBRIDGE_DATA_DIR ?? './.ironbridge'),
    databaseUrl: env.DATABASE_URL || null,
    encryptionKey: env.IRONBRIDGE_ENCRYPTION_KEY || null,
    previousEncryptionKeys: (env.IRONBRIDGE_PREVIOUS_ENCRYPTION_KEYS ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    creditPool: int('IRONBRIDGE_CREDIT_POOL', 100, env),
    allowPrivateUrls: bool('IRONBRIDGE_ALLOW_PRIVATE_URLS', false, env),
    rateLimitPerMinute: int('IRONBRIDGE_RATE_LIMIT_PER_MINUTE', 1200, env),
    bodyLimitBytes: int('IRONBRIDGE_BODY_LIMIT_BYTES', 1024 * 1024, env),
    logLevel: env.LOG_LEVEL ?? 'info',
    publicUrl: env.IRONBRIDGE_PUBLIC_URL || null,
    syncConcurrency: int('IRONBRIDGE_SYNC_CONCURRENCY', 4, env),
    syncConcurrencyPerConnection: int('IRONBRIDGE_SYNC_CONCURRENCY_PER_CONNECTION', 2, env),
    healthIntervalSeconds: int('IRONBRIDGE_HEALTH_INTERVAL_SECONDS', 60, env),
    syncReadThread: bool('IRONBRIDGE_SYNC_READ_THREAD', true, env),
  };
}
