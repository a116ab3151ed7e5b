// Opens the store chosen by the configuration, applies migrations, loads the encryption keyring
// and the registry: everything a process role (api, worker, CLI command) needs.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig, type Config } from './core/config.ts';
import { Keyring, generateKey } from './core/encryption.ts';
import { shippedRegistry, type Registry } from './connectors/registry.ts';
import type { AppContext, Logger } from './context.ts';
import { openPglite, openPostgres, type Db } from './store/db.ts';
import { migrate } from './store/migrate.ts';

export const consoleLogger: Logger = {
  info: (o, m) => log('info', o, m),
  warn: (o, m) => log('warn', o, m),
  error: (o, m) => log('error', o, m),
};
function log(level: string, o: object | string, m?: string) {
  const entry = typeof o === 'string' ? { msg: o } : { ...o, msg: m };
  process.stderr.write(JSON.stringify({ level, time: new Date().toISOString(), ...entry }) + '\n');
}

export async function openDb(config: Config): Promise<Db> {
  if (config.databaseUrl) return openPostgres(config.databaseUrl);
  return openPglite({ dataDir: join(config.dataDir, 'pgdata') });
}

/** The key comes from IRONBRIDGE_ENCRYPTION_KEY; embedded mode may generate one into the data dir. */
export function loadKeyring(config: Config, log: Logger): Keyring {
  if (config.encryptionKey)
    return new Keyring(config.encryptionKey, [...config.previousEncryptionKeys, ...fileKeys(config)]);
  if (config.databaseUrl) {
    throw new Error(
      'IRONBRIDGE_ENCRYPTION_KEY is required with DATABASE_URL (32 bytes as base64 or hex; e.g. `openssl rand -base64 32`)',
    );
  }
  const file = join(config.dataDir, 'encryption.key');
  if (!existsSync(file)) {
    mkdirSync(config.dataDir, { recursive: true });
    writeFileSync(file, generateKey() + '\n', { mode: 0o600 });
    log.warn(
      { file },
      'No IRONBRIDGE_ENCRYPTION_KEY set: generated an encryption key into the data dir. Back it up, or set the variable.',
    );
  }
  return new Keyring(readFileSync(file, 'utf8').trim(), [
    ...config.previousEncryptionKeys,
    ...fileKeys(config),
  ]);
}

// Keys retired by `keys rotate-encryption` in embedded mode stay readable until nothing uses them.
function fileKeys(config: Config): string[] {
  const file = join(config.dataDir, 'encryption.key.previous');
  return existsSync(file)
    ? readFileSync(file, 'utf8')
        .split('\n')
        .map((s) => s.trim())
        .filter(Boolean)
    : [];
}

export async function createContext(
  opts: { config?: Config; registry?: Registry; log?: Logger; db?: Db } = {},
): Promise<AppContext> {
  const config = opts.config ?? loadConfig();
  const log = opts.log ?? consoleLogger;
  const keyring = loadKeyring(config, log);
  const db = opts.db ?? (await openDb(config));
  await migrate(db);
  const registry = opts.registry ?? (await shippedRegistry());
  return { config, db, keyring, registry, log };
}
