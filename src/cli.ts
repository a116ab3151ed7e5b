#!/usr/bin/env node
// The `ironbridge` command.
import { parseArgs } from 'node:util';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createSecretKey } from './accounts/index.ts';
import { loadConfig } from './core/config.ts';
import { shippedRegistry } from './connectors/registry.ts';
import { reencryptCredentials } from './connections/reencrypt.ts';
import { createContext } from './runtime.ts';
import { readServerLock } from './server-lock.ts';
import { startServer } from './server.ts';
import { workerHooks } from './worker.ts';

const HELP = `ironbridge — unified API for industrial systems

Usage: ironbridge <command>

  start                     API and worker in one process (PORT, default 3000)
  api                       API only (needs DATABASE_URL)
  worker                    worker only (needs DATABASE_URL)
  migrate                   apply database migrations
  keys create --environment sandbox|production
                            create a secret key (printed alone on the last line)
  keys rotate-encryption    re-encrypt every credential under a new key
  systems                   list the systems Ironbridge can connect to
  sandbox <system> [...]    start a system emulator (sap-s4hana, tryton)

Configuration: DATABASE_URL, IRONBRIDGE_DATA_DIR, IRONBRIDGE_ENCRYPTION_KEY, PORT, ... (see README)`;

function fail(msg: string): never {
  process.stderr.write(`ironbridge: ${msg}\n`);
  process.exit(1);
}

async function viaServer(path: string, body: object): Promise<any> {
  const config = loadConfig();
  const lock = readServerLock(config.dataDir);
  if (!lock) return null;
  const res = await fetch(`http://127.0.0.1:${lock.port}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-ironbridge-admin': lock.adminSecret },
    body: JSON.stringify(body),
  }).catch(() =>
    fail(
      `the embedded database in ${config.dataDir} is held by a running Ironbridge (pid ${lock.pid}) that does not answer on port ${lock.port}; stop it first`,
    ),
  );
  const out = await res.json();
  if (!res.ok) fail(out?.error?.message ?? `server answered ${res.status}`);
  return out;
}

function refuseIfEmbeddedInUse(what: string) {
  const config = loadConfig();
  if (config.databaseUrl) return;
  const lock = readServerLock(config.dataDir);
  if (lock)
    fail(
      `${what}: the embedded database in ${config.dataDir} is in use by a running Ironbridge (pid ${lock.pid}); stop it first`,
    );
}

async function main(argv: string[]) {
  const [cmd, ...rest] = argv;
  switch (cmd) {
    case 'start':
    case 'api':
    case 'worker': {
      const config = loadConfig();
      if (cmd !== 'start' && !config.databaseUrl) {
        fail(
          `"${cmd}" runs one role of Ironbridge and needs DATABASE_URL (a PostgreSQL server shared by every api and worker process). The embedded database admits one process: use "ironbridge start" for both roles in one.`,
        );
      }
      refuseIfEmbeddedInUse(`cannot start`);
      const ctx = await createContext({ config });
      const server = await startServer(ctx, {
        port: config.port,
        host: config.host,
        api: cmd !== 'worker',
        worker: cmd !== 'api',
        logger: true,
        hooks: workerHooks,
      });
      if (server.sandboxKey) {
        process.stdout.write(
          `\nCreated the default account with sandbox and production environments.\n` +
            `Sandbox secret key (shown only once; store it now):\n\n  ${server.sandboxKey}\n\n`,
        );
      }
      if (server.url)
        process.stdout.write(
          `Ironbridge ${cmd === 'start' ? 'API and worker' : 'API'} at ${server.url} (database: ${ctx.db.kind})\n`,
        );
      else process.stdout.write(`Ironbridge worker running (database: ${ctx.db.kind})\n`);
      const stop = async () => {
        await server.close();
        process.exit(0);
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      return;
    }
    case 'migrate': {
      const config = loadConfig();
      if (!config.databaseUrl && readServerLock(config.dataDir)) {
        process.stdout.write(
          'The running Ironbridge applied all migrations when it started; nothing to do.\n',
        );
        return;
      }
      const ctx = await createContext({ config });
      process.stdout.write(`Migrations applied (database: ${ctx.db.kind}).\n`);
      await ctx.db.close();
      return;
    }
    case 'keys': {
      const [sub, ...args] = rest;
      if (sub === 'create') {
        const { values } = parseArgs({
          args,
          options: { environment: { type: 'string' }, name: { type: 'string' } },
        });
        const env = values.environment;
        if (env !== 'sandbox' && env !== 'production')
          fail('keys create needs --environment sandbox|production');
        const remote = await viaServer('/internal/admin/keys', { environment: env, name: values.name });
        const key = remote?.key ?? (await withContext((ctx) => createSecretKey(ctx.db, env, values.name)));
        process.stdout.write(`New ${env} secret key (shown only once):\n${key}\n`);
        return;
      }
      if (sub === 'rotate-encryption') {
        const config = loadConfig();
        const remote = config.databaseUrl ? null : await viaServer('/internal/admin/rotate-encryption', {});
        if (remote) {
          process.stdout.write(
            `Re-encrypted ${remote.reencrypted} credentials under key ${remote.key_id}.\n`,
          );
          return;
        }
        if (config.databaseUrl) {
          // Server mode: the new key is IRONBRIDGE_ENCRYPTION_KEY, old ones in IRONBRIDGE_PREVIOUS_ENCRYPTION_KEYS.
          const out = await withContext((ctx) => reencryptCredentials(ctx));
          process.stdout.write(
            `Re-encrypted ${out.reencrypted} credentials under the current IRONBRIDGE_ENCRYPTION_KEY.\n`,
          );
          return;
        }
        if (config.encryptionKey) {
          fail(
            'IRONBRIDGE_ENCRYPTION_KEY is set: rotate by setting the new key there and the old one in IRONBRIDGE_PREVIOUS_ENCRYPTION_KEYS, then run this command again',
          );
        }
        const { rotateEmbeddedKey } = await import('./connections/reencrypt.ts');
        const out = await withContext((ctx) => rotateEmbeddedKey(ctx));
        process.stdout.write(`Re-encrypted ${out.reencrypted} credentials under key ${out.key_id}.\n`);
        return;
      }
      fail('usage: ironbridge keys create --environment sandbox|production | keys rotate-encryption');
    }
    case 'systems': {
      const registry = await shippedRegistry();
      for (const s of registry.list()) {
        process.stdout.write(
          `${s.id.padEnd(16)} ${s.name.padEnd(24)} ${s.category.padEnd(5)} tier ${s.credit_tier}  ${s.deployments.join(', ')}\n`,
        );
      }
      return;
    }
    case 'sandbox': {
      const { runSandbox } = await import('./sandboxes.ts');
      await runSandbox(rest);
      return;
    }
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(HELP + '\n');
      return;
    default:
      fail(`unknown command "${cmd}"\n\n${HELP}`);
  }
}

async function withContext<T>(
  fn: (ctx: Awaited<ReturnType<typeof createContext>>) => Promise<T>,
): Promise<T> {
  refuseIfEmbeddedInUse('cannot open the database');
  const config = loadConfig();
  if (!config.databaseUrl && !existsSync(join(config.dataDir, 'pgdata'))) {
    process.stderr.write(`No embedded database in ${config.dataDir} yet; creating it.\n`);
  }
  const ctx = await createContext({ config });
  try {
    return await fn(ctx);
  } finally {
    await ctx.db.close();
  }
}

main(process.argv.slice(2)).catch((e) => fail(e?.message ?? String(e)));
